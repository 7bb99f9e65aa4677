import { Writable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { colorLevel, LineWriter, lineStyle } from '../../src/output/terminal.js';

const terminal = { isTTY: true };
const pipe = { isTTY: false };

describe('colour', () => {
  it('is on for a terminal and off for a pipe or a file', () => {
    expect(colorLevel(terminal, { TERM: 'xterm-256color' })).toBe(1);
    expect(colorLevel(pipe, { TERM: 'xterm-256color' })).toBe(0);
  });

  it('is off with NO_COLOR set, or on a dumb terminal, and forced on by FORCE_COLOR', () => {
    expect(colorLevel(terminal, { NO_COLOR: '1' })).toBe(0);
    expect(colorLevel(terminal, { TERM: 'dumb' })).toBe(0);
    expect(colorLevel(pipe, { FORCE_COLOR: '1' })).toBe(1);
  });

  it('is off with FORCE_COLOR=0 or false, even on a terminal', () => {
    expect(colorLevel(terminal, { TERM: 'xterm-256color', FORCE_COLOR: '0' })).toBe(0);
    expect(colorLevel(terminal, { TERM: 'xterm-256color', FORCE_COLOR: 'false' })).toBe(0);
  });

  it('colours each type differently, and not at all at level 0', () => {
    const coloured = lineStyle(1);
    expect(coloured.type('price', 'price').startsWith('\u001b[32m')).toBe(true);
    expect(coloured.type('discount', 'discount').startsWith('\u001b[35m')).toBe(true);
    expect(coloured.type('country', 'DE')).toBe('\u001b[36mDE\u001b[39m');
    expect(coloured.dim('12ms')).toBe('\u001b[2m12ms\u001b[22m');
    expect(lineStyle(0).type('price', 'price')).toBe('price');
  });
});

describe('LineWriter', () => {
  function sink(highWaterMark = 1024 * 1024): { stream: Writable; writes: string[] } {
    const writes: string[] = [];
    const stream = new Writable({
      highWaterMark,
      write(chunk: Buffer, _encoding, done) {
        writes.push(chunk.toString());
        setImmediate(done);
      },
    });
    return { stream, writes };
  }

  it('gathers lines into one write, in order, by the next turn of the event loop', async () => {
    const { stream, writes } = sink();
    const writer = new LineWriter(stream);
    for (let i = 0; i < 1_000; i += 1) void writer.write(`line ${i}`);
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(writes[0]?.split('\n')).toHaveLength(1_001);
    expect(writes[0]?.startsWith('line 0\nline 1\n')).toBe(true);
    expect(writes[0]?.endsWith('line 999\n')).toBe(true);
  });

  it('writes at once when the gathered lines reach the limit, and flush() writes the rest', async () => {
    const { stream, writes } = sink();
    const writer = new LineWriter(stream, 10);
    void writer.write('12345');
    void writer.write('67890');
    expect(writes).toEqual(['12345\n67890\n']);
    void writer.write('tail');
    await writer.flush();
    await new Promise((resolve) => stream.end(resolve));
    expect(writes.join('')).toBe('12345\n67890\ntail\n');
  });

  it.each([
    ['EPIPE', undefined],
    ['ENOSPC', 'ENOSPC'],
  ])(
    'stops waiting and drops lines once the stream fails with %s, a failure unless the reader left',
    async (code, failure) => {
      const stream = new Writable({
        highWaterMark: 4,
        write(_chunk, _encoding, done) {
          setImmediate(() => done(Object.assign(new Error(code), { code })));
        },
      });
      const writer = new LineWriter(stream, 1);
      const waiting = writer.write('more than four bytes');
      expect(waiting).toBeInstanceOf(Promise);
      await waiting; // resolves although no drain will ever come
      expect(writer.closed.aborted).toBe(true);
      expect(writer.failure?.code).toBe(failure);
      expect(writer.write('dropped')).toBeUndefined();
      await writer.flush();
    },
  );

  it('asks the caller to wait while the reader is behind', async () => {
    const { stream } = sink(4);
    const writer = new LineWriter(stream, 1);
    const waiting = writer.write('more than four bytes');
    expect(waiting).toBeInstanceOf(Promise);
    await waiting;
    expect(writer.write('x')).toBeInstanceOf(Promise);
  });
});
