import { EVENT_TYPES } from '../events/schema.js';
import { TopicNames } from '../events/topics.js';
import { createTopics, KafkaClient, publishStream, withMirroredTopics } from '../kafka/index.js';
import type { Logger } from '../logger.js';
import { startLocalBroker, stopLocalBroker } from '../local/local-broker.js';
import { startMirror, stopMirror } from '../local/mirror.js';
import { mirrorSites } from '../local/mirror-sites.js';
import { localClusterPort, registerStarted } from '../local/named-clusters.js';
import { localBrokerOptions } from '../local/options.js';
import { cacheDir } from '../local/paths.js';
import { paced } from '../simulate/pacing.js';
import { simulatedTraffic } from '../simulate/traffic.js';
import { sleep } from '../sleep.js';
import { DEMO_SITES, demoDashboard, together } from './parts.js';

/** A demo's brokers are two at once, beside MirrorMaker: a smaller heap than one broker alone. */
const DEMO_HEAP = '384m';
/** MirrorMaker makes the copies of the topics once it has started; a view connected before would not see them. */
const COPIES_BOUND_MS = 30_000;

interface SitesDemoOptions {
  stateDir: string;
  configPath: string;
  rate: number;
  products: number;
  port: number;
  logger: Logger;
  signal: AbortSignal;
  say: (message: string) => void;
  onListening: (url: string) => void;
}

/**
 * Two local clusters, on-prem and cloud, as `pix local start --name` makes them, MirrorMaker 2
 * from on-prem to cloud, a simulator publishing on each site as that site, and the dashboard on
 * the cloud reading both. When the signal fires (or a part fails), whatever it started stops:
 * the mirror first, then the clusters; what already ran is left running.
 */
export async function runSitesDemo(options: SitesDemoOptions): Promise<void> {
  const { say, signal } = options;
  const stop = together(signal);
  const startedPorts: number[] = [];
  const clients: KafkaClient[] = [];
  let mirrorStarted = false;
  try {
    for (const name of DEMO_SITES) {
      const port = await localClusterPort(options.stateDir, { name }, { creating: true });
      const state = await startLocalBroker(localBrokerOptions({ port, heap: DEMO_HEAP }, say));
      if (state.started) startedPorts.push(port);
      const registered = await registerStarted(options.stateDir, options.configPath, name, port, state);
      if (registered.note) say(registered.note);
      say(`${name}: Kafka ${state.started ? 'started' : 'already running'} at ${state.address}`);
    }
    const { from, to } = mirrorSites(options.configPath, { from: DEMO_SITES[0], to: DEMO_SITES[1] }, process.env);
    const topics = new TopicNames('');
    for (const site of [from, to]) {
      const client = new KafkaClient(site.settings.kafka, options.logger);
      clients.push(client);
      await createTopics(client, topics.list(), { partitions: 3, configs: {} });
    }
    const [onPrem, cloud] = clients as [KafkaClient, KafkaClient];
    const mirror = await startMirror({
      from,
      to,
      sameNames: false,
      bothWays: false,
      stateDir: options.stateDir,
      cacheDir: cacheDir(process.env),
      env: process.env,
      onProgress: say,
    });
    mirrorStarted = mirror.started;
    say(
      `MirrorMaker 2 ${mirror.started ? 'started' : 'already running'} from on-prem to cloud (log: ${mirror.logFile})`,
    );
    await copiesMade(cloud, topics, stop.signal);
    say(`simulating ${options.rate} events/s for ${options.products} products on each site`);
    const traffic = (client: KafkaClient, site: string, seed: number) =>
      stop.part(
        publishStream({
          client,
          topics,
          source: paced(simulatedTraffic({ products: options.products, sites: [site], seed }), {
            rate: options.rate,
            signal: stop.signal,
          }),
          restAfterFailure: 'made',
        }),
      );
    const seed = Date.now() >>> 0;
    await Promise.all([
      traffic(onPrem, 'on-prem', seed),
      traffic(cloud, 'cloud', (seed + 1) >>> 0),
      stop.part(
        demoDashboard({
          client: cloud,
          topics,
          port: options.port,
          signal: stop.signal,
          onListening: options.onListening,
        }),
      ),
    ]);
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    if (mirrorStarted) {
      say('stopping MirrorMaker 2');
      await stopMirror({ stateDir: options.stateDir, from: DEMO_SITES[0], to: DEMO_SITES[1] });
    }
    for (const port of startedPorts.reverse()) {
      say(`stopping the local cluster on port ${port}`);
      await stopLocalBroker(localBrokerOptions({ port }, () => undefined));
    }
  }
}

/** Waits until the cloud holds MirrorMaker's copies of the three topics, or says it goes on without. */
async function copiesMade(cloud: KafkaClient, topics: TopicNames, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + COPIES_BOUND_MS;
  while (!signal.aborted && Date.now() < deadline) {
    if ((await withMirroredTopics(cloud, topics)).mirrored.length >= EVENT_TYPES.length) return;
    await sleep(250, signal);
  }
}
