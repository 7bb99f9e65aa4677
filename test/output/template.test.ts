import { describe, expect, it } from 'vitest';

import { PixError } from '../../src/errors.js';
import { compileTemplate } from '../../src/output/template.js';

const consumed = {
  topic: 'product-price-update',
  partition: 2,
  offset: '17',
  key: '123',
  timestamp: '2026-11-25T10:00:00.100Z',
  event: {
    type: 'price' as const,
    eventId: '6f1c1d3e-8a40-4d7c-9b7e-2f1a3c4d5e6f',
    productId: '123',
    occurredAt: '2026-11-25T10:00:00.000Z',
    origin: 'cloud',
    schemaVersion: 1 as const,
    price: 9.99,
    currency: 'USD',
  },
};

describe('--format templates', () => {
  it('fills event fields, positions and the change', () => {
    expect(compileTemplate('{type} {productId} {price}')(consumed)).toBe('price 123 9.99');
    expect(compileTemplate('{topic}[{partition}]@{offset} key={key} {change}')(consumed)).toBe(
      'product-price-update[2]@17 key=123 9.99 USD',
    );
    expect(compileTemplate('{productId}\\t{origin}')(consumed)).toBe('123\tcloud');
  });

  it('prints nothing for a field the type lacks', () => {
    expect(compileTemplate('[{discount}]')(consumed)).toBe('[]');
  });

  it('refuses an unknown field up front, naming it', () => {
    expect(() => compileTemplate('{prise}')).toThrow(PixError);
    expect(() => compileTemplate('{prise}')).toThrow(/format: unknown field \{prise\}/);
  });
});
