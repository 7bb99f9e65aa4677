/**
 * Kafka's wire types, written into one growing buffer and read from a response. Only what the
 * requests pix sends itself need: big-endian integers, strings with int16 lengths, arrays with
 * int32 counts, and the zigzag varints of record batches.
 */
export class Writer {
  buffer: Buffer;
  offset = 0;
  /** Buffers written so far, in order, when big ones were attached rather than copied. */
  private readonly done: Buffer[] = [];

  constructor(capacity = 1024) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  ensure(bytes: number): void {
    const needed = this.offset + bytes;
    if (needed <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  int8(value: number): this {
    this.ensure(1);
    this.buffer[this.offset++] = value & 0xff;
    return this;
  }

  int16(value: number): this {
    this.ensure(2);
    this.buffer.writeInt16BE(value, this.offset);
    this.offset += 2;
    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.buffer.writeInt32BE(value, this.offset);
    this.offset += 4;
    return this;
  }

  int64(value: bigint): this {
    this.ensure(8);
    this.buffer.writeBigInt64BE(value, this.offset);
    this.offset += 8;
    return this;
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  /** A string with an int16 length; null is length -1. */
  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const length = Buffer.byteLength(value);
    this.int16(length);
    this.ensure(length);
    this.offset += this.buffer.write(value, this.offset, 'utf8');
    return this;
  }

  /** Bytes with an int32 length. */
  bytes(value: Uint8Array): this {
    this.int32(value.length);
    return this.raw(value);
  }

  /** Bytes with an int32 length, sent as they are: a record batch is not copied into its request. */
  attached(value: Buffer): this {
    this.int32(value.length);
    this.done.push(this.buffer.subarray(0, this.offset), value);
    this.buffer = this.buffer.subarray(this.offset);
    this.offset = 0;
    return this;
  }

  raw(value: Uint8Array): this {
    this.ensure(value.length);
    this.buffer.set(value, this.offset);
    this.offset += value.length;
    return this;
  }

  array<T>(items: readonly T[], write: (item: T) => void): this {
    this.int32(items.length);
    for (const item of items) write(item);
    return this;
  }

  result(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }

  /** Everything written, as the buffers to send one after the other. */
  parts(): Buffer[] {
    return [...this.done, this.result()];
  }
}

/** Writes a signed varint (zigzag), as record batches store lengths and deltas; returns the offset after it. */
export function writeVarint(buffer: Buffer, offset: number, value: number): number {
  let rest = ((value << 1) ^ (value >> 31)) >>> 0;
  while (rest >= 0x80) {
    buffer[offset++] = (rest & 0x7f) | 0x80;
    rest >>>= 7;
  }
  buffer[offset++] = rest;
  return offset;
}

/** The bytes a signed varint of this value takes. */
export function varintSize(value: number): number {
  const zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
  if (zigzag < 0x80) return 1;
  if (zigzag < 0x4000) return 2;
  if (zigzag < 0x200000) return 3;
  if (zigzag < 0x10000000) return 4;
  return 5;
}

export class Reader {
  offset = 0;

  constructor(private readonly buffer: Buffer) {}

  int8(): number {
    return this.buffer.readInt8(this.offset++);
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  int64(): bigint {
    const value = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  bool(): boolean {
    return this.int8() !== 0;
  }

  string(): string | null {
    return this.text(this.int16());
  }

  bytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A signed varint (zigzag) of a record batch, up to five bytes. */
  varint(): number {
    let zigzag = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const byte = this.buffer[this.offset++] ?? 0;
      zigzag |= (byte & 0x7f) << shift;
      if (byte < 0x80) break;
    }
    zigzag >>>= 0;
    return (zigzag >>> 1) ^ -(zigzag & 1);
  }

  /** Text of a varint length (-1: none), as records store keys, values and headers. */
  varintString(): string | null {
    return this.text(this.varint());
  }

  /** `length` bytes of UTF-8 text; a negative length is none (null). */
  private text(length: number): string | null {
    if (length < 0) return null;
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  array<T>(read: () => T): T[] {
    const count = this.int32();
    const items: T[] = [];
    for (let index = 0; index < count; index += 1) items.push(read());
    return items;
  }
}
