import { describe, expect, it } from 'vitest';

import { processChunk, type ChunkRequest } from '../../src/publish/input-chunk.js';

const price = (productId: string, value: number): string => JSON.stringify({ type: 'price', productId, price: value });

const chunk = (text: string, options: Partial<ChunkRequest> = {}): ChunkRequest => ({
  bytes: Buffer.from(text),
  origin: 'cloud',
  encode: true,
  everyInvalid: false,
  ...options,
});

describe('a chunk of input lines', () => {
  it('numbers lines from the chunk start, counting blank lines, with CRLF endings and no final newline', () => {
    const text = `${price('a', 1)}\r\n\n   \n${price('b', -1)}\n${price('c', 2)}\n{oops`;
    const result = processChunk(chunk(text, { everyInvalid: true }));
    expect(result.lines).toBe(4);
    expect(result.lineCount).toBe(6);
    expect(result.invalidCount).toBe(2);
    expect(result.invalid).toEqual([
      { line: 4, issues: [{ field: 'price', rule: 'must be ≥ 0 (got -1)' }] },
      { line: 6, issues: [{ field: '(line)', rule: 'is not valid JSON' }] },
    ]);
    expect(result.encoded?.count).toBe(2);
  });

  it('counts every line that a newline ends, so the next chunk numbers on from there', () => {
    expect(processChunk(chunk(`${price('a', 1)}\n\n`)).lineCount).toBe(2);
  });

  it('decodes UTF-8 lines, product ids outside ASCII included', () => {
    const { encoded } = processChunk(chunk(price('écran-ü', 1)));
    expect(encoded?.bytes.subarray(encoded.spans[2], encoded.spans[3]).toString()).toContain('"productId":"écran-ü"');
  });

  it('lists only the first 20 invalid lines unless asked for every one, and counts them all', () => {
    const text = Array.from({ length: 30 }, (_, index) => price(String(index), -1)).join('\n');
    const some = processChunk(chunk(text, { encode: false }));
    expect([some.invalidCount, some.invalid.length, some.encoded]).toEqual([30, 20, undefined]);
    const every = processChunk(chunk(text, { encode: false, everyInvalid: true }));
    expect(every.invalid).toHaveLength(30);
  });

  it('encodes each valid event as a record of its type with the hash of its key', () => {
    const text = [price('p-1', 3), JSON.stringify({ type: 'country', productId: 'p-2', country: 'de' })].join('\n');
    const { encoded } = processChunk(chunk(text));
    const spans = [...(encoded?.spans ?? [])];
    expect(spans[0]).toBe(0); // price
    expect(spans[4]).toBe(2); // country
    const second = encoded?.bytes.subarray(spans[6], spans[7]).toString() ?? '';
    expect(second).toContain('"country":"DE"');
    expect(second).toContain('p-2');
  });
});
