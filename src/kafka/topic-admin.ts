import { PixError } from '../errors.js';
import type { KafkaClient } from './client.js';

export interface TopicSpec {
  partitions: number;
  replicationFactor: number;
  /** Topic-level configuration such as `retention.ms`. */
  configs: Record<string, string>;
}

export interface TopicOutcome {
  topic: string;
  status: 'created' | 'exists';
}

export interface TopicInfo {
  topic: string;
  partitions: number;
  replicas: number;
}

/** Creates the topics that are missing; topics that exist are left as they are and reported. */
export async function createTopics(
  client: KafkaClient,
  topics: readonly string[],
  spec: TopicSpec,
): Promise<TopicOutcome[]> {
  const admin = await client.admin();
  const cluster = await client.bounded(admin.describeCluster());
  if (spec.replicationFactor > cluster.brokers.length) {
    throw new PixError(
      'INVALID_INPUT',
      `replication-factor: ${spec.replicationFactor} is more than the ${cluster.brokers.length} broker${cluster.brokers.length === 1 ? '' : 's'} of this cluster`,
      { hint: `Use --replication-factor ${cluster.brokers.length} or less.` },
    );
  }
  const existing = new Set(await client.bounded(admin.listTopics()));
  const missing = topics.filter((topic) => !existing.has(topic));
  if (missing.length > 0) {
    await client
      .bounded(
        admin.createTopics({
          waitForLeaders: true,
          timeout: client.settings.timeoutMs,
          topics: missing.map((topic) => ({
            topic,
            numPartitions: spec.partitions,
            replicationFactor: spec.replicationFactor,
            configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
          })),
        }),
      )
      .catch((error: unknown) => {
        throw explainRefusal(client.translate(error), spec.configs);
      });
  }
  return topics.map((topic) => ({ topic, status: existing.has(topic) ? 'exists' : 'created' }));
}

/** Every topic of the cluster (internal ones left out), sorted by name. */
export async function listTopics(client: KafkaClient): Promise<TopicInfo[]> {
  const admin = await client.admin();
  const names = (await client.bounded(admin.listTopics())).filter((name) => !name.startsWith('__'));
  if (names.length === 0) return [];
  const metadata = await client.bounded(admin.fetchTopicMetadata({ topics: names }));
  return metadata.topics
    .map((topic) => ({
      topic: topic.name,
      partitions: topic.partitions.length,
      replicas: Math.max(0, ...topic.partitions.map((partition) => partition.replicas.length)),
    }))
    .sort((a, b) => a.topic.localeCompare(b.topic));
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
