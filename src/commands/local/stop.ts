import { Flags } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { globalFlags, localBrokerFlags, localNodeFlag } from '../../cli/flags.js';
import { localStop } from '../../local/commands.js';

export default class LocalStop extends PixCommand<typeof LocalStop> {
  static override summary = 'Stop the local broker (every node of a cluster) cleanly and wait until its port is free.';
  static override description =
    'Sends SIGTERM so Kafka shuts down in order (killed after 30 s if it hangs). Data is kept for the next start. --node N stops one node of a cluster; --kill sends SIGKILL instead, as a crash would, to rehearse a failover.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 19092',
    '<%= config.bin %> <%= command.id %> --node 2 --kill',
    '<%= config.bin %> <%= command.id %> --name cloud',
    '<%= config.bin %> <%= command.id %> --all',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = {
    ...localBrokerFlags,
    ...localNodeFlag,
    kill: Flags.boolean({ summary: 'SIGKILL at once, no controlled shutdown: a crash, to rehearse one.' }),
    all: Flags.boolean({
      summary: 'Every local cluster: those started by name, and the one on port 9092.',
      exclusive: ['port', 'name', 'node'],
    }),
  };

  public async run(): Promise<void> {
    await this.runWork(localStop, this.flags);
  }
}
