/** How often the progress line is redrawn: often enough to look live, rarely enough to cost nothing. */
const REDRAW_MS = 100;

export interface Progress {
  update(count: number): void;
  /** Clears the line, so the summary that follows starts clean. */
  done(): void;
}

export const NO_PROGRESS: Progress = { update: () => undefined, done: () => undefined };

/**
 * A line that updates in place on a terminal: `12,000 events  8,100 events/s  1.5s`. Silent when
 * stdout is not a terminal, so a script's output is only the summary.
 */
export function terminalProgress(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream, noun = 'events'): Progress {
  if (!stdout.isTTY || !stderr.isTTY) return NO_PROGRESS;
  const started = Date.now();
  let drawn = 0;
  let shown = false;
  return {
    update(count) {
      const now = Date.now();
      if (now - drawn < REDRAW_MS) return;
      drawn = now;
      shown = true;
      const seconds = (now - started) / 1000;
      stderr.write(
        `\r\u001b[K${count.toLocaleString('en')} ${noun}  ${rate(count, seconds).toLocaleString('en')} ${noun}/s  ${seconds.toFixed(1)}s`,
      );
    },
    done() {
      if (shown) stderr.write('\r\u001b[K');
    },
  };
}

export function rate(count: number, seconds: number): number {
  return seconds > 0 ? Math.round(count / seconds) : count;
}
