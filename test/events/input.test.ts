import { describe, expect, it } from 'vitest';

import { parseInputLine, type ParsedLine } from '../../src/events/input.js';

const defaults = { origin: 'on-prem', now: () => new Date('2026-11-25T10:00:00.000Z') };

function ok(line: ParsedLine) {
  if (!line.ok) throw new Error(`expected the line to be valid: ${JSON.stringify(line.issues)}`);
  return line.item;
}

function issues(line: ParsedLine): string[] {
  if (line.ok) throw new Error('expected the line to be refused');
  return line.issues.map(({ field, rule }) => `${field}: ${rule}`);
}

describe('parseInputLine', () => {
  it("takes pix's own shape, with envelope fields left to their defaults", () => {
    const { event } = ok(parseInputLine('{"type":"price","productId":123,"price":10}', defaults));
    expect(event).toMatchObject({
      type: 'price',
      productId: '123',
      price: 10,
      currency: 'USD',
      origin: 'on-prem',
      occurredAt: '2026-11-25T10:00:00.000Z',
    });
  });

  it("takes the original system's request body, and country-update as an alias", () => {
    expect(
      ok(parseInputLine('{"event_type":"product-discount-update","data":{"product_id":9,"discount":15}}', defaults))
        .event,
    ).toMatchObject({
      type: 'discount',
      productId: '9',
      discount: 15,
    });
    expect(
      ok(parseInputLine('{"event_type":"country-update","data":{"product_id":9,"country":"fr"}}', defaults)).event,
    ).toMatchObject({
      type: 'country',
      country: 'FR',
    });
  });

  it('takes a line of pix consume --json and keeps its key and headers', () => {
    const event = {
      type: 'price',
      eventId: '6f1c1d3e-8a40-4d7c-9b7e-2f1a3c4d5e6f',
      productId: '1',
      occurredAt: '2026-11-25T09:00:00.000Z',
      origin: 'cloud',
      schemaVersion: 1,
      price: 2,
      currency: 'EUR',
    };
    const line = JSON.stringify({
      topic: 't',
      partition: 0,
      offset: 3,
      key: 'k-1',
      timestamp: 'x',
      headers: { trace: 'abc' },
      event,
    });
    expect(ok(parseInputLine(line, defaults))).toEqual({ event, key: 'k-1', headers: { trace: 'abc' } });
  });

  it('names the field and rule of a bad line', () => {
    expect(issues(parseInputLine('{"type":"price","productId":1,"price":-1}', defaults))).toEqual([
      'price: must be ≥ 0 (got -1)',
    ]);
    expect(issues(parseInputLine('{"event_type":"stock-update","data":{}}', defaults))).toEqual([
      'event_type: must be one of product-price-update, product-discount-update, product-country-update, country-update',
    ]);
    expect(issues(parseInputLine('{"type":"stock","productId":1}', defaults))).toEqual([
      'type: must be price, discount or country (got "stock")',
    ]);
    expect(issues(parseInputLine('not json', defaults))).toEqual(['(line): is not valid JSON']);
    expect(issues(parseInputLine('42', defaults))[0]).toMatch(/^\(line\): must be a pix event/);
    expect(issues(parseInputLine('[{"type":"price","productId":1,"price":1}]', defaults))).toEqual([
      '(line): is a JSON array: pix reads NDJSON, one event a line (`jq -c ".[]"` makes lines of an array)',
    ]);
  });

  it('refuses the key and headers of a consume --json line past their limits', () => {
    const event = { type: 'price', productId: '1', price: 1 };
    const line = (extra: Record<string, unknown>): ParsedLine =>
      parseInputLine(JSON.stringify({ event, ...extra }), defaults);
    expect(issues(line({ key: 'k'.repeat(600_000) }))).toEqual(['key: must be at most 256 characters (got 600000)']);
    expect(issues(line({ key: 5 }))).toEqual(['key: must be text']);
    const many = Object.fromEntries(Array.from({ length: 33 }, (_, index) => [`h${index}`, 'v']));
    expect(issues(line({ headers: many }))).toEqual(['headers: must be at most 32 (got 33)']);
    expect(issues(line({ headers: { ['n'.repeat(65)]: 'v' } }))[0]).toMatch(
      /must be named with 1 to 64 characters \(got 65\)$/,
    );
    expect(issues(line({ headers: { big: 'v'.repeat(1_025) } }))).toEqual([
      'headers.big: must be at most 1024 characters (got 1025)',
    ]);
    expect(issues(line({ headers: { n: 1 } }))).toEqual(['headers.n: must be text']);
    expect(issues(line({ headers: { '\u001b[2J': 'v' } }))).toEqual([
      'headers.\\u001b[2J: must be named without control, bidirectional or zero-width characters',
    ]);
    expect(issues(line({ headers: { note: 'bidi\u202e' } }))).toEqual([
      "headers.note: must not contain control, bidirectional or zero-width characters (got 'bidi\\u202e')",
    ]);
    expect(issues(line({ key: '\u001b]0;x\u0007' }))).toEqual([
      "key: must not contain control, bidirectional or zero-width characters (got '\\u001b]0;x\\u0007')",
    ]);
    const widest = Object.fromEntries(
      Array.from({ length: 32 }, (_, index) => [`${index}`.padEnd(64, 'n'), 'v'.repeat(1_024)]),
    );
    expect(ok(line({ key: 'k'.repeat(256), headers: widest })).headers).toEqual(widest);
  });
});
