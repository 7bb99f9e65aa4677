import { Args } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { globalFlags } from '../../cli/flags.js';
import { configShow } from '../../config/commands.js';

export default class ConfigShow extends PixCommand<typeof ConfigShow> {
  static override summary = 'Show a named cluster (the selected one by default), its secrets masked.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> cloud --json',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'A cluster of the config file.', required: false }) };

  public async run(): Promise<void> {
    const { name } = this.args;
    await this.runWork(configShow, { ...this.configFileFlag(), ...(name !== undefined ? { name } : {}) });
  }
}
