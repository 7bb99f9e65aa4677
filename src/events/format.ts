import { printable } from '../printable.js';
import type { EventOf, EventType, PixEvent } from './schema.js';

/** What describeChange reads of an event: its type and the fields that type changes. */
type Change =
  | Pick<EventOf<'price'>, 'type' | 'price' | 'currency'>
  | Pick<EventOf<'discount'>, 'type' | 'discount'>
  | Pick<EventOf<'country'>, 'type' | 'country'>;

/** What changed, in a few characters: `9.99 USD`, `15%`, `US`. */
export function describeChange(event: Change): string {
  switch (event.type) {
    case 'price':
      return `${formatAmount(event.price)} ${event.currency}`;
    case 'discount':
      return `${event.discount}%`;
    case 'country':
      return event.country;
  }
}

/** Prices as people write them: at least two decimals, more only when the price has them. */
export function formatAmount(value: number): string {
  const text = String(value);
  const decimals = text.includes('.') ? (text.split('.')[1]?.length ?? 0) : 0;
  return decimals >= 2 || text.includes('e') ? text : value.toFixed(2);
}

export interface LineStyle {
  type(type: EventType, text: string): string;
  dim(text: string): string;
}

/** Lines without colour: into a pipe or a file, or with NO_COLOR set. */
export const PLAIN_STYLE: LineStyle = { type: (_type, text) => text, dim: (text) => text };

/** One aligned line per event: time (UTC), origin, type, product, change. */
export function formatEventLine(event: PixEvent, style: LineStyle = PLAIN_STYLE): string {
  const time = event.occurredAt.slice(11, 23);
  return [
    style.dim(time),
    style.dim(event.origin.padEnd(8)),
    style.type(event.type, event.type.padEnd(8)),
    printable(event.productId).padEnd(8),
    describeChange(event),
  ].join('  ');
}
