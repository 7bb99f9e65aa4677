import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';

import { PixError } from '../errors.js';
import type { EventDefaults } from '../events/create.js';
import type { TopicNames } from '../events/topics.js';
import { describeIssues } from '../events/validation.js';
import { publishStream, type StreamItem } from '../kafka/batch-publisher.js';
import type { ProduceObserver } from '../metrics/metrics.js';
import type { KafkaClient } from '../kafka/client.js';
import { ChunkPool } from './chunk-pool.js';
import { REPORTED_INVALID_LINES, type ChunkResult, type InvalidLine, type TextChunk } from './input-chunk.js';

export { REPORTED_INVALID_LINES, type InvalidLine } from './input-chunk.js';

export interface BulkPublishOptions {
  client: KafkaClient;
  topics: TopicNames;
  /** A file path, or '-' for standard input. */
  input: string;
  stdin: NodeJS.ReadableStream;
  defaults: EventDefaults;
  /** Publish the valid lines and report the others, instead of publishing nothing. */
  skipInvalid: boolean;
  batchSize?: number;
  onProgress?: (published: number) => void;
  onInvalid?: (invalid: InvalidLine) => void;
  observer?: ProduceObserver;
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
 * sent, so one bad line publishes nothing; stdin is spooled to a temporary file on that first pass
 * so that memory stays bounded however long the input is. Big inputs are validated and encoded
 * on worker threads, a chunk each, and published in their order.
 */
export async function bulkPublish(options: BulkPublishOptions): Promise<BulkPublishSummary> {
  const pool = new ChunkPool();
  try {
    if (options.skipInvalid) {
      let invalid = 0;
      const summary = await publishStream({
        ...publishOptions(options),
        source: encodedEvents(processed(openInput(options), pool, options, true), (bad) => {
          invalid += 1;
          options.onInvalid?.(bad);
        }),
      });
      return { ...summary, invalid };
    }

    const spool = options.input === '-' ? await createSpool() : undefined;
    try {
      const report = await validateAll(openInput(options), pool, options, spool?.stream);
      if (report.invalid > 0) {
        const listed = report.first.map(describeInvalidLine).join('\n');
        const more = report.invalid > report.first.length ? `\n… and ${report.invalid - report.first.length} more` : '';
        throw new PixError(
          'INVALID_INPUT',
          `${report.invalid} of ${report.lines} lines are invalid, so nothing was published:\n${listed}${more}`,
          {
            details: { invalid: report.invalid, lines: report.lines, first: report.first },
            hint: 'Fix them, or publish the valid lines with --skip-invalid',
          },
        );
      }
      const input = spool
        ? textChunks(createReadStream(spool.path, { highWaterMark: READ_CHUNK_BYTES }))
        : openInput(options);
      const summary = await publishStream({
        ...publishOptions(options),
        source: encodedEvents(processed(input, pool, options, true), () => undefined),
      });
      return { ...summary, invalid: 0 };
    } finally {
      if (spool) await rm(spool.folder, { recursive: true, force: true });
    }
  } finally {
    await pool.close();
  }
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
const READ_CHUNK_BYTES = 1 << 18;

function openInput(options: BulkPublishOptions): AsyncIterable<TextChunk> {
  if (options.input === '-') return textChunks(options.stdin);
  return textChunks(createReadStream(options.input, { highWaterMark: READ_CHUNK_BYTES }));
}

/** The input as chunks of whole lines, each with the number of its first line. */
async function* textChunks(stream: NodeJS.ReadableStream): AsyncIterable<TextChunk> {
  const decoder = new StringDecoder('utf8');
  let firstLine = 1;
  let rest = '';
  try {
    for await (const data of stream) {
      const text = rest + decoder.write(data);
      const end = text.lastIndexOf('\n') + 1;
      if (end === 0) {
        rest = text;
        continue;
      }
      const whole = text.slice(0, end);
      rest = text.slice(end);
      yield { text: whole, firstLine };
      for (let at = whole.indexOf('\n'); at !== -1; at = whole.indexOf('\n', at + 1)) firstLine += 1;
    }
    const last = rest + decoder.end();
    if (last !== '') yield { text: last, firstLine };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PixError('INVALID_INPUT', `file: cannot read the input (${code ?? (error as Error).message})`, {
      cause: error,
    });
  }
}

/**
 * Each chunk's result, in the input's order, with several chunks at work at once. A result is
 * handed on as soon as it is ready, not when the next chunk arrives: stdin may pause for a while.
 */
async function* processed(
  chunks: AsyncIterable<TextChunk>,
  pool: ChunkPool,
  options: BulkPublishOptions,
  encode: boolean,
): AsyncIterable<ChunkResult> {
  const request = { origin: options.defaults.origin, encode, everyInvalid: options.skipInvalid };
  const input = chunks[Symbol.asyncIterator]();
  const queue: Promise<ChunkResult>[] = [];
  let reading: Promise<IteratorResult<TextChunk>> | undefined;
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
      yield next.result;
    } else {
      reading = undefined;
      if (next.read.done) inputDone = true;
      else {
        const working = pool.run({ ...request, ...next.read.value });
        working.catch(() => undefined); // a failure surfaces when it reaches the head
        queue.push(working);
      }
    }
  }
}

async function* encodedEvents(
  results: AsyncIterable<ChunkResult>,
  onInvalid: (invalid: InvalidLine) => void,
): AsyncIterable<StreamItem[]> {
  for await (const result of results) {
    for (const bad of result.invalid) onInvalid(bad);
    yield result.encoded ? [result.encoded] : [];
  }
}

async function validateAll(
  chunks: AsyncIterable<TextChunk>,
  pool: ChunkPool,
  options: BulkPublishOptions,
  spool: WriteStream | undefined,
): Promise<{ lines: number; invalid: number; first: InvalidLine[] }> {
  const report = { lines: 0, invalid: 0, first: [] as InvalidLine[] };
  const written = spool ? spooled(chunks, spool) : chunks;
  for await (const result of processed(written, pool, options, false)) {
    report.lines += result.lines;
    report.invalid += result.invalidCount;
    for (const bad of result.invalid) {
      if (report.first.length < REPORTED_INVALID_LINES) report.first.push(bad);
    }
  }
  if (spool) {
    spool.end();
    await once(spool, 'finish');
  }
  return report;
}

/** Writes each chunk to the spool as it passes. */
async function* spooled(chunks: AsyncIterable<TextChunk>, spool: WriteStream): AsyncIterable<TextChunk> {
  for await (const chunk of chunks) {
    if (!spool.write(chunk.text)) await once(spool, 'drain');
    yield chunk;
  }
}

async function createSpool(): Promise<{ folder: string; path: string; stream: WriteStream }> {
  const folder = await mkdtemp(join(tmpdir(), 'pix-publish-'));
  const path = join(folder, 'stdin.ndjson');
  return { folder, path, stream: createWriteStream(path) };
}
