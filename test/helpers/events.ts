import type { EventType, PixEvent } from '../../src/events/schema.js';

/** The fields a test may set; each type's own default payload fills the rest. */
export interface EventFields {
  occurredAt?: string;
  origin?: string;
  price?: number;
  currency?: string;
  discount?: number;
  country?: string;
}

/** A valid event of `type` for `productId`: origin cloud, now, 1.00 USD, 10% or DE unless given. */
export function makeEvent(type: EventType, productId: string, fields: EventFields = {}): PixEvent {
  const envelope = {
    eventId: '00000000-0000-4000-8000-000000000000',
    productId,
    occurredAt: fields.occurredAt ?? new Date().toISOString(),
    origin: fields.origin ?? 'cloud',
    schemaVersion: 1 as const,
  };
  switch (type) {
    case 'price':
      return { ...envelope, type, price: fields.price ?? 1, currency: fields.currency ?? 'USD' };
    case 'discount':
      return { ...envelope, type, discount: fields.discount ?? 10 };
    case 'country':
      return { ...envelope, type, country: fields.country ?? 'DE' };
  }
}
