import { PixError } from '../errors.js';
import type { OutgoingEvent } from '../events/input.js';
import type { TopicNames } from '../events/topics.js';
import type { EventType } from '../events/schema.js';
import type { ProduceObserver } from './produce-observer.js';
import { MAX_IN_FLIGHT_PER_CONNECTION } from './wire/producer.js';
import type { KafkaClient } from './client.js';
import { EventRecordWriter, SPAN_FIELDS, typeOfSpan, type EncodedEvents } from './event-records.js';
import type { PartitionAck } from './wire/producer.js';
import { EncodedRecords } from './wire/record-batch.js';
import { counted } from '../plural.js';

/**
 * Events per produce request. Large batches are what make Kafka fast; this size keeps a request
 * at a few megabytes with pix's events, well under the broker's default limits.
 */
export const DEFAULT_BATCH_SIZE = 5_000;

/**
 * The most record bytes one partition's batch may gather before the request goes. A broker refuses
 * a batch over its message.max.bytes (1 MiB by default): 5,000 events that all go to one partition
 * (a topic of one partition, say) are more than that.
 */
export const MAX_PARTITION_BATCH_BYTES = 900_000;

/**
 * Sends awaiting their acknowledgement, as many as the producer lets one connection have in
 * flight: more would only wait inside the producer, holding their events in memory.
 */
export const MAX_IN_FLIGHT = MAX_IN_FLIGHT_PER_CONNECTION;

/**
 * How long a batch that is not full waits for more events before it is sent: a stream fed as
 * events happen (`tail -f … | pix publish --file -`) gets them out within this.
 */
export const LINGER_MS = 50;
const LINGERED = Symbol('lingered');

/** In a stream of events, asks for what is batched so far to be sent now (paced sources use it). */
export const FLUSH = Symbol('flush');
/** An event, events already encoded (by a worker thread), or FLUSH. */
export type StreamItem = OutgoingEvent | EncodedEvents | typeof FLUSH;

