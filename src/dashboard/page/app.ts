// The dashboard page, bundled for the browser at build time (dist/dashboard/assets/app.js). It
// shows what the server's frames carry: the server's live model sends product states as they
// change, and this page keeps no model of its own. The filter and the formatters are the TUI's.
// Every value that comes from an event is put in the page as text (textContent), never as HTML:
// product ids and origins are written by whoever writes to Kafka.
import type uPlotType from 'uplot';

import { describeChange } from '../../events/format.js';
import { EVENT_TYPES, type EventType } from '../../events/event-types.js';
import { matchesFilter, matchesProduct, type LiveFilter } from '../../live-model/filter.js';
import { productColumns } from '../../live-model/product-columns.js';
import type { Connection, DelayStats, ProductState, SiteStats } from '../../live-model/model.js';
import type { Frame, SnapshotFrame, UpdateFrame, WireEvent } from '../frames.js';

/** uPlot is loaded by its own script tag, before this one; absent if that failed. */
declare const uPlot: typeof uPlotType | undefined;

const COLORS: Record<EventType, string> = { price: '#4fb0ff', discount: '#f5b342', country: '#6fd08c' };
const KEPT_EVENTS = 500;
const SHOWN_EVENTS = 200;
const KEPT_PRODUCTS = 5000;
const SHOWN_PRODUCTS = 100;
const SERIES_SECONDS = 300;

const $ = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
};

type ChartSeries = { x: number[] } & Record<EventType, number[]>;

const state = {
  events: [] as WireEvent[],
  /** Oldest change first, so that the newest ends last in the map's order. */
  products: new Map<string, ProductState>(),
  seq: 0,
  counters: undefined as Frame['counters'] | undefined,
  delay: undefined as DelayStats | undefined,
  sites: [] as SiteStats[],
  broker: undefined as Connection | undefined,
  malformed: { total: 0 } as Frame['malformed'],
  productCount: 0,
  series: { x: [], price: [], discount: [], country: [] } as ChartSeries,
  clockSkew: 0,
  socket: 'connecting' as 'connecting' | 'open' | 'closed',
  retryAt: 0,
  paused: false,
  pausedAtSeq: 0,
};
let filter: LiveFilter = {};

// ---- formatting -------------------------------------------------------------------------------
const number = new Intl.NumberFormat('en-US');
const age = (ms: number): string => {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`;
};
const millis = (ms: number): string => (Math.abs(ms) < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);
const delayText = (delay: DelayStats | undefined): string => {
  if (!delay || delay.samples === 0) return '–';
  const { p50Ms, p99Ms } = delay;
  return Math.abs(p99Ms) < 1000
    ? `${Math.round(p50Ms)} / ${Math.round(p99Ms)} ms`
    : `${millis(p50Ms)} / ${millis(p99Ms)}`;
};
const serverNow = (): number => Date.now() + state.clockSkew;

const cell = (text: string, className?: string): HTMLTableCellElement => {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.textContent = text;
  return td;
};
const badge = (type: string): HTMLTableCellElement => {
  const td = document.createElement('td');
  const span = document.createElement('span');
  span.className = `badge ${(EVENT_TYPES as readonly string[]).includes(type) ? type : ''}`;
  span.textContent = type;
  td.append(span);
  return td;
};

// ---- the live socket --------------------------------------------------------------------------
let attempts = 0;
function connect(): void {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${scheme}//${location.host}/live`);
  state.socket = 'connecting';
  socket.addEventListener('open', () => {
    attempts = 0;
    state.socket = 'open';
    schedule();
  });
  socket.addEventListener('message', (message: MessageEvent<string>) => {
    try {
      apply(JSON.parse(message.data) as Frame);
    } catch (error) {
      console.error('pix: bad frame', error);
    }
  });
  socket.addEventListener('close', () => {
    attempts += 1;
    const wait = Math.min(10_000, 500 * 2 ** (attempts - 1)) * (0.5 + Math.random() / 2);
    state.socket = 'closed';
    state.retryAt = Date.now() + wait;
    schedule();
    setTimeout(connect, wait);
  });
}

function apply(frame: Frame): void {
  state.clockSkew = frame.serverTime - Date.now();
  state.counters = frame.counters;
  state.delay = frame.delay;
  state.broker = frame.connection;
  state.malformed = frame.malformed;
  state.productCount = frame.productCount;
  state.sites = frame.sites;
  if (frame.kind === 'snapshot' || frame.reset) {
    state.events = [];
    state.products.clear();
    state.seq = 0;
    if (state.paused) state.pausedAtSeq = 0;
  }
  if (frame.kind === 'snapshot') takeSeries(frame.series);
  const fresh = frame.events.filter((event) => event.seq > state.seq);
  if (fresh.length > 0) state.events = fresh.concat(state.events).slice(0, KEPT_EVENTS);
  state.seq = Math.max(state.seq, frame.seq);
  // Frames list products most recently changed first: set the oldest first.
  for (const product of frame.products.slice().reverse()) {
    state.products.delete(product.productId);
    state.products.set(product.productId, product);
  }
  for (const oldest of state.products.keys()) {
    if (state.products.size <= KEPT_PRODUCTS) break;
    state.products.delete(oldest);
  }
  if (frame.kind === 'update' && frame.second) addSecond(frame.second);
  schedule();
}

