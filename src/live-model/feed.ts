import { randomUUID } from 'node:crypto';

import type { EventType } from '../events/schema.js';
import type { TopicNames } from '../events/topics.js';
import {
  decodeHeartbeat,
  decodeMessage,
  heartbeatsSiteOf,
  type KafkaClient,
  partitionRanges,
  requireTopics,
  type StartRule,
  withMirroredTopics,
} from '../kafka/index.js';
import type { LiveModel } from './model.js';
import { sleep } from '../sleep.js';

interface LiveFeedOptions extends StartRule {
  client: KafkaClient;
  topics: TopicNames;
  types: readonly EventType[];
  /**
   * Read the copies MirrorMaker 2 made here of other sites' topics too, as found at each
   * (re)connection: a mirror started after the view is read from the next reconnection on.
   */
  mirrored?: boolean;
  model: LiveModel;
  signal: AbortSignal;
  /** Without a completed fetch for this long, the connection counts as lost (default 5 s). */
  stallMs?: number;
  /** Waits between attempts to reach the broker again: doubling from the first to the last. */
  backoffMs?: { first: number; last: number };
}

/** The waits between attempts to reach the broker again, unless the caller says otherwise. */
export const RECONNECT_BACKOFF_MS = { first: 500, last: 10_000 };
/** Without a completed fetch for this long, the connection counts as lost, unless the caller says otherwise. */
export const STALL_MS = 5_000;

/**
 * Reads the pix topics into the live model until the signal fires, and never gives up once it has
 * read: when the broker goes away the model says so, and reading resumes where it stopped once the
 * broker is back. Only TLS settings or credentials that failed from the start end it.
 * Malformed messages are counted in the model, never thrown.
 */
export async function runLiveFeed(options: LiveFeedOptions): Promise<void> {
  const { model, signal, client } = options;
  const backoff = options.backoffMs ?? RECONNECT_BACKOFF_MS;
  // The next offset to read in each partition, so a new consumer picks up where the last one stopped.
  const resumeAt = new Map<string, { topic: string; partition: number; offset: string }>();
  // Each partition's end offset when the view started: what lies below it is backfill.
  const backfillEnds = new Map<string, number>();
  let failures = 0;
  // An object, not a variable: set by a callback, which TypeScript's narrowing does not see.
  const feed = { everConnected: false };
  // A function, not the property: the signal fires while this loop awaits.
  const stopped = (): boolean => signal.aborted;
  while (!stopped()) {
    try {
      const reading = readUntilFailure(options, { resumeAt, backfillEnds }, () => {
        failures = 0;
        feed.everConnected = true;
      });
      // A stop does not wait for a connection attempt to the broker to time out: the client's
      // close() disconnects whatever is still connecting.
      reading.catch(() => undefined);
      await untilAborted(reading, signal);
    } catch (error) {
      if (stopped()) break;
      failures += 1;
      const failure = client.translate(error);
      // Settings that never worked (TLS against a plain-text listener, an untrusted certificate,
      // a wrong password) will not work on the next try: said at once, as every other command says it.
      if ((failure.code === 'TLS_FAILED' || failure.code === 'AUTH_FAILED') && !feed.everConnected) throw failure;
      model.setConnection(failure.code === 'TOPIC_NOT_FOUND' ? 'topics-missing' : 'unreachable', failure.message);
      const wait = Math.min(backoff.last, backoff.first * 2 ** (failures - 1));
      await sleep(wait, signal);
      if (!stopped()) model.setConnection('reconnecting', model.connection.detail);
    }
  }
}

/** What one reading attempt hands on to the next. */
interface FeedPositions {
  resumeAt: Map<string, { topic: string; partition: number; offset: string }>;
  backfillEnds: Map<string, number>;
}

