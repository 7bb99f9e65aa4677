import { describe, expect, it } from 'vitest';

import { processChunk } from '../../src/publish/input-chunk.js';

const price = (productId: string, value: number): string => JSON.stringify({ type: 'price', productId, price: value });

describe('a chunk of input lines', () => {
  it('numbers lines from the chunk start, counting blank lines, with CRLF endings and no final newline', () => {
    const text = `${price('a', 1)}\r\n\n   \n${price('b', -1)}\n${price('c', 2)}\n{oops`;
    const result = processChunk({ text, firstLine: 41, origin: 'cloud', encode: true, everyInvalid: true });
    expect(result.lines).toBe(4);
    expect(result.invalidCount).toBe(2);
    expect(result.invalid).toEqual([
      { line: 44, issues: [{ field: 'price', rule: 'must be ≥ 0 (got -1)' }] },
      { line: 46, issues: [{ field: '(line)', rule: 'is not valid JSON' }] },
    ]);
    expect(result.encoded?.count).toBe(2);
  });

  it('lists only the first 20 invalid lines unless asked for every one, and counts them all', () => {
    const text = Array.from({ length: 30 }, (_, index) => price(String(index), -1)).join('\n');
    const some = processChunk({ text, firstLine: 1, origin: 'x', encode: false, everyInvalid: false });
    expect([some.invalidCount, some.invalid.length, some.encoded]).toEqual([30, 20, undefined]);
    const every = processChunk({ text, firstLine: 1, origin: 'x', encode: false, everyInvalid: true });
    expect(every.invalid).toHaveLength(30);
  });

  it('encodes each valid event as a record of its type with the hash of its key', () => {
    const text = [price('p-1', 3), JSON.stringify({ type: 'country', productId: 'p-2', country: 'de' })].join('\n');
    const { encoded } = processChunk({ text, firstLine: 1, origin: 'cloud', encode: true, everyInvalid: false });
    const spans = [...(encoded?.spans ?? [])];
    expect(spans[0]).toBe(0); // price
    expect(spans[4]).toBe(2); // country
    const second = encoded?.bytes.subarray(spans[6], spans[7]).toString() ?? '';
    expect(second).toContain('"country":"DE"');
    expect(second).toContain('p-2');
  });
});
