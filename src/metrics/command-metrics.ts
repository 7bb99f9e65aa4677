import type { KafkaClient } from '../kafka/index.js';
import type { PixMetrics } from './metrics.js';

interface CommandMetrics {
  metrics: PixMetrics;
  url: string;
  close(): Promise<void>;
}

/**
 * The metrics of a long-running command, when --metrics-port asks for them: the registry, its
 * /metrics server, and (for a command that reads `lagTopics`) the consumer lag, refreshed until
 * close. The address goes to stderr, which stays free of data.
 */
export async function startCommandMetrics(
  flags: { 'metrics-port'?: number | undefined; 'metrics-host': string },
  options: { client?: KafkaClient; lagTopics?: readonly string[] } = {},
): Promise<CommandMetrics | undefined> {
  if (flags['metrics-port'] === undefined) return undefined;
  // Loaded only now: without --metrics-port a command starts without prom-client.
  const [{ PixMetrics }, { serveMetrics }, { reportLag }] = await Promise.all([
    import('./metrics.js'),
    import('./server.js'),
    import('./lag.js'),
  ]);
  const metrics = new PixMetrics();
  const server = await serveMetrics(metrics, flags['metrics-host'], flags['metrics-port']);
  process.stderr.write(`pix: metrics on ${server.url}\n`);
  const stopLag = new AbortController();
  const lag =
    options.client && options.lagTopics
      ? reportLag(options.client, metrics, options.lagTopics, stopLag.signal)
      : Promise.resolve();
  return {
    metrics,
    url: server.url,
    close: async () => {
      stopLag.abort();
      await lag;
      await server.close();
    },
  };
}
