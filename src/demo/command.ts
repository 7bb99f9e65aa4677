import type { CommandContext } from '../command-context.js';
import { createTopics, publishStream } from '../kafka/index.js';
import { startLocalBroker, stopLocalBroker } from '../local/local-broker.js';
import { localBrokerOptions } from '../local/options.js';
import { stateDir } from '../local/paths.js';
import { configFileOf } from '../settings.js';
import { paced } from '../simulate/pacing.js';
import { simulatedTraffic } from '../simulate/traffic.js';
import { DEMO_SITES, demoDashboard, together } from './parts.js';
import { runSitesDemo } from './sites-demo.js';

export interface DemoOptions {
  /** Port of the dashboard. */
  port: number;
  /** Simulated events per second. */
  rate: number;
  /** Distinct products in the traffic. */
  products: number;
  /** Two sites bridged by MirrorMaker 2 rather than one cluster. */
  sites: boolean;
  'config-file'?: string;
}

/**
 * `pix demo`: a local broker (unless one answers), the topics, simulated traffic and the
 * dashboard, until Ctrl-C; with `sites`, two clusters and the mirror between them.
 */
export async function demo(options: DemoOptions, context: CommandContext): Promise<void> {
  const say = (message: string): void => void context.stdout.write(`pix demo: ${message}\n`);
  if (options.sites) {
    await runSitesDemo({
      stateDir: stateDir(context.env),
      configPath: configFileOf(options, context.env).path,
      rate: options.rate,
      products: options.products,
      port: options.port,
      logger: context.logger,
      signal: context.stopSignal(),
      say,
      onListening: (url) => context.stdout.write(`pix dashboard: ${url} (Ctrl-C stops the demo)\n`),
    });
    return;
  }
  const { signal, part } = together(context.stopSignal());
  const localPort = localBrokerPort(context.settings.kafka.brokers);
  const broker =
    localPort === undefined
      ? undefined
      : await startLocalBroker(localBrokerOptions({ port: localPort }, (message) => say(message)));
  if (broker?.started) say(`Kafka started at ${broker.address} (it stops with the demo)`);
  try {
    const client = await context.kafka();
    const topics = context.topicNames();
    await createTopics(client, topics.list(), { partitions: 3, configs: {} });
    say(`topics ready: ${topics.list().join(', ')}`);
    say(`simulating ${options.rate} events/s for ${options.products} products from ${DEMO_SITES.join(', ')}`);
    const traffic = part(
      publishStream({
        client,
        topics,
        source: paced(simulatedTraffic({ products: options.products, sites: DEMO_SITES, seed: Date.now() >>> 0 }), {
          rate: options.rate,
          signal,
        }),
        restAfterFailure: 'made',
      }),
    );
    const dashboard = part(
      demoDashboard({
        client,
        topics,
        port: options.port,
        signal,
        onListening: (url) => context.stdout.write(`pix dashboard: ${url} (Ctrl-C stops the demo)\n`),
      }),
    );
    await Promise.all([traffic, dashboard]);
  } finally {
    if (broker?.started) {
      say('stopping the local broker');
      await stopLocalBroker(localBrokerOptions({ port: localPort ?? 0 }, () => undefined));
    }
  }
}

/** The port of the one loopback broker the settings name, which pix may start itself. */
function localBrokerPort(brokers: readonly string[]): number | undefined {
  if (brokers.length !== 1) return undefined;
  const match = /^(?:127\.0\.0\.1|localhost):(\d+)$/.exec(brokers[0] ?? '');
  return match ? Number(match[1]) : undefined;
}
