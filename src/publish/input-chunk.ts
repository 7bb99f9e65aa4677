import { parseInputLine } from '../events/input.js';
import type { FieldIssue } from '../events/validation.js';
import { EventRecordWriter, type EncodedEvents } from '../kafka/event-records.js';

/** How many invalid lines a report lists; the count covers them all. */
export const REPORTED_INVALID_LINES = 20;

export interface InvalidLine {
  line: number;
  issues: FieldIssue[];
}

/** Whole lines of NDJSON input, and the number of the first. */
export interface TextChunk {
  text: string;
  firstLine: number;
}

export interface ChunkRequest extends TextChunk {
  origin: string;
  /** Encode the valid lines as Kafka records, or only validate them. */
  encode: boolean;
  /** List every invalid line, or only as many as a report shows. */
  everyInvalid: boolean;
}

export interface ChunkResult {
  lines: number;
  invalidCount: number;
  invalid: InvalidLine[];
  encoded?: EncodedEvents;
}

/**
 * Validates (and encodes) a chunk of input lines. Pure work on plain data, so it runs the same on
 * the main thread and on the worker threads that share a big input (see chunk-pool.ts).
 */
export function processChunk(request: ChunkRequest): ChunkResult {
  const defaults = { origin: request.origin };
  const writer = request.encode ? new EventRecordWriter(recordBytesFor(request.text)) : undefined;
  const result: ChunkResult = { lines: 0, invalidCount: 0, invalid: [] };
  const { text } = request;
  let number = request.firstLine;
  for (let start = 0; start < text.length; number += 1) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    start = end + 1;
    if (line.trim() === '') continue;
    result.lines += 1;
    const parsed = parseInputLine(line, defaults);
    if (parsed.ok) {
      writer?.add(parsed.item);
      continue;
    }
    result.invalidCount += 1;
    if (request.everyInvalid || result.invalid.length < REPORTED_INVALID_LINES) {
      result.invalid.push({ line: number, issues: parsed.issues });
    }
  }
  if (writer) result.encoded = writer.take();
  return result;
}

/**
 * Room for the records of these lines: the line, plus what pix adds to each event (a generated id
 * and time, headers). Enough that the buffer rarely grows, not so much that chunks waste memory.
 */
function recordBytesFor(text: string): number {
  let lines = 1;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines += 1;
  return text.length + lines * 256;
}
