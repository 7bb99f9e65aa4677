import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { brokerArg, freshTopics, type FreshTopics } from '../helpers/kafka.js';
import { badInputs } from '../helpers/bad-inputs.js';
import { kcat } from '../helpers/kcat.js';
import { PIX_BIN, runPix } from '../helpers/pix.js';
import { TmuxSession } from '../helpers/tmux.js';
import { testFolder } from '../helpers/temp.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/settings.js';

const PANES = ['events, newest first', 'events/s price', 'counts, events/s', 'products, latest change first'];

/** A shell in tmux, 100×30, that runs `pix tui ARGS`, then says how it exited and gives the prompt back. */
function tuiInTmux(term: string, name: string, args: string, stderrFile: string): TmuxSession {
  const session = new TmuxSession(
    name,
    `env -i PATH="${process.env.PATH ?? ''}" HOME="${process.env.HOME ?? ''}" PS1='shell$ ' bash --norc --noprofile`,
    { width: 100, height: 30 },
  );
  session.sendKeys(
    `TERM=${term} NODE_ENV=production node ${PIX_BIN} tui ${args} 2>${stderrFile}; echo "pix exited $?"`,
    'Enter',
  );
  return session;
}

describe('pix tui in a real terminal', () => {
  let topics: FreshTopics;
  const kafka = (): string[] => [...brokerArg(), '--topic-prefix', topics.prefix];

  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());

  /** A shell in tmux that runs pix tui, then says how it exited and gives the prompt back. */
  function startTui(term: string, name: string, stderrFile: string): TmuxSession {
    return tuiInTmux(term, name, `${kafka().join(' ')} --from-beginning`, stderrFile);
  }

  it('shows published events, pauses, fits 80×24 and quits cleanly with q', async () => {
    const stderrFile = join(testFolder('tui'), 'stderr');
    const session = startTui('xterm-256color', `pix-tui-${process.pid}`, stderrFile);
    try {
      let screen = await session.waitFor(/connected/, 20_000);
      for (const pane of PANES) expect(screen).toContain(pane);

      expect((await runPix(['publish', 'price', '--id', 'TUI-42', '--price', '19.99', ...kafka()])).code).toBe(0);
      screen = await session.waitFor(/TUI-42 +19\.99 USD/, DEFAULT_TIMEOUT_MS);
      expect(screen).toMatch(/price +1 /);

      session.sendKeys('p');
      await session.waitFor(/PAUSED, 0 new/);
      expect((await runPix(['publish', 'discount', '--id', 'TUI-43', '--discount', '5', ...kafka()])).code).toBe(0);
      screen = await session.waitFor(/PAUSED, 1 new/, DEFAULT_TIMEOUT_MS);
      expect(screen).not.toContain('TUI-43');
      session.sendKeys('p');
      screen = await session.waitFor(/TUI-43/, DEFAULT_TIMEOUT_MS);
      expect(screen).not.toContain('PAUSED');

      session.resize(80, 24);
      screen = await session.waitFor(/q quit/);
      const lines = screen.split('\n');
      for (const pane of PANES) expect(screen).toContain(pane);
      expect(lines.every((line) => Array.from(line).length <= 80)).toBe(true);
      expect(screen).toMatch(/127\.0\.0\.1:\d+ │ connected/);
      expect(screen).not.toMatch(/Setulc|Error/);

      session.sendKeys('q');
      screen = await session.waitFor(/pix exited 0\s+shell\$/, DEFAULT_TIMEOUT_MS);
      expect(screen).not.toContain('events, newest first');
      // Nothing went to stderr: no Setulc complaint from blessed about xterm-256color.
      expect(readFileSync(stderrFile, 'utf8')).toBe('');
    } finally {
      session.kill();
    }
  });

  it('filters by product and type, clears, and shows a malformed message in the status bar', async () => {
    const stderrFile = join(testFolder('tui'), 'stderr');
    const session = startTui('xterm', `pix-tui-keys-${process.pid}`, stderrFile);
    try {
      await session.waitFor(/connected/, 20_000);
      expect((await runPix(['publish', 'price', '--id', 'KEY-1', '--price', '7', ...kafka()])).code).toBe(0);
      expect((await runPix(['publish', 'discount', '--id', 'KEY-2', '--discount', '5', ...kafka()])).code).toBe(0);
      await session.waitFor(/KEY-2/, DEFAULT_TIMEOUT_MS);
      expect((await kcat(['-P', '-t', topics.topics.of('price')], '{"broken": true\n')).code).toBe(0);
      await session.waitFor(/malformed 1/, DEFAULT_TIMEOUT_MS);

      session.sendKeys('/');
      // Typed only once the prompt is up (it covers the keys line): keys sent before it are lost.
      await session.waitFor(/^(?![\s\S]*q quit)/);
      session.sendKeys('KEY-1', 'Enter');
      let screen = await session.waitFor(/product~KEY-1/);
      expect(screen).toMatch(/KEY-1 +7\.00 USD/);
      expect(screen).not.toContain('KEY-2');
      // Escape in the prompt leaves the filter as it was.
      session.sendKeys('/');
      await session.waitFor(/^(?![\s\S]*q quit)/);
      session.sendKeys('Escape');
      screen = await session.waitFor(/product~KEY-1 │ .*q quit/);
      session.sendKeys('t');
      await session.waitFor(/type=price/);
      session.sendKeys('?');
      await session.waitFor(/pix tui keys/);
      // Apart: Escape followed at once by c reads as Alt-c.
      session.sendKeys('Escape');
      await session.waitFor(/^(?![\s\S]*pix tui keys)/);
      session.sendKeys('c');
      screen = await session.waitFor(/malformed 0/);
      expect(screen).not.toMatch(/KEY-1 +7\.00/);
      expect(screen).toMatch(/price +0 /);

      session.sendKeys('C-c');
      await session.waitFor(/pix exited 0/, DEFAULT_TIMEOUT_MS);
      expect(readFileSync(stderrFile, 'utf8')).toBe('');
    } finally {
      session.kill();
    }
  });

  it("lets no terminal sequence of the corpus act: title, bell and screen stay pix's", async () => {
    // Topics of its own: the malformed count is this test's alone.
    const own = await freshTopics();
    const ownKafka = [...brokerArg(), '--topic-prefix', own.prefix];
    const stderrFile = join(testFolder('tui'), 'stderr');
    const session = tuiInTmux('xterm-256color', `pix-tui-seq-${process.pid}`, ownKafka.join(' '), stderrFile);
    try {
      await session.waitFor(/connected/, 20_000);
      const before = session.state();
      const topic = own.topics.of('country');
      const sequences = badInputs.terminalSequences();
      // Each as a product id, a country, the key and a header of a valid event, and an origin.
      const messages = sequences.flatMap(({ text }, index) => [
        `k@@${JSON.stringify({ product_id: text, country: 'SE' })}`,
        `k@@${JSON.stringify({ product_id: `seq-${index}`, country: text })}`,
        `${text}@@${JSON.stringify({ product_id: `SEQ-OK-${index}`, country: 'SE' })}`,
      ]);
      const produced = await kcat(
        ['-P', '-t', topic, '-K', '@@', '-D', '##', '-H', 'x-note=\u001b]0;PWNED\u0007'],
        `${messages.join('##')}##`,
      );
      expect(produced.code).toBe(0);
      expect((await runPix(['publish', 'country', '--id', 'AFTER-SEQ', '--country', 'SE', ...ownKafka])).code).toBe(0);
      await session.waitFor(/AFTER-SEQ/, DEFAULT_TIMEOUT_MS);
      const settled = await session.waitFor(new RegExp(`malformed ${sequences.length * 2}\\b`), DEFAULT_TIMEOUT_MS);
      for (const pane of PANES) expect(settled).toContain(pane);
      expect(settled).toMatch(/SEQ-OK-\d+ /);
      expect(session.state()).toEqual(before);
      // What reaches the terminal is text and colour (SGR) only: no other sequence is left.
      // eslint-disable-next-line no-control-regex -- removing the one sequence that may stay
      const coloured = session.capture({ colours: true }).replace(/\u001b\[[0-9;]*m/g, '');
      expect(coloured).not.toContain('\u001b');
      session.sendKeys('q');
      await session.waitFor(/pix exited 0/, DEFAULT_TIMEOUT_MS);
      expect(readFileSync(stderrFile, 'utf8')).toBe('');
    } finally {
      session.kill();
      await own.cleanup();
    }
  });

  it('refuses to run without a terminal, pointing to pix consume', async () => {
    const result = await runPix(['tui', ...brokerArg()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pix tui needs a terminal');
    expect(result.stderr).toContain('pix consume');
  });
});

describe('pix tui as a person sees it on a 256-colour terminal', () => {
  let topics: FreshTopics;
  const kafka = (): string[] => [...brokerArg(), '--topic-prefix', topics.prefix];
  const LONG_ID = 'SKU-2026-WINTER-COAT';

  beforeAll(async () => {
    topics = await freshTopics();
    // A backlog: 300 prices already on the topic before the TUI starts.
    const backlog = Array.from({ length: 300 }, (_, index) =>
      JSON.stringify({ type: 'price', productId: index === 299 ? LONG_ID : `BACK-${index % 10}`, price: index }),
    );
    const published = await runPix(['publish', '--file', '-', ...kafka()], { input: `${backlog.join('\n')}\n` });
    if (published.code !== 0) throw new Error(`the backlog was not published: ${published.stderr}`);
  });
  afterAll(async () => topics.cleanup());

  it('draws gray as gray, keeps the legend off the data, uses the width, types each key once, and rates only live events', async () => {
    const stderrFile = join(testFolder('tui-look'), 'stderr');
    const session = tuiInTmux(
      'tmux-256color',
      `pix-tui-look-${process.pid}`,
      `${kafka().join(' ')} --from-beginning`,
      stderrFile,
    );
    try {
      // The backlog is counted, and read as fast as the broker hands it out: no part of the rate.
      let screen = await session.waitFor(/price +300 /, DEFAULT_TIMEOUT_MS);
      expect(screen).toMatch(/price +300 0\.0\/s/);
      expect(screen).toMatch(/│ connected │ 0\.0\/s │/);

      // Borders, the origin column and the key help in gray (SGR 90), never in black (SGR 30).
      // ESC shown as <ESC>, so the patterns below are plain text.
      const coloured = session.capture({ colours: true }).replaceAll('\u001b', '<ESC>');
      expect(coloured).toContain('<ESC>[90m┌');
      expect(coloured).toContain('<ESC>[90mlocal');
      expect(coloured).toContain('<ESC>[90mq quit');
      expect(coloured).not.toMatch(/<ESC>\[(\d+;)*30m/);

      // The legend is the chart's title, in the lines' colours: nothing is drawn over the data.
      const lines = screen.split('\n');
      const chartLeft = (lines[0] ?? '').indexOf('┐┌') + 1;
      expect((lines[0] ?? '').slice(chartLeft)).toContain('events/s price discount country');
      const chartRows = lines.slice(1, 13).map((line) => line.slice(chartLeft));
      expect(chartRows.join('\n')).not.toMatch(/price|discount|country|┌|└/);
      expect(coloured).toContain('<ESC>[36mprice<ESC>[39m <ESC>[33mdiscount');

      // The products panel is wide enough for the whole id.
      expect(screen).toMatch(new RegExp(`│${LONG_ID} +299\\.00 USD`));

      // The prompt takes each key once, every time it opens.
      for (const [key, filter] of [
        ['B', 'B'],
        ['A', 'BA'],
        ['C', 'BAC'],
      ] as const) {
        session.sendKeys('/');
        await session.waitFor(/^(?![\s\S]*q quit)/);
        session.sendKeys(key, 'Enter');
        screen = await session.waitFor(/product~\w+ │/);
        expect(screen).toContain(`product~${filter} │`);
      }

      // One event published now is the whole live rate.
      expect((await runPix(['publish', 'price', '--id', 'LIVE-1', '--price', '1', ...kafka()])).code).toBe(0);
      screen = await session.waitFor(/price +301 0\.1\/s/, DEFAULT_TIMEOUT_MS);
      session.sendKeys('q');
      await session.waitFor(/pix exited 0/, DEFAULT_TIMEOUT_MS);
      expect(readFileSync(stderrFile, 'utf8')).toBe('');
    } finally {
      session.kill();
    }
  });
});
