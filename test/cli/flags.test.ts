import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { durationFlag, hostFlag, integerFlag, parseEventTypes, sinceFlag, startPoint } from '../../src/cli/flags.js';
import { PixError } from '../../src/errors.js';

/**
 * What oclif does with the text given to a custom flag: its parse function. The command and the
 * flag's options are not read by pix's parsers.
 */
async function parsed<T>(
  flag: { parse: (input: string, context: never, options: never) => Promise<T> },
  input: string,
) {
  return flag.parse(input, undefined as never, undefined as never);
}

describe('the flag parsers', () => {
  beforeEach(() => vi.useFakeTimers({ now: new Date('2026-12-02T10:00:00.000Z') }));
  afterEach(() => vi.useRealTimers());

  it('reads a duration to milliseconds and names the rule of one it cannot read', async () => {
    expect(await parsed(durationFlag(), '500ms')).toBe(500);
    expect(await parsed(durationFlag(), '1.5s')).toBe(1_500);
    expect(await parsed(durationFlag(), '5m')).toBe(300_000);
    await expect(parsed(durationFlag(), 'soon')).rejects.toThrow(
      "must be a duration such as 500ms, 10s or 5m (got 'soon')",
    );
  });

  it('reads --since as a time back from now or an ISO 8601 time, and nothing else', async () => {
    expect(await parsed(sinceFlag(), '10m')).toBe(Date.parse('2026-12-02T09:50:00.000Z'));
    expect(await parsed(sinceFlag(), '2026-11-25T10:00:00Z')).toBe(Date.parse('2026-11-25T10:00:00Z'));
    await expect(parsed(sinceFlag(), 'yesterday')).rejects.toThrow(/^must be a duration back from now such as 10m/);
    await expect(parsed(sinceFlag(), '2026-13-45T99:00:00Z')).rejects.toThrow(/got '2026-13-45T99:00:00Z'/);
  });

  it('takes whole numbers within bounds only, saying which', async () => {
    expect(await parsed(integerFlag({ min: 1, max: 5 })(), '5')).toBe(5);
    for (const input of ['0', '6', '2.5', '-1', '1e3', 'three', '']) {
      await expect(parsed(integerFlag({ min: 1, max: 5 })(), input)).rejects.toThrow(
        `must be a whole number from 1 to 5 (got '${input}')`,
      );
    }
    await expect(parsed(integerFlag({ min: 1 })(), '0')).rejects.toThrow("must be a whole number ≥ 1 (got '0')");
  });

  it('takes a host name or an IP address, and shows a control character of one it refuses', async () => {
    for (const host of ['127.0.0.1', '::1', 'kafka-1.example.com', 'localhost']) {
      expect(await parsed(hostFlag(), host)).toBe(host);
    }
    await expect(parsed(hostFlag(), 'a b')).rejects.toThrow(/^must be a host name or an IP address/);
    await expect(parsed(hostFlag(), 'evil\u001b[2J')).rejects.toThrow(/got 'evil\\u001b\[2J'/);
  });
});

describe('event types given as arguments', () => {
  it('are all three when none is named, and each once in the order given', () => {
    expect(parseEventTypes([])).toEqual(['price', 'discount', 'country']);
    expect(parseEventTypes(['country', 'price', 'country'])).toEqual(['country', 'price']);
  });

  it('refuse an unknown type with exit 2, naming it and the types there are', () => {
    const refusal = (() => {
      try {
        parseEventTypes(['price', 'prices']);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(PixError);
    expect(refusal).toMatchObject({
      exitCode: 2,
      message: "type: 'prices' is not an event type; use price, discount, country",
    });
  });
});

describe('where reading starts', () => {
  it('passes on the start and the group, and refuses two places to start', () => {
    expect(startPoint({ 'from-beginning': true })).toEqual({ fromBeginning: true });
    expect(startPoint({ 'from-beginning': false, since: 1_000, group: 'audit' })).toEqual({
      fromBeginning: false,
      since: 1_000,
      groupId: 'audit',
    });
    expect(() => startPoint({ 'from-beginning': true, since: 1_000 })).toThrow(
      '--from-beginning and --since are two places to start: give one',
    );
  });
});
