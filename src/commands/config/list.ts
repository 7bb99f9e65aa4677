import { PixCommand } from '../../cli/base-command.js';
import { globalFlags } from '../../cli/flags.js';
import { configList } from '../../config/commands.js';

export default class ConfigList extends PixCommand<typeof ConfigList> {
  static override summary = 'List the named clusters of the config file; * marks the selected one.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;

  public async run(): Promise<void> {
    await this.runWork(configList, this.configFileFlag());
  }
}
