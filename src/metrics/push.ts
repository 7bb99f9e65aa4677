import { Pushgateway, Registry } from 'prom-client';

import { warn } from '../errors.js';
import type { Logger } from '../logger.js';
import { shownUrl, withoutSecrets } from '../output/redact.js';
import type { PixMetrics } from './metrics.js';

/** The Pushgateway job of one-shot `pix publish` runs. */
const PUBLISH_JOB = 'pix_publish';

/**
 * Pushes a one-shot command's counters and latency to a Prometheus Pushgateway, added to what the
 * job already has there. The events are published whatever happens here, so a push that fails is
 * a warning on stderr, not a failed command.
 */
export async function pushMetrics(url: string, metrics: PixMetrics, timeoutMs: number, logger: Logger): Promise<void> {
  try {
    // Only what publishing counts: gauges of consumers and browsers mean nothing for a one-shot job.
    const registry = new Registry();
    registry.registerMetric(metrics.eventsPublished);
    registry.registerMetric(metrics.produceLatency);
    const gateway = new Pushgateway(url, { timeout: timeoutMs }, registry);
    await gateway.pushAdd({ jobName: PUBLISH_JOB });
    logger.debug(`metrics: pushed to ${shownUrl(url)} as job ${PUBLISH_JOB}`);
  } catch (error) {
    const reason = withoutSecrets((error as Error).message, url);
    warn(`could not push metrics to ${shownUrl(url)}: ${reason}`);
  }
}
