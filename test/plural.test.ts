import { describe, expect, it } from 'vitest';

import { counted } from '../src/plural.js';

describe('a count with its noun', () => {
  it('is singular for one only', () => {
    expect(counted(1, 'event')).toBe('1 event');
    expect(counted(0, 'event')).toBe('0 events');
    expect(counted(2, 'event')).toBe('2 events');
    expect(counted(1, 'event was', 'events were')).toBe('1 event was');
  });
});
