import { describe, expect, it } from 'vitest';

import { createEvent } from '../../src/events/create.js';
import type { EventType } from '../../src/events/schema.js';
import { describeIssues } from '../../src/events/validation.js';

const defaults = {
  origin: 'on-prem',
  now: () => new Date('2026-11-25T10:00:00.000Z'),
  newEventId: () => '6f1c1d3e-8a40-4d7c-9b7e-2f1a3c4d5e6f',
};

function accepted(type: EventType, input: Record<string, unknown>): Record<string, unknown> {
  const result = createEvent(type, input, defaults);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to be valid: ${describeIssues(result.issues)}`);
  return result.value;
}

function rejection(type: EventType, input: Record<string, unknown>): string {
  const result = createEvent(type, input, defaults);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return describeIssues(result.issues);
}

describe('a new price event', () => {
  it('fills the envelope and the default currency', () => {
    expect(accepted('price', { productId: '123', price: 10 })).toEqual({
      type: 'price',
      eventId: '6f1c1d3e-8a40-4d7c-9b7e-2f1a3c4d5e6f',
      productId: '123',
      occurredAt: '2026-11-25T10:00:00.000Z',
      origin: 'on-prem',
      schemaVersion: 1,
      price: 10,
      currency: 'USD',
    });
  });

  it('accepts a price of exactly 0 and refuses one just below', () => {
    expect(accepted('price', { productId: '1', price: 0 }).price).toBe(0);
    expect(rejection('price', { productId: '1', price: -0.01 })).toBe('price: must be ≥ 0 (got -0.01)');
  });

  it('refuses a price that is not a finite number', () => {
    expect(rejection('price', { productId: '1', price: Number.POSITIVE_INFINITY })).toBe(
      'price: must be a number (got Infinity)',
    );
    expect(rejection('price', { productId: '1', price: Number.NaN })).toMatch(/^price: /);
    expect(rejection('price', { productId: '1', price: '10' })).toBe("price: must be a number (got '10')");
  });

  it('says a missing price is required', () => {
    expect(rejection('price', { productId: '1' })).toBe('price: is required');
  });

  it('takes ISO 4217 codes in any case and keeps them upper case', () => {
    expect(accepted('price', { productId: '1', price: 1, currency: 'eur' }).currency).toBe('EUR');
    expect(accepted('price', { productId: '1', price: 1, currency: 'JPY' }).currency).toBe('JPY');
  });

  it('refuses currency codes that ISO 4217 does not assign', () => {
    expect(rejection('price', { productId: '1', price: 1, currency: 'ABC' })).toBe(
      "currency: must be an ISO 4217 currency code such as USD or EUR (got 'ABC')",
    );
    expect(rejection('price', { productId: '1', price: 1, currency: 'US' })).toMatch(/^currency: /);
    expect(rejection('price', { productId: '1', price: 1, currency: 'XXX' })).toMatch(/^currency: /);
  });

  it('refuses an unknown field instead of ignoring a typo', () => {
    expect(rejection('price', { productId: '1', price: 1, curency: 'EUR' })).toBe('curency: is not a known field');
  });
});

describe('a new discount event', () => {
  it('accepts 0 and 100, the ends of the range', () => {
    expect(accepted('discount', { productId: '1', discount: 0 }).discount).toBe(0);
    expect(accepted('discount', { productId: '1', discount: 100 }).discount).toBe(100);
    expect(accepted('discount', { productId: '1', discount: 12.5 }).discount).toBe(12.5);
  });

  it('refuses values just outside the range', () => {
    expect(rejection('discount', { productId: '1', discount: -0.01 })).toBe(
      'discount: must be a percentage from 0 to 100 (got -0.01)',
    );
    expect(rejection('discount', { productId: '1', discount: 100.01 })).toBe(
      'discount: must be a percentage from 0 to 100 (got 100.01)',
    );
  });
});

describe('a new country event', () => {
  it('takes any case and stores upper case', () => {
    expect(accepted('country', { productId: '1', country: 'us' }).country).toBe('US');
    expect(accepted('country', { productId: '1', country: 'De' }).country).toBe('DE');
  });

  it('refuses codes that ISO 3166-1 does not assign', () => {
    expect(rejection('country', { productId: '1', country: 'ZZ' })).toBe(
      "country: must be an ISO 3166-1 alpha-2 country code such as US or DE (got 'ZZ')",
    );
    // Reserved or user-assigned, not countries of the standard.
    expect(rejection('country', { productId: '1', country: 'EU' })).toMatch(/^country: /);
    expect(rejection('country', { productId: '1', country: 'XK' })).toMatch(/^country: /);
    expect(rejection('country', { productId: '1', country: 'USA' })).toMatch(/^country: /);
  });
});

describe('the envelope', () => {
  it('keeps an integer product id as its decimal string', () => {
    expect(accepted('price', { productId: 123, price: 1 }).productId).toBe('123');
    expect(accepted('price', { productId: 'SKU-9', price: 1 }).productId).toBe('SKU-9');
  });

  it('takes product ids up to 256 characters and refuses longer ones', () => {
    expect(accepted('price', { productId: 'p'.repeat(256), price: 1 }).productId).toHaveLength(256);
    expect(rejection('price', { productId: 'p'.repeat(257), price: 1 })).toBe(
      'productId: must be at most 256 characters (got 257)',
    );
  });

  it('refuses an empty, blank or fractional product id', () => {
    expect(rejection('price', { productId: '', price: 1 })).toBe('productId: must not be empty');
    expect(rejection('price', { productId: '   ', price: 1 })).toBe('productId: must not be empty');
    expect(rejection('price', { productId: 1.5, price: 1 })).toBe(
      'productId: must be a non-empty string or an integer (got 1.5)',
    );
    expect(rejection('price', { price: 1 })).toBe('productId: is required');
  });

  it('takes a given event id when it is a UUID', () => {
    const eventId = '0b9f6d3a-1c2e-4f5a-8b7c-9d0e1f2a3b4c';
    expect(accepted('price', { productId: '1', price: 1, eventId }).eventId).toBe(eventId);
    expect(rejection('price', { productId: '1', price: 1, eventId: 'abc' })).toBe(
      "eventId: must be a UUID (got 'abc')",
    );
  });

  it('makes the id and time of an event that leaves them out or null', () => {
    for (const left of [{}, { eventId: null, occurredAt: null }]) {
      const event = accepted('price', { productId: '1', price: 1, ...left });
      expect(event.eventId).toBe('6f1c1d3e-8a40-4d7c-9b7e-2f1a3c4d5e6f');
      expect(event.occurredAt).toBe('2026-11-25T10:00:00.000Z');
    }
  });

  it('stores occurredAt in UTC whatever offset it came with', () => {
    expect(accepted('price', { productId: '1', price: 1, occurredAt: '2026-11-25T12:30:00+02:00' }).occurredAt).toBe(
      '2026-11-25T10:30:00.000Z',
    );
    expect(accepted('price', { productId: '1', price: 1, occurredAt: '2026-11-25T10:30:00Z' }).occurredAt).toBe(
      '2026-11-25T10:30:00.000Z',
    );
  });

  it('refuses a timestamp without a time or that is not ISO 8601', () => {
    expect(rejection('price', { productId: '1', price: 1, occurredAt: '2026-11-25' })).toBe(
      "occurredAt: must be an ISO 8601 timestamp such as 2026-11-25T10:00:00Z (got '2026-11-25')",
    );
    expect(rejection('price', { productId: '1', price: 1, occurredAt: 'yesterday' })).toMatch(/^occurredAt: /);
  });

  it('takes site names up to 64 characters and refuses longer or odd ones', () => {
    expect(accepted('price', { productId: '1', price: 1, origin: 'cloud' }).origin).toBe('cloud');
    expect(accepted('price', { productId: '1', price: 1, origin: 'a'.repeat(64) }).origin).toHaveLength(64);
    expect(rejection('price', { productId: '1', price: 1, origin: 'a'.repeat(65) })).toMatch(
      /^origin: must be a site name/,
    );
    expect(rejection('price', { productId: '1', price: 1, origin: 'on prem' })).toMatch(/^origin: /);
    expect(rejection('price', { productId: '1', price: 1, origin: '' })).toMatch(/^origin: /);
  });

  it('knows schema version 1 only', () => {
    expect(accepted('price', { productId: '1', price: 1, schemaVersion: 1 }).schemaVersion).toBe(1);
    expect(rejection('price', { productId: '1', price: 1, schemaVersion: 2 })).toBe(
      'schemaVersion: must be 1, the schema version this pix knows (got 2)',
    );
  });

  it('names every broken field at once', () => {
    expect(rejection('price', { productId: '', price: -1, currency: 'ABC' })).toBe(
      "productId: must not be empty; price: must be ≥ 0 (got -1); currency: must be an ISO 4217 currency code such as USD or EUR (got 'ABC')",
    );
  });
});
