import { Flags } from '@oclif/core';

import { PixCommand } from '../cli/base-command.js';
import { runLiveDashboard } from '../dashboard/live-dashboard.js';
import { EVENT_TYPES } from '../events/schema.js';
import { DEMO_SITES, runSitesDemo } from '../demo/sites-demo.js';
import { integerFlag } from '../cli/flags.js';
import { createTopics, publishStream } from '../kafka/index.js';
import { startLocalBroker, stopLocalBroker } from '../local/local-broker.js';
import { localBrokerOptions } from '../local/options.js';
import { stateDir } from '../local/paths.js';
import { paced } from '../simulate/pacing.js';
import { simulatedTraffic } from '../simulate/traffic.js';
import { configFileOf } from '../settings.js';

const SITES = ['on-prem', 'cloud'];

export default class Demo extends PixCommand<typeof Demo> {
  static override summary =
    'See pix work: a local Kafka broker, simulated traffic and the live dashboard, in one command.';
  static override description = `Starts the local broker when none answers on the default address (and stops it again at the end), creates the topics, publishes simulated traffic from the sites ${SITES.join(' and ')}, and serves the dashboard on 127.0.0.1. Ctrl-C stops everything it started.

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
    const { flags } = this;
    const say = (message: string): void => void process.stdout.write(`pix demo: ${message}\n`);
    if (flags.sites) {
      await runSitesDemo({
        stateDir: stateDir(process.env),
        configPath: configFileOf(flags, process.env).path,
        rate: flags.rate,
        products: flags.products,
        port: flags.port,
        logger: this.logger,
        signal: this.stopSignal(),
        say,
        onListening: (url) => process.stdout.write(`pix dashboard: ${url} (Ctrl-C stops the demo)\n`),
      });
      this.throwIfStopped();
      return;
    }
    // Ctrl-C stops the demo; so does either half failing, so the other does not run on alone.
    const stop = new AbortController();
    const interrupted = this.stopSignal();
    interrupted.addEventListener('abort', () => stop.abort(interrupted.reason), { once: true });
    const { signal } = stop;
    const failing = <T>(work: Promise<T>): Promise<T> =>
      work.catch((error: unknown) => {
        stop.abort(error);
        throw error;
      });
    const localPort = localBrokerPort(this.settings.kafka.brokers);
    const broker =
      localPort === undefined
        ? undefined
        : await startLocalBroker(localBrokerOptions({ port: localPort }, (message) => say(message)));
    if (broker?.started) say(`Kafka started at ${broker.address} (it stops with the demo)`);
    try {
      const client = await this.kafka();
      const topics = this.topicNames();
      await createTopics(client, topics.list(), { partitions: 3, configs: {} });
      say(`topics ready: ${topics.list().join(', ')}`);
      say(`simulating ${flags.rate} events/s for ${flags.products} products from ${SITES.join(', ')}`);
      const traffic = failing(
        publishStream({
          client,
          topics,
          source: paced(simulatedTraffic({ products: flags.products, sites: SITES, seed: Date.now() >>> 0 }), {
            rate: flags.rate,
            signal,
          }),
        }),
      );
      const dashboard = failing(
        runLiveDashboard({
          client,
          topics,
          types: EVENT_TYPES,
          mirrored: true,
          fromBeginning: false,
          host: '127.0.0.1',
          port: flags.port,
          signal,
          onListening: ({ url }) => process.stdout.write(`pix dashboard: ${url} (Ctrl-C stops the demo)\n`),
        }),
      );
      await Promise.all([traffic, dashboard]);
    } finally {
      if (broker?.started) {
        say('stopping the local broker');
        await stopLocalBroker(localBrokerOptions({ port: localPort ?? 0 }, () => undefined));
      }
    }
    this.throwIfStopped();
  }
}

/** The port of the one loopback broker the settings name, which pix may start itself. */
function localBrokerPort(brokers: readonly string[]): number | undefined {
  if (brokers.length !== 1) return undefined;
  const match = /^(?:127\.0\.0\.1|localhost):(\d+)$/.exec(brokers[0] ?? '');
  return match ? Number(match[1]) : undefined;
}
