import { describe, expect, it } from 'vitest';

import { eventJson } from '../../src/events/codec.js';
import { COUNTRY_CODES } from '../../src/events/iso-3166-countries.js';
import { EVENT_SCHEMAS, type PixEvent } from '../../src/events/schema.js';
import { simulatedTraffic } from '../../src/simulate/traffic.js';

function take(count: number, seed: number): PixEvent[] {
  const stream = simulatedTraffic({
    products: 20,
    sites: ['on-prem', 'cloud'],
    seed,
    now: () => new Date('2026-11-25T10:00:00Z'),
  });
  return Array.from({ length: count }, () => stream.next().value as PixEvent);
}

describe('simulated traffic', () => {
  const events = take(5_000, 42);

  it('is valid: every event passes the event model, and is written as JSON.stringify writes it', () => {
    for (const event of events) {
      expect(EVENT_SCHEMAS[event.type].safeParse(event).success).toBe(true);
      expect(eventJson(event)).toBe(JSON.stringify(event));
    }
  });

  it('replays the same stream for the same seed, and another for another seed', () => {
    expect(take(200, 42)).toEqual(events.slice(0, 200));
    expect(take(200, 43)).not.toEqual(events.slice(0, 200));
  });

  it('moves prices in small steps with at most two decimals', () => {
    const byProduct = new Map<string, number[]>();
    for (const event of events) {
      if (event.type !== 'price') continue;
      expect(Math.round(event.price * 100) / 100).toBe(event.price);
      expect(event.price).toBeGreaterThan(0);
      byProduct.set(event.productId, [...(byProduct.get(event.productId) ?? []), event.price]);
    }
    for (const prices of byProduct.values()) {
      for (let index = 1; index < prices.length; index += 1) {
        const step = Math.abs(prices[index]! - prices[index - 1]!) / prices[index - 1]!;
        expect(step).toBeLessThan(0.03);
      }
    }
  });

  it('lets discounts come and go, and uses real countries and the given sites and products', () => {
    const discounts = events.flatMap((event) => (event.type === 'discount' ? [event.discount] : []));
    expect(discounts).toContain(0);
    expect(discounts.some((discount) => discount > 0)).toBe(true);
    const countries = events.flatMap((event) => (event.type === 'country' ? [event.country] : []));
    expect(countries.filter((country) => !COUNTRY_CODES.has(country))).toEqual([]);
    for (const event of events) {
      expect(['on-prem', 'cloud']).toContain(event.origin);
      expect(Number(event.productId)).toBeGreaterThanOrEqual(1);
      expect(Number(event.productId)).toBeLessThanOrEqual(20);
    }
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['price', 'discount', 'country']));
  });
});
