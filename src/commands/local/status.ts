import { PixCommand } from '../../base-command.js';
import { globalFlags, localBrokerFlags } from '../../flags.js';
import { localBrokerStatus, type LocalBrokerState } from '../../local/local-broker.js';
import { localBrokerOptions } from '../../local/options.js';

export default class LocalStatus extends PixCommand<typeof LocalStatus> {
  static override summary = 'Say whether the local broker runs, where, and its pid.';
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
    if (!state.running) this.log(`not running (port ${this.flags.port}); start it with: pix local start`);
    else if (state.foreign) this.log(`a broker not started by pix answers at ${state.address}`);
    else
      this.log(
        `running at ${state.address} (pid ${state.pid}), Kafka ${state.version}\ndata: ${state.dataDir}\nlog:  ${state.logFile}`,
      );
    return state;
  }
}
