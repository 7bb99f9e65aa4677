import { describeChange } from '../events/format.js';
import { printable } from '../printable.js';
import { EVENT_TYPES, type EventType } from '../events/schema.js';
import type {
  Connection,
  Counters,
  DelayStats,
  LiveEvent,
  ProductState,
  Series,
  SiteStats,
} from '../live-model/model.js';
import { matchesFilter, matchesProduct, type LiveFilter } from '../live-model/filter.js';
import { productColumns } from '../live-model/product-columns.js';

/** blessed's colour of each type, the same hues as the browser dashboard's. */
const TYPE_COLORS: Record<EventType, string> = { price: 'cyan', discount: 'yellow', country: 'green' };

const KEYS_HELP = 'q quit  p pause  / product  t type  o origin  c clear  ? keys';

/**
 * Text from events goes into blessed content with tags on: braces would be read as tags and
 * control characters would move the cursor, so both are neutralised.
 */
export function safe(text: string): string {
  return printable(text).replace(/[{}]/g, (brace) => (brace === '{' ? '{open}' : '{close}'));
}

/** Columns of a panel that grow with it: the product id first, then the origin. */
interface Widths {
  product: number;
  origin: number;
}

/**
 * How wide the product and origin columns are in a panel `width` characters wide, after the
 * columns of fixed width: product ids are what people look for, so they get most of the room.
 */
function widths(width: number, fixed: number, least: Widths): Widths {
  const free = Math.max(0, width - fixed);
  const product = Math.max(least.product, Math.min(40, Math.floor(free * 0.6)));
  return { product, origin: Math.max(least.origin, Math.min(24, free - product)) };
}

// time (9), type (9) and change (11) in the event log; price (14), discount (7), country (6) and
// age (4) among the products.
const EVENT_FIXED = 29;
const PRODUCT_FIXED = 31;

/** One line per event, newest first: time, type in its colour, product, change, origin. */
export function eventLines(events: readonly LiveEvent[], filters: LiveFilter, limit: number, width = 0): string[] {
  const column = widths(width, EVENT_FIXED, { product: 10, origin: 0 });
  const lines: string[] = [];
  for (const { event } of events) {
    if (lines.length >= limit) break;
    if (!matchesFilter(filters, event)) continue;
    const color = TYPE_COLORS[event.type];
    lines.push(
      `${event.occurredAt.slice(11, 19)} {${color}-fg}${event.type.padEnd(8)}{/${color}-fg} ${cell(
        event.productId,
        column.product,
      )}${cell(describeChange(event), 11)}{gray-fg}${safe(event.origin)}{/gray-fg}`,
    );
  }
  return lines;
}

/** The products panel's header, its columns as wide as productRows makes them. */
export function productHeader(width: number): string {
  const column = widths(width, PRODUCT_FIXED, PRODUCT_LEAST);
  return `${'product'.padEnd(column.product)}${'price'.padEnd(14)}${'disc.'.padEnd(7)}${'ctry'.padEnd(6)}${'origin'.padEnd(column.origin)}age`;
}

const PRODUCT_LEAST: Widths = { product: 12, origin: 10 };

/** The latest state per product, most recently changed first, as aligned columns `width` wide. */
export function productRows(
  products: readonly ProductState[],
  filters: LiveFilter,
  limit: number,
  now: number,
  width = 0,
): string[] {
  const column = widths(width, PRODUCT_FIXED, PRODUCT_LEAST);
  const rows: string[] = [];
  for (const product of products) {
    if (rows.length >= limit) break;
    if (!matchesProduct(filters, product)) continue;
    const { price, discount, country } = productColumns(product);
    rows.push(
      `${cell(product.productId, column.product)}${cell(price, 14)}${cell(discount, 7)}${cell(country, 6)}${cell(
        product.origin,
        column.origin,
      )}${age(now - Date.parse(product.updatedAt))}`,
    );
  }
  return rows;
}

/** Counts and rates per type and per origin, one per line. */
export function counterLines(counters: Counters, maxOrigins: number): string[] {
  const lines = EVENT_TYPES.map((type) => {
    const color = TYPE_COLORS[type];
    return `{${color}-fg}${type.padEnd(8)}{/${color}-fg}${String(counters.byType[type]).padStart(7)} ${rate(
      counters.rate.byType[type],
    )}`;
  });
  lines.push(`${'total'.padEnd(8)}${String(counters.total).padStart(7)} ${rate(counters.rate.total)}`);
  const origins = Object.entries(counters.byOrigin).sort((a, b) => b[1] - a[1]);
  for (const [origin, count] of origins.slice(0, maxOrigins)) {
    lines.push(
      `{gray-fg}${cell(origin, 8)}{/gray-fg}${String(count).padStart(7)} ${rate(counters.rate.byOrigin[origin] ?? 0)}`,
    );
  }
  return lines;
}

