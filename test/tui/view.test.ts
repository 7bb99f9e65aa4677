import { describe, expect, it } from 'vitest';

import type { PixEvent } from '../../src/events/schema.js';
import { LiveModel } from '../../src/live-model/model.js';
import {
  chartLines,
  counterLines,
  cycle,
  eventLines,
  productHeader,
  productRows,
  safe,
  statusLines,
  type StatusInput,
} from '../../src/tui/view.js';
import { makeEvent } from '../helpers/events.js';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');
let offset = 0;

const event = (type: PixEvent['type'], productId: string, origin = 'cloud'): PixEvent =>
  makeEvent(type, productId, {
    origin,
    occurredAt: new Date(T0).toISOString(),
    price: 9.5,
    currency: 'EUR',
    discount: 15,
    country: 'DE',
  });

function model(events: PixEvent[]): LiveModel {
  const live = new LiveModel({ clock: () => T0 + 2_000 });
  for (const item of events) live.record({ topic: 't', partition: 0, offset: String(offset++) }, item);
  return live;
}

/** What blessed shows of a tagged line. */
const shown = (line: string): string => line.replace(/\{\/?[a-z-]+\}/g, '');

describe('the TUI view', () => {
  it('lists events newest first, coloured by type, within the limit and the filters', () => {
    const live = model([event('price', 'A'), event('discount', 'B', 'on-prem'), event('country', 'C')]);
    const lines = eventLines(live.recent(), {}, 2);
    expect(lines.map(shown)).toEqual([
      '10:00:00 country  C         DE         cloud',
      '10:00:00 discount B         15%        on-prem',
    ]);
    expect(lines[0]).toContain('{green-fg}country');
    expect(eventLines(live.recent(), { type: 'price' }, 10).map(shown)).toEqual([
      '10:00:00 price    A         9.50 EUR   cloud',
    ]);
    expect(eventLines(live.recent(), { origin: 'on-prem' }, 10)).toHaveLength(1);
    expect(eventLines(live.recent(), { productId: 'C' }, 10)).toHaveLength(1);
  });

  it('shows product ids as text: tags and control characters are neutralised', () => {
    expect(safe('{red-fg}x{/red-fg}')).toBe('{open}red-fg{close}x{open}/red-fg{close}');
    expect(safe('a\u001b[2Jb')).toBe('a\\u001b[2Jb');
    const [line] = eventLines(model([event('price', '{bold}')]).recent(), {}, 1);
    expect(line).toContain('{open}bold{close}');
  });

  it('gives one row per product, most recently changed first, with every field it knows', () => {
    const live = model([event('price', 'A'), event('discount', 'A'), event('country', 'B')]);
    const rows = productRows(live.products(), {}, 10, T0 + 65_000);
    expect(rows).toEqual([
      'B                                DE    cloud     1m',
      'A           9.50 EUR      15%          cloud     1m',
    ]);
    expect(productRows(live.products(), {}, 1, T0)).toHaveLength(1);
  });

  it('gives product ids the room a wider panel has, the header aligned with the rows', () => {
    const id = 'SKU-2026-WINTER-COAT';
    const live = model([event('price', id)]);
    const header = productHeader(68);
    const [row = ''] = productRows(live.products(), {}, 10, T0 + 1_000, 68);
    expect(row.startsWith(`${id} `)).toBe(true);
    expect(row.indexOf('9.50 EUR')).toBe(header.indexOf('price'));
    expect(row.indexOf('cloud')).toBe(header.indexOf('origin'));
    expect(row.length).toBeLessThanOrEqual(68);
    expect(shown(eventLines(live.recent(), {}, 1, 72)[0] ?? '')).toContain(` ${id} `);
    // The narrowest panel still clips with an ellipsis.
    expect(productRows(live.products(), {}, 10, T0, 0)[0]).toMatch(/^SKU-2026-W… /);
  });

  it('counts per type and origin with rates', () => {
    const lines = counterLines(model([event('price', 'A'), event('price', 'B', 'on-prem')]).counters(), 5).map(shown);
    expect(lines).toEqual([
      'price         2 0.0/s',
      'discount      0 0.0/s',
      'country       0 0.0/s',
      'total         2 0.0/s',
      'cloud         1 0.0/s',
      'on-prem       1 0.0/s',
    ]);
  });

  it('turns the per-second series into one chart line per type, labelled in seconds ago', () => {
    const live = new LiveModel({ clock: () => T0 + 3_000, seriesSeconds: 10 });
    const lines = chartLines(live.series(), 3);
    expect(lines.map((line) => line.title)).toEqual(['price', 'discount', 'country']);
    expect(lines[0]).toMatchObject({ x: ['-3s', '-2s', '-1s'], y: [0, 0, 0], style: { line: 'cyan' } });
  });

  it('puts brokers, connection, rate, malformed and delay in the status bar, pause and filters below', () => {
    const live = model([event('price', 'A')]);
    live.recordMalformed({ topic: 't', partition: 0, offset: '9', issues: [] });
    const input: StatusInput = {
      brokers: ['127.0.0.1:9092'],
      connection: { state: 'unreachable', since: T0 },
      counters: live.counters(),
      delay: live.delay(),
      sites: [],
      paused: true,
      arrivedWhilePaused: 3,
      filters: { type: 'price', productId: '12' },
    };
    const [first, second] = statusLines(input).map(shown);
    expect(first).toBe('127.0.0.1:9092 │ broker unreachable │ 0.0/s │ malformed 1 │ delay p50 2.0s p99 2.0s');
    expect(second).toMatch(/^ PAUSED, 3 new {2}│ type=price │ product~12 │ q quit/);
    expect(statusLines({ ...input, paused: false, filters: {} })[1]).toBe(
      '{gray-fg}q quit  p pause  / product  t type  o origin  c clear  ? keys{/gray-fg}',
    );
    const missing = { ...input, connection: { state: 'topics-missing' as const, since: T0 } };
    expect(shown(statusLines(missing)[0])).toMatch(/^127\.0\.0\.1:9092 │ topics missing: run pix topics create │/);
  });

  it('puts the replication delay of each other site in the status bar, its name escaped', () => {
    const live = new LiveModel({ clock: () => T0 + 2_000 });
    const copied = { topic: 'on-prem.product-price-update', partition: 0, offset: '0' };
    live.record(copied, event('price', 'A', 'on-prem'), {
      backfill: false,
      mirrored: { sourceSite: 'on-prem', timestamp: T0 + 1_750 },
    });
    live.record({ ...copied, topic: 'x{bold}.product-price-update' }, event('price', 'B'), {
      backfill: false,
      mirrored: { sourceSite: 'x{bold}', timestamp: T0 },
    });
    const statusOfNow = (): string | undefined =>
      statusLines({
        brokers: ['127.0.0.1:9192'],
        connection: { state: 'connected', since: T0 },
        counters: live.counters(),
        delay: live.delay(),
        sites: live.sites(),
        paused: false,
        arrivedWhilePaused: 0,
        filters: {},
      })[0];
    const first = statusOfNow();
    expect(first).toMatch(/│ from on-prem p50 250ms p99 250ms │ from x\{open\}bold\{close\} p50 2\.0s p99 2\.0s$/);
    live.recordHeartbeat('on-prem', T0 + 1_900);
    live.recordHeartbeat('x{bold}', T0 - 10_000);
    const withHeartbeats = statusOfNow();
    expect(withHeartbeats).toContain('from on-prem p50 250ms p99 250ms {green-fg}alive{/green-fg}');
    expect(withHeartbeats).toContain('p99 2.0s {red-fg}mirror silent{/red-fg}');
  });

  it('cycles a filter through its options and back to all', () => {
    expect(cycle(['a', 'b'], undefined)).toBe('a');
    expect(cycle(['a', 'b'], 'a')).toBe('b');
    expect(cycle(['a', 'b'], 'b')).toBeUndefined();
    expect(cycle(['a', 'b'], 'gone')).toBeUndefined();
  });
});
