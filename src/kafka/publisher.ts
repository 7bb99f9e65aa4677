import { encodeEvent } from '../events/codec.js';
import type { PixEvent } from '../events/schema.js';
import type { ProduceObserver } from './produce-observer.js';
import type { TopicNames } from '../events/topics.js';
import type { KafkaClient } from './client.js';
import type { PipelinedProducer } from './wire/producer.js';

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
  const publisher = new EventPublisher(client, topics, observer, [topics.of(event.type)]);
  try {
    return await publisher.publish(event);
  } finally {
    await publisher.close();
  }
}

/**
 * Publishes events one at a time over one producer, for a process that publishes now and then
 * (the dashboard's publish route). A producer that lost the broker is dropped, so the next event
 * connects afresh instead of failing for ever.
 */
export class EventPublisher {
  private producer: Promise<PipelinedProducer> | undefined;

  constructor(
    private readonly client: KafkaClient,
    private readonly topics: TopicNames,
    private readonly observer?: ProduceObserver,
    /** The topics it publishes to, each checked when the producer connects. */
    private readonly needed: readonly string[] = topics.list(),
  ) {}

  async publish(event: PixEvent): Promise<Delivery> {
    const { client } = this;
    const topic = this.topics.of(event.type);
    const connecting = (this.producer ??= client.producer(this.needed));
    try {
      const producer = await connecting;
      const sent = performance.now();
      const message = encodeEvent(event);
      const ack = await client
        .bounded(producer.sendOne(topic, message), 'the broker did not acknowledge the event')
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
      return { topic, partition: ack.partition, offset: ack.baseOffset, event };
    } catch (error) {
      const failure = client.translate(error);
      if (this.producer === connecting) {
        this.producer = undefined;
        void connecting.then((producer) => client.release(producer)).catch(() => undefined);
      }
      throw failure;
    }
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (producer) await producer.then((open) => this.client.release(open)).catch(() => undefined);
  }
}
