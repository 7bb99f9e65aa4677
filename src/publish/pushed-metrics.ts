import type { Logger } from '../logger.js';
import type { ProduceObserver } from '../metrics/metrics.js';

/**
 * Runs one-shot publishing work and, when a Pushgateway is named, pushes what it counted there
 * afterwards, whether the work succeeded or failed. prom-client is loaded only then: a plain
 * `pix publish` starts without it.
 */
export async function withPushedMetrics<T>(
  pushgateway: string | undefined,
  options: { timeoutMs: number; logger: Logger },
  work: (observer: ProduceObserver | undefined) => Promise<T>,
): Promise<T> {
  if (pushgateway === undefined) return work(undefined);
  const [{ PixMetrics }, { pushMetrics }] = await Promise.all([
    import('../metrics/metrics.js'),
    import('../metrics/push.js'),
  ]);
  const metrics = new PixMetrics({ processMetrics: false });
  try {
    return await work(metrics.producer);
  } finally {
    await pushMetrics(pushgateway, metrics, options.timeoutMs, options.logger);
  }
}