export interface StreamPublishOptions {
  client: KafkaClient;
  topics: TopicNames;
  /** The events, a chunk at a time: a file's lines as read, a simulator's burst. */
  source: AsyncIterable<readonly StreamItem[]>;
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

type Groups = Map<string, Map<number, EncodedRecords>>;

/**
 * Publishes a stream of events in batches, up to five in flight while the next is read and
 * encoded: memory stays bounded by those batches whatever the length of the stream, and each
 * product's events keep their order on its partition.
 */
export async function publishStream(options: StreamPublishOptions): Promise<StreamPublishSummary> {
  const { client, topics } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const producer = await client.producer(topics.list()).catch((error: unknown) => {
    throw nothingPublished(client.translate(error));
  });
  const summary: StreamPublishSummary = {
    published: 0,
    byTopic: Object.fromEntries(topics.list().map((topic) => [topic, 0])),
  };
  const inFlight: Promise<void>[] = [];
  let sent = 0;
  let failure: unknown;

  let groups: Groups = new Map();
  let counts: Partial<Record<EventType, number>> = {};
  let pending = 0;

  const flush = (): void => {
    if (pending === 0) return;
    const batch = { groups, counts };
    groups = new Map();
    counts = {};
    sent += pending;
    pending = 0;
    const started = performance.now();
    const observe = (ok: boolean): void =>
      options.observer?.produced(batch.counts, (performance.now() - started) / 1000, ok);
    inFlight.push(
      client.bounded(producer.send(batch.groups), 'the broker did not acknowledge a batch').then(
        (acks: PartitionAck[]) => {
          observe(true);
          for (const ack of acks) {
            summary.byTopic[ack.topic] = (summary.byTopic[ack.topic] ?? 0) + ack.count;
            summary.published += ack.count;
          }
          if (failure === undefined) options.onProgress?.(summary.published);
        },
        (error: unknown) => {
          observe(false);
          failure ??= error;
        },
      ),
    );
  };

  /** Waits until at most `limit` requests are in flight; after a failure, for all of them. */
  const settle = async (limit: number): Promise<void> => {
    while (inFlight.length > (failure === undefined ? limit : 0)) await inFlight.shift();
    if (failure === undefined) return;
    const reason = client.translate(failure);
    throw new PixError(
      reason.code === 'TOPIC_NOT_FOUND' ? reason.code : 'DELIVERY_FAILED',
      `${reason.message}; ${counted(summary.published, 'event was', 'events were')} acknowledged before the failure, the other ${sent - summary.published} sent ${sent - summary.published === 1 ? 'was' : 'were'} not, and nothing after them was sent`,
      { cause: reason, retryable: reason.retryable, details: { acknowledged: summary.published } },
    );
  };

  const writer = new EventRecordWriter();
  const topicOfType = new Map(topics.list().map((topic) => [topics.typeOf(topic), topic]));
  /** Puts encoded events in their partitions' batches, sending each batch as it fills. */
  const place = async ({ bytes, spans, count }: EncodedEvents): Promise<void> => {
    for (let index = 0; index < count; index += 1) {
      const at = index * SPAN_FIELDS;
      const type = typeOfSpan(spans[at] ?? 0);
      const topic = topicOfType.get(type) ?? topics.of(type);
      const partition = producer.partitionOf(topic, spans[at + 1] ?? 0);
      let partitions = groups.get(topic);
      if (!partitions) groups.set(topic, (partitions = new Map<number, EncodedRecords>()));
      let records = partitions.get(partition);
      if (!records) partitions.set(partition, (records = new EncodedRecords()));
      records.add(bytes, spans[at + 2] ?? 0, spans[at + 3] ?? 0);
      counts[type] = (counts[type] ?? 0) + 1;
      pending += 1;
      if (pending >= batchSize || records.bytes >= MAX_PARTITION_BATCH_BYTES) {
        flush();
        await settle(MAX_IN_FLIGHT - 1);
      }
    }
  };
  const placeWritten = async (): Promise<void> => {
    if (writer.count > 0) await place(writer.take());
  };

  try {
    for await (const chunk of lingering(options.source, () => pending > 0)) {
      if (chunk === LINGERED) {
        flush();
        await settle(MAX_IN_FLIGHT - 1);
        continue;
      }
      for (const item of chunk) {
        if (item === FLUSH) {
          await placeWritten();
          flush();
          await settle(MAX_IN_FLIGHT - 1);
        } else if ('spans' in item) {
          await placeWritten();
          await place(item);
        } else {
          writer.add(item);
        }
      }
      await placeWritten();
    }
    flush();
    await settle(0);
    return summary;
  } finally {
    await client.release(producer);
  }
}

/**
 * The source's chunks, with LINGERED in between when the next chunk is LINGER_MS late while
 * `waiting()` says events are held back for a batch.
 */
async function* lingering<T>(source: AsyncIterable<T>, waiting: () => boolean): AsyncIterable<T | typeof LINGERED> {
  const input = source[Symbol.asyncIterator]();
  for (;;) {
    const next = input.next();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<typeof LINGERED>((resolve) => (timer = setTimeout(() => resolve(LINGERED), LINGER_MS)));
    let read = waiting() ? await Promise.race([next, late]) : await next;
    clearTimeout(timer);
    if (read === LINGERED) {
      yield LINGERED;
      read = await next;
    }
    if (read.done) return;
    yield read.value;
  }
}

/** A failure before the first event went out: say so, as a script's author will want to know. */
function nothingPublished(failure: PixError): PixError {
  return new PixError(failure.code, `${failure.message}; nothing was published`, {
    cause: failure.cause,
    retryable: failure.retryable,
    ...(failure.hint ? { hint: failure.hint } : {}),
    ...(failure.details ? { details: failure.details } : {}),
  });
}
