import type { Admin } from 'kafkajs';

import { formatDuration } from '../duration.js';
import { PixError } from '../errors.js';
import type { KafkaClient } from './client.js';
import { missingTopics } from './errors.js';
import { heartbeatsSiteOf } from './heartbeats.js';
import { withDeadline } from './deadline.js';
import { TopicNames } from '../events/topics.js';
import { sleep } from '../sleep.js';

export interface TopicSpec {
  partitions: number;
  /** Copies of each partition; by default 3 where the cluster has three brokers, else one per broker. */
  replicationFactor?: number;
  /** Topic-level configuration such as `retention.ms`. */
  configs: Record<string, string>;
}

export interface TopicOutcome {
  topic: string;
  status: 'created' | 'exists';
  /** As created, or as the existing topic has them: pix never changes a topic that exists. */
  partitions: number;
}

export interface TopicInfo {
  topic: string;
  partitions: number;
  replicas: number;
}

/** How the topics pix created are replicated: what was asked for, or chosen for the cluster. */
export interface Replication {
  replicationFactor: number;
  /** min.insync.replicas of the new topics, when pix set it. */
  minInSyncReplicas?: number;
  brokers: number;
}

/**
 * Three copies, two of them in sync before an acknowledgement, where the cluster has three brokers:
 * one broker can then fail without losing an event acknowledged with acks=all, and publishing goes
 * on. A smaller cluster gets a copy per broker.
 */
function defaultReplication(brokers: number, configs: Record<string, string>): Omit<Replication, 'brokers'> {
  const replicationFactor = Math.min(3, brokers);
  return replicationFactor === 3 && configs['min.insync.replicas'] === undefined
    ? { replicationFactor, minInSyncReplicas: 2 }
    : { replicationFactor };
}

/** Creates the topics that are missing; topics that exist are left as they are and reported. */
export async function createTopics(
  client: KafkaClient,
  topics: readonly string[],
  spec: TopicSpec,
): Promise<{ topics: TopicOutcome[]; replication: Replication }> {
  const admin = await client.admin();
  const cluster = await client.askWithinTimeout(() => admin.describeCluster());
  const brokers = cluster.brokers.length;
  if (spec.replicationFactor !== undefined && spec.replicationFactor > brokers) {
    throw new PixError(
      'INVALID_INPUT',
      `replication-factor: ${spec.replicationFactor} is more than the ${brokers} broker${brokers === 1 ? '' : 's'} of this cluster`,
      { hint: `Use --replication-factor ${brokers} or less.` },
    );
  }
  const chosen =
    spec.replicationFactor === undefined
      ? defaultReplication(brokers, spec.configs)
      : { replicationFactor: spec.replicationFactor };
  const configs = {
    ...spec.configs,
    ...(chosen.minInSyncReplicas !== undefined ? { 'min.insync.replicas': String(chosen.minInSyncReplicas) } : {}),
  };
  const existing = new Set(await client.askWithinTimeout(() => admin.listTopics()));
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    await client
      .withinTimeout(
        admin.createTopics({
          // kafkajs's own wait gives up when the new topics are not yet in the metadata it asks for
          // (UNKNOWN_TOPIC_OR_PARTITION), which happens now and then: pix waits itself, below.
          waitForLeaders: false,
          timeout: client.settings.timeoutMs,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: spec.partitions,
            replicationFactor: chosen.replicationFactor,
            configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
          })),
        }),
      )
      .catch((error: unknown) => {
        throw explainRefusal(client.translate(error), spec.configs);
      });
    await waitForLeaders(client, admin, missing);
  }
  const present = topics.filter((topic) => existing.has(topic));
  const described =
    present.length === 0
      ? []
      : (await client.askWithinTimeout(() => admin.fetchTopicMetadata({ topics: present }))).topics;
  const partitionsOf = new Map(described.map(({ name, partitions }) => [name, partitions.length]));
  const outcomes = topics.map((topic): TopicOutcome =>
    existing.has(topic)
      ? { topic, status: 'exists', partitions: partitionsOf.get(topic) ?? 0 }
      : { topic, status: 'created', partitions: spec.partitions },
  );
  return { topics: outcomes, replication: { ...chosen, brokers } };
}

/**
 * Returns once every partition of `topics` has a leader, so that the next command can publish at
 * once. New topics reach the metadata a moment after they are created; until then the question
 * fails or shows partitions without a leader, and is asked again, within --timeout.
 */
async function waitForLeaders(client: KafkaClient, admin: Admin, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + client.settings.timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const { topics: described } = await withDeadline(
        admin.fetchTopicMetadata({ topics: [...topics] }),
        Math.max(1, deadline - Date.now()),
        () => new Error('no metadata in time'),
      );
      const led = described.filter(
        ({ partitions }) => partitions.length > 0 && partitions.every((partition) => partition.leader >= 0),
      );
      if (led.length === topics.length) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  throw new PixError(
    'TIMED_OUT',
    `the topics were created but not all their partitions had a leader within ${formatDuration(client.settings.timeoutMs)}`,
    {
      ...(lastError !== undefined ? { cause: lastError } : {}),
      hint: 'Run `pix topics list` to see them; try again with a longer --timeout',
    },
  );
}

