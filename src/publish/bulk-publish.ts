import { constants, createReadStream, openSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Socket } from 'node:net';
import type { Readable } from 'node:stream';

import { isPixError, PixError, stoppedBy } from '../errors.js';
import type { EventDefaults } from '../events/create.js';
import type { TopicNames } from '../events/topics.js';
import { describeIssues } from '../events/validation.js';
import {
  type EncodedEvents,
  type KafkaClient,
  type ProduceObserver,
  publishStream,
  type StreamItem,
  type UnconfirmedEvent,
} from '../kafka/index.js';
import { ChunkPool } from './chunk-pool.js';
import {
  MAX_LINE_BYTES,
  OVERLONG_LINE,
  REPORTED_INVALID_LINES,
  type ChunkRequest,
  type ChunkResult,
  type InvalidLine,
} from './input-chunk.js';
import { RecordSpool } from './record-spool.js';
import { UnconfirmedFile } from './unconfirmed-file.js';
import { counted } from '../plural.js';

interface BulkPublishOptions {
  client: KafkaClient;
  topics: TopicNames;
  /** A file path, or '-' for standard input. */
  input: string;
  stdin: Readable;
  defaults: EventDefaults;
  /** Publish the valid lines and report the others, instead of publishing nothing. */
  skipInvalid: boolean;
  batchSize?: number;
  onProgress?: (published: number) => void;
  /** Lines validated so far, in the pass of an all-or-nothing publish that sends nothing yet. */
  onValidated?: (lines: number) => void;
  onInvalid?: (invalid: InvalidLine) => void;
  observer?: ProduceObserver;
  /** Where a failed publish writes the events it could not confirm (see unconfirmed-file.ts). */
  unconfirmedPath: string;
  /**
   * Ctrl-C: reading stops. Before the first event is sent nothing is published; after, what was
   * read is sent and the summary says how much.
   */
  stop?: AbortSignal;
}

export interface BulkPublishSummary {
  published: number;
  byTopic: Record<string, number>;
  invalid: number;
}

export function describeInvalidLine({ line, issues }: InvalidLine): string {
  return `line ${line}: ${describeIssues(issues)}`;
}

/**
 * Publishes an NDJSON file or stdin. By default every line is validated before the first event is
 * sent, so one bad line publishes nothing; that pass also encodes the events and keeps them (in a
 * temporary file past a few megabytes) for sending, so memory stays bounded however long the
 * input is. Big inputs are validated and encoded on worker threads, a chunk each, and published
 * in their order.
 */
export async function bulkPublish(options: BulkPublishOptions): Promise<BulkPublishSummary> {
  const unconfirmed = new UnconfirmedFile(options.unconfirmedPath);
  try {
    return await publishInput(options, unconfirmed);
  } catch (error) {
    throw await withUnconfirmedFile(error, unconfirmed);
  } finally {
    await unconfirmed.close();
  }
}

async function publishInput(options: BulkPublishOptions, unconfirmed: UnconfirmedFile): Promise<BulkPublishSummary> {
  const pool = new ChunkPool(await inputBytes(options.input));
  // A file's rest is read to its end after a failure, so every event of it is accounted for; a
  // live stdin may never end, and is left unread.
  const reporting = { onUnconfirmed: (event: UnconfirmedEvent) => unconfirmed.add(event) };
  try {
    if (options.skipInvalid) {
      let invalid = 0;
      const work = { origin: options.defaults.origin, encode: true, everyInvalid: true };
      const summary = await publishStream({
        ...publishOptions(options),
        ...reporting,
        restAfterFailure: options.input === '-' ? 'unread' : 'drain',
        source: encodedEvents(processed(untilStopped(openInput(options), options.stop), pool, work), (bad) => {
          invalid += 1;
          options.onInvalid?.(bad);
        }),
      });
      return { ...summary, invalid };
    }

    const spool = new RecordSpool();
    try {
      const report = await validateAll(untilStopped(openInput(options), options.stop), pool, options, spool);
      await pool.close(); // sending needs no worker: their memory goes back before it starts
      if (options.stop?.aborted) throw stoppedBy(options.stop.reason, ' before anything was published');
      if (report.invalid > 0) {
        const listed = report.first.map(describeInvalidLine).join('\n');
        const more = report.invalid > report.first.length ? `\n… and ${report.invalid - report.first.length} more` : '';
        throw new PixError(
          'INVALID_INPUT',
          `${report.invalid} of ${counted(report.lines, 'line')} ${report.invalid === 1 ? 'is' : 'are'} invalid, so nothing was published:\n${listed}${more}`,
          {
            details: { invalid: report.invalid, lines: report.lines, first: report.first },
            hint: 'Fix them, or publish the valid lines with --skip-invalid',
          },
        );
      }
      const summary = await publishStream({
        ...publishOptions(options),
        ...reporting,
        restAfterFailure: 'drain', // the spool: every line was read already
        source: inChunks(untilStopped(spool.chunks(), options.stop)),
      });
      return { ...summary, invalid: 0 };
    } finally {
      await spool.close();
    }
  } finally {
    await pool.close();
  }
}

