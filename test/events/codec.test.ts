import { describe, expect, it } from 'vitest';

import { decodeEvent, encodeEvent, eventJson, type DecodeResult } from '../../src/events/codec.js';
import { createEvent } from '../../src/events/create.js';
import { EVENT_SCHEMAS, EVENT_TYPES, type PixEvent } from '../../src/events/schema.js';
import { badInputs, messageBytes } from '../helpers/bad-inputs.js';

const price: PixEvent = {
  type: 'price',
  eventId: '6f1c1d3e-8a40-4d7c-9b7e-2f1a3c4d5e6f',
  productId: '123',
  occurredAt: '2026-11-25T10:00:00.000Z',
  origin: 'cloud',
  schemaVersion: 1,
  price: 9.99,
  currency: 'EUR',
};

const at = { topic: 'product-price-update', partition: 1, offset: '42', timestamp: '1795600000000' };

function issues(result: DecodeResult): string[] {
  if (result.ok) throw new Error('expected the message to be refused');
  return result.issues.map(({ field, rule }) => `${field}: ${rule}`);
}

describe('encodeEvent', () => {
  it('keys the message by product and names type, version and origin in headers', () => {
    const message = encodeEvent(price);
    expect(message.key).toBe('123');
    expect(message.headers).toEqual({ 'event-type': 'price', 'schema-version': '1', origin: 'cloud' });
    expect(JSON.parse(message.value)).toEqual(price);
  });

  it('writes the JSON that JSON.stringify writes, with every field of each type in the order of its schema', () => {
    const fields = {
      price: [{ price: 0 }, { price: 1e21, currency: 'jpy' }, { price: 12.345 }],
      discount: [{ discount: 0 }, { discount: 99.5 }],
      country: [{ country: 'se' }],
    };
    const productIds = ['1', 42, 'quote " and \\ back', 'tab\tnew\nline', 'écran 🖥', '\ud800 lone', '\u0000'];
    for (const type of EVENT_TYPES) {
      for (const payload of fields[type]) {
        for (const productId of productIds) {
          const created = createEvent(type, { productId: 'x', ...payload }, { origin: 'on-prem.eu_1' });
          if (!created.ok) throw new Error(`refused: ${JSON.stringify(created.issues)}`);
          // Any text, even what the schema refuses in a new id (a tab, NUL): the writer escapes it as JSON does.
          const event = { ...created.value, productId: String(productId) };
          const json = eventJson(event);
          expect(json).toBe(JSON.stringify(event));
          expect(Object.keys(JSON.parse(json) as object)).toEqual(Object.keys(EVENT_SCHEMAS[type].shape));
        }
      }
    }
  });

  it('round-trips through decodeEvent unchanged', () => {
    const message = encodeEvent(price);
    expect(decodeEvent('price', { ...at, value: Buffer.from(message.value), headers: message.headers })).toEqual({
      ok: true,
      event: price,
      legacy: false,
    });
  });
});

describe('decodeEvent', () => {
  it('reports a message that is not JSON, empty, or not an object', () => {
    expect(issues(decodeEvent('price', { ...at, value: Buffer.from('{nope') }))).toEqual([
      '(message): is not valid JSON',
    ]);
    expect(issues(decodeEvent('price', { ...at, value: null }))).toEqual(['(message): has no value']);
    expect(issues(decodeEvent('price', { ...at, value: '[1,2]' }))).toEqual(['(message): must be a JSON object']);
  });

  it('names the field and the rule of an event that breaks the schema', () => {
    const value = JSON.stringify({ ...price, price: 'ten' });
    expect(issues(decodeEvent('price', { ...at, value }))).toEqual(["price: must be a number (got 'ten')"]);
  });

  it('refuses an event of another type on the topic', () => {
    const value = JSON.stringify({ ...price, type: 'discount' });
    expect(issues(decodeEvent('price', { ...at, value }))).toEqual(["type: must be 'price' (got 'discount')"]);
  });

  it("reads the original system's bare data object, type taken from the topic", () => {
    const result = decodeEvent('price', { ...at, value: '{"product_id": 123, "price": 10.0}' });
    expect(result).toMatchObject({
      ok: true,
      legacy: true,
      event: {
        type: 'price',
        productId: '123',
        price: 10,
        currency: 'USD',
        origin: 'legacy',
        schemaVersion: 1,
        occurredAt: new Date(1795600000000).toISOString(),
      },
    });
  });

  it('gives a legacy event the same id each time the same message is read, and another for another offset', () => {
    const value = '{"product_id": 7, "discount": 15}';
    const first = decodeEvent('discount', { ...at, topic: 'product-discount-update', value });
    const again = decodeEvent('discount', { ...at, topic: 'product-discount-update', value });
    const next = decodeEvent('discount', { ...at, topic: 'product-discount-update', offset: '43', value });
    if (!first.ok || !again.ok || !next.ok) throw new Error('expected legacy discounts to decode');
    expect(first.event.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(again.event.eventId).toBe(first.event.eventId);
    expect(next.event.eventId).not.toBe(first.event.eventId);
  });

  it('reads the legacy request shape with event_type and data, and upper-cases a legacy country', () => {
    const value = '{"event_type": "country-update", "data": {"product_id": 5, "country": "fr"}}';
    expect(decodeEvent('country', { ...at, topic: 'product-country-update', value })).toMatchObject({
      ok: true,
      legacy: true,
      event: { type: 'country', productId: '5', country: 'FR' },
    });
  });

  it('still checks the rules on legacy data', () => {
    expect(issues(decodeEvent('price', { ...at, value: '{"product_id": 1, "price": -5}' }))).toEqual([
      'price: must be ≥ 0 (got -5)',
    ]);
  });

  it('takes the origin header of a legacy message when there is one', () => {
    const result = decodeEvent('price', {
      ...at,
      value: '{"product_id": 1, "price": 2}',
      headers: { origin: Buffer.from('cloud') },
    });
    expect(result).toMatchObject({ ok: true, event: { origin: 'cloud' } });
  });
});

describe('decodeEvent on the corpus of poison messages', () => {
  it.each(badInputs.poisonMessages().map((message) => [message.name, message]))(
    'refuses %s with the reason pix shows',
    (_name, message) => {
      const decoded = decodeEvent('price', { ...at, value: messageBytes(message) });
      expect(issues(decoded).join('; ')).toContain(message.rule);
    },
  );
});
