import { describe, expect, it } from 'vitest';

import { ERROR_CODES, exitCodeTable, PixError } from '../src/errors.js';

describe('errors', () => {
  it('carry the exit code of their code', () => {
    expect(new PixError('INVALID_INPUT', 'x').exitCode).toBe(2);
    expect(new PixError('BROKER_UNREACHABLE', 'x').exitCode).toBe(3);
    expect(new PixError('TIMED_OUT', 'x').exitCode).toBe(4);
    expect(new PixError('INTERRUPTED', 'x').exitCode).toBe(130);
  });

  it('list every exit code once in the table shown by --help', () => {
    const table = exitCodeTable();
    for (const { exitCode } of Object.values(ERROR_CODES)) {
      expect(table.match(new RegExp(`^ {2}${exitCode} `, 'gm'))).toHaveLength(1);
    }
    expect(table).toMatch(/^ {2}0 +success$/m);
  });
});