/** A failed publish's error, saying where the events it could not confirm are. */
async function withUnconfirmedFile(error: unknown, file: UnconfirmedFile): Promise<unknown> {
  if (!isPixError(error) || file.written === 0) return error;
  await file.close();
  const where = file.error
    ? `; they could not be written to ${file.path} (${file.error.message})`
    : `; their events, each with its eventId and "status" (in-doubt or not-published), are in ${file.path}`;
  return new PixError(error.code, `${error.message}${where}`, {
    cause: error.cause,
    retryable: error.retryable,
    details: { ...error.details, ...(file.error ? {} : { unconfirmedFile: file.path }) },
    hint: `Publish them again with \`pix publish --file ${file.path}\` (consumers that drop an eventId seen before take the in-doubt ones once), or only the rest with \`jq -c 'select(.status == "not-published")' ${file.path} | pix publish --file -\``,
  });
}

/** The size of a file to read, known before the first line; unknown for stdin. */
async function inputBytes(input: string): Promise<number | undefined> {
  if (input === '-') return undefined;
  return stat(input).then(
    (stats) => (stats.isFile() ? stats.size : undefined),
    () => undefined, // reading it says why, in the same words as for any other read error
  );
}

function publishOptions(options: BulkPublishOptions) {
  return {
    client: options.client,
    topics: options.topics,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.observer ? { observer: options.observer } : {}),
  };
}

/** Bytes read from a file at a time, and so the size of the chunks of lines handed on. */
const READ_CHUNK_BYTES = 1 << 16;

function openInput(options: BulkPublishOptions): AsyncIterable<Buffer> {
  const stream = options.input === '-' ? options.stdin : openFile(options.input);
  // A stop must not wait for the next line of a live stdin or a FIFO, which may never come.
  options.stop?.addEventListener('abort', () => stream.destroy(), { once: true });
  return lineChunks(stream, options.input === '-' ? 'stdin' : options.input, options.stop);
}

/**
 * A file to read. A FIFO is opened without blocking and read as a pipe: a blocking open waits in
 * Node's thread pool for a writer that may never come, and a process cannot even exit while it
 * waits. (On Linux, such a FIFO reports its end only once a writer has come and gone.)
 */
function openFile(path: string): Readable {
  if (statSync(path, { throwIfNoEntry: false })?.isFIFO()) {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    return new Socket({ fd, readable: true, writable: false });
  }
  return createReadStream(path, { highWaterMark: READ_CHUNK_BYTES });
}

/**
 * The source's items until it ends or `stop` fires. A stop ends it at once, without waiting for
 * the next item: a live stdin or a FIFO may never bring one, and a FIFO's open waits for a writer.
 */
async function* untilStopped<T>(source: AsyncIterable<T>, stop: AbortSignal | undefined): AsyncIterable<T> {
  const iterator = source[Symbol.asyncIterator]();
  const stopped = new Promise<'stopped'>((resolve) => {
    if (stop?.aborted) resolve('stopped');
    stop?.addEventListener('abort', () => resolve('stopped'), { once: true });
  });
  try {
    for (;;) {
      const pending = iterator.next();
      // Left pending at a stop: what it ends with then is no one's concern.
      pending.catch(() => undefined);
      const next = await Promise.race([pending, stopped]);
      if (next === 'stopped' || next.done === true) return;
      yield next.value;
    }
  } catch (error) {
    if (!stop?.aborted) throw error; // a destroyed stdin's read fails: that is the stop, not an error
  }
}

/**
 * The input as chunks of whole lines, as bytes: a newline byte always ends a UTF-8 character. A
 * byte order mark before the first line (editors on Windows save one) is not part of it.
 */
