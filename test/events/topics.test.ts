import { describe, expect, it } from 'vitest';

import { TopicNames } from '../../src/events/topics.js';

describe('TopicNames', () => {
  it("uses the original system's topic names", () => {
    const topics = new TopicNames();
    expect(topics.list()).toEqual(['product-price-update', 'product-discount-update', 'product-country-update']);
    expect(topics.typeOf('product-discount-update')).toBe('discount');
  });

  it('prefixes every name and maps prefixed names back to their type', () => {
    const topics = new TopicNames('staging.');
    expect(topics.of('price')).toBe('staging.product-price-update');
    expect(topics.typeOf('staging.product-country-update')).toBe('country');
    expect(topics.typeOf('product-country-update')).toBeUndefined();
    expect(topics.list(['country', 'price'])).toEqual([
      'staging.product-country-update',
      'staging.product-price-update',
    ]);
  });
});
