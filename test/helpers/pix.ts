import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const PIX_BIN = fileURLToPath(new URL('../../bin/pix.cjs', import.meta.url));

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  /** Leave stdin open for the test to write to, and end, as it goes. */
  openStdin?: boolean;
  /** A test that hangs is a failing test: kill the process after this long. */
  killAfterMs?: number;
}

/**
 * The environment pix runs with in tests: as a user runs it, with no colour and no config file of
 * the machine's user. NODE_ENV=test (set by vitest) would make oclif load src/ through tsx instead
 * of the build; a key set to undefined is removed rather than passed on as the text "undefined".
 */
export function pixEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const merged = {
    ...process.env,
    NODE_ENV: 'production',
    NO_COLOR: '1',
    XDG_CONFIG_HOME: '/nonexistent',
    PIX_CONFIG: undefined,
    ...extra,
  };
  return Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined));
}

/** Runs `pix …` as a whole process, as a shell script would, and collects what it printed. */
export function runPix(args: string[], options: RunOptions = {}): Promise<Finished> {
  return startPix(args, options).finished;
}

export interface RunningPix {
  child: ChildProcessWithoutNullStreams;
  finished: Promise<Finished>;
  stdout(): string;
  stderr(): string;
  /** Resolves once stdout has a line matching `pattern` (rejects if the process ends first). */
  waitForStdout(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

export function startPix(args: string[], options: RunOptions = {}): RunningPix {
  const started = Date.now();
  const child = spawn(process.execPath, [PIX_BIN, ...args], { env: pixEnv(options.env) });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  let ended = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  if (options.input !== undefined) child.stdin.end(options.input);
  else if (!options.openStdin) child.stdin.end();
  const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 45_000);
  const finished = new Promise<Finished>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      ended = true;
      for (const listener of listeners) listener();
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
  return {
    child,
    finished,
    stdout: () => stdout,
    stderr: () => stderr,
    waitForStdout: (pattern, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(
            new Error(`no stdout line matched ${pattern} within ${timeoutMs}ms; stdout: ${stdout}; stderr: ${stderr}`),
          );
        }, timeoutMs);
        function check(): void {
          const line = stdout.split('\n').find((candidate) => pattern.test(candidate));
          if (line !== undefined || ended) {
            clearTimeout(timer);
            listeners.delete(check);
            if (line !== undefined) resolve(line);
            else reject(new Error(`pix ended before printing ${pattern}; stdout: ${stdout}; stderr: ${stderr}`));
          }
        }
        listeners.add(check);
        check();
      }),
  };
}

/** The objects of NDJSON output (`pix consume --json`, `kcat -f '%s\\n'`), one per non-blank line. */
export function ndjson<T>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** `work` on every item, `size` at a time, the results in the items' order: many pix runs, without 60 processes at once. */
export async function inBatches<T, R>(items: readonly T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(work))));
  }
  return results;
}
