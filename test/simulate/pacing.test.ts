import { afterEach, describe, expect, it, vi } from 'vitest';

import type { PixEvent } from '../../src/events/schema.js';
import { paced } from '../../src/simulate/pacing.js';
import { makeEvent } from '../helpers/events.js';

function* events(): Iterator<PixEvent> {
  for (let index = 0; ; index += 1) yield makeEvent('price', String(index));
}

/** Runs a paced stream on a fake clock that jumps `stallMs` after each burst, as a busy machine does. */
async function release(
  options: { rate: number; durationMs?: number; count?: number },
  stallMs: number,
): Promise<number> {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout'], now: 0 });
  let released = 0;
  const draining = (async () => {
    for await (const burst of paced(events(), { ...options, signal: new AbortController().signal })) {
      released += burst.filter((item) => typeof item === 'object' && 'event' in item).length;
      vi.setSystemTime(Date.now() + stallMs);
    }
  })();
  await vi.runAllTimersAsync();
  await draining;
  return released;
}

describe('paced traffic', () => {
  afterEach(() => vi.useRealTimers());

  it('releases rate × duration events, however late each burst comes', async () => {
    expect(await release({ rate: 100, durationMs: 2_000 }, 0)).toBe(200);
    // Held up 700 ms after every burst: the last one still brings what was due before the end.
    expect(await release({ rate: 100, durationMs: 2_000 }, 700)).toBe(200);
    expect(await release({ rate: 3, durationMs: 1_000 }, 5_000)).toBe(3);
  });

  it('stops at the count, never past it', async () => {
    expect(await release({ rate: 1_000, count: 250 }, 0)).toBe(250);
    expect(await release({ rate: 1_000, count: 250, durationMs: 60_000 }, 900)).toBe(250);
  });
});
