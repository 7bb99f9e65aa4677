import type { KafkaMessage } from 'kafkajs';

import { isPixError, PixError } from '../errors.js';
import type { KafkaClient } from './client.js';
import { requireTopics } from './topic-admin.js';
import { isSendFailure, type PipelinedProducer } from './wire/producer.js';
import type { RawRecord } from './wire/record-batch.js';

/**
 * The headers a dead letter gains, after the message's own: why it was skipped and where it was
 * read, as Kafka Connect's dead letter queue names them `__connect.errors.*` (KIP-298).
 */
export const DEAD_LETTER_HEADERS = {
  reason: 'pix.dead-letter.reason',
  topic: 'pix.dead-letter.topic',
  partition: 'pix.dead-letter.partition',
  offset: 'pix.dead-letter.offset',
  /** The message's own timestamp (ms since the epoch): the dead letter is stamped when it is written. */
  timestamp: 'pix.dead-letter.timestamp',
} as const;

/** Where a message was read. */
interface Origin {
  topic: string;
  partition: number;
  offset: string;
}

/** A message as it was read, bytes unchanged, with its headers in the order kafkajs gives them. */
export function rawRecordOf(message: KafkaMessage): RawRecord & { timestamp: string } {
  const headers: [string, Uint8Array | null][] = [];
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    // kafkajs gathers the values of a header that appears more than once into an array.
    for (const each of Array.isArray(value) ? value : [value]) {
      // kafkajs's types leave out the null it gives for a header without a value.
      const bytes = each as Buffer | string | null | undefined;
      headers.push([name, bytes === undefined || bytes === null ? null : Buffer.from(bytes)]);
    }
  }
  return { key: message.key ?? null, value: message.value ?? null, headers, timestamp: message.timestamp };
}

/**
 * Writes the messages a reader skips to a dead-letter topic, each once acknowledged by every
 * in-sync replica (acks=all, idempotent) before the reader goes past it: a group never commits
 * beyond a message that is neither shown nor forwarded.
 */
export class DeadLetterWriter {
  private constructor(
    private readonly client: KafkaClient,
    private readonly producer: PipelinedProducer,
    readonly topic: string,
  ) {}

  /** Connects to the topic, which must exist: dead letters never create a topic by accident. */
  static async open(client: KafkaClient, topic: string): Promise<DeadLetterWriter> {
    try {
      await requireTopics(client, [topic]);
    } catch (error) {
      if (isPixError(error) && error.code === 'TOPIC_NOT_FOUND') {
        throw new PixError('TOPIC_NOT_FOUND', `dead-letter topic ${topic} does not exist`, {
          cause: error,
          hint: 'Create it first (kafka-topics.sh --create --topic NAME), or give --dead-letter-topic a topic that exists',
        });
      }
      throw error;
    }
    return new DeadLetterWriter(client, await client.producer([topic]), topic);
  }

  /** Forwards one message, unchanged, with headers saying why and where from; resolves once acknowledged. */
  async forward(record: RawRecord & { timestamp: string }, origin: Origin, reason: string): Promise<Origin> {
    const headers: RawRecord['headers'] = [
      ...record.headers,
      [DEAD_LETTER_HEADERS.reason, Buffer.from(reason)],
      [DEAD_LETTER_HEADERS.topic, Buffer.from(origin.topic)],
      [DEAD_LETTER_HEADERS.partition, Buffer.from(String(origin.partition))],
      [DEAD_LETTER_HEADERS.offset, Buffer.from(origin.offset)],
      [DEAD_LETTER_HEADERS.timestamp, Buffer.from(record.timestamp)],
    ];
    try {
      const ack = await this.producer.sendRaw(this.topic, { key: record.key, value: record.value, headers });
      return { topic: this.topic, partition: ack.partition, offset: ack.baseOffset };
    } catch (error) {
      const failure = this.client.translate(isSendFailure(error) ? error.reason : error);
      throw new PixError(
        failure.code,
        `${origin.topic}[${origin.partition}]@${origin.offset} could not be forwarded to dead-letter topic ${this.topic}: ${failure.message}`,
        { cause: failure, ...(failure.hint ? { hint: failure.hint } : {}) },
      );
    }
  }
}
