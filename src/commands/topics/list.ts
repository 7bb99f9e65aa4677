import { PixCommand } from '../../cli/base-command.js';
import { listTopics, type TopicInfo } from '../../kafka/index.js';

export default class TopicsList extends PixCommand<typeof TopicsList> {
  static override summary = 'List the topics of the cluster with their partitions and replicas.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json | jq -r ".topics[].topic"',
  ];
  static override enableJsonFlag = true;

  public async run(): Promise<{ topics: TopicInfo[] }> {
    const topics = await listTopics(await this.kafka());
    if (topics.length === 0) {
      this.log('no topics (run `pix topics create`)');
    } else {
      const width = Math.max(5, ...topics.map(({ topic }) => topic.length));
      this.log(`${'TOPIC'.padEnd(width)}  PARTITIONS  REPLICAS`);
      for (const { topic, partitions, replicas } of topics) {
        this.log(`${topic.padEnd(width)}  ${String(partitions).padStart(10)}  ${String(replicas).padStart(8)}`);
      }
    }
    return { topics };
  }
}
