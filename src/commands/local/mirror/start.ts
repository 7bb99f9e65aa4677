import { Flags } from '@oclif/core';

import { PixCommand } from '../../../cli/base-command.js';
import { globalFlags, mirrorFlags } from '../../../cli/flags.js';
import { mirrorStart } from '../../../local/mirror-commands.js';

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

  public async run(): Promise<void> {
    await this.runWork(mirrorStart, { ...this.flags, ...this.configFileFlag() });
  }
}
