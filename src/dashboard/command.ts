import type { CommandContext } from '../command-context.js';
import type { EventType } from '../events/schema.js';
import type { StartRule } from '../kafka/index.js';
import { isLoopback } from './auth.js';
import { runLiveDashboard } from './live-dashboard.js';

export interface ServeDashboardOptions {
  types: readonly EventType[];
  start: StartRule;
  /** This cluster's own topics only, not the copies MirrorMaker 2 made of other sites'. */
  localOnly: boolean;
  host: string;
  /** 0 picks a free port. */
  port: number;
  token?: string | undefined;
  /** Host names the dashboard may be reached by besides its addresses and localhost. */
  allowedHosts?: string[] | undefined;
  /** POST /publish-event takes events. */
  enablePublish: boolean;
  frameIntervalMs?: number | undefined;
  maxBufferedBytes?: number | undefined;
  productLimit: number;
}

/** `pix serve-dashboard`: the live model fed from Kafka and served to browsers until Ctrl-C or SIGTERM. */
export async function serveDashboard(options: ServeDashboardOptions, context: CommandContext): Promise<void> {
  const { host, token } = options;
  const signal = context.stopSignal();
  const client = await context.kafka();
  if (!isLoopback(host) && !token) {
    context.warn(
      `serving on ${host} without --token: anyone who can reach this port sees the stream${
        options.enablePublish ? ' and can publish events' : ''
      }`,
    );
  }
  await runLiveDashboard({
    client,
    topics: context.topicNames(),
    types: options.types,
    mirrored: !options.localOnly,
    ...options.start,
    host,
    port: options.port,
    ...(token ? { token } : {}),
    ...(options.allowedHosts ? { allowedHosts: options.allowedHosts } : {}),
    ...(options.enablePublish ? { publishOrigin: context.settings.origin } : {}),
    ...(options.frameIntervalMs !== undefined ? { frameIntervalMs: options.frameIntervalMs } : {}),
    ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    productLimit: options.productLimit,
    signal,
    onListening: ({ url }) => {
      const shown = token && context.stdout.isTTY ? `${url}?token=${encodeURIComponent(token)}` : url;
      context.stdout.write(`pix dashboard: ${shown} (Ctrl-C stops)\n`);
    },
  });
}
