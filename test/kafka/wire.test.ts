import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { Reader, Writer, varintSize, writeVarint } from '../../src/kafka/wire/buffers.js';
import { crc32c, hasNativeCrc32c, portableCrc32c } from '../../src/kafka/wire/crc32c.js';
import { keyHash, partitionOfHash } from '../../src/kafka/wire/murmur2.js';
import { EncodedRecords, encodeRecordBatch, type OutgoingRecord } from '../../src/kafka/wire/record-batch.js';

// kafkajs's own partitioner, checksum and record batch decoder are the references pix's produce
// path must agree with: the same key must land on the same partition whichever client wrote it.
const require = createRequire(import.meta.url);
type Partitioner = (args: {
  topic: string;
  partitionMetadata: { partitionId: number; leader: number }[];
  message: { key: string };
}) => number;
const { Partitioners } = require('kafkajs') as { Partitioners: { DefaultPartitioner: () => Partitioner } };
const kafkajsCrc32c = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (buffer: Buffer) => number;
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const decodeRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (decoder: unknown) => Promise<{
  firstSequence: number;
  producerId: string;
  producerEpoch: number;
  lastOffsetDelta: number;
  records: { key: Buffer | null; value: Buffer; offset: string; headers: Record<string, Buffer> }[];
}>;

describe('CRC-32C', () => {
  it('gives the check value of the standard test vector', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('agrees with kafkajs on buffers of every length around its eight-byte steps', () => {
    for (let length = 0; length < 70; length += 1) {
      const bytes = randomBytes(length);
      expect(crc32c(bytes)).toBe(kafkajsCrc32c(bytes) >>> 0);
    }
  });

  it('sums a big batch with the CPU instruction and gets what JavaScript gets, on a part of a buffer too', () => {
    expect(hasNativeCrc32c()).toBe(true); // @node-rs/crc32 has a build for every platform CI runs on
    const bytes = randomBytes(300_001);
    const summed = kafkajsCrc32c(bytes.subarray(7, 200_003)) >>> 0;
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
  it('is read by kafkajs as the records, keys, headers and producer identity written, with a valid checksum', async () => {
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
    expect(batch.readUInt32BE(17)).toBe(crc32c(batch.subarray(21)));

    const decoded = await decodeRecordBatch(new KafkajsDecoder(batch));
    expect(decoded).toMatchObject({ firstSequence: 17, producerId: '4242', producerEpoch: 3, lastOffsetDelta: 2 });
    expect(
      decoded.records.map((record) => ({
        key: record.key?.toString() ?? null,
        value: record.value.toString(),
        headers: Object.fromEntries(Object.entries(record.headers).map(([name, value]) => [name, value.toString()])),
        offset: record.offset,
      })),
    ).toEqual(records.map((record, index) => ({ ...record, offset: String(index) })));
  });
});