function takeSeries({ endSecond, byType }: SnapshotFrame['series']): void {
  const length = byType.price.length;
  state.series.x = Array.from({ length }, (_, i) => endSecond - length + 1 + i);
  for (const type of EVENT_TYPES) state.series[type] = byType[type].slice();
}

function addSecond({ at, byType }: NonNullable<UpdateFrame['second']>): void {
  const { series } = state;
  const last = series.x[series.x.length - 1];
  if (last !== undefined && at <= last) return;
  // A gap (the socket was away) shows as seconds with nothing, not as a jump.
  for (let second = last === undefined ? at : last + 1; second <= at; second += 1) {
    series.x.push(second);
    for (const type of EVENT_TYPES) series[type].push(second === at ? byType[type] : 0);
  }
  const extra = series.x.length - SERIES_SECONDS;
  if (extra > 0) for (const key of ['x', ...EVENT_TYPES] as const) series[key].splice(0, extra);
}

// ---- drawing ----------------------------------------------------------------------------------
let drawPending = false;
function schedule(): void {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    draw();
  });
}

function draw(): void {
  drawConnection();
  drawFigures();
  drawChart();
  if (state.paused) {
    const waiting = state.seq - state.pausedAtSeq;
    $('paused-info').textContent = `paused · ${number.format(waiting)} new event${waiting === 1 ? '' : 's'} since`;
    return;
  }
  drawEvents();
  drawProducts();
}

const BROKER_TEXT: Record<Connection['state'], string> = {
  connecting: 'connecting to Kafka…',
  connected: 'live',
  reconnecting: 'reconnecting to Kafka…',
  unreachable: 'Kafka unreachable',
  'topics-missing': 'topics missing (pix topics create makes them)',
};

function drawConnection(): void {
  let text: string;
  let shown: string;
  if (state.socket !== 'open') {
    shown = 'offline';
    const wait = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
    text = state.socket === 'connecting' ? 'connecting to pix…' : `pix is unreachable, retrying in ${wait}s`;
  } else if (!state.broker) {
    shown = 'connecting';
    text = 'connecting…';
  } else {
    shown = state.broker.state;
    text = BROKER_TEXT[state.broker.state];
    if (state.broker.detail && state.broker.state !== 'connected') text += `: ${state.broker.detail}`;
  }
  $('connection').dataset.state = shown;
  $('connection-text').textContent = text;
}

function drawFigures(): void {
  const counters = state.counters;
  if (!counters) return;
  $('count-total').textContent = number.format(counters.total);
  for (const type of EVENT_TYPES) $(`count-${type}`).textContent = number.format(counters.byType[type]);
  $('rate-total').textContent = number.format(Math.round(counters.rate.total * 10) / 10);
  $('count-malformed').textContent = number.format(state.malformed.total);
  $('count-products').textContent = number.format(state.productCount);
  $('delay').textContent = delayText(state.delay);
  const origins = Object.entries(counters.byOrigin).sort((a, b) => b[1] - a[1]);
  $('origins').textContent = origins.length
    ? 'by origin: ' +
      origins
        .map(([name, count]) => `${name} ${number.format(count)} (${(counters.rate.byOrigin[name] ?? 0).toFixed(1)}/s)`)
        .join(' · ')
    : '';
  syncOriginOptions(origins.map(([name]) => name));
  drawSites();
  const latest = state.malformed.latest;
  $('malformed-latest').textContent = latest
    ? `latest malformed message: ${latest.topic}[${latest.partition}]@${latest.offset}: ` +
      latest.issues.map((issue) => `${issue.field}: ${issue.rule}`).join('; ')
    : '';
}

/** One row per other site: names come from topic names, so text only, never markup. */
function drawSites(): void {
  const sites = state.sites;
  $('sites').hidden = sites.length === 0;
  const now = serverNow();
  $('site-rows').replaceChildren(
    ...sites.map((site) => {
      const row = document.createElement('tr');
      row.dataset.site = site.site;
      row.dataset.alive = String(site.mirrorAlive);
      const heartbeat =
        site.lastHeartbeatAt === undefined
          ? '–'
          : `${site.mirrorAlive ? 'alive' : 'silent'}, heartbeat ${age(now - site.lastHeartbeatAt)} ago`;
      row.append(
        ...[
          site.site,
          number.format(site.total),
          site.rate.toFixed(1),
          delayText(site.delay),
          site.lastEventAt ? `${age(now - site.lastEventAt)} ago` : '–',
          heartbeat,
        ].map((text) => cell(text)),
      );
      return row;
    }),
  );
}

