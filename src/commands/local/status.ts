import { PixCommand } from '../../base-command.js';
import { globalFlags, localBrokerFlags } from '../../flags.js';
import { localBrokerStatus, type LocalBrokerState } from '../../local/local-broker.js';
import { statusLines } from '../../local/lines.js';
import { localBrokerOptions } from '../../local/options.js';

export default class LocalStatus extends PixCommand<typeof LocalStatus> {
  static override summary = 'Say whether the local broker (each node of a cluster) runs, where, and its pid.';
  static override description =
    'Exit code 0 whether or not it runs: read the output, or `--json` and its "running" field.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --json | jq .running',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = { ...localBrokerFlags };

  public async run(): Promise<LocalBrokerState> {
    const state = await localBrokerStatus(localBrokerOptions(this.flags, () => undefined));
    this.log(statusLines(state, this.flags.port));
    return state;
  }
}
