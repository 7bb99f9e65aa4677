import { Flags } from '@oclif/core';

import { PixCommand } from '../../base-command.js';
import { globalFlags, integerFlag, localBrokerFlags } from '../../flags.js';
import { startLocalBroker, type LocalBrokerState } from '../../local/local-broker.js';
import { localBrokerOptions } from '../../local/options.js';

export default class LocalStart extends PixCommand<typeof LocalStart> {
  static override summary = 'Start a real single-node Apache Kafka broker (KRaft) on 127.0.0.1.';
  static override description = `Needs Java 17+; the first start fetches Kafka's jars from Maven Central with Maven and caches them, later starts need no network. Returns once the broker answers, and does nothing when it already runs. Data stays between runs (in --data-dir, default under $XDG_STATE_HOME/pix). Without Java, docker/compose.yml runs the same broker with Docker.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 19092 --data-dir /tmp/kafka-test',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = {
    ...localBrokerFlags,
    'controller-port': integerFlag({ min: 1, max: 65_535 })({
      summary: 'Port of the KRaft controller. Default: --port + 1.',
    }),
    'data-dir': Flags.string({ summary: "Folder of the broker's data. Default: inside the state folder." }),
    heap: Flags.string({ summary: 'Maximum Java heap of the broker.', default: '512m' }),
  };

  public async run(): Promise<LocalBrokerState & { started: boolean }> {
    const state = await startLocalBroker(
      localBrokerOptions(this.flags, (message) => {
        if (process.stdout.isTTY) process.stderr.write(`${message}\n`);
      }),
    );
    const how = state.started ? 'started' : state.foreign ? 'already answers (not started by pix)' : 'already running';
    this.log(`Kafka ${how} at ${state.address}${state.pid ? ` (pid ${state.pid})` : ''}`);
    return state;
  }
}
