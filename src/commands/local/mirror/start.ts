import { Flags } from '@oclif/core';

import { PixCommand } from '../../../cli/base-command.js';
import { globalFlags, mirrorFlags } from '../../../cli/flags.js';
import { startMirror, type MirrorState } from '../../../local/mirror.js';
import { mirrorSites } from '../../../local/mirror-sites.js';
import { cacheDir, stateDir } from '../../../local/paths.js';
import { configFileOf } from '../../../settings.js';

export default class LocalMirrorStart extends PixCommand<typeof LocalMirrorStart> {
  static override summary = "Bridge two clusters with Kafka's own MirrorMaker 2.";
  static override description = `Runs MirrorMaker 2's dedicated mode from the cluster --from to the cluster --to (named clusters of the config file, such as those \`pix local start --name\` adds), replicating pix's three topics. On the target they are named after the source (on-prem.product-price-update…), or keep their names with --same-names. Topic configs are synced, heartbeats emitted every second, consumer-group offsets checkpointed and synced. Only the herder of that direction runs unless --both-ways.

The first start fetches MirrorMaker's jars through Maven, like the broker's. It returns once MirrorMaker says it has started; its log and configuration are in the state folder (\`pix local mirror status\` names them, with the lag). MirrorMaker copies at least once: after a crash it may copy again the last seconds it copied.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud',
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud --both-ways',
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud --same-names',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = {
    ...mirrorFlags,
    'same-names': Flags.boolean({
      summary: 'Keep the topic names on the target (identity replication policy).',
      exclusive: ['both-ways'],
      default: false,
    }),
    'both-ways': Flags.boolean({
      summary: 'Replicate from --to to --from too (on-prem gets cloud.product-price-update…).',
      default: false,
    }),
  };

  public async run(): Promise<MirrorState & { started: boolean }> {
    const { flags } = this;
    const configPath = configFileOf(flags, process.env).path;
    const state = await startMirror({
      ...mirrorSites(configPath, flags, process.env),
      sameNames: flags['same-names'],
      bothWays: flags['both-ways'],
      stateDir: stateDir(process.env),
      cacheDir: cacheDir(process.env),
      env: process.env,
      onProgress: (message) => {
        if (process.stdout.isTTY) process.stderr.write(`${message}\n`);
      },
    });
    const direction = state.bothWays ? `between ${state.from} and ${state.to}` : `from ${state.from} to ${state.to}`;
    this.log(
      `MirrorMaker 2 ${state.started ? 'started' : 'already running'} ${direction} (pid ${state.pid}); log: ${state.logFile}`,
    );
    return state;
  }
}
