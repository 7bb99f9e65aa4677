import { PixError } from '../errors.js';
import { sendFailureText } from './errors.js';
import type { OutgoingEvent } from '../events/input.js';
import type { TopicNames } from '../events/topics.js';
import type { EventType } from '../events/schema.js';
import type { ProduceObserver } from './produce-observer.js';
import { MAX_IN_FLIGHT_PER_CONNECTION } from './wire/producer.js';
import type { KafkaClient } from './client.js';
import {
  encodedEventRecords,
  eventRecord,
  EventRecordWriter,
  SPAN_FIELDS,
  typeOfSpan,
  type EncodedEvents,
} from './event-records.js';
import { isSendFailure, type PartitionAck } from './wire/producer.js';
import { decodedRecords, EncodedRecords, type OutgoingRecord } from './wire/record-batch.js';
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
const MAX_PARTITION_BATCH_BYTES = 900_000;

/**
 * Sends awaiting their acknowledgement, as many as the producer lets one connection have in
 * flight: more would only wait inside the producer, holding their events in memory.
 */
const MAX_IN_FLIGHT = MAX_IN_FLIGHT_PER_CONNECTION;

/**
 * How long a batch that is not full waits for more events before it is sent: a stream fed as
 * events happen (`tail -f … | pix publish --file -`) gets them out within this.
 */
const LINGER_MS = 50;
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
  /**
   * Told, when the publish fails, of every event it could not confirm: in doubt (sent, and no
   * answer came: it may be on its topic) or not published (surely not on it, safe to send again).
   */
  onUnconfirmed?: (event: UnconfirmedEvent) => void | Promise<void>;
  /**
   * What becomes of the rest of the source after a failure: `drain` reads it to its end and tells
   * its events as not published (a file, whose end comes); `unread` leaves it unread and says so
   * (standard input, which may never end); `made` leaves it too, and says nothing of it, since
   * what a generator (the simulator) would have made next was nobody's input. Default `unread`.
   */
  restAfterFailure?: 'drain' | 'unread' | 'made';
}

/** One event a failed publish could not confirm, as the record pix wrote or would have written. */
export interface UnconfirmedEvent {
  status: 'in-doubt' | 'not-published';
  record: OutgoingRecord;
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
  /** What a failure stopped before it was batched: the rest of a chunk of the source, of encoded events. */
  const unplaced: { chunk: readonly StreamItem[]; from: number; events?: { encoded: EncodedEvents; from: number } } = {
    chunk: [],
    from: 0,
  };
  /** Sends that failed, with what they carried: a failure is reported once all have settled. */
  const failures: { error: unknown; groups: Groups }[] = [];

  let groups: Groups = new Map();
  let counts: Partial<Record<EventType, number>> = {};
  let pending = 0;

  const acknowledged = (acks: readonly PartitionAck[]): void => {
    for (const ack of acks) {
      summary.byTopic[ack.topic] = (summary.byTopic[ack.topic] ?? 0) + ack.count;
      summary.published += ack.count;
    }
  };

  const flush = (): void => {
    // After a failure nothing more goes out: what is batched is reported as not published.
    if (pending === 0 || failures.length > 0) return;
    const batch = { groups, counts };
    groups = new Map();
    counts = {};
    pending = 0;
    const started = performance.now();
    const observe = (ok: boolean): void =>
      options.observer?.produced(batch.counts, (performance.now() - started) / 1000, ok);
    // The producer bounds each send by --timeout itself, and says then what it knows of it.
    inFlight.push(
      producer.send(batch.groups).then(
        (acks: PartitionAck[]) => {
          observe(true);
          acknowledged(acks);
          if (failures.length === 0) options.onProgress?.(summary.published);
        },
        (error: unknown) => {
          observe(false);
          failures.push({ error, groups: batch.groups });
        },
      ),
    );
  };

  /** Waits until at most `limit` requests are in flight; after a failure, for all of them, then reports it. */
  const settle = async (limit: number): Promise<void> => {
    while (inFlight.length > (failures.length === 0 ? limit : 0)) await inFlight.shift();
    if (failures.length > 0) throw await failed();
  };

