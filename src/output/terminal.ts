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

/** Writes a line, waiting when the reader is slower than Kafka (a pipe into `less`, say). */
export async function writeLine(stream: NodeJS.WritableStream, line: string): Promise<void> {
  if (!stream.write(`${line}\n`)) {
    await new Promise<void>((resolve) => stream.once('drain', resolve));
  }
}
