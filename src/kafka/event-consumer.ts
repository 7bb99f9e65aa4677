import { randomUUID } from 'node:crypto';

import type { KafkaMessage } from 'kafkajs';

import { decodeEvent, headerText, type DecodeResult } from '../events/codec.js';
import type { EventType, PixEvent } from '../events/schema.js';
import type { TopicNames } from '../events/topics.js';
import type { FieldIssue } from '../events/validation.js';
import type { KafkaClient } from './client.js';

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
}

export interface ConsumeOptions {
  client: KafkaClient;
  topics: TopicNames;
  types: readonly EventType[];
  fromBeginning: boolean;
  /** With a group, offsets are committed and a later run resumes; without, nothing is committed. */
  groupId?: string;
  maxMessages?: number;
  signal: AbortSignal;
  /** A returned promise is awaited before the next event: that is how output applies back-pressure. */
  onEvent(event: ConsumedEvent): void | Promise<void>;
  onSkipped(message: SkippedMessage): void;
}

export type StopReason = 'max-messages' | 'signal';

export interface ConsumeSummary {
  events: number;
  skipped: number;
  stoppedBy: StopReason;
}

/**
 * Reads pix events from their topics until a bound is reached or the signal fires. Messages that
 * are not valid events are reported through onSkipped and never stop the stream.
 */
export async function consumeEvents(options: ConsumeOptions): Promise<ConsumeSummary> {
  const { client, topics, signal } = options;
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

  try {
    const consumer = await client.consumer(options.groupId ?? `pix-consume-${randomUUID()}`);
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) fail(client.translate(payload.error));
    });
    await client.bounded(
      consumer.subscribe({ topics: topics.list(options.types), fromBeginning: options.fromBeginning }),
    );
    await client.bounded(
      consumer.run({
        autoCommit: options.groupId !== undefined,
        eachBatch: async (payload) => {
          const { batch } = payload;
          const type = topics.typeOf(batch.topic);
          for (const message of batch.messages) {
            if (stopped || !payload.isRunning() || payload.isStale()) return;
            const position = { topic: batch.topic, partition: batch.partition, offset: message.offset };
            const decoded: DecodeResult = type
              ? decodeEvent(type, {
                  ...position,
                  value: message.value,
                  headers: message.headers,
                  timestamp: message.timestamp,
                })
              : { ok: false, issues: [{ field: '(topic)', rule: 'is not a pix topic' }] };
            if (decoded.ok) {
              summary.events += 1;
              await options.onEvent({
                ...position,
                ...envelopeOf(message),
                event: decoded.event,
                legacy: decoded.legacy,
              });
            } else {
              summary.skipped += 1;
              options.onSkipped({ ...position, issues: decoded.issues });
            }
            payload.resolveOffset(message.offset);
            if (options.maxMessages !== undefined && summary.events >= options.maxMessages) {
              stopped = true;
              finish('max-messages');
              return;
            }
          }
          await payload.heartbeat();
        },
      }),
    );
    const stoppedBy = await finished;
    stopped = true;
    return { ...summary, stoppedBy };
  } finally {
    stopped = true;
    signal.removeEventListener('abort', onAbort);
    await client.close();
  }
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
