import { Flags } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { PixError } from '../../errors.js';
import { integerFlag } from '../../cli/flags.js';
import { createTopics, type Replication, type TopicOutcome } from '../../kafka/index.js';
import { shownText } from '../../printable.js';

export default class TopicsCreate extends PixCommand<typeof TopicsCreate> {
  static override summary = "Create pix's three topics (price, discount, country); existing ones are left as they are.";
  static override description =
    'Idempotent: a second run succeeds and reports the topics as existing. Topic names take --topic-prefix.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --partitions 6 --replication-factor 3 --config retention.ms=604800000',
    '<%= config.bin %> <%= command.id %> --topic-prefix staging. --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    partitions: integerFlag({ min: 1, max: 10_000 })({ summary: 'Partitions per topic.', default: 3 }),
    'replication-factor': integerFlag({ min: 1, max: 32_767 })({
      summary:
        'Copies of each partition; at most the number of brokers. Default: 3 (and min.insync.replicas=2) on a cluster of three or more, else one per broker.',
    }),
    config: Flags.string({
      summary: 'Topic configuration key=value, repeatable (for example retention.ms=86400000).',
      multiple: true,
      default: [],
    }),
  };

  public async run(): Promise<{ topics: TopicOutcome[]; replication: Replication }> {
    const { partitions } = this.flags;
    const asked = this.flags['replication-factor'];
    const { topics, replication } = await createTopics(await this.kafka(), this.topicNames().list(), {
      partitions,
      ...(asked !== undefined ? { replicationFactor: asked } : {}),
      configs: parseConfigs(this.flags.config),
    });
    for (const outcome of topics) {
      if (outcome.status === 'created') this.log(`created  ${outcome.topic}`);
      else if (outcome.partitions === partitions) this.log(`exists   ${outcome.topic}`);
      // Someone who asks for 6 partitions and gets the 3 a topic already had should hear of it.
      else this.log(`exists   ${outcome.topic} (${outcome.partitions} partitions, not ${partitions}: left as it is)`);
    }
    // What was chosen for the person who did not choose, said once, and only of topics made now.
    if (asked === undefined && topics.some((outcome) => outcome.status === 'created')) {
      this.logToStderr(replicationNote(replication));
    }
    return { topics, replication };
  }
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
