import { createRequire } from 'node:module';

import blessed, { type Widgets } from 'blessed';
import type LineFactory from 'blessed-contrib/lib/widget/charts/line.js';

import { EVENT_TYPES } from '../events/schema.js';
import type { LiveEvent, LiveModel, ProductState } from '../live-model/model.js';
import type { LiveFilter } from '../live-model/filter.js';
import { chartLines, counterLines, cycle, eventLines, productHeader, productRows, statusLines } from './view.js';

const require = createRequire(import.meta.url);
const line = require('blessed-contrib/lib/widget/charts/line.js') as typeof LineFactory;

interface LiveScreenOptions {
  model: LiveModel;
  brokers: readonly string[];
  /** q or Ctrl-C: the caller stops the feed, then calls destroy(). */
  onQuit(): void;
  /** Least time between two redraws (default 100 ms: at most 10 a second). */
  redrawMs?: number;
  /** Seconds of history in the chart (default 120). */
  chartSeconds?: number;
  /** The terminal; by default this process's stdin and stdout. */
  terminal?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream };
}

const HELP = `{bold}pix tui keys{/bold}

  q, Ctrl-C   quit
  p, space    pause / resume the log and products
              (counters and the status bar go on)
  /           filter by product id (Enter applies,
              empty clears, Esc cancels)
  t           cycle the type filter
  o           cycle the origin filter
  c           clear what is shown and counted
  ?           show or hide these keys`;

/**
 * The live stream in a terminal: event log, events/s chart, counters, product states and a status
 * bar, drawn from the live model at most every redrawMs however fast events arrive.
 */
export class LiveScreen {
  private readonly screen: Widgets.Screen;
  private readonly log: Widgets.BoxElement;
  private readonly chart: ReturnType<typeof line>;
  private readonly counters: Widgets.BoxElement;
  private readonly products: Widgets.BoxElement;
  private readonly status: Widgets.BoxElement;
  private readonly help: Widgets.BoxElement;
  private readonly prompt: Widgets.TextboxElement;
  private readonly timer: NodeJS.Timeout;
  private readonly stopListening: () => void;
  private filters: LiveFilter = {};
  private paused: { seq: number; events: LiveEvent[]; products: ProductState[] } | undefined;
  private dirty = true;
  private chartSecond = 0;
  private destroyed = false;
  private drawCount = 0;

  constructor(private readonly options: LiveScreenOptions) {
    this.screen = blessed.screen({
      smartCSR: true,
      fullUnicode: true,
      forceUnicode: true,
      title: 'pix tui',
      terminal: terminalName(process.env.TERM),
      warnings: false,
      // @types/blessed types input as a Writable; blessed reads keys from it.
      ...((options.terminal ?? {}) as Pick<Widgets.IScreenOptions, 'input' | 'output'>),
    });
    const colors = terminalColors(process.env);
    if (colors !== undefined) (this.screen.tput as unknown as { colors: number }).colors = colors;
    // Box lines as Unicode, not the terminal's alternate character set, which detached tmux
    // panes, screen and some SSH clients show as the letters q, x, l and k.
    (this.screen.tput as unknown as { brokenACS: boolean }).brokenACS = true;
    const panel = (label: string, position: Widgets.Types.TPosition[]): Widgets.BoxElement =>
      blessed.box({
        parent: this.screen,
        label: ` ${label} `,
        top: position[0],
        left: position[1],
        width: position[2],
        height: position[3],
        border: { type: 'line' },
        style: { border: { fg: 'gray' }, label: { fg: 'white' } },
        tags: true,
        wrap: false,
      });
    this.log = panel('events, newest first', [0, 0, '62%', '50%-1']);
    // Appended, not given a parent: the chart makes its drawing canvas when it is attached.
    this.chart = line({
      label: chartLabel(Math.floor(Number(this.screen.width) * 0.38)),
      tags: true,
      top: 0,
      left: '62%',
      width: '38%',
      height: '50%-1',
      border: { type: 'line' },
      // The chart's canvas knows only the eight basic colour names.
      style: { line: 'white', text: 'white', baseline: 'white' },
      // blessed-contrib's legend is a box over the top right corner: over the newest seconds.
      showLegend: false,
      wholeNumbersOnly: true,
      xLabelPadding: 2,
      xPadding: 2,
      numYLabels: 3,
      showNthLabel: 30,
    });
    this.screen.append(this.chart);
    this.counters = panel('counts, events/s', ['50%-1', 0, '30%', '50%-1']);
    this.products = panel('products, latest change first', ['50%-1', '30%', '70%', '50%-1']);
    this.status = blessed.box({
      parent: this.screen,
      bottom: 0,
      left: 0,
      width: '100%',
      height: 2,
      tags: true,
      wrap: false,
    });
    this.help = blessed.box({
      parent: this.screen,
      top: 'center',
      left: 'center',
      width: 52,
      height: 15,
      border: { type: 'line' },
      tags: true,
      hidden: true,
      content: HELP,
    });
    this.prompt = blessed.textbox({
      parent: this.screen,
      bottom: 0,
      left: 0,
      width: '100%',
      height: 1,
      hidden: true,
      // Not inputOnFocus: askProduct() starts reading itself, and a second reader added on focus
      // took every key twice from the second time the prompt opened.
      style: { fg: 'black', bg: 'cyan' },
    });
    this.bindKeys();
    this.stopListening = options.model.onChange(() => (this.dirty = true));
    this.screen.on('resize', () => {
      // The chart sizes its canvas only when attached: attaching again fits it to the new size.
      this.chart.setLabel(chartLabel(Number(this.chart.width)));
      this.chart.emit('attach');
      this.chartSecond = 0;
      this.dirty = true;
    });
    this.timer = setInterval(() => this.redraw(), options.redrawMs ?? 100);
    this.redraw();
  }

