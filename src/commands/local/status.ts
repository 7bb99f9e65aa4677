import { PixCommand } from '../../cli/base-command.js';
import { globalFlags, localBrokerFlags } from '../../cli/flags.js';
import { localStatus } from '../../local/commands.js';

export default class LocalStatus extends PixCommand<typeof LocalStatus> {
  static override summary = 'Say whether the local broker (each node of a cluster) runs, where, and its pid.';
  static override description =
    'Exit code 0 whether or not it runs: read the output, or `--json` and its "running" field.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json | jq .running',
    '<%= config.bin %> <%= command.id %> --name cloud',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = { ...localBrokerFlags };

  public async run(): Promise<void> {
    await this.runWork(localStatus, this.flags);
  }
}
