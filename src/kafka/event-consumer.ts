import type { KafkaMessage } from 'kafkajs';

import { decodeEvent, headerText, type DecodeResult } from '../events/codec.js';
import { formatDuration } from '../duration.js';
import { isPixError, PixError } from '../errors.js';
import type { EventType, PixEvent } from '../events/schema.js';
import type { TopicNames } from '../events/topics.js';
import { describeIssues, type FieldIssue } from '../events/validation.js';
import type { KafkaClient } from './client.js';
import { lostClusterReason } from './errors.js';
import { DeadLetterWriter, rawRecordOf } from './dead-letters.js';
import { partitionRanges, type StartRule } from './start-positions.js';
import { requireTopics } from './topic-admin.js';

/** Where a message sat on its topic. */
export interface MessagePosition {
  topic: string;
  partition: number;
  offset: string;
}

export interface ConsumedEvent extends MessagePosition {
  key: string | null;
  /** Kafka's timestamp, ISO 8601 UTC. */
  timestamp: string;
  headers: Record<string, string>;
  event: PixEvent;
  /** Written by the original system (bare `data` object), with the envelope filled in by pix. */
  legacy: boolean;
}

export interface SkippedMessage extends MessagePosition {
  issues: FieldIssue[];
  /** Where it was forwarded to, with --dead-letter-topic. */
  deadLetter?: MessagePosition;
}

export interface ConsumeEventsOptions extends StartRule {
  client: KafkaClient;
  topics: TopicNames;
  types: readonly EventType[];
  maxMessages?: number;
  /** Stop once every partition is read up to its end offset as of the start, like `kcat -e`. */
  exitAtEnd?: boolean;
  /** Fail with TIMED_OUT when no message arrives for this long. */
  idleTimeoutMs?: number;
  /** Only events that pass are delivered and counted. */
  filter?: (event: PixEvent) => boolean;
  /** A malformed message fails the consumer (exit 2) instead of being skipped. */
  strict?: boolean;
  /**
   * Every message skipped as malformed is forwarded to this topic, unchanged, with headers saying
   * why and where from (DEAD_LETTER_HEADERS), before reading goes past it.
   */
  deadLetterTopic?: string;
  signal: AbortSignal;
  /** A returned promise is awaited before the next event: that is how output applies back-pressure. */
  onEvent(event: ConsumedEvent): void | Promise<void>;
  /**
   * Awaited before the events handed on so far are marked read (and, with a group, committed):
   * output that gathers lines writes them first, and says false when they could not be written
   * (the reader went away), so a commit never covers a line that was not written.
   */
  flush?: () => Promise<boolean>;
  onSkipped(message: SkippedMessage): void;
  /**
   * Told when reading stops because the cluster is gone (why), and when it goes on again: the
   * reader keeps running, and resumes at the next message it has not handed on.
   */
  onConnection?: (state: { reading: false; reason: string } | { reading: true }) => void;
  /** Told what reading waits for, when it is slow to begin (a group in the middle of a rebalance). */
  onWaiting?: (what: string) => void;
}

/** How long joining a group may take before pix says what it waits for. */
const JOIN_NOTE_MS = 3_000;

export type StopReason = 'max-messages' | 'caught-up' | 'signal';

export interface ConsumeSummary {
  events: number;
  skipped: number;
  stoppedBy: StopReason;
}

/**
 * Reads pix events from their topics until a bound is reached or the signal fires. Messages that
 * are not valid events are reported through onSkipped and never stop the stream.
 */
