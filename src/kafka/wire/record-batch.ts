import { Reader, varintSize, writeVarint } from './buffers.js';
import { crc32c } from './crc32c.js';

/** One message to publish: text key, value and headers, as pix's events are. */
export interface OutgoingRecord {
  key: string | null;
  value: string;
  headers: Readonly<Record<string, string>>;
}

/**
 * One message as it was read, bytes and all: what a dead letter carries on unchanged, whatever its
 * key, value and headers hold (text or not, or null: a record's key and value may be absent).
 */
export interface RawRecord {
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: readonly (readonly [name: string, value: Uint8Array | null])[];
}

/** An idempotent producer's id and epoch, as InitProducerId gives them (KIP-98). */
export interface ProducerIdentity {
  producerId: bigint;
  producerEpoch: number;
}

/** Who writes the batch, so the broker can drop a batch it already has when one is sent again. */
interface BatchIdentity extends ProducerIdentity {
  /** The sequence number of the batch's first record, counted per partition. */
  baseSequence: number;
}

/**
 * Records encoded up to their place in a batch: key, value and headers, as a record batch stores
 * them after each record's own length, attributes and deltas. They are encoded where the event is
 * made (on a worker thread for bulk input) and copied into a batch when it is sent.
 */
export class EncodedRecords {
  readonly buffers: Buffer[] = [];
  readonly starts: number[] = [];
  readonly ends: number[] = [];
  /** The records' bytes as encoded so far, a little under what they take in a batch. */
  bytes = 0;

  get count(): number {
    return this.starts.length;
  }

  add(buffer: Buffer, start: number, end: number): void {
    this.buffers.push(buffer);
    this.starts.push(start);
    this.ends.push(end);
    this.bytes += end - start;
  }

  static of(records: readonly OutgoingRecord[]): EncodedRecords {
    const writer = new RecordWriter(records.length * 256);
    const encoded = new EncodedRecords();
    for (const record of records) {
      const start = writer.offset;
      writer.record(record);
      encoded.add(writer.buffer, start, writer.offset);
    }
    // The writer may have grown into a new buffer: the spans all point into the final one.
    encoded.buffers.fill(writer.buffer);
    return encoded;
  }

  static ofRaw(record: RawRecord): EncodedRecords {
    const writer = new RecordWriter(64);
    writer.rawRecord(record);
    const encoded = new EncodedRecords();
    encoded.add(writer.buffer, 0, writer.offset);
    return encoded;
  }
}

/**
 * The key, value and headers of one encoded record (what RecordWriter wrote between `start` and
 * `end`): what a failed publish reports of the events it could not confirm.
 */
export function decodeRecordBody(buffer: Buffer, start: number, end: number): OutgoingRecord {
  const reader = new Reader(buffer.subarray(start, end));
  const key = reader.varintString();
  const value = reader.varintString() ?? '';
  const headers: [string, string][] = [];
  const count = reader.varint();
  for (let index = 0; index < count; index += 1)
    headers.push([reader.varintString() ?? '', reader.varintString() ?? '']);
  // fromEntries: a header named __proto__ stays a header, not the object's prototype.
  return { key, value, headers: Object.fromEntries(headers) };
}

/** Every record of an EncodedRecords, decoded. */
export function* decodedRecords(records: EncodedRecords): Iterable<OutgoingRecord> {
  for (let index = 0; index < records.count; index += 1) {
    yield decodeRecordBody(
      records.buffers[index] as Buffer,
      records.starts[index] as number,
      records.ends[index] as number,
    );
  }
}

/** Strings up to this length are copied a character at a time when ASCII: cheaper than a native call. */
const SHORT_STRING = 32;

/** Writes records' key, value and headers one after another into a growing buffer. */
export class RecordWriter {
  buffer: Buffer;
  offset = 0;

  constructor(capacity: number) {
    // Never from Node's shared pool: a worker hands the whole buffer over to the main thread.
    this.buffer = Buffer.allocUnsafeSlow(Math.max(capacity, 64));
  }

  record({ key, value, headers }: OutgoingRecord): void {
    let headerBytes = 5;
    for (const name in headers) headerBytes += 10 + 3 * (name.length + (headers[name] as string).length);
    this.keyAndValue(key, value, headerBytes);
    this.headers(headers);
  }

  /**
   * A record of bytes, written as they are. The record format v2 (Kafka protocol guide, "Record"):
   * varint lengths before key and value, -1 for null; a varint count of headers, each a varint-
   * prefixed UTF-8 name and a varint-prefixed value (-1 for null).
   */
  rawRecord({ key, value, headers }: RawRecord): void {
    let size = 15 + (key?.length ?? 0) + (value?.length ?? 0);
    for (const [name, bytes] of headers) size += 10 + 3 * name.length + (bytes?.length ?? 0);
    this.ensure(size);
    const buffer = this.buffer;
    let offset = this.offset;
    for (const bytes of [key, value]) {
      offset = writeVarint(buffer, offset, bytes === null ? -1 : bytes.length);
      if (bytes !== null) {
        buffer.set(bytes, offset);
        offset += bytes.length;
      }
    }
    offset = writeVarint(buffer, offset, headers.length);
    for (const [name, bytes] of headers) {
      const nameBytes = byteLength(name);
      offset = writeString(buffer, writeVarint(buffer, offset, nameBytes), name, nameBytes);
      offset = writeVarint(buffer, offset, bytes === null ? -1 : bytes.length);
      if (bytes !== null) {
        buffer.set(bytes, offset);
        offset += bytes.length;
      }
    }
    this.offset = offset;
  }