/**
 * Every topic of the cluster (internal ones left out), sorted by name. One Metadata request for
 * all topics (the protocol guide: a null topic array asks for every topic, which kafkajs sends
 * for an empty list) gives names and partitions as the broker saw them at one moment. Asking for
 * the names and then for those topics' partitions failed with UNKNOWN_TOPIC_OR_PARTITION when a
 * topic was deleted between the two.
 */
export async function listTopics(client: KafkaClient): Promise<TopicInfo[]> {
  const admin = await client.admin();
  try {
    const metadata = await client.askWithinTimeout(() => admin.fetchTopicMetadata());
    return metadata.topics
      .filter((topic) => !topic.name.startsWith('__'))
      .map((topic) => ({
        topic: topic.name,
        partitions: topic.partitions.length,
        replicas: Math.max(0, ...topic.partitions.map((partition) => partition.replicas.length)),
      }))
      .sort((a, b) => a.topic.localeCompare(b.topic));
  } finally {
    await client.release(admin);
  }
}

/** kafkajs says only "Configuration is invalid": name the entries the broker was given. */
function explainRefusal(failure: PixError, configs: Record<string, string>): PixError {
  const entries = Object.entries(configs).map(([name, value]) => `${name}=${value}`);
  if (failure.code !== 'INVALID_INPUT' || entries.length === 0 || !/configuration/i.test(failure.message))
    return failure;
  return new PixError('INVALID_INPUT', `config: the broker refused ${entries.join(', ')} (${failure.message})`, {
    cause: failure,
    hint: 'See the topic configuration reference of Apache Kafka for names and values.',
  });
}

/**
 * Fails at once, naming them, when any of these topics does not exist: kafkajs would otherwise
 * retry its offset and group requests until --timeout and report an unreachable broker.
 */
export async function requireTopics(client: KafkaClient, topics: readonly string[]): Promise<void> {
  const missing = await missingOf(client, topics);
  if (missing.length > 0) throw missingTopics(missing);
}

/** Those of these topics the cluster does not have now. */
async function missingOf(client: KafkaClient, topics: readonly string[]): Promise<string[]> {
  const existing = new Set(await topicNames(client));
  return topics.filter((topic) => !existing.has(topic));
}

export interface PartitionEnd {
  topic: string;
  partition: number;
  /** The next offset to be written (the high watermark, ListOffsets LATEST). */
  end: number;
}

/**
 * The end offset of each partition of these topics; a topic that does not exist is left out,
 * including one deleted after the names were listed.
 */
export async function endOffsets(client: KafkaClient, topics: readonly string[]): Promise<PartitionEnd[]> {
  const ends: PartitionEnd[] = [];
  let admin = await client.admin();
  // The topics this admin was asked about: kafkajs names each in every later Metadata request.
  let asked: string[] = [];
  const offsetsOf = (topic: string) => {
    const current = admin;
    return client.askWithinTimeout(() => current.fetchTopicOffsets(topic));
  };
  try {
    // Listing names no topic in kafkajs's later Metadata requests, so the same admin asks it.
    const existing = new Set(await namesOf(client, admin));
    for (const topic of topics.filter((name) => existing.has(name))) {
      const offsets = await offsetsOf(topic).catch(async (error: unknown) => {
        // A topic deleted meanwhile is not a failure, but kafkajs does not say so: it retries
        // until --timeout, and once any topic its admin was asked about is gone, every later
        // question of that admin fails the same way. A fresh admin asks on, if the topic is there.
        const gone = await missingOf(client, [topic, ...asked]);
        if (gone.length === 0) throw error;
        await client.release(admin);
        admin = await client.admin();
        asked = [];
        return gone.includes(topic) ? undefined : offsetsOf(topic);
      });
      if (offsets === undefined) continue;
      asked.push(topic);
      for (const { partition, high } of offsets) ends.push({ topic, partition, end: Number(high) });
    }
    return ends;
  } finally {
    await client.release(admin);
  }
}

/**
 * The names of the cluster's topics, asked of an admin client of its own, released at once: a
 * live view asks again at each reconnection, and its admin connections must not pile up.
 */
async function topicNames(client: KafkaClient): Promise<string[]> {
  const admin = await client.admin();
  try {
    return await namesOf(client, admin);
  } finally {
    await client.release(admin);
  }
}

/** The names of the cluster's topics, asked of this admin client. */
function namesOf(client: KafkaClient, admin: Admin): Promise<string[]> {
  return client.askWithinTimeout(() => admin.listTopics());
}

/**
 * The same topic names, with the copies MirrorMaker 2 made on this cluster of other sites' topics
 * (`on-prem.product-price-update`…) and its heartbeats topic, as they exist now.
 */
export async function withMirroredTopics(client: KafkaClient, names: TopicNames): Promise<TopicNames> {
  const existing = await topicNames(client);
  const mirrored = existing
    .sort()
    .map((name) => names.remoteOf(name))
    .filter((topic) => topic !== undefined);
  const heartbeats = existing.filter((name) => heartbeatsSiteOf(name) !== undefined);
  return mirrored.length === 0 && heartbeats.length === 0 ? names : new TopicNames(names.prefix, mirrored, heartbeats);
}