  /** The failure, once every send has settled: three counts, and each unconfirmed event told. */
  const failed = async (): Promise<PixError> => {
    const unconfirmed = { 'in-doubt': 0, 'not-published': 0 };
    const tell = async (status: UnconfirmedEvent['status'], records: Iterable<OutgoingRecord>): Promise<void> => {
      for (const record of records) {
        unconfirmed[status] += 1;
        await options.onUnconfirmed?.({ status, record });
      }
    };
    for (const { error, groups: sent } of failures) {
      if (isSendFailure(error)) {
        acknowledged(error.acknowledged);
        for (const batch of error.unacknowledged) {
          await tell(batch.inDoubt ? 'in-doubt' : 'not-published', decodedRecords(batch.records));
        }
      } else {
        await tell('in-doubt', recordsOf(sent));
      }
    }
    await tell('not-published', recordsOf(groups));
    if (writer.count > 0) await tell('not-published', encodedEventRecords(writer.take()));
    if (unplaced.events)
      await tell('not-published', encodedEventRecords(unplaced.events.encoded, unplaced.events.from));
    const tellItems = async (items: readonly StreamItem[]): Promise<void> => {
      for (const item of items) {
        if (item !== FLUSH)
          await tell('not-published', 'spans' in item ? encodedEventRecords(item) : [eventRecord(item)]);
      }
    };
    await tellItems(unplaced.chunk.slice(unplaced.from));
    const rest = options.restAfterFailure ?? 'unread';
    if (rest === 'drain') for await (const chunk of source.rest()) await tellItems(chunk);
    // Said first: a send given up when --timeout passed, if one was (the others followed it).
    const first =
      failures.map(({ error }) => error).find((error) => isSendFailure(error) && error.timedOut) ?? failures[0]?.error;
    const reason = client.translate(isSendFailure(first) ? first.reason : first);
    const counts = {
      acknowledged: summary.published,
      inDoubt: unconfirmed['in-doubt'],
      notPublished: unconfirmed['not-published'],
    };
    const why = sendFailureText(reason, isSendFailure(first) && first.timedOut);
    return new PixError(
      reason.code === 'TOPIC_NOT_FOUND' ? reason.code : 'DELIVERY_FAILED',
      `${why}; ${describeCounts(counts)}${rest === 'unread' ? ', and the input after them was not read' : ''}`,
      { cause: reason, retryable: reason.retryable, details: counts },
    );
  };

  const writer = new EventRecordWriter();
  const topicOfType = new Map(topics.list().map((topic) => [topics.typeOf(topic), topic]));
  /** Puts encoded events in their partitions' batches, sending each batch as it fills. */
  const place = async (encoded: EncodedEvents): Promise<void> => {
    const { bytes, spans, count } = encoded;
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
        unplaced.events = { encoded, from: index + 1 };
        await settle(MAX_IN_FLIGHT - 1);
        unplaced.events = undefined;
      }
    }
  };
  const placeWritten = async (): Promise<void> => {
    if (writer.count > 0) await place(writer.take());
  };

  const source = new LingeringSource(options.source, () => pending > 0);
  try {
    for await (const chunk of source) {
      if (chunk === LINGERED) {
        flush();
        await settle(MAX_IN_FLIGHT - 1);
        continue;
      }
      for (const [index, item] of chunk.entries()) {
        unplaced.chunk = chunk;
        unplaced.from = index + 1;
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
      unplaced.chunk = [];
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
 * `waiting()` says events are held back for a batch. What it has not handed out yet (a chunk
 * read while LINGERED was, and the rest) can be read to the end with rest().
 */
class LingeringSource<T> implements AsyncIterable<T | typeof LINGERED> {
  private readonly input: AsyncIterator<T>;
  private next: Promise<IteratorResult<T>> | undefined;

  constructor(
    source: AsyncIterable<T>,
    private readonly waiting: () => boolean,
  ) {
    this.input = source[Symbol.asyncIterator]();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T | typeof LINGERED> {
    for (;;) {
      const next = (this.next = this.input.next());
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<typeof LINGERED>((resolve) => (timer = setTimeout(() => resolve(LINGERED), LINGER_MS)));
      let read = this.waiting() ? await Promise.race([next, late]) : await next;
      clearTimeout(timer);
      if (read === LINGERED) {
        yield LINGERED;
        read = await next;
      }
      this.next = undefined;
      if (read.done) return;
      yield read.value;
    }
  }

  async *rest(): AsyncIterable<T> {
    for (;;) {
      const read = await (this.next ?? this.input.next());
      this.next = undefined;
      if (read.done) return;
      yield read.value;
    }
  }
}

/** Every record of batches grouped by topic and partition, decoded. */
function* recordsOf(groups: Groups): Iterable<OutgoingRecord> {
  for (const partitions of groups.values()) for (const records of partitions.values()) yield* decodedRecords(records);
}

/** "N events acknowledged, N in doubt …, N not published": what a failed publish did, in three counts. */
function describeCounts(counts: { acknowledged: number; inDoubt: number; notPublished: number }): string {
  const parts = [`${counted(counts.acknowledged, 'event')} acknowledged`];
  if (counts.inDoubt > 0) parts.push(`${counts.inDoubt} in doubt (sent without an answer: they may be on the topics)`);
  parts.push(`${counts.notPublished} not published`);
  return parts.join(', ');
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
