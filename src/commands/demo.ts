import { Flags } from '@oclif/core';

import { PixCommand } from '../cli/base-command.js';
import { integerFlag } from '../cli/flags.js';
import { demo } from '../demo/command.js';
import { DEMO_SITES } from '../demo/parts.js';

export default class Demo extends PixCommand<typeof Demo> {
  static override summary =
    'See pix work: a local Kafka broker, simulated traffic and the live dashboard, in one command.';
  static override description = `Starts the local broker when none answers on the default address (and stops it again at the end), creates the topics, publishes simulated traffic from the sites ${DEMO_SITES.join(' and ')}, and serves the dashboard on 127.0.0.1. Ctrl-C stops everything it started.

The same as running \`pix local start\`, \`pix topics create\`, \`pix simulate\` and \`pix serve-dashboard\` yourself.

With --sites: two local clusters, ${DEMO_SITES.join(' and ')} (\`pix local start --name\`, each in the config file), Kafka's MirrorMaker 2 from on-prem to cloud (\`pix local mirror start\`), a simulator on each site publishing as that site, and the dashboard on the cloud, reading its own events and on-prem's copies with their replication delay. Ctrl-C stops the mirror and the clusters it started.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --rate 500 --port 8080',
    '<%= config.bin %> <%= command.id %> --sites',
  ];
  static override flags = {
    port: integerFlag({ min: 0, max: 65_535 })({ char: 'p', summary: 'Port of the dashboard.', default: 3000 }),
    rate: integerFlag({ min: 1, max: 100_000 })({ summary: 'Simulated events per second.', default: 50 }),
    products: integerFlag({ min: 1, max: 1_000_000 })({ summary: 'Distinct products in the traffic.', default: 200 }),
    sites: Flags.boolean({
      summary: 'Two sites, on-prem and cloud, bridged by MirrorMaker 2; the dashboard on the cloud.',
    }),
  };

  public async run(): Promise<void> {
    await this.runWork(demo, { ...this.flags, ...this.configFileFlag() });
  }
}
