import { Chalk } from 'chalk';

import type { EventType } from '../events/schema.js';
import type { LineStyle } from '../events/format.js';

/**
 * Colour only for a person at a terminal: never into a pipe or file, never with NO_COLOR set
 * (chalk's own detection ignores NO_COLOR), FORCE_COLOR still honoured for those who ask.
 */
export function colorLevel(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): 0 | 1 | 2 | 3 {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return 1;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return 0;
  if (!stream.isTTY || env.TERM === 'dumb') return 0;
  return 1;
}

export function lineStyle(level: 0 | 1 | 2 | 3): LineStyle {
  const chalk = new Chalk({ level });
  const byType: Record<EventType, (text: string) => string> = {
    price: chalk.green,
    discount: chalk.magenta,
    country: chalk.cyan,
  };
  return { type: (type, text) => byType[type](text), dim: chalk.dim };
}

/**
 * Lines to a stream, many to a write: one write per line costs a system call each, which was most
 * of `pix consume`'s time. Lines wait at most until the event loop's next turn (so a live stream
 * stays live) or until 64 KiB gather. When the reader is slower than Kafka (a pipe into `less`),
 * write() returns a promise to await before the next line.
 */
export class LineWriter {
  private chunks: string[] = [];
  private size = 0;
  private scheduled: NodeJS.Immediate | undefined;
  private draining: Promise<void> | undefined;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly limit = 64 * 1024,
  ) {}

  write(line: string): Promise<void> | undefined {
    this.chunks.push(line);
    this.size += line.length + 1;
    if (this.size >= this.limit) return this.flush();
    this.scheduled ??= setImmediate(() => void this.flush());
    return this.draining;
  }

  /** Writes what is gathered; resolves once the stream can take more. */
  flush(): Promise<void> {
    clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.size > 0) {
      const text = `${this.chunks.join('\n')}\n`;
      this.chunks = [];
      this.size = 0;
      if (!this.stream.write(text)) {
        this.draining ??= new Promise<void>((resolve) =>
          this.stream.once('drain', () => {
            this.draining = undefined;
            resolve();
          }),
        );
      }
    }
    return this.draining ?? Promise.resolve();
  }
}