  /** A record whose header section was encoded once (by encodeHeaderSection) for many records. */
  recordWithHeaderSection(key: string | null, value: string, section: Uint8Array): void {
    this.keyAndValue(key, value, section.length);
    this.buffer.set(section, this.offset);
    this.offset += section.length;
  }

  /** Writes key and value, with room after them for a header section of up to `then` bytes. */
  private keyAndValue(key: string | null, value: string, then: number): void {
    const keyBytes = key === null ? -1 : byteLength(key);
    const valueBytes = byteLength(value);
    this.ensure(10 + Math.max(keyBytes, 0) + valueBytes + then); // two varints of at most five bytes
    const buffer = this.buffer;
    let offset = writeVarint(buffer, this.offset, keyBytes);
    if (key !== null) offset = writeString(buffer, offset, key, keyBytes);
    this.offset = writeString(buffer, writeVarint(buffer, offset, valueBytes), value, valueBytes);
  }

  private headers(headers: Readonly<Record<string, string>>): void {
    const buffer = this.buffer;
    let headerCount = 0;
    for (const _name in headers) headerCount += 1;
    let offset = writeVarint(buffer, this.offset, headerCount);
    for (const name in headers) {
      const text = headers[name] as string;
      const nameBytes = byteLength(name);
      offset = writeString(buffer, writeVarint(buffer, offset, nameBytes), name, nameBytes);
      const textBytes = byteLength(text);
      offset = writeString(buffer, writeVarint(buffer, offset, textBytes), text, textBytes);
    }
    this.offset = offset;
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(this.offset + bytes, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }
}

/** Headers as a record stores them, to be written as they are into many records. */
export function encodeHeaderSection(headers: Readonly<Record<string, string>>): Buffer {
  const writer = new RecordWriter(64);
  writer.record({ key: null, value: '', headers });
  return Buffer.from(writer.buffer.subarray(2, writer.offset)); // after the null key and empty value
}

/** Bytes from the batch's start to the checksummed part (attributes onwards). */
const CRC_START = 21;
const CRC_OFFSET = 17;
const HEADER_BYTES = 61;

/**
 * A record batch (format v2, uncompressed) of encoded records all stamped `timestamp`: what a
 * produce request carries for one partition. Allocated once, each record copied in once.
 */
export function encodeRecordBatch(records: EncodedRecords, timestamp: number, identity: BatchIdentity): Buffer {
  const { buffers, starts, ends, count } = records;
  let total = HEADER_BYTES;
  for (let index = 0; index < count; index += 1) {
    const body = 2 + varintSize(index) + (ends[index] as number) - (starts[index] as number);
    total += varintSize(body) + body;
  }

  const batch = Buffer.allocUnsafe(total);
  batch.writeBigInt64BE(0n, 0); // base offset: the broker assigns offsets
  batch.writeInt32BE(total - 12, 8); // batch length
  batch.writeInt32BE(-1, 12); // partition leader epoch
  batch.writeInt8(2, 16); // magic: record batch v2
  batch.writeInt16BE(0, 21); // attributes: no compression, create time, not transactional
  batch.writeInt32BE(count - 1, 23); // last offset delta
  batch.writeBigInt64BE(BigInt(timestamp), 27); // first timestamp
  batch.writeBigInt64BE(BigInt(timestamp), 35); // max timestamp
  batch.writeBigInt64BE(identity.producerId, 43);
  batch.writeInt16BE(identity.producerEpoch, 51);
  batch.writeInt32BE(identity.baseSequence, 53);
  batch.writeInt32BE(count, 57);

  let offset = HEADER_BYTES;
  for (let index = 0; index < count; index += 1) {
    const start = starts[index] as number;
    const end = ends[index] as number;
    offset = writeVarint(batch, offset, 2 + varintSize(index) + end - start);
    batch[offset++] = 0; // attributes
    batch[offset++] = 0; // timestamp delta
    offset = writeVarint(batch, offset, index); // offset delta
    offset += (buffers[index] as Buffer).copy(batch, offset, start, end);
  }
  batch.writeUInt32BE(crc32c(batch, CRC_START), CRC_OFFSET);
  return batch;
}

function byteLength(text: string): number {
  if (text.length <= SHORT_STRING) {
    let ascii = true;
    for (let index = 0; index < text.length && ascii; index += 1) ascii = text.charCodeAt(index) < 0x80;
    if (ascii) return text.length;
  }
  return Buffer.byteLength(text);
}

function writeString(buffer: Buffer, offset: number, text: string, bytes: number): number {
  if (bytes === text.length && bytes <= SHORT_STRING) {
    for (let index = 0; index < bytes; index += 1) buffer[offset + index] = text.charCodeAt(index);
    return offset + bytes;
  }
  return offset + buffer.write(text, offset);
}
