import { describe, expect, it } from 'vitest';

import { formatDuration, parseDuration } from '../src/duration.js';

describe('durations', () => {
  it('reads milliseconds, seconds, minutes, hours and bare seconds', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('10s')).toBe(10_000);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('3')).toBe(3_000);
  });

  it('refuses what is not a duration', () => {
    expect(parseDuration('')).toBeUndefined();
    expect(parseDuration('-1s')).toBeUndefined();
    expect(parseDuration('10 seconds')).toBeUndefined();
  });

  it('writes durations back briefly', () => {
    expect(formatDuration(500)).toBe('500ms');
    expect(formatDuration(10_000)).toBe('10s');
    expect(formatDuration(1_500)).toBe('1.5s');
  });
});
