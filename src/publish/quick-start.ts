import { isPixError, PixError, renderError } from '../errors.js';
import { isEventType, type EventType } from '../events/schema.js';
import { createLogger } from '../logger.js';
import { settingsFromFlags } from '../settings.js';
import { deliveryLine, ENVELOPE_FLAGS, PAYLOAD_FLAGS, publishOne } from './publish-one.js';

/**
 * The settings flags a plain command line may carry: those that take any text. Flags with a
 * closed list of values, booleans other than --json, and short forms are left to oclif.
 */
export const PLAIN_SETTING_FLAGS = [
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

/**
 * `pix publish <type>` followed only by `--flag value` (or `--flag=value`) pairs of flags it
 * knows, each once, with every required flag there and no value that looks like a flag. Anything
 * else (help, a typo, a missing flag) is undefined: oclif then parses it and words the error.
 */
export function parsePlainPublish(argv: readonly string[]): PlainPublish | undefined {
  const [command, type, ...rest] = argv;
  if (command !== 'publish' || type === undefined || !isEventType(type)) return undefined;
  const known = new Set<string>([...ENVELOPE_FLAGS, ...PAYLOAD_FLAGS[type], ...PLAIN_SETTING_FLAGS]);
  const flags: Record<string, string> = {};
  let json = false;
  for (let index = 0; index < rest.length; index += 1) {
    const arg = rest[index] ?? '';
    if (arg === '--json' && !json) {
      json = true;
      continue;
    }
    if (!arg.startsWith('--')) return undefined;
    const equals = arg.indexOf('=');
    const name = equals < 0 ? arg.slice(2) : arg.slice(2, equals);
    const value = equals < 0 ? rest[++index] : arg.slice(equals + 1);
    if (!known.has(name) || name in flags || value === undefined || value.startsWith('-')) return undefined;
    flags[name] = value;
  }
  const required = ['id', PAYLOAD_FLAGS[type][0]];
  return required.every((name) => name in flags) ? { type, flags, json } : undefined;
}

/**
 * Publishes one event without loading oclif, when the command line is plain: a script that
 * publishes an event per change starts in half the time. Returns false, having done nothing,
 * for any other command line. Same layers, output, errors and exit codes as the oclif command.
 */
export async function publishWithoutOclif(argv: readonly string[]): Promise<boolean> {
  const plain = parsePlainPublish(argv);
  if (!plain) return false;
  let logger = createLogger('silent');
  try {
    const settings = settingsFromFlags(plain.flags, process.env);
    logger = createLogger(settings.logLevel);
    if (settings.configFile) logger.debug(`config: read ${settings.configFile}`);
    const result = await publishOne(plain.type, plain.flags, settings, logger);
    process.stdout.write(plain.json ? `${JSON.stringify(result, null, 2)}\n` : `${deliveryLine(result)}\n`);
  } catch (error) {
    const failure = isPixError(error)
      ? error
      : new PixError('UNEXPECTED', (error as Error).message, {
          cause: error,
          hint: 'Run again with --log-level debug to see where; please report it.',
        });
    if (failure.code === 'UNEXPECTED' && (error as Error).stack) logger.debug((error as Error).stack ?? '');
    process.stderr.write(renderError(failure, plain.json));
    process.exitCode = failure.exitCode;
  }
  return true;
}
