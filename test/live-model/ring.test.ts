import { describe, expect, it } from 'vitest';

import { Ring } from '../../src/live-model/ring.js';

describe('Ring', () => {
  it('keeps the newest items up to its capacity', () => {
    const ring = new Ring<number>(3);
    for (let i = 1; i <= 5; i += 1) ring.push(i);
    expect(ring.size).toBe(3);
    expect(ring.newestFirst()).toEqual([5, 4, 3]);
    expect(ring.values()).toEqual([3, 4, 5]);
    expect(ring.newestFirst(2)).toEqual([5, 4]);
    expect(ring.newestFirst(3, (item) => item <= 4)).toEqual([5]);
  });

  it('is empty after clear', () => {
    const ring = new Ring<number>(2);
    ring.push(1);
    ring.clear();
    expect(ring.newestFirst()).toEqual([]);
    ring.push(7);
    expect(ring.values()).toEqual([7]);
  });
});
