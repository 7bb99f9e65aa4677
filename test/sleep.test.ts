import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { sleep } from '../src/sleep.js';

describe('sleep', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const settled = async (promise: Promise<void>): Promise<boolean> => {
    let done = false;
    void promise.then(() => (done = true));
    await vi.advanceTimersByTimeAsync(0);
    return done;
  };

  it('resolves once its time has passed, not before', async () => {
    const waiting = sleep(1_000);
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(waiting)).toBe(true);
  });

  it('resolves, without an error, as soon as its signal aborts, or at once when it already has', async () => {
    const stop = new AbortController();
    const waiting = sleep(60_000, stop.signal);
    expect(await settled(waiting)).toBe(false);
    stop.abort();
    expect(await settled(waiting)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(await settled(sleep(60_000, stop.signal))).toBe(true);
  });
});
