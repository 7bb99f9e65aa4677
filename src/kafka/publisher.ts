import type { Producer } from 'kafkajs';

import { PixError } from '../errors.js';
import { encodeEvent } from '../events/codec.js';
import type { PixEvent } from '../events/schema.js';
import type { ProduceObserver } from '../metrics/metrics.js';
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
export async function publishEvent(
  client: KafkaClient,
  topics: TopicNames,
  event: PixEvent,
  observer?: ProduceObserver,
): Promise<Delivery> {
  return new EventPublisher(client, topics, observer).publish(event);
}

/**
 * Publishes events one at a time over one producer, for a process that publishes now and then
 * (the dashboard's publish route). Each topic is checked once; a producer that lost the broker is
 * dropped, so the next event connects afresh instead of failing for ever.
 */
export class EventPublisher {
  private producer: Promise<Producer> | undefined;
  private readonly checked = new Set<string>();

  constructor(
    private readonly client: KafkaClient,
    private readonly topics: TopicNames,
    private readonly observer?: ProduceObserver,
  ) {}

  async publish(event: PixEvent): Promise<Delivery> {
    const { client } = this;
    const topic = this.topics.of(event.type);
    const connecting = (this.producer ??= client.producer());
    try {
      const [producer] = await Promise.all([
        connecting,
        this.checked.has(topic) ? undefined : requireTopics(client, [topic]).then(() => this.checked.add(topic)),
      ]);
      const sent = performance.now();
      const [metadata] = await client
        .bounded(
          producer.send({ topic, acks: -1, messages: [encodeEvent(event)] }),
          'the broker did not acknowledge the event',
        )
        .then(
          (result) => {
            this.observer?.produced({ [event.type]: 1 }, (performance.now() - sent) / 1000, true);
            return result;
          },
          (error: unknown) => {
            this.observer?.produced({ [event.type]: 1 }, (performance.now() - sent) / 1000, false);
            throw error;
          },
        );
      if (!metadata?.baseOffset) throw client.translate(new Error(`no acknowledgement from ${topic}`));
      return { topic, partition: metadata.partition, offset: metadata.baseOffset, event };
    } catch (error) {
      const failure = client.translate(error);
      if (failure.code !== 'TOPIC_NOT_FOUND' && this.producer === connecting) {
        this.producer = undefined;
        void connecting.then((producer) => client.release(producer)).catch(() => undefined);
      }
      throw failure;
    }
  }
}

/**
 * Fails at once, naming the topic, when a topic is missing. Without this check kafkajs retries the
 * unknown topic until --timeout runs out, and the user is told the broker did not answer.
 */
export async function requireTopics(client: KafkaClient, needed: readonly string[]): Promise<void> {
  const admin = await client.admin();
  let existing: Set<string>;
  try {
    existing = new Set(await client.bounded(admin.listTopics()));
  } finally {
    void client.release(admin);
  }
  const missing = needed.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    throw new PixError('TOPIC_NOT_FOUND', `topic ${missing.join(', ')} does not exist`, {
      hint: 'Run `pix topics create` first (with the same --topic-prefix).',
    });
  }
}
