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

  it("knows MirrorMaker 2's copies of other sites' topics, never a copy of a copy", () => {
    const local = new TopicNames('staging.');
    expect(local.remoteOf('on-prem.staging.product-price-update')).toEqual({
      topic: 'on-prem.staging.product-price-update',
      type: 'price',
      sourceSite: 'on-prem',
    });
    expect(local.remoteOf('cloud.on-prem.staging.product-price-update')).toBeUndefined();
    expect(local.remoteOf('staging.product-price-update')).toBeUndefined();
    expect(local.remoteOf('.staging.product-price-update')).toBeUndefined();
    expect(local.remoteOf('on-prem.product-price-update')).toBeUndefined();

    const both = new TopicNames('', [
      { topic: 'on-prem.product-price-update', type: 'price', sourceSite: 'on-prem' },
      { topic: 'on-prem.product-country-update', type: 'country', sourceSite: 'on-prem' },
    ]);
    expect(both.list(['price'])).toEqual(['product-price-update', 'on-prem.product-price-update']);
    expect(both.typeOf('on-prem.product-country-update')).toBe('country');
    expect(both.siteOf('on-prem.product-country-update')).toBe('on-prem');
    expect(both.siteOf('product-country-update')).toBeUndefined();
  });
});
