import { eventHeaders, eventJson } from '../events/codec.js';
import type { OutgoingEvent } from '../events/input.js';
import { EVENT_TYPES, type EventType, type PixEvent } from '../events/schema.js';
import { keyHash } from './wire/murmur2.js';
import { decodeRecordBody, encodeHeaderSection, RecordWriter, type OutgoingRecord } from './wire/record-batch.js';

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
  private spans: Int32Array;
  private gathered = 0;
  /** Header sections by type, schema version and origin: a bulk input has few of them. */
  private readonly headerSections = new Map<string, Uint8Array>();

  constructor(private readonly capacity = 1 << 16) {
    this.writer = new RecordWriter(capacity);
    this.spans = new Int32Array(SPAN_FIELDS * 1024);
  }

  get count(): number {
    return this.gathered;
  }

  add(item: OutgoingEvent): void {
    const { event } = item;
    const recordKey = recordKeyOf(item);
    const start = this.writer.offset;
    if (item.headers) this.writer.record(eventRecord(item));
    else this.writer.recordWithHeaderSection(recordKey, eventJson(event), this.headerSection(event));
    if ((this.gathered + 1) * SPAN_FIELDS > this.spans.length) {
      const grown = new Int32Array(this.spans.length * 2);
      grown.set(this.spans);
      this.spans = grown;
    }
    const at = this.gathered * SPAN_FIELDS;
    this.spans[at] = TYPE_INDEX[event.type];
    this.spans[at + 1] = keyHash(recordKey);
    this.spans[at + 2] = start;
    this.spans[at + 3] = this.writer.offset;
    this.gathered += 1;
  }

  /** What was gathered, and a fresh start for what comes next. */
  take(): EncodedEvents {
    const taken = {
      bytes: this.writer.buffer,
      spans: this.spans.slice(0, this.gathered * SPAN_FIELDS),
      count: this.gathered,
    };
    this.writer = new RecordWriter(this.capacity);
    this.gathered = 0;
    return taken;
  }

  private headerSection(event: PixEvent): Uint8Array {
    const name = `${event.type} ${event.schemaVersion} ${event.origin}`;
    let section = this.headerSections.get(name);
    if (!section) {
      if (this.headerSections.size >= MAX_HEADER_SECTIONS) this.headerSections.clear();
      section = encodeHeaderSection(eventHeaders(event));
      this.headerSections.set(name, section);
    }
    return section;
  }
}

/** The key of an event's record: the one its input gave, else its product id (one product, one partition). */
function recordKeyOf({ event, key }: OutgoingEvent): string {
  return key ?? event.productId;
}

/** An event as the record pix writes for it (codec.ts): key, value and headers. */
export function eventRecord(item: OutgoingEvent): OutgoingRecord {
  return {
    key: recordKeyOf(item),
    value: eventJson(item.event),
    headers: { ...item.headers, ...eventHeaders(item.event) },
  };
}

/** The records of events encoded by EventRecordWriter, one by one, from the one at `from`. */
export function* encodedEventRecords({ bytes, spans, count }: EncodedEvents, from = 0): Iterable<OutgoingRecord> {
  for (let index = from; index < count; index += 1) {
    const at = index * SPAN_FIELDS;
    yield decodeRecordBody(bytes, spans[at + 2] ?? 0, spans[at + 3] ?? 0);
  }
}

/** Enough for many sites; an input with more origins than this still works, with less reuse. */
const MAX_HEADER_SECTIONS = 256;
