import { Flags } from '@oclif/core';

import { PixCommand } from '../../base-command.js';
import { PixError } from '../../errors.js';
import { integerFlag } from '../../flags.js';
import { createTopics, type TopicOutcome } from '../../kafka/topic-admin.js';

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
      summary: 'Copies of each partition; at most the number of brokers.',
      default: 1,
    }),
    config: Flags.string({
      summary: 'Topic configuration key=value, repeatable (for example retention.ms=86400000).',
      multiple: true,
      default: [],
    }),
  };

  public async run(): Promise<{ topics: TopicOutcome[] }> {
    const { partitions } = this.flags;
    const topics = await createTopics(await this.kafka(), this.topicNames().list(), {
      partitions,
      replicationFactor: this.flags['replication-factor'],
      configs: parseConfigs(this.flags.config),
    });
    for (const outcome of topics) {
      if (outcome.status === 'created') this.log(`created  ${outcome.topic}`);
      else if (outcome.partitions === partitions) this.log(`exists   ${outcome.topic}`);
      // Someone who asks for 6 partitions and gets the 3 a topic already had should hear of it.
      else this.log(`exists   ${outcome.topic} (${outcome.partitions} partitions, not ${partitions}: left as it is)`);
    }
    return { topics };
  }
}

function parseConfigs(entries: readonly string[]): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const entry of entries) {
    const [, key, value] = /^([a-z0-9._-]+)=(.*)$/i.exec(entry) ?? [];
    if (key === undefined || value === undefined) {
      throw new PixError('INVALID_INPUT', `config: must be key=value such as retention.ms=86400000 (got '${entry}')`);
    }
    configs[key] = value;
  }
  return configs;
}
