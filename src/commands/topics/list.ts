import { PixCommand } from '../../cli/base-command.js';
import { topicsList } from '../../topics/commands.js';

export default class TopicsList extends PixCommand<typeof TopicsList> {
  static override summary = 'List the topics of the cluster with their partitions and replicas.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json | jq -r ".topics[].topic"',
  ];
  static override enableJsonFlag = true;

  public async run(): Promise<void> {
    await this.runWork(topicsList, {});
  }
}
