import { encodeEvent } from '../events/codec.js';
import type { OutgoingEvent } from '../events/input.js';
import { EVENT_TYPES, type EventType } from '../events/schema.js';
import { keyHash } from './wire/murmur2.js';
import { RecordWriter } from './wire/record-batch.js';

/**
 * Events encoded as Kafka records, ready to be placed in batches: one buffer of records, and for
 * each event four numbers (its type's index in EVENT_TYPES, its key's hash, where its record
 * starts and ends). Plain data, so a worker thread can make it and hand it over without copying.
 */
export interface EncodedEvents {
  bytes: Buffer;
  spans: Int32Array;
  count: number;
}

export const SPAN_FIELDS = 4;

const TYPE_INDEX: Readonly<Record<EventType, number>> = { price: 0, discount: 1, country: 2 };

export function typeOfSpan(index: number): EventType {
  return EVENT_TYPES[index] ?? 'price';
}

/** Gathers events as records: key, value and headers as pix writes every message (codec.ts). */
export class EventRecordWriter {
  private writer: RecordWriter;
  private spans: number[] = [];

  constructor(private readonly capacity = 1 << 16) {
    this.writer = new RecordWriter(capacity);
  }

  get count(): number {
    return this.spans.length / SPAN_FIELDS;
  }

  add({ event, key, headers }: OutgoingEvent): void {
    const message = encodeEvent(event);
    const recordKey = key ?? message.key;
    const start = this.writer.offset;
    this.writer.record({
      key: recordKey,
      value: message.value,
      headers: headers ? { ...headers, ...message.headers } : message.headers,
    });
    this.spans.push(TYPE_INDEX[event.type], keyHash(recordKey), start, this.writer.offset);
  }

  /** What was gathered, and a fresh start for what comes next. */
  take(): EncodedEvents {
    const taken = { bytes: this.writer.buffer, spans: Int32Array.from(this.spans), count: this.count };
    this.writer = new RecordWriter(this.capacity);
    this.spans = [];
    return taken;
  }
}