export async function consumeEvents(options: ConsumeEventsOptions): Promise<ConsumeSummary> {
  const { client, topics, signal } = options;
  const topicList = topics.list(options.types);
  const summary = { events: 0, skipped: 0 };
  let finish!: (reason: StopReason) => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<StopReason>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // Rejections that arrive before the await below must not count as unhandled.
  finished.catch(() => undefined);
  const onAbort = (): void => finish('signal');
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) finish('signal');
  let stopped = false;
  const stopping = (): boolean => stopped || signal.aborted;

  let idleTimer: NodeJS.Timeout | undefined;
  const touch = (): void => {
    if (options.idleTimeoutMs === undefined) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => fail(idleFailure(options.idleTimeoutMs ?? 0)), options.idleTimeoutMs);
  };

  try {
    // Without a group, where each partition starts is taken now, so a consumer that kafkajs
    // restarts after losing the cluster goes on from there, not from the end as of its restart.
    const needsRanges = options.exitAtEnd === true || options.since !== undefined || options.groupId === undefined;
    await requireTopics(client, topicList);
    const deadLetters =
      options.deadLetterTopic === undefined ? undefined : await DeadLetterWriter.open(client, options.deadLetterTopic);
    const ranges = needsRanges
      ? await partitionRanges(client, topicList, {
          fromBeginning: options.fromBeginning,
          ...(options.since !== undefined ? { since: options.since } : {}),
          ...(options.groupId !== undefined ? { groupId: options.groupId } : {}),
        })
      : [];
    // Partitions still to read up to their end offset; --exit stops when none is left.
    const unread = new Map(
      ranges
        .filter((range) => range.start < range.end)
        .map((range) => [`${range.topic}:${range.partition}`, range.end]),
    );
    if (options.exitAtEnd && unread.size === 0) return { ...summary, stoppedBy: 'caught-up' };
    /**
     * Per partition, the next offset to hand on: where reading starts, then one past the last
     * message handed on. Each (re)join of the group seeks there, and anything before it that a
     * fetch brings again is dropped, so a reconnect neither skips nor repeats a message.
     */
    const next = new Map<string, bigint>();
    if (options.groupId === undefined || options.since !== undefined) {
      for (const { topic, partition, start } of ranges) next.set(`${topic}:${partition}`, BigInt(start));
    }

    const consumer = await client.consumer(options.groupId ?? `pix-consume-${privateGroupSuffix()}`, {
      privateGroup: options.groupId === undefined,
    });
    // An object: set by the GROUP_JOIN listener, read after awaits that TypeScript cannot see through.
    const group = { joined: false };
    // A loss is said once, however many restarts it takes to be back, and only once it is known
    // not to be a deleted topic; `said` is whether it was.
    const loss = { lost: false, said: false };
    const sayLost = (reason: string): void => {
      if (!loss.lost || loss.said) return;
      loss.said = true;
      options.onConnection?.({ reading: false, reason });
    };
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      const failure = client.translate(payload.error);
      if (!payload.restart) {
        fail(failure);
        return;
      }
      const first = !loss.lost;
      loss.lost = true;
      if (failure.code !== 'TOPIC_NOT_FOUND') {
        if (first) sayLost(lostClusterReason(failure));
        return;
      }
      void failIfDeleted().then((deleted) => {
        if (!deleted && first) sayLost(failure.message);
      });
    });
    // kafkajs restarts a consumer one of whose topics was deleted every 200 ms, for ever: a topic
    // deleted while pix reads is said as one missing at the start is. A broker on its way back
    // may answer UNKNOWN_TOPIC_OR_PARTITION for a topic that exists: the cluster's list decides.
    const failIfDeleted = async (): Promise<boolean> => {
      try {
        await requireTopics(client, topicList);
        return false;
      } catch (error) {
        if (!isPixError(error) || error.code !== 'TOPIC_NOT_FOUND') return false;
        stopped = true;
        fail(error);
        return true;
      }
    };
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const partition of partitions) {
          const offset = next.get(`${topic}:${partition}`);
          if (offset !== undefined) consumer.seek({ topic, partition, offset: String(offset) });
        }
      }
      if (loss.said) options.onConnection?.({ reading: true });
      loss.lost = false;
      loss.said = false;
      group.joined = true;
    });
    await client.withinTimeout(consumer.subscribe({ topics: topicList, fromBeginning: options.fromBeginning }));
    const joining = consumer.run({
      autoCommit: options.groupId !== undefined,
      // Only what was handed on counts as read: kafkajs would otherwise mark a whole batch read
      // when a bound stops the loop halfway through it.
      eachBatchAutoResolve: false,
      eachBatch: async (payload) => {
        const { batch } = payload;
        touch();
        // Offsets are marked read once what was handed on is written (see flush). A stop in the
        // middle of a batch marks none of it: the group's next reader gets those events again.
        let handed: string | undefined;
        const markRead = async (): Promise<boolean> => {
          if (!((await options.flush?.()) ?? true)) return false;
          if (handed !== undefined) payload.resolveOffset(handed);
          return true;
        };
        const key = `${batch.topic}:${batch.partition}`;
        for (const message of batch.messages) {
          if (stopping() || !payload.isRunning() || payload.isStale()) return;
          const expected = next.get(key);
          if (expected !== undefined && BigInt(message.offset) < expected) continue; // handed on already
          const position = { topic: batch.topic, partition: batch.partition, offset: message.offset };
          const decoded = decodeMessage(topics, position, message);
          if (!decoded.ok) {
            summary.skipped += 1;
            const skipped: SkippedMessage = { ...position, issues: decoded.issues };
            if (deadLetters) {
              try {
                skipped.deadLetter = await deadLetters.forward(
                  rawRecordOf(message),
                  position,
                  describeIssues(decoded.issues),
                );
              } catch (error) {
                // Not marked read: the group's next reader meets this message again.
                stopped = true;
                fail(error);
                return;
              }
            }
            options.onSkipped(skipped);
            if (options.strict) {
              stopped = true;
              fail(strictFailure({ ...position, issues: decoded.issues }));
              return;
            }
          } else if (!options.filter || options.filter(decoded.event)) {
            summary.events += 1;
            const written = options.onEvent({
              ...position,
              ...envelopeOf(message),
              event: decoded.event,
              legacy: decoded.legacy,
            });
            // Only a reader that is behind returns a promise; awaiting nothing costs a turn a message.
            if (written) await written;
            if (stopping()) return; // the output may have gone while we waited for it
          }
          handed = message.offset;
          next.set(key, BigInt(message.offset) + 1n);
          if (unread.size > 0) {
            const end = unread.get(key);
            if (end !== undefined && Number(message.offset) >= end - 1) unread.delete(key);
          }
          const bound =
            options.maxMessages !== undefined && summary.events >= options.maxMessages
              ? 'max-messages'
              : options.exitAtEnd && unread.size === 0
                ? 'caught-up'
                : undefined;
          if (bound) {
            stopped = true;
            if ((await markRead()) && options.groupId !== undefined) await payload.commitOffsetsIfNecessary();
            finish(bound);
            return;
          }
        }
        if (!(await markRead())) return;
        await payload.heartbeat();
      },
    });
    // A group whose member went away without leaving (killed, cut off) lets no one in until that
    // member's session times out: what is awaited is said, and a --timeout that passes first names it.
    const waiting =
      options.groupId === undefined
        ? undefined
        : setTimeout(() => {
            if (!group.joined) options.onWaiting?.(joinWait(options.groupId ?? ''));
          }, JOIN_NOTE_MS);
    try {
      await client.withinTimeout(joining);
    } catch (error) {
      if (options.groupId !== undefined && !group.joined && isPixError(error) && error.code === 'BROKER_UNREACHABLE') {
        throw joinFailure(options.groupId, error);
      }
      throw error;
    } finally {
      clearTimeout(waiting);
    }
    touch();
    const stoppedBy = await finished;
    stopped = true;
    return { ...summary, stoppedBy };
  } finally {
    stopped = true;
    clearTimeout(idleTimer);
    signal.removeEventListener('abort', onAbort);
    await client.close();
  }
}