function syncOriginOptions(origins: string[]): void {
  const select = $('filter-origin') as HTMLSelectElement;
  const known = new Set([...select.options].map((option) => option.value));
  for (const origin of origins.slice(0, 50)) {
    if (known.has(origin)) continue;
    const option = document.createElement('option');
    option.value = origin;
    option.textContent = origin;
    select.append(option);
  }
}

function drawEvents(): void {
  const now = serverNow();
  const rows: HTMLTableRowElement[] = [];
  for (const live of state.events) {
    if (rows.length >= SHOWN_EVENTS) break;
    const { event } = live;
    if (!matchesFilter(filter, event)) continue;
    const row = document.createElement('tr');
    row.dataset.type = event.type;
    row.append(
      cell(age(now - live.receivedAt), 'age'),
      badge(event.type),
      cell(event.productId, 'product'),
      cell(describeChange(event), 'change'),
      cell(event.origin, 'origin'),
    );
    rows.push(row);
  }
  document.querySelector('#events tbody')?.replaceChildren(...rows);
}

function drawProducts(): void {
  const now = serverNow();
  const rows: HTMLTableRowElement[] = [];
  const all = [...state.products.values()];
  for (let i = all.length - 1; i >= 0 && rows.length < SHOWN_PRODUCTS; i -= 1) {
    const product = all[i] as ProductState;
    if (!matchesProduct(filter, product)) continue;
    const { price, discount, country } = productColumns(product);
    const row = document.createElement('tr');
    row.append(
      cell(product.productId, 'product'),
      cell(price),
      cell(discount),
      cell(country),
      cell(product.origin),
      cell(`${age(now - Date.parse(product.updatedAt))} ago`),
    );
    rows.push(row);
  }
  document.querySelector('#products tbody')?.replaceChildren(...rows);
}

// ---- the chart --------------------------------------------------------------------------------
let chart: uPlotType | undefined;
function drawChart(): void {
  if (typeof uPlot === 'undefined') return;
  const data: uPlotType.AlignedData = [state.series.x, ...EVENT_TYPES.map((type) => state.series[type])];
  if (chart) {
    chart.setData(data);
    return;
  }
  const shownChart = new uPlot(
    {
      width: $('chart').clientWidth || 800,
      height: 180,
      scales: { x: { time: true } },
      axes: [
        { stroke: '#8a99a8', grid: { stroke: '#24303b' } },
        { stroke: '#8a99a8', grid: { stroke: '#24303b' } },
      ],
      series: [
        {},
        ...EVENT_TYPES.map((type) => ({ label: type, stroke: COLORS[type], width: 1.5, points: { show: false } })),
      ],
    },
    data,
    $('chart'),
  );
  chart = shownChart;
  window.addEventListener('resize', () => shownChart.setSize({ width: $('chart').clientWidth, height: 180 }));
}

// ---- controls ---------------------------------------------------------------------------------
/** The filter with `key` set to the control's value, or without it when the control is empty. */
function withFilter<K extends keyof LiveFilter>(key: K, value: LiveFilter[K] | ''): LiveFilter {
  const { [key]: _previous, ...rest } = filter;
  return value === '' || value === undefined ? rest : { ...rest, [key]: value };
}

$('filter-type').addEventListener('change', (e) => {
  const type = (e.target as HTMLSelectElement).value as EventType | '';
  filter = withFilter('type', type);
  if (chart) {
    const shownChart = chart;
    EVENT_TYPES.forEach((each, i) => shownChart.setSeries(i + 1, { show: type === '' || type === each }));
  }
  draw();
});
$('filter-product').addEventListener('input', (e) => {
  filter = withFilter('productId', (e.target as HTMLInputElement).value.trim());
  draw();
});
($('filter-origin') as HTMLSelectElement).addEventListener('change', (e) => {
  filter = withFilter('origin', (e.target as HTMLSelectElement).value);
  draw();
});
$('filters').addEventListener('submit', (e) => e.preventDefault());
$('pause').addEventListener('click', () => {
  state.paused = !state.paused;
  state.pausedAtSeq = state.seq;
  const button = $('pause');
  button.textContent = state.paused ? 'Resume' : 'Pause';
  button.setAttribute('aria-pressed', String(state.paused));
  $('paused-info').hidden = !state.paused;
  draw();
});

// Ages and the retry countdown move even when nothing arrives.
setInterval(schedule, 1000);
connect();
