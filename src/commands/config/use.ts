import { Args } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { globalFlags } from '../../cli/flags.js';
import { configUse } from '../../config/commands.js';

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

  public async run(): Promise<void> {
    await this.runWork(configUse, { ...this.configFileFlag(), name: this.args.name });
  }
}
