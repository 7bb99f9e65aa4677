import { FLUSH, type StreamItem } from '../kafka/index.js';
import type { PixEvent } from '../events/schema.js';
import { sleep } from '../sleep.js';

interface PacingOptions {
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
 * than when a batch happens to fill. The schedule is kept, however late a burst comes: a duration
 * releases every event due before it ends (rate × duration), even when the process was held up.
 */
export async function* paced(source: Iterator<PixEvent>, options: PacingOptions): AsyncGenerator<StreamItem[]> {
  const started = Date.now();
  const limit = options.count ?? Number.POSITIVE_INFINITY;
  let released = 0;
  for (;;) {
    if (options.signal.aborted) return;
    const elapsed = Date.now() - started;
    const ended = options.durationMs !== undefined && elapsed >= options.durationMs;
    // Event i is due at i / rate seconds: those before the end of the duration, or up to now.
    const due = Math.min(
      ended
        ? Math.ceil(((options.durationMs ?? 0) / 1000) * options.rate)
        : Math.floor((elapsed / 1000) * options.rate) + 1,
      limit,
    );
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
    if (exhausted || ended || released >= limit) {
      yield burst;
      return;
    }
    burst.push(FLUSH);
    yield burst;
    await sleep(TICK_MS);
  }
}
