import { describe, expect, it } from 'vitest';

import { updateFrame } from '../../src/dashboard/frames.js';
import { LiveModel } from '../../src/live-model/model.js';
import { makeEvent } from '../helpers/events.js';

let offset = 0;
const at = (topic: string) => ({ topic, partition: 0, offset: String(offset++) });

describe('an update frame', () => {
  it('carries the states of the products changed since the last frame, newest first, as the model holds them', () => {
    const model = new LiveModel();
    model.record(at('product-price-update'), makeEvent('price', 'old', { price: 1 }));
    const sent = model.seq;
    model.record(at('product-price-update'), makeEvent('price', 'a', { price: 2.5 }));
    model.record(at('product-discount-update'), makeEvent('discount', 'b', { discount: 10 }));
    model.record(at('product-discount-update'), makeEvent('discount', 'a', { discount: 15 }));

    const frame = updateFrame(model, sent);
    expect(
      frame.products.map(({ productId, price, discount, lastType }) => ({ productId, price, discount, lastType })),
    ).toEqual([
      { productId: 'a', price: 2.5, discount: 15, lastType: 'discount' },
      { productId: 'b', price: undefined, discount: 10, lastType: 'discount' },
    ]);
    expect(frame.products[0]).toEqual(model.product('a'));
    expect(updateFrame(model, model.seq).products).toEqual([]);
  });
});
