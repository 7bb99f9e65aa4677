import { Args } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { useCluster } from '../../config/cluster-config.js';
import { globalFlags } from '../../cli/flags.js';
import { configFileOf } from '../../settings.js';

export default class ConfigUse extends PixCommand<typeof ConfigUse> {
  static override summary = 'Make a named cluster the one every command uses by default.';
  static override description =
    '--cluster NAME and PIX_CLUSTER still choose another for one command; --brokers and PIX_BROKERS override its brokers.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> cloud',
    '<%= config.bin %> <%= command.id %> on-prem --config ./pix.json',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'A cluster of the config file.', required: true }) };

  public async run(): Promise<{ currentCluster: string }> {
    useCluster(configFileOf(this.flags, process.env).path, this.args.name);
    this.log(`commands now use cluster ${this.args.name}`);
    return { currentCluster: this.args.name };
  }
}
