import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { EventRecordWriter, type EncodedEvents } from '../../src/kafka/event-records.js';
import { createEvent } from '../../src/events/create.js';
import { RecordSpool } from '../../src/publish/record-spool.js';

function encodedChunk(first: number, count: number): EncodedEvents {
  const writer = new EventRecordWriter(256);
  for (let index = first; index < first + count; index += 1) {
    const created = createEvent('price', { productId: `p-${index}`, price: index }, { origin: 'cloud' });
    if (!created.ok) throw new Error('a valid event was refused');
    writer.add({ event: created.value });
  }
  return writer.take();
}

/** Each record of the chunks as text, with its type and key hash: what the sending pass reads. */
function recordsOf(chunks: EncodedEvents[]): string[] {
  return chunks.flatMap(({ bytes, spans, count }) =>
    Array.from({ length: count }, (_, index) => {
      const [type, hash, start, end] = spans.subarray(index * 4, index * 4 + 4);
      return `${type}/${hash}/${bytes.subarray(start, end).toString('latin1')}`;
    }),
  );
}

describe('the spool of an all-or-nothing publish', () => {
  const previous = process.env.TMPDIR;
  const base = tmpdir();
  let folder: string;
  beforeEach(() => {
    folder = mkdtempSync(join(base, 'pix-spool-test-'));
    process.env.TMPDIR = folder;
  });
  afterEach(() => {
    rmSync(folder, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  });

  it('gives back every chunk in order, byte for byte, from memory and past it from a temporary file', async () => {
    const chunks = [encodedChunk(0, 10), encodedChunk(10, 0), encodedChunk(10, 300), encodedChunk(310, 7)];
    const expected = recordsOf(chunks);
    const spool = new RecordSpool(chunks[0]?.bytes.byteLength); // the first chunk fills the memory
    for (const chunk of chunks) await spool.add(chunk);
    expect(readdirSync(folder)).toHaveLength(1); // the rest went to a file

    const back: EncodedEvents[] = [];
    for await (const chunk of spool.chunks()) back.push(chunk);
    expect(back.map((chunk) => chunk.count)).toEqual([10, 300, 7]);
    expect(recordsOf(back)).toEqual(expected);

    await spool.close();
    expect(readdirSync(folder)).toEqual([]);
  });

  it('keeps a small input in memory and writes no file', async () => {
    const spool = new RecordSpool();
    await spool.add(encodedChunk(0, 100));
    const back: EncodedEvents[] = [];
    for await (const chunk of spool.chunks()) back.push(chunk);
    expect(back.map((chunk) => chunk.count)).toEqual([100]);
    expect(readdirSync(folder)).toEqual([]);
    await spool.close();
  });

  it('says nothing was published when it cannot write its file, and how to get round it', async () => {
    process.env.TMPDIR = join(folder, 'missing', 'folder');
    const spool = new RecordSpool(0);
    await expect(spool.add(encodedChunk(0, 1))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'cannot keep the validated events in a temporary file (ENOENT), so nothing was published',
      hint: expect.stringContaining('--skip-invalid') as string,
    });
  });
});
