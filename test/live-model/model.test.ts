import { describe, expect, it } from 'vitest';

import type { PixEvent } from '../../src/events/schema.js';
import { makeEvent } from '../helpers/events.js';
import { LiveModel, OTHER_ORIGIN, type ModelChange } from '../../src/live-model/model.js';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');

function clock(start = T0): { now: () => number; advance: (ms: number) => void } {
  let now = start;
  return { now: () => now, advance: (ms) => (now += ms) };
}

let offset = 0;
const at = (topic = 'product-price-update', partition = 0) => ({ topic, partition, offset: String(offset++) });

const AT_T0 = new Date(T0).toISOString();
const price = (productId: string, value: number): PixEvent =>
  makeEvent('price', productId, { price: value, occurredAt: AT_T0 });
const discount = (productId: string, value: number, origin = 'on-prem'): PixEvent =>
  makeEvent('discount', productId, { discount: value, origin, occurredAt: AT_T0 });

describe('LiveModel', () => {
  it('counts the copies of each other site with their replication delay, a backlog counted but not timed', () => {
    const time = clock(T0 + 10_000);
    const model = new LiveModel({ clock: time.now });
    const copied = (site: string) => at(`${site}.product-price-update`);
    model.record(copied('on-prem'), price('a', 1), {
      backfill: true,
      mirrored: { sourceSite: 'on-prem', timestamp: T0 },
    });
    for (const ms of [100, 200, 300, 4_000]) {
      const live = model.record(copied('on-prem'), price('b', 2), {
        backfill: false,
        mirrored: { sourceSite: 'on-prem', timestamp: T0 + 10_000 - ms },
      });
      expect(live).toMatchObject({ sourceSite: 'on-prem', replicationDelayMs: ms });
    }
    model.record(at(), price('local', 3));
    expect(model.sites()).toMatchObject([
      {
        site: 'on-prem',
        total: 5,
        delay: { samples: 4, p50Ms: 200, p99Ms: 4_000, maxMs: 4_000 },
        lastEventAt: T0 + 10_000,
      },
    ]);
    expect(model.recent()[0]?.sourceSite).toBeUndefined();
    model.clear();
    expect(model.sites()).toEqual([]);
  });

  it("keeps a site's mirror alive on MirrorMaker's heartbeats alone, and says when they stop", () => {
    const time = clock();
    const model = new LiveModel({ clock: time.now });
    const changes: ModelChange[] = [];
    model.onChange((change) => changes.push(change));
    model.recordHeartbeat('on-prem', T0 - 500);
    expect(model.sites()).toMatchObject([
      { site: 'on-prem', total: 0, lastEventAt: 0, lastHeartbeatAt: T0 - 500, mirrorAlive: true },
    ]);
    expect(changes).toEqual([{ kind: 'heartbeat', site: 'on-prem', emittedAt: T0 - 500 }]);
    time.advance(4_500);
    expect(model.sites()[0]?.mirrorAlive).toBe(true);
    time.advance(1_000);
    expect(model.sites()[0]?.mirrorAlive).toBe(false);
    // One that arrives late, out of order, does not turn the clock back.
    model.recordHeartbeat('on-prem', T0 - 2_000);
    expect(model.sites()[0]?.lastHeartbeatAt).toBe(T0 - 500);
  });

  it('times the heartbeats that crossed from a site like its events, not those from before the view', () => {
    const time = clock();
    const model = new LiveModel({ clock: time.now });
    model.recordHeartbeat('on-prem', T0 - 5_000, T0 - 5_000);
    expect(model.sites()[0]?.delay.samples).toBe(0);
    time.advance(1_000);
    model.recordHeartbeat('on-prem', T0 + 960, T0 + 970);
    expect(model.sites()[0]).toMatchObject({ total: 0, mirrorAlive: true, delay: { samples: 1, p50Ms: 30 } });
  });

  it('keeps the newest events first and forgets the oldest past its bound', () => {
    const model = new LiveModel({ recentLimit: 3, clock: clock().now });
    for (const id of ['a', 'b', 'c', 'd']) model.record(at(), price(id, 1));
    expect(model.recent().map((live) => live.event.productId)).toEqual(['d', 'c', 'b']);
    expect(model.counters().total).toBe(4);
  });

  it('hands out the events after a sequence number, newest first', () => {
    const model = new LiveModel({ clock: clock().now });
    model.record(at(), price('a', 1));
    const seen = model.seq;
    model.record(at(), price('b', 2));
    model.record(at(), price('c', 3));
    expect(model.eventsSince(seen).map((live) => live.event.productId)).toEqual(['c', 'b']);
    expect(model.eventsSince(model.seq)).toEqual([]);
  });

  it("merges each product's fields from events of every type, most recently changed first", () => {
    const model = new LiveModel({ clock: clock().now });
    model.record(at(), price('1', 9.99));
    model.record(at(), price('2', 5));
    model.record(at('product-discount-update'), discount('1', 15));
    expect(model.products().map((state) => state.productId)).toEqual(['1', '2']);
    expect(model.product('1')).toMatchObject({
      price: 9.99,
      currency: 'USD',
      discount: 15,
      origin: 'on-prem',
      lastType: 'discount',
    });
    expect(model.product('2')?.discount).toBeUndefined();
  });

  it('counts and shows backfill events, but leaves them out of the rate, the chart and the delay', () => {
    const time = clock(T0 + 3_600_000);
    const model = new LiveModel({ clock: time.now });
    // An hour-old backlog read in one burst, then one event published now.
    for (let i = 0; i < 5_000; i += 1) model.record(at(), price(`old-${i % 10}`, i), { backfill: true });
    model.record(at(), makeEvent('price', 'new', { price: 1, occurredAt: new Date(time.now() - 40).toISOString() }));
    time.advance(1_000);
    const counters = model.counters();
    expect(counters.total).toBe(5_001);
    expect(counters.byType.price).toBe(5_001);
    expect(counters.rate.byType.price).toBeCloseTo(0.1);
    expect(model.series(1).byType.price).toEqual([1]);
    expect(model.delay()).toMatchObject({ samples: 1, p99Ms: 40 });
    expect(model.recent(2).map((live) => [live.event.productId, live.backfill])).toEqual([
      ['new', false],
      ['old-9', true],
    ]);
    expect(model.product('old-9')?.price).toBe(4_999);
  });

  it('keeps out of the delay what belongs to another time: a day late or ahead, or older', () => {
    const time = clock(T0);
    const model = new LiveModel({ clock: time.now });
    const at = (ms: number) => makeEvent('price', 'p', { price: 1, occurredAt: new Date(T0 - ms).toISOString() });
    model.record({ topic: 't', partition: 0, offset: '0' }, at(250));
    model.record({ topic: 't', partition: 0, offset: '1' }, at(3 * 24 * 3_600_000));
    model.record({ topic: 't', partition: 0, offset: '2' }, at(-2 * 24 * 3_600_000));
    expect(model.counters().total).toBe(3);
    expect(model.delay()).toMatchObject({ samples: 1, p99Ms: 250, maxMs: 250 });
  });

  it('keeps at most productLimit products, dropping the least recently changed', () => {
    const model = new LiveModel({ productLimit: 2, clock: clock().now });
    model.record(at(), price('old', 1));
    model.record(at(), price('mid', 1));
    model.record(at(), price('old', 2));
    model.record(at(), price('new', 1));
    expect(model.products().map((state) => state.productId)).toEqual(['new', 'old']);
    expect(model.productCount).toBe(2);
  });

  it('counts by type and origin and turns whole seconds into events per second', () => {
    const time = clock();
    const model = new LiveModel({ rateWindowSeconds: 2, clock: time.now });
    for (let i = 0; i < 4; i += 1) model.record(at(), price(String(i), 1));
    model.record(at(), discount('9', 5));
    time.advance(1_000);
    for (let i = 0; i < 2; i += 1) model.record(at(), price(String(i), 1));
    time.advance(1_000);
    const counters = model.counters();
    expect(counters.byType).toEqual({ price: 6, discount: 1, country: 0 });
    expect(counters.byOrigin).toEqual({ cloud: 6, 'on-prem': 1 });
    // Two whole seconds: 5 events then 2.
    expect(counters.rate.total).toBe(3.5);
    expect(counters.rate.byType.price).toBe(3);
    expect(counters.rate.byOrigin['on-prem']).toBe(0.5);
    time.advance(10_000);
    expect(model.counters().rate.total).toBe(0);
  });

  it('gives a per-second series per type that ends with the last whole second', () => {
    const time = clock();
    const model = new LiveModel({ seriesSeconds: 4, clock: time.now });
    model.record(at(), price('1', 1));
    model.record(at(), price('1', 2));
    time.advance(2_000);
    model.record(at(), discount('1', 5));
    time.advance(1_000);
    const series = model.series();
    expect(series.byType.price).toEqual([0, 2, 0, 0]);
    expect(series.byType.discount).toEqual([0, 0, 0, 1]);
    expect(series.endSecond).toBe(T0 / 1000 + 2);
  });

  it('forgets history older than the series it keeps', () => {
    const time = clock();
    const model = new LiveModel({ seriesSeconds: 3, clock: time.now });
    model.record(at(), price('1', 1));
    time.advance(60_000);
    expect(model.series().byType.price).toEqual([0, 0, 0]);
  });

  it('measures end-to-end delay from occurredAt to arrival', () => {
    const time = clock(T0 + 40);
    const model = new LiveModel({ clock: time.now });
    for (let i = 0; i < 99; i += 1) model.record(at(), price('1', 1));
    time.advance(960);
    model.record(at(), price('1', 1));
    expect(model.delay()).toEqual({ samples: 100, p50Ms: 40, p99Ms: 40, maxMs: 1_000 });
    expect(new LiveModel().delay().samples).toBe(0);
  });

  it('counts malformed messages and keeps the latest for display', () => {
    const model = new LiveModel({ clock: clock().now });
    model.recordMalformed({ ...at(), issues: [{ field: 'price', rule: 'must be a number' }] });
    model.recordMalformed({ ...at('product-price-update', 2), issues: [{ field: '(value)', rule: 'is not JSON' }] });
    expect(model.malformed.total).toBe(2);
    expect(model.malformed.latest).toMatchObject({ partition: 2, issues: [{ field: '(value)' }] });
    expect(model.counters().malformed).toBe(2);
  });

  it('bounds the origins it names; later ones are counted together', () => {
    const model = new LiveModel({ originLimit: 2, clock: clock().now });
    for (const origin of ['a', 'b', 'c', 'd', 'a']) model.record(at(), discount('1', 1, origin));
    expect(model.counters().byOrigin).toEqual({ a: 2, b: 1, [OTHER_ORIGIN]: 2 });
  });

  it('tells listeners of events, malformed messages, connection changes and clears', () => {
    const model = new LiveModel({ clock: clock().now });
    const changes: ModelChange['kind'][] = [];
    const stop = model.onChange((change) => changes.push(change.kind));
    model.setConnection('connected');
    model.setConnection('connected');
    model.record(at(), price('1', 1));
    model.recordMalformed({ ...at(), issues: [] });
    model.clear();
    stop();
    model.record(at(), price('1', 1));
    expect(changes).toEqual(['connection', 'event', 'malformed', 'clear']);
    expect(model.connection.state).toBe('connected');
  });

  it('clear forgets events, products and counts but not the connection', () => {
    const model = new LiveModel({ clock: clock().now });
    model.setConnection('reconnecting', 'no answer');
    model.record(at(), price('1', 1));
    model.recordMalformed({ ...at(), issues: [] });
    model.clear();
    expect(model.recent()).toEqual([]);
    expect(model.products()).toEqual([]);
    expect(model.counters()).toMatchObject({ total: 0, malformed: 0, byOrigin: {} });
    expect(model.connection).toMatchObject({ state: 'reconnecting', detail: 'no answer' });
  });
});
