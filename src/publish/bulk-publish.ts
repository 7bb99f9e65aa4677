import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';

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

function openInput(options: BulkPublishOptions): AsyncIterable<NumberedLine> {
  if (options.input === '-') return lines(options.stdin);
  const stream = createReadStream(options.input);
  return lines(stream);
}

/** Non-blank lines with their line numbers, read as a stream. */
async function* lines(stream: NodeJS.ReadableStream): AsyncIterable<NumberedLine> {
  const reader = createInterface({ input: stream, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const text of reader) {
      number += 1;
      if (text.trim() !== '') yield { number, text };
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PixError('INVALID_INPUT', `file: cannot read the input (${code ?? (error as Error).message})`, {
      cause: error,
    });
  }
}

async function* validLines(
  source: AsyncIterable<NumberedLine>,
  defaults: EventDefaults,
  onInvalid: (invalid: InvalidLine) => void,
): AsyncIterable<OutgoingEvent> {
  for await (const { number, text } of source) {
    const parsed = parseInputLine(text, defaults);
    if (parsed.ok) yield parsed.item;
    else onInvalid({ line: number, issues: parsed.issues });
  }
}

async function validateAll(
  source: AsyncIterable<NumberedLine>,
  defaults: EventDefaults,
  spool: WriteStream | undefined,
): Promise<{ lines: number; invalid: number; first: InvalidLine[] }> {
  const report = { lines: 0, invalid: 0, first: [] as InvalidLine[] };
  for await (const { number, text } of source) {
    report.lines += 1;
    if (spool && !spool.write(`${text}\n`)) await once(spool, 'drain');
    const parsed = parseInputLine(text, defaults);
    if (parsed.ok) continue;
    report.invalid += 1;
    if (report.first.length < REPORTED_INVALID_LINES) report.first.push({ line: number, issues: parsed.issues });
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
