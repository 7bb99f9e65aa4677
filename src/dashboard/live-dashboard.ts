import type { EventType } from '../events/schema.js';
import type { TopicNames } from '../events/topics.js';
import { EventPublisher, type KafkaClient, type StartRule } from '../kafka/index.js';
import { reportLag } from '../metrics/lag.js';
import { PixMetrics } from '../metrics/metrics.js';
import { runLiveFeed } from '../live-model/feed.js';
import { LiveModel } from '../live-model/model.js';
import { startDashboard, type RunningDashboard } from './server.js';

interface LiveDashboardOptions extends StartRule {
  client: KafkaClient;
  topics: TopicNames;
  types: readonly EventType[];
  /** Read the copies MirrorMaker 2 made here of other sites' topics too. */
  mirrored: boolean;
  host: string;
  port: number;
  token?: string;
  allowedHosts?: readonly string[];
  /** Events posted to /publish-event get this origin when they name none; undefined turns the route off. */
  publishOrigin?: string;
  frameIntervalMs?: number;
  maxBufferedBytes?: number;
  productLimit?: number;
  signal: AbortSignal;
  /** Called once the server listens, with its address. */
  onListening(dashboard: RunningDashboard): void;
}

/** The dashboard on its live feed: serves until the signal fires, then closes both. */
export async function runLiveDashboard(options: LiveDashboardOptions): Promise<void> {
  const { client, topics } = options;
  const model = new LiveModel(options.productLimit !== undefined ? { productLimit: options.productLimit } : {});
  const metrics = new PixMetrics();
  const publisher =
    options.publishOrigin !== undefined ? new EventPublisher(client, topics, metrics.producer) : undefined;
  const dashboard = await startDashboard({
    host: options.host,
    port: options.port,
    ...(options.token ? { token: options.token } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    model,
    metrics,
    ...(publisher ? { publish: (event) => publisher.publish(event) } : {}),
    publishDefaults: { origin: options.publishOrigin ?? '' },
    ...(options.frameIntervalMs !== undefined ? { frameIntervalMs: options.frameIntervalMs } : {}),
    ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
  });
  options.onListening(dashboard);
  // A feed that ends with an error ends the lag loop too, not only a stop.
  const done = new AbortController();
  const lag = reportLag(client, metrics, topics.list(options.types), AbortSignal.any([options.signal, done.signal]));
  try {
    await runLiveFeed({
      client,
      topics,
      types: options.types,
      mirrored: options.mirrored,
      fromBeginning: options.fromBeginning,
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...(options.groupId !== undefined ? { groupId: options.groupId } : {}),
      model,
      signal: options.signal,
    });
  } finally {
    done.abort();
    await lag;
    await dashboard.close();
  }
}
