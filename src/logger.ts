import { printableLines } from './printable.js';

export const LOG_LEVELS = ['silent', 'error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  readonly level: LogLevel;
  error(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  info(message: string, extra?: Record<string, unknown>): void;
  debug(message: string, extra?: Record<string, unknown>): void;
}

/**
 * pix's diagnostic log: one line per entry on stderr, so stdout stays clean for data. Silent by
 * default; `--log-level debug` shows everything, the Kafka client's own lines included.
 */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const at =
    (entryLevel: Exclude<LogLevel, 'silent'>) =>
    (message: string, extra?: Record<string, unknown>): void => {
      if (LOG_LEVELS.indexOf(entryLevel) > threshold) return;
      const details = extra && Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
      // Log lines quote brokers and messages: nothing of them acts on the terminal.
      write(`pix [${entryLevel}] ${printableLines(message)}${details}\n`);
    };
  return { level, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
