import { readFileSync } from 'node:fs';

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
import { deliveryDone, deliveryLine, publishOne } from '../publish/publish-one.js';
import { publishFile } from '../publish/publish-file.js';
import { FAST_PATH_MANIFEST_URL, type Manifest } from './fast-path-manifest.js';

interface PlainPublish {
  type: EventType;
  flags: Record<string, string>;
  switches: Record<string, true>;
  json: boolean;
}

interface PlainFilePublish {
  file: string;
  flags: Record<string, string>;
  switches: Record<string, true>;
  skipInvalid: boolean;
  json: boolean;
}

/**
 * What a plain command line of `command` may carry, from the manifest: `--name value` for its
 * flags of free text (an option with no closed list of values, given once, with no default other
 * than text: one with a number for default, --batch-size, has a parser of its own that only oclif
 * runs), `--name` for its booleans, and the flags it requires.
 */
function plainShapeOf(manifest: Manifest, command: string) {
  const flags = Object.entries(manifest.commands[command]?.flags ?? {});
  const freeText = flags.filter(
    ([, flag]) =>
      flag.type === 'option' &&
      flag.options === undefined &&
      flag.multiple !== true &&
      (flag.default === undefined || typeof flag.default === 'string'),
  );
  return {
    text: new Set(freeText.map(([name]) => name)),
    switches: flags.filter(([, flag]) => flag.type === 'boolean' && flag.allowNo !== true).map(([name]) => name),
    required: flags.filter(([, flag]) => flag.required === true).map(([name]) => name),
  };
}

/**
 * `pix publish <type>` followed only by `--flag value` (or `--flag=value`) pairs and switches
 * that the manifest gives the command (see plainShapeOf), each once, with every required flag
 * there and no value that looks like a flag. Anything else (help, a typo, a missing flag) is
 * undefined: oclif then parses it and words the error.
 */
export function parsePlainPublish(argv: readonly string[], manifest: Manifest): PlainPublish | undefined {
  const [command, type, ...rest] = argv;
  if (command !== 'publish' || type === undefined || !isEventType(type)) return undefined;
  const shape = plainShapeOf(manifest, `publish:${type}`);
  const plain = plainFlags(rest, shape.text, shape.switches);
  if (!plain || shape.text.size === 0 || !shape.required.every((name) => name in plain.flags)) return undefined;
  return { type, flags: plain.flags, switches: plain.switches, json: 'json' in plain.switches };
}

/** `pix publish --file F`, plainly as above. */
export function parsePlainFilePublish(argv: readonly string[], manifest: Manifest): PlainFilePublish | undefined {
  const [command, ...rest] = argv;
  if (command !== 'publish') return undefined;
  const shape = plainShapeOf(manifest, 'publish');
  const plain = plainFlags(rest, shape.text, shape.switches);
  const file = plain?.flags.file;
  if (!plain || file === undefined || !shape.required.every((name) => name in plain.flags)) return undefined;
  return {
    file,
    flags: plain.flags,
    switches: plain.switches,
    skipInvalid: 'skip-invalid' in plain.switches,
    json: 'json' in plain.switches,
  };
}

/** Flags with values and switches, each once; undefined for anything else. `--file -` is stdin. */
function plainFlags(
  args: readonly string[],
  known: ReadonlySet<string>,
  switchNames: readonly string[],
): { flags: Record<string, string>; switches: Record<string, true> } | undefined {
  const flags: Record<string, string> = {};
  const switches: Record<string, true> = {};
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    const switchName = arg.slice(2);
    if (arg.startsWith('--') && switchNames.includes(switchName)) {
      if (switchName in switches) return undefined;
      switches[switchName] = true;
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

/** The publish commands' flags the build took from oclif's manifest, or undefined when not built. */
function readManifest(): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(FAST_PATH_MANIFEST_URL, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/**
 * Runs `pix publish <type>` or `pix publish --file` without loading oclif, when the command line
 * is plain: a script that publishes an event per change, or a small file, starts in half the
 * time. Returns false, having done nothing, for any other command line. Same layers, output,
 * errors and exit codes as the oclif commands.
 */
export async function publishWithoutOclif(argv: readonly string[]): Promise<boolean> {
  const manifest = readManifest();
  if (!manifest) return false;
  const one = parsePlainPublish(argv, manifest);
  if (one) {
    await runPlain({ ...one.flags, ...one.switches }, one.json, async (settings, logger) => {
      const result = await publishOne(one.type, one.flags, settings, logger);
      return { output: one.json ? result : deliveryLine(result), done: deliveryDone(result) };
    });
    return true;
  }
  const file = parsePlainFilePublish(argv, manifest);
  if (file) {
    await runPlain({ ...file.flags, ...file.switches }, file.json, async (settings, logger, stopSignal) => {
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
  flags: Record<string, string | true>,
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
