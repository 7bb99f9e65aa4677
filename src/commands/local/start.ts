import { Flags } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { globalFlags, integerFlag, localBrokerFlags, localNodeFlag } from '../../cli/flags.js';
import { localStart } from '../../local/commands.js';
import { MAX_LOCAL_NODES } from '../../local/paths.js';
import { LOCAL_SECURITY, type LocalSecurity } from '../../local/security.js';
import { shownText } from '../../printable.js';

export default class LocalStart extends PixCommand<typeof LocalStart> {
  static override summary = 'Start a real Apache Kafka broker (KRaft) on 127.0.0.1, or a cluster of them.';
  static override description = `Needs Java 17+; the first start fetches Kafka's jars from Maven Central with Maven and caches them, later starts need no network. Returns once the broker answers, and does nothing when it already runs. Data stays between runs (in --data-dir, default under $XDG_STATE_HOME/pix). Without Java, docker/compose.yml runs the same broker with Docker.

--nodes 3 runs a three-node cluster, one JVM per node: node N takes client port --port + 2(N − 1) and the controller port after it (9092/9093, 9094/9095, 9096/9097), each with its own data and log. Kafka's own topics are replicated to all three, and \`pix topics create\` makes pix's topics with replication factor 3 and min.insync.replicas=2, so one node can fail without losing an acknowledged event. --node N starts one stopped node again; \`pix local stop --node N --kill\` rehearses its crash.

--name NAME runs a cluster of that name beside others: the first time on the first free ports from 9092 up (9092, 9192, 9292…) unless --port says, later found by name; it is added to the config file as a named cluster with its site, so \`pix … --cluster NAME\` reaches it. \`pix local status\` lists every local cluster; \`pix local stop --name NAME\` or \`--all\` stops them.

--security sasl-ssl makes a cluster whose clients connect with TLS and log in, as in production: a CA of the cluster's own and a broker certificate for 127.0.0.1 and localhost (made by Java's keytool), and a user "pix" that logs in by SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN (SCRAM credentials are written when storage is formatted). Passwords are random and never shown: the settings pix needs are written to a file only you can read, which \`pix local start\` and \`pix local status\` name; load it with \`set -a; . FILE; set +a\`. A kcat configuration (PLAIN) lies beside it. The controllers' own listener stays plain text on 127.0.0.1.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 19092 --data-dir /tmp/kafka-test',
    '<%= config.bin %> <%= command.id %> --nodes 3 --heap 384m',
    '<%= config.bin %> <%= command.id %> --node 2',
    '<%= config.bin %> <%= command.id %> --port 19092 --security sasl-ssl',
    '<%= config.bin %> <%= command.id %> --name on-prem && <%= config.bin %> <%= command.id %> --name cloud',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override flags = {
    ...localBrokerFlags,
    'controller-port': integerFlag({ min: 1, max: 65_535 })({
      summary: 'Port of the KRaft controller. Default: --port + 1.',
    }),
    'data-dir': Flags.string({
      summary: "Folder of the broker's data (node N's in node-N inside it). Default: inside the state folder.",
    }),
    nodes: integerFlag({ min: 1, max: MAX_LOCAL_NODES })({
      summary: 'Nodes of the cluster, one JVM each. Default: as the cluster on --port was made, else 1.',
    }),
    security: Flags.string({
      options: [...LOCAL_SECURITY],
      summary: 'How clients connect: plaintext, or sasl-ssl (TLS and a login). Default: as the cluster was made.',
    }),
    ...localNodeFlag,
    heap: Flags.string({
      summary: 'Maximum Java heap of each node, as Java writes it: 512m, 1g.',
      default: '512m',
      // What -Xmx takes: a number of bytes, or of kilo-, mega- or gigabytes.
      parse: async (input) => {
        if (!/^[1-9]\d*[kKmMgG]?$/.test(input)) {
          throw new Error(`must be a size such as 512m or 1g (got '${shownText(input)}')`);
        }
        return input;
      },
    }),
  };

  public async run(): Promise<void> {
    const { flags } = this;
    await this.runWork(localStart, {
      ...flags,
      ...this.configFileFlag(),
      security: flags.security as LocalSecurity | undefined,
    });
  }
}
