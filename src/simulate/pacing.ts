import { FLUSH, type StreamItem } from '../kafka/batch-publisher.js';
import type { PixEvent } from '../events/schema.js';

export interface PacingOptions {
  /** Events per second. */
  rate: number;
  count?: number;
  durationMs?: number;
  signal: AbortSignal;
}

/** Time between checks of the schedule: events go out in small bursts of about this span. */
const TICK_MS = 20;

/**
 * Releases events at `rate` per second until the count or duration is reached or the signal
 * fires, a burst at a time. Each burst ends with FLUSH, so what was released is sent now rather
 * than when a batch happens to fill.
 */
export async function* paced(source: Iterator<PixEvent>, options: PacingOptions): AsyncGenerator<StreamItem[]> {
  const started = Date.now();
  let released = 0;
  for (;;) {
    if (options.signal.aborted) return;
    const elapsed = Date.now() - started;
    if (options.durationMs !== undefined && elapsed >= options.durationMs) return;
    const due = Math.min(Math.floor((elapsed / 1000) * options.rate) + 1, options.count ?? Number.POSITIVE_INFINITY);
    const burst: StreamItem[] = [];
    let exhausted = false;
    while (released < due) {
      const next = source.next();
      if (next.done) {
        exhausted = true;
        break;
      }
      released += 1;
      burst.push({ event: next.value });
    }
    if (exhausted || (options.count !== undefined && released >= options.count)) {
      yield burst;
      return;
    }
    burst.push(FLUSH);
    yield burst;
    await new Promise((resolve) => setTimeout(resolve, TICK_MS));
  }
}
