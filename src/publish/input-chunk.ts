import { isUtf8 } from 'node:buffer';

import { parseInputLine } from '../events/input.js';
import type { FieldIssue } from '../events/validation.js';
import { EventRecordWriter, type EncodedEvents } from '../kafka/index.js';

/** How many invalid lines a report lists; the count covers them all. */
export const REPORTED_INVALID_LINES = 20;

/**
 * The longest line read: a Kafka message is at most 1 MiB by default, and an event is a few
 * hundred bytes. Longer lines (a whole JSON document on one line) are not kept in memory: the
 * reader hands on OVERLONG_LINE in their place, reported as invalid at their line number.
 */
export const MAX_LINE_BYTES = 1 << 20;
export const OVERLONG_LINE = '\u0000pix: overlong line\u0000';
const OVERLONG_RULE = `is longer than 1 MiB: pix reads NDJSON, one event a line`;
/** JSON text is UTF-8 (RFC 8259 §8.1): other bytes would be published as U+FFFD, changed. */
const NOT_UTF8_RULE = 'is not valid UTF-8';

export interface InvalidLine {
  line: number;
  issues: FieldIssue[];
}

export interface ChunkRequest {
  /** Whole lines of NDJSON input, as read: decoding them is part of the work a worker takes on. */
  bytes: Uint8Array;
  origin: string;
  /** Encode the valid lines as Kafka records, or only validate them. */
  encode: boolean;
  /** List every invalid line, or only as many as a report shows. */
  everyInvalid: boolean;
}

export interface ChunkResult {
  /** Every line of the chunk, blank ones included: where the next chunk's line numbers start. */
  lineCount: number;
  /** The lines that were not blank, valid or not. */
  lines: number;
  invalidCount: number;
  /** Numbered from 1 at the chunk's first line. */
  invalid: InvalidLine[];
  encoded?: EncodedEvents;
}

/**
 * Validates (and encodes) a chunk of input lines. Pure work on plain data, so it runs the same on
 * the main thread and on the worker threads that share a big input (see chunk-pool.ts).
 */
export function processChunk(request: ChunkRequest): ChunkResult {
  const { bytes } = request;
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = buffer.toString('utf8');
  const notUtf8 = isUtf8(buffer) ? undefined : linesNotUtf8(buffer);
  const defaults = { origin: request.origin };
  const writer = request.encode ? new EventRecordWriter(recordBytesFor(text)) : undefined;
  const result: ChunkResult = { lineCount: 0, lines: 0, invalidCount: 0, invalid: [] };
  let number = 0;
  for (let start = 0; start < text.length;) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    number += 1;
    if (line.trim() === '') continue;
    result.lines += 1;
    const refused = line === OVERLONG_LINE ? OVERLONG_RULE : notUtf8?.has(number) ? NOT_UTF8_RULE : undefined;
    const parsed =
      refused !== undefined
        ? { ok: false as const, issues: [{ field: '(line)', rule: refused }] }
        : parseInputLine(line, defaults);
    if (parsed.ok) {
      writer?.add(parsed.item);
      continue;
    }
    result.invalidCount += 1;
    if (request.everyInvalid || result.invalid.length < REPORTED_INVALID_LINES) {
      result.invalid.push({ line: number, issues: parsed.issues });
    }
  }
  result.lineCount = number;
  if (writer) result.encoded = writer.take();
  return result;
}

/** The numbers (from 1) of the lines whose bytes are not UTF-8; looked for only in a chunk that has some. */
function linesNotUtf8(bytes: Buffer): Set<number> {
  const lines = new Set<number>();
  let number = 1;
  for (let start = 0; start < bytes.length; number += 1) {
    let end = bytes.indexOf(0x0a, start);
    if (end === -1) end = bytes.length;
    if (!isUtf8(bytes.subarray(start, end))) lines.add(number);
    start = end + 1;
  }
  return lines;
}

/**
 * Room for the records of these lines: the line, plus what pix adds to each event (a generated id
 * and time, headers), so that the buffer rarely has to grow and be copied.
 */
function recordBytesFor(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1;
  return text.length * 2 + lines * ADDED_BYTES;
}

/** What pix adds to an event that gave only its type, product and change. */
const ADDED_BYTES = 240;
