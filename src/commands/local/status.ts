import { PixCommand } from '../../cli/base-command.js';
import { globalFlags, localBrokerFlags } from '../../cli/flags.js';
import { localBrokerStatus, type LocalBrokerState } from '../../local/local-broker.js';
import { statusLines } from '../../local/lines.js';
import { everyLocalCluster, namedClusters, localClusterPort } from '../../local/named-clusters.js';
import { localBrokerOptions } from '../../local/options.js';
import { stateDir } from '../../local/paths.js';

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

  public async run(): Promise<LocalBrokerState | { clusters: (LocalBrokerState & { name?: string; port: number })[] }> {
    const { flags } = this;
    const states = stateDir(process.env);
    // Without --port or --name: every local cluster, once there are clusters started by name.
    if (flags.port === undefined && flags.name === undefined && namedClusters(states).length > 0) {
      const clusters = [];
      for (const { name, port } of everyLocalCluster(states)) {
        const state = await localBrokerStatus(localBrokerOptions({ port }, () => undefined));
        this.log(`${name ?? `port ${port}`}: ${statusLines(state, port)}`);
        clusters.push({ ...state, ...(name !== undefined ? { name } : {}), port });
      }
      return { clusters };
    }
    const port = await localClusterPort(states, flags, { creating: false });
    const state = await localBrokerStatus(localBrokerOptions({ port }, () => undefined));
    this.log(statusLines(state, port));
    return state;
  }
}