async function* lineChunks(
  stream: NodeJS.ReadableStream,
  name: string,
  stop: AbortSignal | undefined,
): AsyncIterable<Buffer> {
  let rest: Buffer | undefined;
  let first = true;
  /** Within a line past MAX_LINE_BYTES: its bytes are dropped up to its end, MAX_ENDLESS_BYTES at most. */
  let overlong = 0;
  try {
    for await (const data of stream as AsyncIterable<Buffer | string>) {
      // An input without a newline (/dev/zero) yields nothing for ever: the stop is checked here.
      if (stop?.aborted) return;
      let bytes = typeof data === 'string' ? Buffer.from(data) : data;
      if (first && bytes.length > 0) {
        first = false;
        if (bytes.subarray(0, BYTE_ORDER_MARK.length).equals(BYTE_ORDER_MARK))
          bytes = bytes.subarray(BYTE_ORDER_MARK.length);
      }
      const end = bytes.lastIndexOf(NEWLINE) + 1;
      if (end === 0) {
        if (overlong > 0) {
          overlong += bytes.length;
          if (overlong > MAX_ENDLESS_BYTES) throw endless(name);
          continue;
        }
        rest = rest ? Buffer.concat([rest, bytes]) : bytes;
        if (rest.length > MAX_LINE_BYTES) {
          overlong = rest.length;
          rest = undefined;
        }
        continue;
      }
      if (overlong > 0) {
        yield Buffer.concat([OVERLONG_MARK, bytes.subarray(bytes.indexOf(NEWLINE) + 1, end)]);
        overlong = 0;
      } else {
        const whole = bytes.subarray(0, end);
        yield rest ? Buffer.concat([rest, whole]) : whole;
      }
      rest = end < bytes.length ? bytes.subarray(end) : undefined;
    }
    if (overlong > 0) yield OVERLONG_MARK;
    else if (rest) yield rest;
  } catch (error) {
    if (isPixError(error)) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const reason = (code && READ_ERRORS[code]) ?? (error as Error).message;
    throw new PixError('INVALID_INPUT', `file: cannot read ${name}: ${reason}${code ? ` (${code})` : ''}`, {
      cause: error,
    });
  }
}

/**
 * How far a line past MAX_LINE_BYTES is read in search of its end: an input that has none in 64
 * MiB (a binary file, /dev/zero) is no NDJSON, and reading on would never end.
 */
const MAX_ENDLESS_BYTES = 64 * 1024 * 1024;

function endless(name: string): PixError {
  return new PixError(
    'INVALID_INPUT',
    `file: ${name} has a line with no end in its first ${MAX_ENDLESS_BYTES / (1024 * 1024)} MiB: that is no NDJSON (a binary file or a device?)`,
  );
}

/** What the common read errors mean, said plainly. */
const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

const NEWLINE = 0x0a;
const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);
const OVERLONG_MARK = Buffer.from(`${OVERLONG_LINE}\n`);

/**
 * Each chunk's result, in the input's order, with several chunks at work at once. A result is
 * handed on as soon as it is ready, not when the next chunk arrives: stdin may pause for a while.
 */
async function* processed(chunks: AsyncIterable<Buffer>, pool: ChunkPool, work: ChunkWork): AsyncIterable<ChunkResult> {
  const input = chunks[Symbol.asyncIterator]();
  const queue: Promise<ChunkResult>[] = [];
  let reading: Promise<IteratorResult<Buffer>> | undefined;
  let linesBefore = 0;
  let inputDone = false;
  for (;;) {
    if (!reading && !inputDone && queue.length < pool.depth) reading = input.next();
    const head = queue[0];
    if (!reading && !head) return;
    const next = await Promise.race([
      ...(head ? [head.then((result) => ({ result }))] : []),
      ...(reading ? [reading.then((read) => ({ read }))] : []),
    ]);
    if ('result' in next) {
      void queue.shift();
      const { result } = next;
      for (const bad of result.invalid) bad.line += linesBefore;
      linesBefore += result.lineCount;
      yield result;
    } else {
      reading = undefined;
      if (next.read.done) inputDone = true;
      else {
        const working = pool.run({ ...work, bytes: next.read.value });
        working.catch(() => undefined); // a failure surfaces when it reaches the head
        queue.push(working);
      }
    }
  }
}

/** What is asked of each chunk; read as each is handed out, so a caller may change it on the way. */
type ChunkWork = Omit<ChunkRequest, 'bytes'>;

async function* encodedEvents(
  results: AsyncIterable<ChunkResult>,
  onInvalid: (invalid: InvalidLine) => void,
): AsyncIterable<StreamItem[]> {
  for await (const result of results) {
    for (const bad of result.invalid) onInvalid(bad);
    yield result.encoded ? [result.encoded] : [];
  }
}

async function* inChunks(encoded: AsyncIterable<EncodedEvents>): AsyncIterable<StreamItem[]> {
  for await (const chunk of encoded) yield [chunk];
}

/**
 * The first pass of an all-or-nothing publish: every line validated, the events encoded and kept
 * in the spool until the first invalid line, after which they would never be sent.
 */
async function validateAll(
  chunks: AsyncIterable<Buffer>,
  pool: ChunkPool,
  options: BulkPublishOptions,
  spool: RecordSpool,
): Promise<{ lines: number; invalid: number; first: InvalidLine[] }> {
  const report = { lines: 0, invalid: 0, first: [] as InvalidLine[] };
  const work: ChunkWork = { origin: options.defaults.origin, encode: true, everyInvalid: false };
  for await (const result of processed(chunks, pool, work)) {
    report.lines += result.lines;
    report.invalid += result.invalidCount;
    options.onValidated?.(report.lines);
    for (const bad of result.invalid) {
      if (report.first.length < REPORTED_INVALID_LINES) report.first.push(bad);
    }
    if (report.invalid > 0) work.encode = false;
    else if (result.encoded) await spool.add(result.encoded);
  }
  return report;
}
