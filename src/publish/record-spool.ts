import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PixError } from '../errors.js';
import { SPAN_FIELDS, type EncodedEvents } from '../kafka/index.js';

/** Encoded events kept in memory before the rest goes to a temporary file. */
const SPOOL_MEMORY_BYTES = 8 << 20;

interface SpooledChunk {
  count: number;
  bytes: number;
}

/**
 * The encoded events of an all-or-nothing publish, kept from the pass that validates every line
 * to the pass that sends them, so no line is parsed, validated and encoded twice. The first
 * megabytes stay in memory; the rest goes to a temporary file, read back a chunk at a time, so
 * memory stays bounded however long the input is.
 */
export class RecordSpool {
  private readonly kept: EncodedEvents[] = [];
  private keptBytes = 0;
  private readonly spooled: SpooledChunk[] = [];
  private file: { folder: string; handle: FileHandle; size: number } | undefined;

  constructor(private readonly memoryBytes = SPOOL_MEMORY_BYTES) {}

  async add(encoded: EncodedEvents): Promise<void> {
    if (encoded.count === 0) return;
    if (!this.file && this.keptBytes + encoded.bytes.byteLength <= this.memoryBytes) {
      this.kept.push(encoded);
      this.keptBytes += encoded.bytes.byteLength;
      return;
    }
    const file = this.file ?? (this.file = await createFile());
    const spans = encoded.spans.subarray(0, encoded.count * SPAN_FIELDS);
    const used = spans[spans.length - 1] ?? 0; // records are written in order: the last ends last
    const spanBytes = Buffer.from(spans.buffer, spans.byteOffset, spans.byteLength);
    const size = spanBytes.byteLength + used;
    let written: number;
    try {
      ({ bytesWritten: written } = await file.handle.writev([spanBytes, encoded.bytes.subarray(0, used)], file.size));
    } catch (error) {
      throw keepError(error);
    }
    // A disk that fills up may take part of a write without an error.
    if (written !== size) throw keepError(Object.assign(new Error('short write'), { code: 'ENOSPC' }));
    file.size += size;
    this.spooled.push({ count: encoded.count, bytes: used });
  }

  /** The events in the order they were added, each chunk let go once handed on. */
  async *chunks(): AsyncIterable<EncodedEvents> {
    while (this.kept.length > 0) yield this.kept.shift() as EncodedEvents;
    let position = 0;
    for (const { count, bytes } of this.spooled) {
      const spans = new Int32Array(count * SPAN_FIELDS);
      const records = Buffer.allocUnsafeSlow(bytes);
      const spanBytes = Buffer.from(spans.buffer);
      let read: number;
      try {
        read = (await this.file?.handle.readv([spanBytes, records], position))?.bytesRead ?? 0;
      } catch (error) {
        throw readBackError(error);
      }
      if (read !== spanBytes.byteLength + bytes) throw readBackError(new Error('the file is shorter than written'));
      position += spanBytes.byteLength + bytes;
      yield { bytes: records, spans, count };
    }
  }

  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    if (!file) return;
    await file.handle.close().catch(() => undefined);
    await rm(file.folder, { recursive: true, force: true });
  }
}

async function createFile(): Promise<{ folder: string; handle: FileHandle; size: number }> {
  try {
    const folder = await mkdtemp(join(tmpdir(), 'pix-publish-'));
    // Opened for reading too: the same handle reads the events back for sending.
    return { folder, handle: await open(join(folder, 'events.spool'), 'w+'), size: 0 };
  } catch (error) {
    throw keepError(error);
  }
}

function readBackError(error: unknown): PixError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new PixError('UNEXPECTED', `cannot read the validated events back from their temporary file (${code})`, {
    cause: error,
  });
}

function keepError(error: unknown): PixError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new PixError(
    'INVALID_INPUT',
    `cannot keep the validated events in a temporary file (${code}), so nothing was published`,
    {
      cause: error,
      hint: 'Free space where TMPDIR points or point it elsewhere, or publish with --skip-invalid, which keeps nothing',
    },
  );
}
