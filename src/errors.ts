import { printableLines } from './printable.js';

/**
 * The closed list of ways pix can fail, each with its exit code. The README's exit-code table and
 * `pix --help` are written from this list, so a new code is a documented code.
 */
export const ERROR_CODES = {
  UNEXPECTED: { exitCode: 1, summary: 'an unexpected error (a bug: please report it)' },
  OUTPUT_FAILED: { exitCode: 1, summary: 'pix could not write its output (a full disk, for example)' },
  INVALID_INPUT: { exitCode: 2, summary: 'invalid input or usage: a field broke a rule, a flag is wrong' },
  TOPIC_NOT_FOUND: { exitCode: 2, summary: 'a topic pix needs does not exist (run pix topics create)' },
  BROKER_UNREACHABLE: { exitCode: 3, summary: 'no broker answered within --timeout' },
  AUTH_FAILED: { exitCode: 3, summary: 'the broker refused the credentials or the operation (SASL, TLS, ACLs)' },
  TLS_FAILED: {
    exitCode: 3,
    summary: 'the TLS handshake failed: a plain-text listener, or a broker certificate pix does not trust',
  },
  BROKER_REFUSED: {
    exitCode: 3,
    summary: 'the broker answered a request with an error that retries within --timeout did not clear',
  },
  DELIVERY_FAILED: { exitCode: 3, summary: 'the broker did not acknowledge every event' },
  TIMED_OUT: { exitCode: 4, summary: 'a bound was reached before the work was done (for example --idle-timeout)' },
  LOCAL_BROKER: { exitCode: 5, summary: 'the local broker could not be set up (Java or Maven missing, port taken)' },
  CANNOT_LISTEN: {
    exitCode: 6,
    summary: 'pix could not listen on the address it was given (--host, --port, --metrics-port: taken or not allowed)',
  },
  INTERRUPTED: { exitCode: 130, summary: 'stopped by Ctrl-C (SIGINT), after a clean shutdown' },
  HUNG_UP: { exitCode: 129, summary: 'stopped by SIGHUP (the terminal went away), after a clean shutdown' },
  TERMINATED: { exitCode: 143, summary: 'stopped by SIGTERM, after a clean shutdown' },
} as const;

type ErrorCode = keyof typeof ERROR_CODES;

interface PixErrorOptions {
  cause?: unknown;
  /** Whether running the same command again, unchanged, may succeed. */
  retryable?: boolean;
  /** A second line telling the user what to do about it. */
  hint?: string;
  /** Structured details for `--json` error output (for example the failing fields). */
  details?: Record<string, unknown>;
}

export class PixError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: PixErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'PixError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.hint = options.hint;
    this.details = options.details;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exitCode;
  }
}

export function isPixError(error: unknown): error is PixError {
  return error instanceof PixError;
}

/** The signals that stop long work cleanly: Ctrl-C, a kill, and a terminal or SSH session that closed. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const satisfies readonly NodeJS.Signals[];

/** A clean stop by a signal: exit 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP, as shells expect. */
export function stoppedBy(signal: unknown, what = ''): PixError {
  const code = signal === 'SIGTERM' ? 'TERMINATED' : signal === 'SIGHUP' ? 'HUNG_UP' : 'INTERRUPTED';
  return new PixError(code, `stopped by ${String(signal)}${what}`);
}

/**
 * After a clean stop, pix ends within a second even when a read is still pending in Node's thread
 * pool (the open or read of a FIFO that no writer serves), which would keep it alive otherwise.
 */
export function exitSoonAfterStop(stop: AbortSignal): void {
  if (stop.aborted) setTimeout(() => process.exit(), 1_000).unref();
}

/** What a summary says of a clean stop, `{ stoppedBy: 'SIGINT' }`; nothing when no signal came. */
export function stopNote(stop: AbortSignal): { stoppedBy?: string } {
  return stop.aborted ? { stoppedBy: String(stop.reason) } : {};
}

/** Whether a failure is a clean stop, which the summary already told and no error line repeats. */
export function isCleanStop(failure: PixError): boolean {
  return failure.code === 'INTERRUPTED' || failure.code === 'TERMINATED' || failure.code === 'HUNG_UP';
}

/**
 * Standard output could not take what pix wrote (a full disk, a closed file). `done` says what
 * had already happened, so that a script that retries on failure does not publish twice.
 */
export function outputFailed(error: unknown, options: { done?: string; hint?: string } = {}): PixError {
  const code = (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : String(error));
  return new PixError('OUTPUT_FAILED', `cannot write the output (${code})${options.done ? `; ${options.done}` : ''}`, {
    cause: error,
    ...(options.hint ? { hint: options.hint } : {}),
  });
}

/** Anything pix did not see coming: a bug, shown with the way to learn more. */
export function unexpected(error: unknown): PixError {
  return new PixError('UNEXPECTED', error instanceof Error ? error.message : String(error), {
    cause: error,
    hint: 'Run again with --log-level debug to see where; please report it.',
  });
}

/**
 * How a failure reaches stderr: one line, or one JSON object with --json (with the warnings said
 * before it, as a result carries them).
 */
export function renderError(failure: PixError, json: boolean, warnings: readonly string[] = []): string {
  if (json) {
    const { code, message, exitCode, hint, details, retryable } = failure;
    const error = { code, exitCode, message, retryable, ...(hint ? { hint } : {}), ...(details ? { details } : {}) };
    return `${JSON.stringify({ error, ...(warnings.length > 0 ? { warnings } : {}) })}\n`;
  }
  // Messages quote what was given (flags, lines, messages): nothing of it acts on the terminal.
  const hint = failure.hint ? ` (${failure.hint.replace(/\.$/, '')})` : '';
  return `pix: error: ${printableLines(failure.message)}${printableLines(hint)}\n`;
}

const warningListeners = new Set<(message: string) => void>();

/**
 * A warning on stderr: the work goes on. Printable, as an error is. The command running hears it
 * too (see onWarning), so that its --json result lists it.
 */
export function warn(message: string): void {
  process.stderr.write(renderWarning(message));
  for (const listener of warningListeners) listener(message);
}

/** How a warning reaches stderr: one line, whatever it quotes. */
export function renderWarning(message: string): string {
  return `pix: warning: ${printableLines(message)}\n`;
}

/** Hears every warning said until the returned function is called. */
export function onWarning(listener: (message: string) => void): () => void {
  warningListeners.add(listener);
  return () => warningListeners.delete(listener);
}

/** The exit-code table as text, for `pix --help` and the README. */
export function exitCodeTable(): string {
  const rows = new Map<number, string[]>();
  rows.set(0, ['success']);
  for (const { exitCode, summary } of Object.values(ERROR_CODES)) {
    rows.set(exitCode, [...(rows.get(exitCode) ?? []), summary]);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([code, summaries]) => `  ${String(code).padEnd(4)}${summaries.join('; ')}`)
    .join('\n');
}
