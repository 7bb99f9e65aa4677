import { Args } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { removeCluster } from '../../config/cluster-config.js';
import { globalFlags } from '../../cli/flags.js';
import { configFileOf } from '../../settings.js';

export default class ConfigRemove extends PixCommand<typeof ConfigRemove> {
  static override summary = 'Remove a named cluster from the config file.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> staging',
    '<%= config.bin %> <%= command.id %> lab --json',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'A cluster of the config file.', required: true }) };

  public async run(): Promise<{ removed: string; wasCurrent: boolean }> {
    const { wasCurrent } = removeCluster(configFileOf(this.flags, process.env).path, this.args.name);
    this.log(
      `removed cluster ${this.args.name}${wasCurrent ? '; no cluster is selected now (pix config use NAME selects one)' : ''}`,
    );
    return { removed: this.args.name, wasCurrent };
  }
}
