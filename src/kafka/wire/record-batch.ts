import { varintSize } from './buffers.js';
import { crc32c } from './crc32c.js';

/** One message to publish: text key, value and headers, as pix's events are. */
export interface OutgoingRecord {
  key: string | null;
  value: string;
  headers: Readonly<Record<string, string>>;
}

/** Who writes the batch, so the broker can drop a batch it already has when one is sent again. */
export interface ProducerIdentity {
  producerId: bigint;
  producerEpoch: number;
  /** The sequence number of the batch's first record, counted per partition. */
  baseSequence: number;
}

/** Bytes from the batch's start to the checksummed part (attributes onwards). */
const CRC_START = 21;
const CRC_OFFSET = 17;
const HEADER_BYTES = 61;
/** Strings up to this length are copied a character at a time when ASCII: cheaper than a native call. */
const SHORT_STRING = 32;

/**
 * A record batch (format v2, uncompressed) of records all stamped `timestamp`: what a produce
 * request carries for one partition. Sizes are counted first so the batch is allocated once and
 * each record written once, straight into it. This runs for every event of a bulk publish.
 */
export function encodeRecordBatch(
  records: readonly OutgoingRecord[],
  timestamp: number,
  identity: ProducerIdentity,
): Buffer {
  const count = records.length;
  const lengths = new Int32Array(count * 3); // per record: body, key, value bytes
  let total = HEADER_BYTES;
  for (let index = 0; index < count; index += 1) {
    const { key, value, headers } = records[index] as OutgoingRecord;
    const keyBytes = key === null ? -1 : byteLength(key);
    const valueBytes = byteLength(value);
    let headerSize = 0;
    let headerCount = 0;
    for (const name in headers) {
      const nameBytes = byteLength(name);
      const textBytes = byteLength(headers[name] as string);
      headerSize += varintSize(nameBytes) + nameBytes + varintSize(textBytes) + textBytes;
      headerCount += 1;
    }
    const body =
      3 + // attributes, timestamp delta (always 0), and the header count's first byte
      varintSize(index) +
      varintSize(keyBytes) +
      Math.max(keyBytes, 0) +
      varintSize(valueBytes) +
      valueBytes +
      (varintSize(headerCount) - 1) +
      headerSize;
    lengths[index * 3] = body;
    lengths[index * 3 + 1] = keyBytes;
    lengths[index * 3 + 2] = valueBytes;
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
    const { key, value, headers } = records[index] as OutgoingRecord;
    offset = writeVarint(batch, offset, lengths[index * 3] as number);
    batch[offset++] = 0; // attributes
    batch[offset++] = 0; // timestamp delta
    offset = writeVarint(batch, offset, index); // offset delta
    const keyBytes = lengths[index * 3 + 1] as number;
    offset = writeVarint(batch, offset, keyBytes);
    if (key !== null) offset = writeString(batch, offset, key, keyBytes);
    const valueBytes = lengths[index * 3 + 2] as number;
    offset = writeVarint(batch, offset, valueBytes);
    offset = writeString(batch, offset, value, valueBytes);
    let headerCount = 0;
    for (const _name in headers) headerCount += 1;
    offset = writeVarint(batch, offset, headerCount);
    for (const name in headers) {
      const text = headers[name] as string;
      const nameBytes = byteLength(name);
      offset = writeString(batch, writeVarint(batch, offset, nameBytes), name, nameBytes);
      const textBytes = byteLength(text);
      offset = writeString(batch, writeVarint(batch, offset, textBytes), text, textBytes);
    }
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

/** A signed varint (zigzag), as record batches store lengths and deltas. */
function writeVarint(buffer: Buffer, offset: number, value: number): number {
  let rest = ((value << 1) ^ (value >> 31)) >>> 0;
  while (rest >= 0x80) {
    buffer[offset++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buffer[offset++] = rest;
  return offset;
}
