import { randomUUID } from 'node:crypto';

import { Kafka, logLevel, type KafkaMessage } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';

import { DEAD_LETTER_HEADERS } from '../../src/kafka/index.js';
import { createTopics } from '../../src/kafka/topic-admin.js';
import { waitFor } from '../helpers/dashboard.js';
import { makeEvent } from '../helpers/events.js';
import { brokerArg, deleteTopics, freshTopics, TEST_BROKERS, testClient, type FreshTopics } from '../helpers/kafka.js';
import { kcat } from '../helpers/kcat.js';
import { ndjson, runPix } from '../helpers/pix.js';

/** Every message of `topic` as kafkajs reads it, bytes and all, once `count` have arrived. */
async function rawMessages(topic: string, count: number): Promise<KafkaMessage[]> {
  const client = testClient();
  const messages: KafkaMessage[] = [];
  try {
    const consumer = await client.consumer(`dead-letter-check-${randomUUID()}`);
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        messages.push(message);
      },
    });
    await waitFor(`${count} messages on ${topic}`, () => (messages.length >= count ? true : undefined));
    return messages;
  } finally {
    await client.close();
  }
}

/** A message with a key and no value (a tombstone), written by kafkajs: kcat sends no empty message. */
async function writeTombstone(topic: string, key: string): Promise<void> {
  const producer = new Kafka({ brokers: [...TEST_BROKERS], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key, value: null }] });
  } finally {
    await producer.disconnect();
  }
}

const header = (message: KafkaMessage, name: string): string | undefined => message.headers?.[name]?.toString();

describe('pix consume --dead-letter-topic', () => {
  let fresh: FreshTopics;
  let deadLetters: string;

  /** pix's topics and a dead-letter topic of their own; `configs` for the dead-letter one. */
  async function topicsWithDeadLetters(configs: Record<string, string> = {}): Promise<void> {
    fresh = await freshTopics({ partitions: 1 });
    deadLetters = `${fresh.prefix}dead-letters`;
    const client = testClient();
    try {
      await createTopics(client, [deadLetters], { partitions: 2, replicationFactor: 1, configs });
    } finally {
      await client.close();
    }
  }

  afterEach(async () => {
    await fresh.cleanup();
    await deleteTopics([deadLetters]);
  });

  const consume = (...args: string[]) =>
    runPix([
      'consume',
      'price',
      '--from-beginning',
      '--exit',
      '--json',
      '--topic-prefix',
      fresh.prefix,
      ...brokerArg(),
      ...args,
    ]);

  it('forwards every skipped message unchanged, with headers saying why and where from, and shows the rest', async () => {
    await topicsWithDeadLetters();
    const topic = fresh.topics.of('price');
    const valid = makeEvent('price', 'fine', { price: 3 });
    expect((await kcat(['-P', '-t', topic, '-k', 'text-key', '-H', 'trace=abc'], 'not json\n')).code).toBe(0);
    expect((await kcat(['-P', '-t', topic, '-k', 'bytes'], Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x0a]))).code).toBe(0);
    await writeTombstone(topic, 'tombstone');
    expect((await kcat(['-P', '-t', topic, '-k', 'fine'], `${JSON.stringify(valid)}\n`)).code).toBe(0);

    const { code, stdout, stderr } = await consume('--dead-letter-topic', deadLetters);
    expect(code).toBe(0);
    expect(ndjson<{ event: { productId: string } }>(stdout).map((line) => line.event.productId)).toEqual(['fine']);
    for (const offset of [0, 1, 2]) {
      expect(stderr).toMatch(
        new RegExp(
          `^skipped ${topic.replace('.', '\\.')}\\[0\\]@${offset}: .*\\(forwarded to ${deadLetters.replace('.', '\\.')}\\[\\d\\]@\\d\\)$`,
          'm',
        ),
      );
    }
    expect(stderr).toContain('1 event, 3 skipped');

    const forwarded = await rawMessages(deadLetters, 3);
    const byKey = new Map(forwarded.map((message) => [message.key?.toString(), message]));
    expect([...byKey.keys()].sort()).toEqual(['bytes', 'text-key', 'tombstone']);
    expect(byKey.get('text-key')?.value).toEqual(Buffer.from('not json'));
    expect(header(byKey.get('text-key') as KafkaMessage, 'trace')).toBe('abc');
    expect(byKey.get('bytes')?.value).toEqual(Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    expect(byKey.get('tombstone')?.value).toBeNull();
    for (const [key, offset] of [
      ['text-key', '0'],
      ['bytes', '1'],
      ['tombstone', '2'],
    ] as const) {
      const message = byKey.get(key) as KafkaMessage;
      expect({
        key,
        topic: header(message, DEAD_LETTER_HEADERS.topic),
        partition: header(message, DEAD_LETTER_HEADERS.partition),
        offset: header(message, DEAD_LETTER_HEADERS.offset),
        reason: (header(message, DEAD_LETTER_HEADERS.reason) ?? '').length > 0,
        timestamp: Number(header(message, DEAD_LETTER_HEADERS.timestamp)) > 0,
      }).toEqual({ key, topic, partition: '0', offset, reason: true, timestamp: true });
    }
  });

  it('with a group, forwards each once: the next run of the group forwards nothing again', async () => {
    await topicsWithDeadLetters();
    const topic = fresh.topics.of('price');
    expect((await kcat(['-P', '-t', topic, '-k', 'bad'], 'not json\n')).code).toBe(0);
    const group = ['--group', `dead-letters-${randomUUID().slice(0, 8)}`, '--dead-letter-topic'];
    expect((await consume(...group, deadLetters)).code).toBe(0);
    expect((await kcat(['-P', '-t', topic, '-k', 'bad-2'], '{"type":"price"}\n')).code).toBe(0);
    const again = await consume(...group, deadLetters);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('0 events, 1 skipped');
    const forwarded = await rawMessages(deadLetters, 2);
    expect(forwarded.map((message) => message.key?.toString()).sort()).toEqual(['bad', 'bad-2']);
  });

  it('exits 3 when a dead letter cannot be written, and the group meets that message again', async () => {
    // A dead-letter topic that takes smaller messages than the topic read: the broker refuses the write.
    await topicsWithDeadLetters({ 'max.message.bytes': '100' });
    const topic = fresh.topics.of('price');
    expect((await kcat(['-P', '-t', topic, '-k', 'bad'], 'not json\n')).code).toBe(0);
    const group = ['--group', `dead-letters-${randomUUID().slice(0, 8)}`];
    const refused = await consume(...group, '--dead-letter-topic', deadLetters, '--timeout', '3s');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(
      `pix: error: ${topic}[0]@0 could not be forwarded to dead-letter topic ${deadLetters}: the broker refused the request: MESSAGE_TOO_LARGE`,
    );
    expect(refused.stderr).not.toContain('skipped');

    // Not committed past it: the next run of the group reads it again.
    const next = await consume(...group);
    expect(next.code).toBe(0);
    expect(next.stderr).toMatch(new RegExp(`^skipped ${topic.replace('.', '\\.')}\\[0\\]@0: `, 'm'));
  });

  it('refuses a dead-letter topic that does not exist before reading anything, and --strict with it', async () => {
    await topicsWithDeadLetters();
    const missing = await consume('--dead-letter-topic', `${fresh.prefix}nowhere`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`pix: error: dead-letter topic ${fresh.prefix}nowhere does not exist`);
    const both = await consume('--strict', '--dead-letter-topic', deadLetters);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--strict.*--dead-letter-topic|--dead-letter-topic.*--strict/);
  });
});
