import { describe, expect, it } from 'vitest';

import { colorLevel, lineStyle } from '../../src/output/terminal.js';

const terminal = { isTTY: true };
const pipe = { isTTY: false };

describe('colour', () => {
  it('is on for a terminal and off for a pipe or a file', () => {
    expect(colorLevel(terminal, { TERM: 'xterm-256color' })).toBe(1);
    expect(colorLevel(pipe, { TERM: 'xterm-256color' })).toBe(0);
  });

  it('is off with NO_COLOR set, or on a dumb terminal, and forced on by FORCE_COLOR', () => {
    expect(colorLevel(terminal, { NO_COLOR: '1' })).toBe(0);
    expect(colorLevel(terminal, { TERM: 'dumb' })).toBe(0);
    expect(colorLevel(pipe, { FORCE_COLOR: '1' })).toBe(1);
  });

  it('colours each type differently, and not at all at level 0', () => {
    const coloured = lineStyle(1);
    expect(coloured.type('price', 'price').startsWith('\u001b[32m')).toBe(true);
    expect(coloured.type('discount', 'discount').startsWith('\u001b[35m')).toBe(true);
    expect(lineStyle(0).type('price', 'price')).toBe('price');
  });
});
