import { PixError } from '../errors.js';
import { encodeEvent } from '../events/codec.js';
import type { PixEvent } from '../events/schema.js';
import type { TopicNames } from '../events/topics.js';
import type { KafkaClient } from './client.js';

/** Where the broker put an event. */
export interface Delivery {
  topic: string;
  partition: number;
  offset: string;
  event: PixEvent;
}

/** Publishes one event and returns where it landed, once every in-sync replica has it (acks=all). */
export async function publishEvent(client: KafkaClient, topics: TopicNames, event: PixEvent): Promise<Delivery> {
  const topic = topics.of(event.type);
  const [producer] = await Promise.all([client.producer(), requireTopics(client, [topic])]);
  const [metadata] = await client.bounded(
    producer.send({ topic, acks: -1, messages: [encodeEvent(event)] }),
    'the broker did not acknowledge the event',
  );
  if (!metadata?.baseOffset) throw client.translate(new Error(`no acknowledgement from ${topic}`));
  return { topic, partition: metadata.partition, offset: metadata.baseOffset, event };
}

/**
 * Fails at once, naming the topic, when a topic is missing. Without this check kafkajs retries the
 * unknown topic until --timeout runs out, and the user is told the broker did not answer.
 */
export async function requireTopics(client: KafkaClient, needed: readonly string[]): Promise<void> {
  const admin = await client.admin();
  const existing = new Set(await client.bounded(admin.listTopics()));
  const missing = needed.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    throw new PixError('TOPIC_NOT_FOUND', `topic ${missing.join(', ')} does not exist`, {
      hint: 'Run `pix topics create` first (with the same --topic-prefix).',
    });
  }
}
