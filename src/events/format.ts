import type { EventType, PixEvent } from './schema.js';

/** What changed, in a few characters: `9.99 USD`, `15%`, `US`. */
export function describeChange(event: PixEvent): string {
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

export const PLAIN_STYLE: LineStyle = { type: (_type, text) => text, dim: (text) => text };

/**
 * Characters that text from a topic, a file or a request must not bring to a terminal as they
 * are: C0 and C1 controls, ESC, BEL and DEL (they move the cursor, retitle or clear the screen),
 * bidirectional overrides and isolates (they reorder what follows), zero-width characters and
 * line separators (they hide or split what is shown).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/**
 * Text from whoever wrote to a topic, a file or a request, as a person may see it: every unsafe
 * character (see UNSAFE_CHARACTERS) shown escaped as \\uXXXX, so none can act on the terminal.
 */
export function printable(text: string): string {
  return text.replace(UNSAFE_CHARACTERS, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** How much of a value a message shows: enough to recognise it, never a whole megabyte. */
export const SHOWN_LENGTH = 80;

/** printable(), cut to SHOWN_LENGTH characters with the cut said: `abc… (921786 characters)`. */
export function shownText(text: string): string {
  const cut = text.length > SHOWN_LENGTH ? `${text.slice(0, SHOWN_LENGTH)}… (${text.length} characters)` : text;
  return printable(cut);
}

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
