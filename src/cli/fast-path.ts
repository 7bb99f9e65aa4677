import { reportStdoutFailures } from '../output/stdout.js';
import {
  exitSoonAfterStop,
  isCleanStop,
  isPixError,
  outputFailed,
  renderError,
  STOP_SIGNALS,
  stoppedBy,
  unexpected,
} from '../errors.js';
import { isEventType, type EventType } from '../events/schema.js';
import { createLogger, type Logger } from '../logger.js';
import { settingsFromFlags, type Settings } from '../settings.js';
import { deliveryDone, deliveryLine, ENVELOPE_FLAGS, PAYLOAD_FLAGS, publishOne } from '../publish/publish-one.js';
import { publishFile } from '../publish/publish-file.js';

/**
 * The settings flags a plain command line may carry: those that take any text. Flags with a
 * closed list of values, booleans other than --json, and short forms are left to oclif.
 */
export const PLAIN_SETTING_FLAGS = [
  'cluster',
  'brokers',
  'client-id',
  'timeout',
  'topic-prefix',
  'tls-ca',
  'tls-cert',
  'tls-key',
  'sasl-username',
  'sasl-password',
  'config-file',
] as const;

export interface PlainPublish {
  type: EventType;
  flags: Record<string, string>;
  json: boolean;
}

export interface PlainFilePublish {
  file: string;
  flags: Record<string, string>;
  skipInvalid: boolean;
  json: boolean;
}

/**
 * The free-text flags of `pix publish --file` a plain command line may carry. --batch-size is
 * left to oclif, which checks it as a number.
 */
export const PLAIN_FILE_FLAGS = ['file', 'origin', 'pushgateway', 'unconfirmed-file', ...PLAIN_SETTING_FLAGS] as const;

/**
 * `pix publish <type>` followed only by `--flag value` (or `--flag=value`) pairs of flags it
 * knows, each once, with every required flag there and no value that looks like a flag. Anything
 * else (help, a typo, a missing flag) is undefined: oclif then parses it and words the error.
 */
export function parsePlainPublish(argv: readonly string[]): PlainPublish | undefined {
  const [command, type, ...rest] = argv;
  if (command !== 'publish' || type === undefined || !isEventType(type)) return undefined;
  const known = new Set<string>([...ENVELOPE_FLAGS, ...PAYLOAD_FLAGS[type], ...PLAIN_SETTING_FLAGS]);
  const plain = plainFlags(rest, known, ['json']);
  const required = ['id', PAYLOAD_FLAGS[type][0]];
  if (!plain || !required.every((name) => name in plain.flags)) return undefined;
  return { type, flags: plain.flags, json: plain.switches.has('json') };
}

/** `pix publish --file F`, plainly as above, with --skip-invalid and --json as its switches. */
export function parsePlainFilePublish(argv: readonly string[]): PlainFilePublish | undefined {
  const [command, ...rest] = argv;
  if (command !== 'publish') return undefined;
  const plain = plainFlags(rest, new Set<string>(PLAIN_FILE_FLAGS), ['json', 'skip-invalid']);
  const file = plain?.flags.file;
  if (!plain || file === undefined) return undefined;
  return {
    file,
    flags: plain.flags,
    skipInvalid: plain.switches.has('skip-invalid'),
    json: plain.switches.has('json'),
  };
}

/** Flags with values and switches, each once; undefined for anything else. `--file -` is stdin. */
function plainFlags(
  args: readonly string[],
  known: ReadonlySet<string>,
  switchNames: readonly string[],
): { flags: Record<string, string>; switches: Set<string> } | undefined {
  const flags: Record<string, string> = {};
  const switches = new Set<string>();
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    const switchName = arg.slice(2);
    if (arg.startsWith('--') && switchNames.includes(switchName)) {
      if (switches.has(switchName)) return undefined;
      switches.add(switchName);
      continue;
    }
    if (!arg.startsWith('--')) return undefined;
    const equals = arg.indexOf('=');
    const name = equals < 0 ? arg.slice(2) : arg.slice(2, equals);
    const value = equals < 0 ? args[++index] : arg.slice(equals + 1);
    if (!known.has(name) || name in flags || value === undefined) return undefined;
    if (value.startsWith('-') && !(name === 'file' && value === '-')) return undefined;
    flags[name] = value;
  }
  return { flags, switches };
}

/**
 * Runs `pix publish <type>` or `pix publish --file` without loading oclif, when the command line
 * is plain: a script that publishes an event per change, or a small file, starts in half the
 * time. Returns false, having done nothing, for any other command line. Same layers, output,
 * errors and exit codes as the oclif commands.
 */
export async function publishWithoutOclif(argv: readonly string[]): Promise<boolean> {
  const one = parsePlainPublish(argv);
  if (one) {
    await runPlain(one.flags, one.json, async (settings, logger) => {
      const result = await publishOne(one.type, one.flags, settings, logger);
      return { output: one.json ? result : deliveryLine(result), done: deliveryDone(result) };
    });
    return true;
  }
  const file = parsePlainFilePublish(argv);
  if (file) {
    await runPlain(file.flags, file.json, async (settings, logger, stopSignal) => {
      const request = {
        file: file.file,
        skipInvalid: file.skipInvalid,
        ...(file.flags.pushgateway === undefined ? {} : { pushgateway: file.flags.pushgateway }),
        ...(file.flags['unconfirmed-file'] === undefined ? {} : { unconfirmedFile: file.flags['unconfirmed-file'] }),
        stop: stopSignal(),
      };
      const { result, summaryLine } = await publishFile(request, settings, logger);
      return { output: file.json ? result : summaryLine, done: summaryLine };
    });
    return true;
  }
  return false;
}

/**
 * What PixCommand does around a command's work: settings, logger, Ctrl-C and SIGTERM as a clean
 * stop (exit 130, 143 or 129), the work's line or JSON on stdout (and, when stdout cannot take
 * it, what the work had done), and errors rendered the one way.
 */
async function runPlain(
  flags: Record<string, string>,
  json: boolean,
  work: (
    settings: Settings,
    logger: Logger,
    stopSignal: () => AbortSignal,
  ) => Promise<{ output: string | object; done: string }>,
): Promise<void> {
  let logger = createLogger('silent');
  const stopping = new AbortController();
  const stop = (signal: NodeJS.Signals): void => stopping.abort(signal);
  // Asked for by work that stops cleanly; other work keeps Node's own Ctrl-C, which ends it at once.
  const stopSignal = (): AbortSignal => {
    for (const signal of STOP_SIGNALS) process.once(signal, stop);
    return stopping.signal;
  };
  try {
    const settings = settingsFromFlags(flags, process.env);
    logger = createLogger(settings.logLevel);
    if (settings.configFile) logger.debug(`config: read ${settings.configFile}`);
    const { output, done } = await work(settings, logger, stopSignal);
    reportStdoutFailures((error) => renderError(outputFailed(error, { done }), json));
    process.stdout.write(typeof output === 'string' ? `${output}\n` : `${JSON.stringify(output, null, 2)}\n`);
    if (stopping.signal.aborted) throw stoppedBy(stopping.signal.reason);
  } catch (error) {
    const failure = isPixError(error) ? error : unexpected(error);
    if (failure.code === 'UNEXPECTED' && (error as Error).stack) logger.debug((error as Error).stack ?? '');
    if (!isCleanStop(failure)) process.stderr.write(renderError(failure, json));
    process.exitCode = failure.exitCode;
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
    exitSoonAfterStop(stopping.signal);
  }
}
