import { encodeEvent } from '../events/codec.js';
import type { PixEvent } from '../events/schema.js';
import type { ProduceObserver } from './produce-observer.js';
import type { TopicNames } from '../events/topics.js';
import type { KafkaClient } from './client.js';
import { PixError } from '../errors.js';
import { sendFailureText } from './errors.js';
import { isSendFailure, type PipelinedProducer } from './wire/producer.js';

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
 * (the dashboard's publish route). The producer finds brokers again and takes a new epoch after a
 * failure on its own, so it is kept through failures of sends (the others in flight go on); one
 * that never connected is dropped, and the next event connects afresh.
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
      // Timed only when observed: the first use of `performance` loads perf_hooks, a millisecond
      // of a one-event publish.
      const sent = this.observer ? performance.now() : 0;
      const message = encodeEvent(event);
      // Bounded by the producer itself (--timeout since the send), which says then what it knows.
      const ack = await producer.sendOne(topic, message).then(
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
      if (
        this.producer === connecting &&
        !(await connecting.then(
          () => true,
          () => false,
        ))
      )
        this.producer = undefined;
      throw notPublished(client, error, event);
    }
  }

  async close(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (producer) await producer.then((open) => this.client.release(open)).catch(() => undefined);
  }
}

/** A send that failed, said for one event: whether it may be on its topic anyway, by its eventId. */
function notPublished(client: KafkaClient, error: unknown, event: PixEvent): PixError {
  const failure = client.translate(isSendFailure(error) ? error.reason : error);
  if (!isSendFailure(error)) return failure;
  const why = sendFailureText(failure, error.timedOut);
  const inDoubt = error.unacknowledged.some((batch) => batch.inDoubt);
  const fate = inDoubt
    ? `in doubt: it was sent and no answer came, so event ${event.eventId} may be on its topic`
    : `event ${event.eventId} was not published`;
  return new PixError(failure.code, `${why}; ${fate}`, {
    cause: failure,
    retryable: failure.retryable,
    ...(failure.hint ? { hint: failure.hint } : {}),
    details: { ...failure.details, eventId: event.eventId, inDoubt },
  });
}
