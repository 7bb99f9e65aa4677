import { Flags } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { integerFlag } from '../../cli/flags.js';
import { topicsCreate } from '../../topics/commands.js';

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

  public async run(): Promise<void> {
    const asked = this.flags['replication-factor'];
    await this.runWork(topicsCreate, {
      partitions: this.flags.partitions,
      ...(asked !== undefined ? { replicationFactor: asked } : {}),
      config: this.flags.config,
    });
  }
}
