import type { Message, TopicMessages } from 'kafkajs';

import { PixError } from '../errors.js';
import { encodeEvent } from '../events/codec.js';
import type { OutgoingEvent } from '../events/input.js';
import type { TopicNames } from '../events/topics.js';
import type { EventType } from '../events/schema.js';
import type { ProduceObserver } from '../metrics/metrics.js';
import type { KafkaClient } from './client.js';
import { requireTopics } from './publisher.js';

/**
 * Events per produce request. Large batches are what make Kafka fast; this size keeps a request
 * at a few megabytes with pix's events, well under the broker's default limits.
 */
export const DEFAULT_BATCH_SIZE = 5_000;

/** In a stream of events, asks for what is batched so far to be sent now (paced sources use it). */
export const FLUSH = Symbol('flush');
export type StreamItem = OutgoingEvent | typeof FLUSH;

export interface StreamPublishOptions {
  client: KafkaClient;
  topics: TopicNames;
  source: AsyncIterable<StreamItem>;
  batchSize?: number;
  /** Called after each acknowledged batch with the running total. */
  onProgress?: (published: number) => void;
  /** Told of each produce request: what it carried, how long it took, whether it was acknowledged. */
  observer?: ProduceObserver;
}

export interface StreamPublishSummary {
  published: number;
  byTopic: Record<string, number>;
}

/**
 * Publishes a stream of events in batches, each acknowledged by every in-sync replica before the
 * next is read: memory stays bounded by one batch whatever the length of the stream, and order is
 * kept within each product's partition.
 */
export async function publishStream(options: StreamPublishOptions): Promise<StreamPublishSummary> {
  const { client, topics } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const [producer] = await Promise.all([client.producer(), requireTopics(client, topics.list())]);
  const summary: StreamPublishSummary = {
    published: 0,
    byTopic: Object.fromEntries(topics.list().map((topic) => [topic, 0])),
  };

  let batch = new Map<string, Message[]>();
  let pending = 0;
  const flush = async (): Promise<void> => {
    if (pending === 0) return;
    const topicMessages: TopicMessages[] = [...batch].map(([topic, messages]) => ({ topic, messages }));
    const sent = performance.now();
    const report = (ok: boolean): void => {
      if (!options.observer) return;
      const counts: Partial<Record<EventType, number>> = {};
      for (const { topic, messages } of topicMessages) {
        const type = topics.typeOf(topic);
        if (type) counts[type] = (counts[type] ?? 0) + messages.length;
      }
      options.observer.produced(counts, (performance.now() - sent) / 1000, ok);
    };
    try {
      await client.bounded(producer.sendBatch({ acks: -1, topicMessages }), 'the broker did not acknowledge a batch');
      report(true);
    } catch (error) {
      report(false);
      const failure = client.translate(error);
      throw new PixError(
        failure.code === 'TOPIC_NOT_FOUND' ? failure.code : 'DELIVERY_FAILED',
        `${failure.message}; ${summary.published} events were acknowledged before the failure, the ${pending} of the failing batch and any after it were not`,
        { cause: failure, retryable: failure.retryable, details: { acknowledged: summary.published } },
      );
    }
    for (const { topic, messages } of topicMessages)
      summary.byTopic[topic] = (summary.byTopic[topic] ?? 0) + messages.length;
    summary.published += pending;
    batch = new Map();
    pending = 0;
    options.onProgress?.(summary.published);
  };

  for await (const item of options.source) {
    if (item === FLUSH) {
      await flush();
      continue;
    }
    const { event, key, headers } = item;
    const topic = topics.of(event.type);
    const message = encodeEvent(event);
    const messages = batch.get(topic) ?? [];
    messages.push({
      key: key ?? message.key,
      value: message.value,
      headers: headers ? { ...headers, ...message.headers } : message.headers,
    });
    batch.set(topic, messages);
    pending += 1;
    if (pending >= batchSize) await flush();
  }
  await flush();
  return summary;
}
