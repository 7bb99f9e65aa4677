import { Args } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { globalFlags } from '../../cli/flags.js';
import { configRemove } from '../../config/commands.js';

export default class ConfigRemove extends PixCommand<typeof ConfigRemove> {
  static override summary = 'Remove a named cluster from the config file.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> staging',
    '<%= config.bin %> <%= command.id %> lab --json',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'A cluster of the config file.', required: true }) };

  public async run(): Promise<void> {
    await this.runWork(configRemove, { ...this.configFileFlag(), name: this.args.name });
  }
}
