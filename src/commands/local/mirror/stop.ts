import { PixCommand } from '../../../cli/base-command.js';
import { globalFlags, mirrorFlags } from '../../../cli/flags.js';
import { mirrorStop } from '../../../local/mirror-commands.js';

export default class LocalMirrorStop extends PixCommand<typeof LocalMirrorStop> {
  static override summary = 'Stop the MirrorMaker 2 of one direction cleanly (SIGTERM, killed after 30 s).';
  static override description =
    'MirrorMaker commits how far it has read as it stops: started again, it goes on from there. A MirrorMaker started with --both-ways is stopped by either direction.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud',
    '<%= config.bin %> <%= command.id %> --from on-prem --to cloud --json',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = { ...mirrorFlags };

  public async run(): Promise<void> {
    await this.runWork(mirrorStop, this.flags);
  }
}
