import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';

import { PixError } from '../errors.js';
import type { EventDefaults } from '../events/create.js';
import { parseInputLine, type OutgoingEvent } from '../events/input.js';
import type { TopicNames } from '../events/topics.js';
import { describeIssues, type FieldIssue } from '../events/validation.js';
import { publishStream } from '../kafka/batch-publisher.js';
import type { ProduceObserver } from '../metrics/metrics.js';
import type { KafkaClient } from '../kafka/client.js';

/** How many invalid lines a report lists; the count covers them all. */
export const REPORTED_INVALID_LINES = 20;

export interface InvalidLine {
  line: number;
  issues: FieldIssue[];
}

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
 * so that memory stays bounded however long the input is.
 */
export async function bulkPublish(options: BulkPublishOptions): Promise<BulkPublishSummary> {
  if (options.skipInvalid) {
    let invalid = 0;
    const summary = await publishStream({
      ...publishOptions(options),
      source: validLines(openInput(options), options.defaults, (bad) => {
        invalid += 1;
        options.onInvalid?.(bad);
      }),
    });
    return { ...summary, invalid };
  }

  const spool = options.input === '-' ? await createSpool() : undefined;
  try {
    const report = await validateAll(openInput(options), options.defaults, spool?.stream);
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
    const source = spool ? lines(createReadStream(spool.path)) : openInput(options);
    const summary = await publishStream({
      ...publishOptions(options),
      source: validLines(source, options.defaults, () => undefined),
    });
    return { ...summary, invalid: 0 };
  } finally {
    if (spool) await rm(spool.folder, { recursive: true, force: true });
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

interface NumberedLine {
  number: number;
  text: string;
}

/** Bytes read from a file at a time: fewer, larger reads for files of millions of lines. */
const READ_CHUNK_BYTES = 1 << 20;

function openInput(options: BulkPublishOptions): AsyncIterable<NumberedLine[]> {
  if (options.input === '-') return lines(options.stdin);
  return lines(createReadStream(options.input, { highWaterMark: READ_CHUNK_BYTES }));
}

/**
 * Non-blank lines with their line numbers, read as a stream and handed on a chunk at a time:
 * a line at a time through async iteration costs more than parsing it.
 */
async function* lines(stream: NodeJS.ReadableStream): AsyncIterable<NumberedLine[]> {
  const decoder = new StringDecoder('utf8');
  let number = 0;
  let rest = '';
  const split = (text: string, final: boolean): NumberedLine[] => {
    const found: NumberedLine[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      number += 1;
      const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
      if (line.trim() !== '') found.push({ number, text: line });
      start = end + 1;
    }
    rest = text.slice(start);
    if (final && rest.trim() !== '') found.push({ number: number + 1, text: rest });
    return found;
  };
  try {
    for await (const chunk of stream) {
      const found = split(rest + decoder.write(chunk), false);
      if (found.length > 0) yield found;
    }
    const last = split(rest + decoder.end(), true);
    if (last.length > 0) yield last;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PixError('INVALID_INPUT', `file: cannot read the input (${code ?? (error as Error).message})`, {
      cause: error,
    });
  }
}

async function* validLines(
  source: AsyncIterable<NumberedLine[]>,
  defaults: EventDefaults,
  onInvalid: (invalid: InvalidLine) => void,
): AsyncIterable<OutgoingEvent[]> {
  for await (const chunk of source) {
    const valid: OutgoingEvent[] = [];
    for (const { number, text } of chunk) {
      const parsed = parseInputLine(text, defaults);
      if (parsed.ok) valid.push(parsed.item);
      else onInvalid({ line: number, issues: parsed.issues });
    }
    yield valid;
  }
}

async function validateAll(
  source: AsyncIterable<NumberedLine[]>,
  defaults: EventDefaults,
  spool: WriteStream | undefined,
): Promise<{ lines: number; invalid: number; first: InvalidLine[] }> {
  const report = { lines: 0, invalid: 0, first: [] as InvalidLine[] };
  for await (const chunk of source) {
    if (spool && !spool.write(chunk.map(({ text }) => `${text}\n`).join(''))) await once(spool, 'drain');
    for (const { number, text } of chunk) {
      report.lines += 1;
      const parsed = parseInputLine(text, defaults);
      if (parsed.ok) continue;
      report.invalid += 1;
      if (report.first.length < REPORTED_INVALID_LINES) report.first.push({ line: number, issues: parsed.issues });
    }
  }
  if (spool) {
    spool.end();
    await once(spool, 'finish');
  }
  return report;
}

async function createSpool(): Promise<{ folder: string; path: string; stream: WriteStream }> {
  const folder = await mkdtemp(join(tmpdir(), 'pix-publish-'));
  const path = join(folder, 'stdin.ndjson');
  return { folder, path, stream: createWriteStream(path) };
}
