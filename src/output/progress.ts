/** How often the progress line is redrawn: often enough to look live, rarely enough to cost nothing. */
const REDRAW_MS = 100;

interface Progress {
  /**
   * Shows `count` of `noun` (the line's own noun unless told) and their rate since the start,
   * after what is being done if that is said: `validating 12,000 lines  8,100 lines/s  1.5s`.
   */
  update(count: number, noun?: string, doing?: string): void;
  /** Clears the line, so the summary that follows starts clean. */
  done(): void;
}

const NO_PROGRESS: Progress = { update: () => undefined, done: () => undefined };

/**
 * A line that updates in place on a terminal: `12,000 events  8,100 events/s  1.5s`. Silent when
 * stdout is not a terminal, so a script's output is only the summary.
 */
export function terminalProgress(stdout: NodeJS.WriteStream, stderr: NodeJS.WriteStream, noun = 'events'): Progress {
  if (!stdout.isTTY || !stderr.isTTY) return NO_PROGRESS;
  const started = Date.now();
  let drawn = 0;
  let shown = false;
  let latest = '';
  /** Draws the latest count later when it came too soon: the last one must show, input may pause. */
  let pending: NodeJS.Timeout | undefined;
  const draw = (): void => {
    pending = undefined;
    drawn = Date.now();
    shown = true;
    stderr.write(latest);
  };
  return {
    update(count, what = noun, doing) {
      const now = Date.now();
      const seconds = (now - started) / 1000;
      latest = `\r\u001b[K${doing ? `${doing} ` : ''}${count.toLocaleString('en')} ${what}  ${rate(count, seconds).toLocaleString('en')} ${what}/s  ${seconds.toFixed(1)}s`;
      if (now - drawn >= REDRAW_MS) draw();
      else pending ??= setTimeout(draw, REDRAW_MS - (now - drawn)).unref();
    },
    done() {
      clearTimeout(pending);
      if (shown) stderr.write('\r\u001b[K');
    },
  };
}

export function rate(count: number, seconds: number): number {
  return seconds > 0 ? Math.round(count / seconds) : count;
}
