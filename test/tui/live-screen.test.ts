import { PassThrough } from 'node:stream';

import { describe, expect, it, vi } from 'vitest';

import { LiveModel } from '../../src/live-model/model.js';
import { LiveScreen, terminalName } from '../../src/tui/live-screen.js';
import { makeEvent } from '../helpers/events.js';

/** A terminal of 100×30 that nobody reads: blessed draws into it as into a real one. */
function terminal(): { input: NodeJS.ReadableStream; output: NodeJS.WritableStream } {
  const output = Object.assign(new PassThrough(), { columns: 100, rows: 30, isTTY: true });
  output.resume();
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => input });
  return { input, output };
}

describe('LiveScreen', () => {
  it('draws at most ten times a second however fast events arrive', () => {
    // The screen's clock and redraw timer are the test's: one simulated second, whatever the machine.
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'], now: Date.parse('2026-12-01T10:00:00.000Z') });
    const model = new LiveModel();
    const screen = new LiveScreen({
      model,
      brokers: ['127.0.0.1:9092'],
      onQuit: () => undefined,
      terminal: terminal(),
    });
    try {
      const start = screen.draws;
      let offset = 0;
      // 10,000 events in one second: 50 every 5 ms.
      for (let step = 0; step < 200; step += 1) {
        for (let i = 0; i < 50; i += 1)
          model.record({ topic: 't', partition: 0, offset: String(offset++) }, makeEvent('price', String(i)));
        vi.advanceTimersByTime(5);
      }
      const draws = screen.draws - start;
      expect(draws).toBeGreaterThanOrEqual(9);
      expect(draws).toBeLessThanOrEqual(11);
    } finally {
      screen.destroy();
      vi.useRealTimers();
    }
  });

  it('draws every xterm flavour with the xterm entry, other terminals as they are', () => {
    expect(terminalName('xterm-256color')).toBe('xterm');
    expect(terminalName('xterm')).toBe('xterm');
    expect(terminalName('tmux-256color')).toBe('xterm');
    expect(terminalName(undefined)).toBe('xterm');
    expect(terminalName('linux')).toBe('linux');
  });
});
