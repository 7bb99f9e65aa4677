import { PixError } from '../errors.js';
import type { Logger } from '../logger.js';
import { shownUrl } from '../output/redact.js';
import type { ProduceObserver } from '../kafka/index.js';

/** Refused before anything is published: prom-client would push 'not a url' to 127.0.0.1:80. */
function requirePushgatewayUrl(text: string): void {
  let protocol = '';
  try {
    protocol = new URL(text).protocol;
  } catch {
    // Not a URL at all: said below.
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new PixError('INVALID_INPUT', `--pushgateway: must be an http:// or https:// URL (got '${shownUrl(text)}')`, {
      hint: 'Nothing was published.',
    });
  }
}

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
  requirePushgatewayUrl(pushgateway);
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
