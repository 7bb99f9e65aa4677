import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { Reader, Writer, varintSize, writeVarint } from '../../src/kafka/wire/buffers.js';
import { crc32c, hasNativeCrc32c, portableCrc32c } from '../../src/kafka/wire/crc32c.js';
import { keyHash, partitionOfHash } from '../../src/kafka/wire/murmur2.js';
import {
  decodedRecords,
  EncodedRecords,
  encodeRecordBatch,
  type OutgoingRecord,
} from '../../src/kafka/wire/record-batch.js';

// References pix's produce path must agree with, none of them pix's own code: kafkajs's public
// partitioner (the same key must land on the same partition whichever client wrote it), the native
// CRC-32C of @node-rs/crc32, and the record batch layout of the protocol guide.
const require = createRequire(import.meta.url);
type Partitioner = (args: {
  topic: string;
  partitionMetadata: { partitionId: number; leader: number }[];
  message: { key: string };
}) => number;
const { Partitioners } = require('kafkajs') as { Partitioners: { DefaultPartitioner: () => Partitioner } };
const nativeCrc32c = (require('@node-rs/crc32') as { crc32c: (input: Buffer, initial?: number) => number }).crc32c;

describe('CRC-32C', () => {
  it('gives the check value of the standard test vector', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('agrees with the CPU instruction on buffers of every length around its eight-byte steps', () => {
    for (let length = 0; length < 70; length += 1) {
      const bytes = randomBytes(length);
      expect(portableCrc32c(bytes)).toBe(nativeCrc32c(bytes) >>> 0);
    }
  });

  it('sums a big batch with the CPU instruction and gets what JavaScript gets, on a part of a buffer too', () => {
    expect(hasNativeCrc32c()).toBe(true); // @node-rs/crc32 has a build for every platform CI runs on
    const bytes = randomBytes(300_001);
    const summed = nativeCrc32c(bytes.subarray(7, 200_003)) >>> 0;
    expect(portableCrc32c(bytes, 7, 200_003)).toBe(summed);
    expect(crc32c(bytes.subarray(3), 4, 200_000)).toBe(summed);
    expect(crc32c(bytes)).toBe(portableCrc32c(bytes));
  });
});

describe('partition of a key', () => {
  it('is the partition kafkajs and the Java client choose, for 10,000 keys and several partition counts', () => {
    const partitioner = Partitioners.DefaultPartitioner();
    for (const partitions of [1, 3, 7, 12]) {
      const partitionMetadata = Array.from({ length: partitions }, (_, partitionId) => ({ partitionId, leader: 1 }));
      for (let index = 0; index < 10_000; index += 1) {
        const key = index % 3 === 0 ? `SKU-${index}-ü` : String(index * 7919);
        expect(partitionOfHash(keyHash(key), partitions)).toBe(
          partitioner({ topic: 't', partitionMetadata, message: { key } }),
        );
      }
    }
  });
});

describe('varints', () => {
  it('round-trips signed values with the size varintSize says', () => {
    for (const value of [0, 1, -1, 63, -64, 64, 8191, -8192, 1_000_000, -1_000_000, 2 ** 31 - 1, -(2 ** 31)]) {
      const buffer = Buffer.alloc(8);
      const bytes = buffer.subarray(0, writeVarint(buffer, 0, value));
      expect(bytes).toHaveLength(varintSize(value));
      const zigzag = [...bytes].reduce((sum, byte, index) => sum + (byte & 0x7f) * 2 ** (7 * index), 0);
      expect(zigzag % 2 === 0 ? zigzag / 2 : -(zigzag + 1) / 2).toBe(value);
    }
  });

  it('reads back what the writer wrote, across buffer growth', () => {
    const writer = new Writer(4).int16(-2).int32(70_000).int64(-5n).string('héllo').string(null).bool(true);
    const reader = new Reader(writer.result());
    expect([reader.int16(), reader.int32(), reader.int64(), reader.string(), reader.string(), reader.bool()]).toEqual([
      -2,
      70_000,
      -5n,
      'héllo',
      null,
      true,
    ]);
  });
});

describe('record batch', () => {
  it('is laid out as the protocol guide gives a v2 record batch: producer identity, counts and checksum', () => {
    const records: OutgoingRecord[] = [
      { key: '123', value: '{"price":9.99}', headers: { 'event-type': 'price', origin: 'on-prem' } },
      { key: 'ü-ключ', value: 'x'.repeat(300), headers: {} },
      { key: null, value: '', headers: { empty: '' } },
    ];
    const batch = encodeRecordBatch(EncodedRecords.of(records), 1_795_000_000_000, {
      producerId: 4242n,
      producerEpoch: 3,
      baseSequence: 17,
    });
    // baseOffset int64, batchLength int32, partitionLeaderEpoch int32, magic int8, crc uint32,
    // attributes int16, lastOffsetDelta int32, baseTimestamp int64, maxTimestamp int64,
    // producerId int64, producerEpoch int16, baseSequence int32, records count int32.
    expect({
      baseOffset: batch.readBigInt64BE(0),
      batchLength: batch.readInt32BE(8),
      magic: batch.readInt8(16),
      attributes: batch.readInt16BE(21),
      lastOffsetDelta: batch.readInt32BE(23),
      baseTimestamp: batch.readBigInt64BE(27),
      producerId: batch.readBigInt64BE(43),
      producerEpoch: batch.readInt16BE(51),
      baseSequence: batch.readInt32BE(53),
      records: batch.readInt32BE(57),
    }).toEqual({
      baseOffset: 0n,
      batchLength: batch.length - 12,
      magic: 2,
      attributes: 0,
      lastOffsetDelta: 2,
      baseTimestamp: 1_795_000_000_000n,
      producerId: 4242n,
      producerEpoch: 3,
      baseSequence: 17,
      records: 3,
    });
    // CRC-32C from the attributes to the end, by the CPU instruction as the broker checks it.
    expect(batch.readUInt32BE(17)).toBe(nativeCrc32c(batch.subarray(21)) >>> 0);
  });
});

describe('record bodies read back', () => {
  it('gives each record key, value and headers as written, multi-byte text and a header named __proto__ too', () => {
    const records: OutgoingRecord[] = [
      { key: 'p-1', value: '{"price":1}', headers: { 'pix-type': 'price' } },
      { key: null, value: 'é'.repeat(300), headers: {} },
      { key: 'ключ', value: '', headers: JSON.parse('{"__proto__":"x","b":"ü"}') as Record<string, string> },
    ];
    const read = [...decodedRecords(EncodedRecords.of(records))];
    expect(read).toEqual(records);
    expect(Object.getPrototypeOf(read[2]?.headers)).toBe(Object.prototype);
  });

  it('reads the varints writeVarint wrote, negative and past one byte', () => {
    const buffer = Buffer.alloc(64);
    const values = [0, -1, 1, 63, -64, 64, 300, -300, 2 ** 30, -(2 ** 31)];
    let offset = 0;
    for (const value of values) offset = writeVarint(buffer, offset, value);
    const reader = new Reader(buffer);
    expect(values.map(() => reader.varint())).toEqual(values);
  });
});
