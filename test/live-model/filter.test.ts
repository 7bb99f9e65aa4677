import { describe, expect, it } from 'vitest';

import { matchesFilter } from '../../src/live-model/filter.js';

const item = { productId: 'SKU-Blue-42', type: 'price', origin: 'cloud' } as const;

describe('the live view filter', () => {
  it('finds a product by any part of its id, whatever the case', () => {
    expect(['sku', 'BLUE-4', 'Blue', '42', ''].map((productId) => matchesFilter({ productId }, item))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(matchesFilter({ productId: 'red' }, item)).toBe(false);
  });

  it('matches type and origin whole, and every part of the filter at once', () => {
    expect(matchesFilter({ type: 'price', origin: 'cloud', productId: 'sku' }, item)).toBe(true);
    expect(matchesFilter({ type: 'discount' }, item)).toBe(false);
    expect(matchesFilter({ origin: 'clou' }, item)).toBe(false);
    expect(matchesFilter({ origin: 'cloud', productId: 'red' }, item)).toBe(false);
  });
});
