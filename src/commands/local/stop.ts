import { PixCommand } from '../../base-command.js';
import { globalFlags, localBrokerFlags } from '../../flags.js';
import { stopLocalBroker } from '../../local/local-broker.js';
import { localBrokerOptions } from '../../local/options.js';

export default class LocalStop extends PixCommand<typeof LocalStop> {
  static override summary = 'Stop the local broker cleanly and wait until its port is free.';
  static override description =
    'Sends SIGTERM so Kafka shuts down in order (killed after 30 s if it hangs). Data is kept for the next start.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 19092',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = { ...localBrokerFlags };

  public async run(): Promise<{ stopped: boolean; pid?: number }> {
    const result = await stopLocalBroker(localBrokerOptions(this.flags, () => undefined));
    this.log(
      result.stopped
        ? `stopped Kafka on 127.0.0.1:${this.flags.port} (pid ${result.pid})`
        : `no local broker of pix runs on port ${this.flags.port}`,
    );
    return result;
  }
}
