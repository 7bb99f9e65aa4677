import { PixCommand } from '../../../cli/base-command.js';
import { globalFlags, mirrorFlags } from '../../../cli/flags.js';
import { mirrorStatusOf } from '../../../local/mirror-commands.js';

export default class LocalMirrorStatus extends PixCommand<typeof LocalMirrorStatus> {
  static override summary = 'Say whether MirrorMaker 2 runs from one cluster to another, and how far behind it is.';
  static override description = `Exit code 0 whether or not it runs: read the output, or \`--json\` and its "running" field.

The lag of each topic is the number of records at the source not yet on the target: each partition's end offset at the source minus that of the same partition on the target. Duplicates after a crash make the target longer; a partition ahead counts as caught up. A cluster that does not answer within --timeout leaves the lag out and says so.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud',
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud --json | jq ".topics[].lag"',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = { ...mirrorFlags };

  public async run(): Promise<void> {
    await this.runWork(mirrorStatusOf, { ...this.flags, ...this.configFileFlag() });
  }
}