/** A message of a pix topic as an event, or the rules it breaks; never throws. */
export function decodeMessage(topics: TopicNames, position: MessagePosition, message: KafkaMessage): DecodeResult {
  const type = topics.typeOf(position.topic);
  if (!type) return { ok: false, issues: [{ field: '(topic)', rule: 'is not a pix topic' }] };
  return decodeEvent(type, {
    ...position,
    value: message.value,
    headers: message.headers,
    timestamp: message.timestamp,
  });
}

function envelopeOf(message: KafkaMessage): Pick<ConsumedEvent, 'key' | 'timestamp' | 'headers'> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    const text = headerText(value);
    if (text !== undefined) headers[name] = text;
  }
  return {
    key: message.key === null ? null : message.key.toString(),
    timestamp: new Date(Number(message.timestamp)).toISOString(),
    headers,
  };
}

function joinWait(groupId: string): string {
  return `waiting to join group ${groupId}: a rebalance is under way (a member that went away without leaving holds it until its session times out: 30 s for pix)`;
}

function joinFailure(groupId: string, failure: PixError): PixError {
  return new PixError(
    'BROKER_UNREACHABLE',
    `${failure.message}: group ${groupId} let no member in (${joinWait(groupId)})`,
    {
      cause: failure,
      retryable: true,
      hint: 'Wait for the rebalance to end, or give the join more time with --timeout 60s',
    },
  );
}

function idleFailure(ms: number): PixError {
  return new PixError('TIMED_OUT', `no event arrived within ${formatDuration(ms)} (--idle-timeout)`);
}

function strictFailure({ topic, partition, offset, issues }: SkippedMessage): PixError {
  return new PixError(
    'INVALID_INPUT',
    `${topic}[${partition}]@${offset} is not a valid event: ${describeIssues(issues)}`,
    {
      hint: 'Without --strict such messages are skipped and counted',
    },
  );
}

/**
 * A random name for a reader's own group. node:crypto is loaded when a reader starts, not with
 * the Kafka layer: a publish of one event does without it (src/events/event-id.ts).
 */
function privateGroupSuffix(): string {
  return process.getBuiltinModule('node:crypto').randomUUID();
}
