import { Flags } from '@oclif/core';

import { PixCommand } from '../../base-command.js';
import { globalFlags, localBrokerFlags, localNodeFlag } from '../../flags.js';
import { stopLocalBroker, type StoppedNodes } from '../../local/local-broker.js';
import { stoppedLines } from '../../local/lines.js';
import { localBrokerOptions } from '../../local/options.js';

export default class LocalStop extends PixCommand<typeof LocalStop> {
  static override summary = 'Stop the local broker (every node of a cluster) cleanly and wait until its port is free.';
  static override description =
    'Sends SIGTERM so Kafka shuts down in order (killed after 30 s if it hangs). Data is kept for the next start. --node N stops one node of a cluster; --kill sends SIGKILL instead, as a crash would, to rehearse a failover.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 19092',
    '<%= config.bin %> <%= command.id %> --node 2 --kill',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = {
    ...localBrokerFlags,
    ...localNodeFlag,
    kill: Flags.boolean({ summary: 'SIGKILL at once, no controlled shutdown: a crash, to rehearse one.' }),
  };

  public async run(): Promise<StoppedNodes> {
    const { flags } = this;
    const result = await stopLocalBroker(
      localBrokerOptions(flags, () => undefined),
      {
        ...(flags.node !== undefined ? { node: flags.node } : {}),
        kill: flags.kill,
      },
    );
    this.log(stoppedLines(result, flags.port, { kill: flags.kill }));
    return result;
  }
}