async function readUntilFailure(
  options: LiveFeedOptions,
  { resumeAt, backfillEnds }: FeedPositions,
  onConnected: () => void,
): Promise<void> {
  const { client, model, signal } = options;
  const topics = options.mirrored ? await withMirroredTopics(client, options.topics) : options.topics;
  const topicList = topics.list(options.types);
  const firstRun = resumeAt.size === 0;
  // Missing topics named at once, not when kafkajs's retries give up.
  await requireTopics(client, topicList);
  // Only a start before the end of the topics reads a backlog; new events only need no ranges.
  const readsBacklog = options.fromBeginning || options.since !== undefined || options.groupId !== undefined;
  const ranges = firstRun && readsBacklog ? await partitionRanges(client, topicList, options) : [];
  for (const range of ranges) backfillEnds.set(`${range.topic}:${range.partition}`, range.end);
  const starts = options.since !== undefined ? ranges : [];
  const consumer = await client.consumer(options.groupId ?? `pix-live-${randomUUID()}`, { selfRestart: false });
  const stallMs = options.stallMs ?? STALL_MS;
  let lastFetch = Date.now();
  const connected = (): void => {
    lastFetch = Date.now();
    model.setConnection('connected');
    onConnected();
  };
  const watchdog = setInterval(() => {
    if (model.connection.state === 'connected' && Date.now() - lastFetch > stallMs) {
      model.setConnection('reconnecting', `no answer from the broker for ${Math.round(stallMs / 1000)} s`);
    }
  }, 1_000);
  try {
    const crashed = new Promise<never>((_resolve, reject) => {
      consumer.on(consumer.events.CRASH, ({ payload }) => reject(payload.error));
    });
    crashed.catch(() => undefined);
    consumer.on(consumer.events.GROUP_JOIN, connected);
    consumer.on(consumer.events.FETCH, connected);
    // MirrorMaker's heartbeats say the mirror is alive when no event crosses; only new ones matter.
    const subscribed = [...topicList, ...topics.heartbeats];
    await client.withinTimeout(consumer.subscribe({ topics: subscribed, fromBeginning: options.fromBeginning }));
    await client.withinTimeout(
      consumer.run({
        autoCommit: options.groupId !== undefined,
        eachBatch: async (payload) => {
          const { batch } = payload;
          for (const message of batch.messages) {
            if (!payload.isRunning() || payload.isStale()) return;
            const position = { topic: batch.topic, partition: batch.partition, offset: message.offset };
            if (topics.heartbeats.includes(batch.topic)) {
              const heartbeat = decodeHeartbeat(message.key, message.value);
              // This cluster's own heartbeats name the site they mirror from; a copy of another
              // site's crossed from that site, and its timestamp (kept by MirrorMaker) times it.
              const crossedFrom = heartbeatsSiteOf(batch.topic);
              if (heartbeat && crossedFrom)
                model.recordHeartbeat(crossedFrom, heartbeat.emittedAt, Number(message.timestamp));
              else if (heartbeat) model.recordHeartbeat(heartbeat.sourceSite, heartbeat.emittedAt);
              payload.resolveOffset(message.offset);
              continue;
            }
            const decoded = decodeMessage(topics, position, message);
            const backfill = Number(message.offset) < (backfillEnds.get(`${batch.topic}:${batch.partition}`) ?? 0);
            if (decoded.ok) {
              const sourceSite = topics.siteOf(batch.topic);
              model.record(position, decoded.event, {
                backfill,
                ...(sourceSite !== undefined ? { mirrored: { sourceSite, timestamp: Number(message.timestamp) } } : {}),
              });
            } else model.recordMalformed({ ...position, issues: decoded.issues });
            payload.resolveOffset(message.offset);
            resumeAt.set(`${batch.topic}:${batch.partition}`, {
              topic: batch.topic,
              partition: batch.partition,
              offset: String(Number(message.offset) + 1),
            });
          }
          await payload.heartbeat();
        },
      }),
    );
    seekAll(
      consumer,
      firstRun ? starts.map((range) => ({ ...range, offset: String(range.start) })) : resumeAt.values(),
    );
    await untilAborted(crashed, signal);
  } finally {
    clearInterval(watchdog);
    await client.release(consumer);
  }
}

interface Position {
  topic: string;
  partition: number;
  offset: string;
}

function seekAll(consumer: { seek(position: Position): void }, positions: Iterable<Position>): void {
  for (const { topic, partition, offset } of positions) consumer.seek({ topic, partition, offset });
}

/**
 * `work`, or the signal firing, whichever comes first. The listener goes with the wait: a view that
 * reconnects all night must not gather one per attempt (Node warns past ten, and they leak).
 */
async function untilAborted(work: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  let onAbort: () => void = () => undefined;
  const abort = new Promise<void>((resolve) => (onAbort = resolve));
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.race([work, abort]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}
