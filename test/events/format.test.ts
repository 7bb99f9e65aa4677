import { describe, expect, it } from 'vitest';

import { describeChange, formatAmount, formatEventLine } from '../../src/events/format.js';
import { hasUnsafeCharacters, printable, printableLines, shownText } from '../../src/printable.js';
import { badInputs } from '../helpers/bad-inputs.js';
import type { PixEvent } from '../../src/events/schema.js';

const envelope = {
  eventId: '6f1c1d3e-8a40-4d7c-9b7e-2f1a3c4d5e6f',
  productId: '123',
  occurredAt: '2026-11-25T10:00:00.250Z',
  origin: 'cloud',
  schemaVersion: 1 as const,
};

describe('event lines', () => {
  it('shows time, origin, type, product and the change, aligned', () => {
    const event: PixEvent = { ...envelope, type: 'price', price: 9.99, currency: 'USD' };
    expect(formatEventLine(event)).toBe('10:00:00.250  cloud     price     123       9.99 USD');
  });

  it('describes each kind of change', () => {
    expect(describeChange({ ...envelope, type: 'discount', discount: 15 })).toBe('15%');
    expect(describeChange({ ...envelope, type: 'country', country: 'US' })).toBe('US');
    expect(describeChange({ ...envelope, type: 'price', price: 10, currency: 'EUR' })).toBe('10.00 EUR');
  });

  it('writes prices with at least two decimals and keeps any more', () => {
    expect(formatAmount(10)).toBe('10.00');
    expect(formatAmount(9.5)).toBe('9.50');
    expect(formatAmount(0.125)).toBe('0.125');
  });

  it('escapes control characters of untrusted product ids', () => {
    expect(printable('a\u001b[31mb\n')).toBe('a\\u001b[31mb\\u000a');
    const event: PixEvent = { ...envelope, productId: '\u001b[2J', type: 'country', country: 'US' };
    expect(formatEventLine(event)).not.toContain('\u001b');
  });

  it.each(badInputs.terminalSequences().map(({ name, text }) => [name, text]))(
    'makes every terminal sequence of the corpus visible, none left to act: %s',
    (_name, text) => {
      expect(hasUnsafeCharacters(text)).toBe(true);
      for (const shown of [printable(text), shownText(text), printableLines(text).replaceAll('\n', '')]) {
        expect(hasUnsafeCharacters(shown)).toBe(false);
      }
    },
  );
});
