import { endOffsets, type KafkaClient } from '../kafka/index.js';
import type { PixMetrics } from './metrics.js';
import { sleep } from '../sleep.js';

/** How often the end offsets are fetched for pix_consumer_lag_messages. */
const LAG_INTERVAL_MS = 5_000;

/**
 * Keeps pix_consumer_lag_messages up to date until the signal fires: every few seconds the end
 * offsets of `topics` come from the admin API, and each partition's lag is its end offset minus
 * the position this process reached. A broker that does not answer leaves the last figures; the
 * consumer's own state says the broker is gone. A topic deleted meanwhile keeps its last figures
 * and does not stop the others'.
 */
export async function reportLag(
  client: KafkaClient,
  metrics: PixMetrics,
  topics: readonly string[],
  signal: AbortSignal,
  intervalMs = LAG_INTERVAL_MS,
): Promise<void> {
  // A function, not the property: the signal fires while the loop sleeps.
  const stopped = (): boolean => signal.aborted;
  while (!stopped()) {
    await sleep(intervalMs, signal);
    if (stopped()) return;
    try {
      for (const { topic, partition, end } of await endOffsets(client, topics)) {
        const position = metrics.positions.get(`${topic}:${partition}`);
        if (!position) continue;
        metrics.consumerLag.set({ topic, partition: String(partition) }, Math.max(0, end - position.next));
      }
    } catch (error) {
      client.logger.debug(`metrics: consumer lag not refreshed: ${(error as Error).message}`);
    }
  }
}
