import type { Admin } from 'kafkajs';

import type { KafkaClient } from './client.js';
import { requireTopics } from './topic-admin.js';

export interface PartitionRange {
  topic: string;
  partition: number;
  /** Where reading starts. */
  start: number;
  /** The end offset (next offset to be written) when the range was taken. */
  end: number;
}

/** Where reading starts: pix consume, pix tui and pix serve-dashboard take the same rule. */
export interface StartRule {
  fromBeginning: boolean;
  /** Milliseconds since the epoch: start at the first message at or after it. */
  since?: number;
  /** With a group, offsets are committed and a later run resumes from them. */
  groupId?: string;
}

/**
 * Where reading starts in each partition and where it ends as of now: what `--exit` needs to know
 * when it has caught up, and what `--since` seeks to.
 */
export async function partitionRanges(
  client: KafkaClient,
  topics: readonly string[],
  rule: StartRule,
): Promise<PartitionRange[]> {
  const admin = await client.admin();
  try {
    return await rangesOf(client, admin, topics, rule);
  } catch (error) {
    // A topic deleted since the start was checked fails here as a broker that did not answer:
    // kafkajs retries it until --timeout, and every later topic of that admin with it. The
    // cluster's list names it, as at the start.
    await requireTopics(client, topics);
    throw error;
  } finally {
    await client.release(admin);
  }
}

async function rangesOf(
  client: KafkaClient,
  admin: Admin,
  topics: readonly string[],
  rule: StartRule,
): Promise<PartitionRange[]> {
  const committed = new Map<string, number>();
  const { groupId } = rule;
  if (groupId !== undefined && rule.since === undefined) {
    const offsets = await client.askWithinTimeout(() => admin.fetchOffsets({ groupId, topics: [...topics] }));
    for (const { topic, partitions } of offsets) {
      for (const { partition, offset } of partitions) {
        if (Number(offset) >= 0) committed.set(`${topic}:${partition}`, Number(offset));
      }
    }
  }
  const ranges: PartitionRange[] = [];
  for (const topic of topics) {
    const watermarks = await client.askWithinTimeout(() => admin.fetchTopicOffsets(topic));
    const bySince =
      rule.since === undefined
        ? undefined
        : await client.askWithinTimeout(() => admin.fetchTopicOffsetsByTimestamp(topic, rule.since));
    for (const { partition, low, high } of watermarks) {
      const sinceOffset = bySince?.find((entry) => entry.partition === partition)?.offset;
      const start =
        sinceOffset !== undefined
          ? Number(sinceOffset)
          : (committed.get(`${topic}:${partition}`) ?? (rule.fromBeginning ? Number(low) : Number(high)));
      ranges.push({ topic, partition, start, end: Number(high) });
    }
  }
  return ranges;
}