  /** How many times the screen was drawn: what the redraw bound is about. */
  get draws(): number {
    return this.drawCount;
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    clearInterval(this.timer);
    this.stopListening();
    this.screen.destroy();
  }

  private bindKeys(): void {
    const { model } = this.options;
    const unlessTyping = (handler: () => void) => () => {
      if (!this.prompt.hidden) return;
      handler();
      this.dirty = true;
    };
    this.screen.key(['C-c'], () => this.options.onQuit());
    this.screen.key(
      ['q'],
      unlessTyping(() => this.options.onQuit()),
    );
    this.screen.key(
      ['p', 'space'],
      unlessTyping(() => {
        this.paused = this.paused
          ? undefined
          : { seq: model.seq, events: model.recent(), products: model.products(200) };
      }),
    );
    this.screen.key(
      ['t'],
      unlessTyping(() => (this.filters = { ...this.filters, type: cycle(EVENT_TYPES, this.filters.type) })),
    );
    this.screen.key(
      ['o'],
      unlessTyping(() => {
        const origins = Object.keys(model.counters().byOrigin).sort();
        this.filters = { ...this.filters, origin: cycle(origins, this.filters.origin) };
      }),
    );
    this.screen.key(
      ['c'],
      unlessTyping(() => {
        model.clear();
        if (this.paused) this.paused = { seq: model.seq, events: [], products: [] };
      }),
    );
    this.screen.key(
      ['?'],
      unlessTyping(() => this.help.toggle()),
    );
    this.screen.key(
      ['escape'],
      unlessTyping(() => this.help.hide()),
    );
    this.screen.key(
      ['/'],
      unlessTyping(() => this.askProduct()),
    );
  }

  private askProduct(): void {
    this.prompt.setValue(this.filters.productId ?? '');
    this.prompt.show();
    this.screen.render();
    this.prompt.readInput((error, value) => {
      this.prompt.hide();
      // Escape gives null at run time, whatever the types say.
      if (!error && typeof value === 'string') {
        const productId = value.trim();
        const { productId: _previous, ...rest } = this.filters;
        this.filters = productId === '' ? rest : { ...rest, productId };
      }
      this.dirty = true;
      this.redraw();
    });
  }

  private redraw(): void {
    if (this.destroyed) return;
    const { model } = this.options;
    const now = Date.now();
    const second = Math.floor(now / 1000);
    // Ages, rates and the chart move with the clock even when no event arrives.
    if (!this.dirty && second === this.chartSecond) return;
    this.dirty = false;

    const inner = (box: Widgets.BoxElement): number => Math.max(0, Number(box.height) - 2);
    const innerWidth = (box: Widgets.BoxElement): number => Math.max(0, Number(box.width) - 2);
    const events = this.paused?.events ?? model.recent();
    const products = this.paused?.products ?? model.products(inner(this.products) + 50);
    this.log.setContent(eventLines(events, this.filters, inner(this.log), innerWidth(this.log)).join('\n'));
    const productWidth = innerWidth(this.products);
    this.products.setContent(
      [
        `{bold}${productHeader(productWidth)}{/bold}`,
        ...productRows(products, this.filters, inner(this.products) - 1, now, productWidth),
      ].join('\n'),
    );
    const counters = model.counters();
    this.counters.setContent(counterLines(counters, Math.max(0, inner(this.counters) - 4)).join('\n'));
    if (second !== this.chartSecond) {
      this.chartSecond = second;
      const seconds = Math.max(10, Math.min(this.options.chartSeconds ?? 120, Number(this.chart.width) - 10));
      this.chart.setData(chartLines(model.series(seconds), seconds));
    }
    const status = statusLines({
      brokers: this.options.brokers,
      connection: model.connection,
      counters,
      delay: model.delay(),
      sites: model.sites(),
      paused: this.paused !== undefined,
      arrivedWhilePaused: this.paused ? model.seq - this.paused.seq : 0,
      filters: this.filters,
    });
    this.status.setContent(status.join('\n'));
    this.screen.render();
    this.drawCount += 1;
  }
}

/**
 * The chart's title, which is also its legend, each type in the colour of its line: the words
 * that fit in a chart `width` characters wide.
 */
function chartLabel(width: number): string {
  const [price, discount, country] = width >= 36 ? ['price', 'discount', 'country'] : ['price', 'disc', 'ctry'];
  return ` events/s {cyan-fg}${price}{/cyan-fg} {yellow-fg}${discount}{/yellow-fg} {green-fg}${country}{/green-fg} `;
}

/**
 * How many colours the terminal draws, where the terminfo entry pix draws with says less. The
 * plain xterm entry (see terminalName) claims 8, and blessed then draws gray (colour 8) as black,
 * which a dark terminal does not show: every xterm, tmux and screen draws 16, and $TERM or
 * $COLORTERM says when it draws 256.
 */
function terminalColors(env: NodeJS.ProcessEnv): number | undefined {
  const term = env.TERM ?? '';
  if (term.includes('256color') || env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 256;
  if (terminalName(term) === 'xterm') return 16;
  return undefined;
}

/**
 * blessed compiles the terminfo entry of $TERM, and xterm-256color's Setulc capability makes it
 * print an error over the screen. The plain xterm entry draws everything pix needs (8 colours,
 * line drawing), so every xterm flavour is drawn as xterm.
 */
export function terminalName(term: string | undefined): string {
  if (!term || term.startsWith('xterm') || term.startsWith('tmux') || term.startsWith('screen')) return 'xterm';
  return term;
}
