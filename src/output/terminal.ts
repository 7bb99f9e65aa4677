import { styleText } from 'node:util';

import type { EventType } from '../events/schema.js';
import { PLAIN_STYLE, type LineStyle } from '../events/format.js';

/**
 * Colour only for a person at a terminal: never into a pipe or file, never with NO_COLOR set.
 * FORCE_COLOR decides first for those who ask: 0 or false turns colour off even on a terminal,
 * any other value turns it on even into a pipe. 1 for colour, 0 for none.
 */
export function colorLevel(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): 0 | 1 {
  if (env.FORCE_COLOR === '0' || env.FORCE_COLOR === 'false') return 0;
  if (env.FORCE_COLOR !== undefined) return 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  return 1;
}

type Colour = Parameters<typeof styleText>[0];

export function lineStyle(level: 0 | 1): LineStyle {
  if (level === 0) return PLAIN_STYLE;
  // colorLevel() has decided, for the stream the lines go to: styleText is not to ask process.stdout again.
  const paint =
    (colour: Colour) =>
    (text: string): string =>
      styleText(colour, text, { validateStream: false });
  const byType: Record<EventType, (text: string) => string> = {
    price: paint('green'),
    discount: paint('magenta'),
    country: paint('cyan'),
  };
  return { type: (type, text) => byType[type](text), dim: paint('dim') };
}

/**
 * Lines to a stream, many to a write: one write per line costs a system call each, which was most
 * of `pix consume`'s time. Lines wait at most until the event loop's next turn (so a live stream
 * stays live) or until 64 KiB gather. When the reader is slower than Kafka (a pipe into `less`),
 * write() returns a promise to await before the next line. When the reader goes away (`| head`),
 * `closed` fires and lines are dropped from then on: nothing waits for a reader that is gone.
 */
export class LineWriter {
  private chunks: string[] = [];
  private size = 0;
  private scheduled: NodeJS.Immediate | undefined;
  private draining: Promise<void> | undefined;
  private endDraining: (() => void) | undefined;
  private readonly closing = new AbortController();
  private failed: NodeJS.ErrnoException | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly limit = 64 * 1024,
  ) {
    // oclif's own listener on stdout rethrows every error but EPIPE, ending the process with a
    // stack trace: this writer reports them instead (see failure).
    stream.removeAllListeners('error');
    stream.on('error', (error: NodeJS.ErrnoException) => this.close(error));
    stream.on('close', () => this.close());
  }

  /** Aborted once the stream can take no more lines. */
  get closed(): AbortSignal {
    return this.closing.signal;
  }

  /**
   * Why the stream took no more lines, when that is a failure: a full disk, say. A reader that
   * closed the pipe (EPIPE, as `head` does once it has its lines) is no failure.
   */
  get failure(): NodeJS.ErrnoException | undefined {
    return this.failed;
  }

  write(line: string): Promise<void> | undefined {
    if (this.closing.signal.aborted) return undefined;
    this.chunks.push(line);
    this.size += line.length + 1;
    if (this.size >= this.limit) return this.flush();
    this.scheduled ??= setImmediate(() => void this.flush());
    return this.draining;
  }

  /** Writes what is gathered; resolves once the stream can take more, or is gone. */
  flush(): Promise<void> {
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.size > 0 && !this.closing.signal.aborted) {
      const text = `${this.chunks.join('\n')}\n`;
      this.chunks = [];
      this.size = 0;
      if (!this.stream.write(text)) {
        this.draining ??= new Promise<void>((resolve) => {
          this.endDraining = resolve;
          this.stream.once('drain', () => this.stopDraining());
        });
      }
    }
    return this.draining ?? Promise.resolve();
  }

  private close(error?: NodeJS.ErrnoException): void {
    if (error && error.code !== 'EPIPE') this.failed ??= error;
    this.chunks = [];
    this.size = 0;
    this.closing.abort();
    this.stopDraining();
  }

  private stopDraining(): void {
    this.draining = undefined;
    this.endDraining?.();
    this.endDraining = undefined;
  }
}