interface ChartLine {
  title: string;
  x: string[];
  y: number[];
  style: { line: string };
}

/** The per-type events/s series for blessed-contrib's line chart, labelled in seconds ago. */
export function chartLines(series: Series, seconds: number): ChartLine[] {
  return EVENT_TYPES.map((type) => {
    const values = series.byType[type].slice(-seconds);
    return {
      title: type,
      x: values.map((_, index) => `-${values.length - index}s`),
      y: values,
      style: { line: TYPE_COLORS[type] },
    };
  });
}

export interface StatusInput {
  brokers: readonly string[];
  connection: Connection;
  counters: Counters;
  delay: DelayStats;
  /** Other sites whose events MirrorMaker 2 copied here. */
  sites: readonly SiteStats[];
  paused: boolean;
  /** Events that arrived since the pause. */
  arrivedWhilePaused: number;
  filters: LiveFilter;
}

const CONNECTION_TEXT: Record<Connection['state'], string> = {
  connecting: '{yellow-fg}connecting{/yellow-fg}',
  connected: '{green-fg}connected{/green-fg}',
  reconnecting: '{yellow-fg}reconnecting{/yellow-fg}',
  unreachable: '{red-fg}broker unreachable{/red-fg}',
  'topics-missing': '{red-fg}topics missing: run pix topics create{/red-fg}',
};

/**
 * The status bar's two lines: where, whether connected, how fast, how many malformed, how late;
 * then what is paused or filtered, and the keys.
 */
export function statusLines(input: StatusInput): [string, string] {
  const { counters, delay, filters } = input;
  const malformed = `malformed ${counters.malformed}`;
  const first = [
    safe(input.brokers.join(',')),
    CONNECTION_TEXT[input.connection.state],
    rate(counters.rate.total),
    counters.malformed > 0 ? `{red-fg}${malformed}{/red-fg}` : malformed,
    delay.samples > 0 ? `delay p50 ${millis(delay.p50Ms)} p99 ${millis(delay.p99Ms)}` : 'delay -',
    // Site names come from topic names: escaped like every other text from the cluster.
    ...input.sites.map(({ site, delay: replication, lastHeartbeatAt, mirrorAlive }) => {
      const delay = replication.samples > 0 ? `p50 ${millis(replication.p50Ms)} p99 ${millis(replication.p99Ms)}` : '-';
      const mirror =
        lastHeartbeatAt === undefined
          ? ''
          : mirrorAlive
            ? ' {green-fg}alive{/green-fg}'
            : ' {red-fg}mirror silent{/red-fg}';
      return `from ${safe(site)} ${delay}${mirror}`;
    }),
  ];
  const second = [
    input.paused && `{black-fg}{yellow-bg} PAUSED, ${input.arrivedWhilePaused} new {/yellow-bg}{/black-fg}`,
    filters.type && `{cyan-fg}type=${filters.type}{/cyan-fg}`,
    filters.productId !== undefined && `{cyan-fg}product~${safe(filters.productId)}{/cyan-fg}`,
    filters.origin && `{cyan-fg}origin=${safe(filters.origin)}{/cyan-fg}`,
    `{gray-fg}${KEYS_HELP}{/gray-fg}`,
  ].filter((part): part is string => typeof part === 'string');
  return [first.join(' │ '), second.join(' │ ')];
}

/** The next value of a cycling filter: undefined (all), then each option in turn, then all again. */
export function cycle<T>(options: readonly T[], current: T | undefined): T | undefined {
  if (current === undefined) return options[0];
  const index = options.indexOf(current);
  return index < 0 || index === options.length - 1 ? undefined : options[index + 1];
}

function rate(perSecond: number): string {
  return `${perSecond >= 100 ? Math.round(perSecond) : perSecond.toFixed(1)}/s`;
}

function millis(ms: number): string {
  return Math.abs(ms) < 1000 ? `${Math.round(ms)}ms` : `${(ms / 1000).toFixed(1)}s`;
}

function age(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  return `${Math.floor(seconds / 3600)}h`;
}

/** A column of `width` characters: clipped with an ellipsis (one space kept), padded, made safe. */
function cell(text: string, width: number): string {
  const shown = printable(text);
  const clipped = shown.length < width ? shown : `${shown.slice(0, width - 2)}…`;
  return safe(clipped.padEnd(width));
}
