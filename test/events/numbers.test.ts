import { describe, expect, it } from 'vitest';

import { createEvent } from '../../src/events/create.js';
import { numberFromText } from '../../src/events/numbers.js';
import { describeIssues } from '../../src/events/validation.js';

const refusal = (input: Record<string, unknown>, type: 'price' | 'discount' | 'country' = 'price'): string => {
  const result = createEvent(type, { productId: '1', ...input }, { origin: 'local' });
  return result.ok ? 'accepted' : describeIssues(result.issues);
};

describe('a number typed on a command line', () => {
  it('is taken as the number it says', () => {
    expect(numberFromText('10')).toBe(10);
    expect(numberFromText('24.90')).toBe(24.9);
    expect(numberFromText('.5')).toBe(0.5);
    expect(numberFromText('-0')).toBe(-0);
    expect(numberFromText('1e3')).toBe(1000);
    expect(numberFromText('100000000000000000000')).toBe(1e20);
    expect(numberFromText('123456789012345')).toBe(123_456_789_012_345);
  });

  it('stays text when a double cannot keep it as given, and is refused alike either way', () => {
    for (const text of ['1e400', '-1e400', '1e-400', '9007199254740993', '0.1234567890123456', '1e-310']) {
      expect(numberFromText(text)).toBe(text);
      expect(refusal({ price: numberFromText(text) })).toBe(
        `price: must be a number pix can keep as given: at most 15 significant digits, its size between 1e-308 and 1e308 (got '${text}')`,
      );
    }
  });

  it('is not trimmed: spaces around a number are refused as they are around a code', () => {
    expect(numberFromText('  10  ')).toBe('  10  ');
    expect(refusal({ price: numberFromText('  10  ') })).toBe("price: must be a number (got '  10  ')");
    expect(refusal({ price: 1, currency: ' USD' })).toContain("(got ' USD')");
    expect(refusal({ discount: numberFromText(' 5') }, 'discount')).toBe("discount: must be a number (got ' 5')");
  });

  it('a number sent as JSON text is told it must be a number, not how many digits to keep', () => {
    expect(refusal({ price: '10' })).toBe("price: must be a number (got '10')");
  });
});

describe('a country code', () => {
  it('that people write for a country with another ISO code says which one to use', () => {
    expect(refusal({ country: 'UK' }, 'country')).toBe(
      "country: must be an ISO 3166-1 alpha-2 country code such as US or DE: use GB for the United Kingdom (got 'UK')",
    );
    expect(refusal({ country: 'el' }, 'country')).toContain('use GR for Greece');
    expect(refusal({ country: 'ZZ' }, 'country')).toBe(
      "country: must be an ISO 3166-1 alpha-2 country code such as US or DE (got 'ZZ')",
    );
  });
});

describe('a message about the input', () => {
  it('shows no character of it raw, and cuts what is long', () => {
    expect(refusal({ productId: 'a\u001b[2Jb', price: 1 })).toBe(
      "productId: must not contain control, bidirectional or zero-width characters (got 'a\\u001b[2Jb')",
    );
    expect(refusal({ productId: 'x\u200by', price: 1 })).toContain("(got 'x\\u200by')");
    expect(refusal({ price: 1, '\u001b]0;t\u0007': 1 })).toBe('\\u001b]0;t\\u0007: is not a known field');
    expect(refusal({ price: 'y'.repeat(10_000) })).toBe(
      `price: must be a number (got '${'y'.repeat(80)}… (10000 characters)')`,
    );
  });
});

describe('when a change happened', () => {
  it('is from 2000 to a day from now', () => {
    expect(refusal({ price: 1, occurredAt: '0001-01-01T00:00:00Z' })).toBe(
      "occurredAt: must be from 2000-01-01 to a day from now (got '0001-01-01T00:00:00Z')",
    );
    const inTwoDays = new Date(Date.now() + 2 * 24 * 3_600_000).toISOString();
    expect(refusal({ price: 1, occurredAt: inTwoDays })).toContain('must be from 2000-01-01 to a day from now');
    expect(refusal({ price: 1, occurredAt: '2000-01-01T00:00:00Z' })).toBe('accepted');
    expect(refusal({ price: 1, occurredAt: new Date(Date.now() + 3_600_000).toISOString() })).toBe('accepted');
  });
});
