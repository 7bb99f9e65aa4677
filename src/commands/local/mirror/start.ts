import { Flags } from '@oclif/core';

import { PixCommand } from '../../../base-command.js';
import { globalFlags } from '../../../flags.js';
import { startMirror, type MirrorState } from '../../../local/mirror.js';
import { mirrorSite } from '../../../local/mirror-sites.js';
import { cacheDir, stateDir } from '../../../local/paths.js';
import { configFileOf } from '../../../settings.js';

export default class LocalMirrorStart extends PixCommand<typeof LocalMirrorStart> {
  static override summary = "Bridge two clusters with Kafka's own MirrorMaker 2, in one direction.";
  static override description = `Runs MirrorMaker 2's dedicated mode from the cluster --from to the cluster --to (named clusters of the config file, such as those \`pix local start --name\` adds), replicating pix's three topics: on the target they are named after the source (on-prem.product-price-update…), or the same with --same-names. Topic configs are synced, heartbeats emitted every second, consumer-group offsets checkpointed. The first start fetches MirrorMaker's jars through Maven, like the broker's. Its log is in the state folder (pix local mirror status names it).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud',
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud --same-names',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = {
    from: Flags.string({ summary: 'The source cluster (a named cluster of the config file).', required: true }),
    to: Flags.string({ summary: 'The target cluster (a named cluster of the config file).', required: true }),
    'same-names': Flags.boolean({ summary: 'Keep the topic names (identity replication policy).' }),
  };

  public async run(): Promise<MirrorState & { started: boolean }> {
    const { flags } = this;
    const configPath = configFileOf(flags, process.env).path;
    const state = await startMirror({
      from: mirrorSite(configPath, flags.from, '--from'),
      to: mirrorSite(configPath, flags.to, '--to'),
      sameNames: flags['same-names'],
      stateDir: stateDir(process.env),
      cacheDir: cacheDir(process.env),
      env: process.env,
      onProgress: (message) => {
        if (process.stdout.isTTY) process.stderr.write(`${message}\n`);
      },
    });
    this.log(
      `MirrorMaker 2 ${state.started ? 'started' : 'already running'} from ${flags.from} to ${flags.to} (pid ${state.pid}); log: ${state.logFile}`,
    );
    return state;
  }
}
