import type { CommandContext } from '../command-context.js';
import { PixError } from '../errors.js';
import { createTopics, listTopics, type Replication, type TopicInfo, type TopicOutcome } from '../kafka/index.js';
import { shownText } from '../printable.js';

export interface TopicsCreateOptions {
  partitions: number;
  /** Unset: 3 (and min.insync.replicas=2) on a cluster of three or more, else one per broker. */
  replicationFactor?: number;
  /** key=value topic configurations, as given. */
  config: readonly string[];
}

/** `pix topics create`: pix's three topics, made if missing, each said as created or existing. */
export async function topicsCreate(
  { partitions, replicationFactor, config }: TopicsCreateOptions,
  context: CommandContext,
): Promise<{ topics: TopicOutcome[]; replication: Replication }> {
  const configs = parseConfigs(config);
  const { topics, replication } = await createTopics(await context.kafka(), context.topicNames().list(), {
    partitions,
    ...(replicationFactor !== undefined ? { replicationFactor } : {}),
    configs,
  });
  for (const outcome of topics) {
    if (outcome.status === 'created') context.log(`created  ${outcome.topic}`);
    else if (outcome.partitions === partitions) context.log(`exists   ${outcome.topic}`);
    // Someone who asks for 6 partitions and gets the 3 a topic already had should hear of it.
    else context.log(`exists   ${outcome.topic} (${outcome.partitions} partitions, not ${partitions}: left as it is)`);
  }
  // What was chosen for the person who did not choose, said once, and only of topics made now.
  if (replicationFactor === undefined && topics.some((outcome) => outcome.status === 'created')) {
    context.stderr.write(`${replicationNote(replication)}\n`);
  }
  return { topics, replication };
}

/** `pix topics list`: every topic of the cluster with its partitions and replicas. */
export async function topicsList(_options: object, context: CommandContext): Promise<{ topics: TopicInfo[] }> {
  const topics = await listTopics(await context.kafka());
  if (topics.length === 0) {
    context.log('no topics (run `pix topics create`)');
  } else {
    const width = Math.max(5, ...topics.map(({ topic }) => topic.length));
    context.log(`${'TOPIC'.padEnd(width)}  PARTITIONS  REPLICAS`);
    for (const { topic, partitions, replicas } of topics) {
      context.log(`${topic.padEnd(width)}  ${String(partitions).padStart(10)}  ${String(replicas).padStart(8)}`);
    }
  }
  return { topics };
}

function parseConfigs(entries: readonly string[]): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const entry of entries) {
    const [, key, value] = /^([a-z0-9._-]+)=(.*)$/i.exec(entry) ?? [];
    if (key === undefined || value === undefined) {
      throw new PixError(
        'INVALID_INPUT',
        `config: must be key=value such as retention.ms=86400000 (got '${shownText(entry)}')`,
      );
    }
    configs[key] = value;
  }
  return configs;
}

function replicationNote({ replicationFactor, minInSyncReplicas, brokers }: Replication): string {
  if (minInSyncReplicas !== undefined) {
    return `replication factor ${replicationFactor}, min.insync.replicas=${minInSyncReplicas}: one broker can fail without losing an acknowledged event`;
  }
  const of = `${brokers} broker${brokers === 1 ? '' : 's'}`;
  return `replication factor ${replicationFactor}: the cluster has ${of} (3 copies, 2 in sync, on a cluster of three or more)`;
}
