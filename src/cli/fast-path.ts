import { readFileSync } from 'node:fs';

import { isEventType, type EventType } from '../events/schema.js';
import { publishOne } from '../publish/publish-one.js';
import { FAST_PATH_MANIFEST_URL, type Manifest } from './fast-path-manifest.js';
import { runCommand } from './run-command.js';

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
 * time. Returns false, having done nothing, for any other command line. The same work, through
 * the same runCommand(), as the oclif commands: same output, errors and exit codes.
 */
export async function publishWithoutOclif(argv: readonly string[]): Promise<boolean> {
  const manifest = readManifest();
  if (!manifest) return false;
  const one = parsePlainPublish(argv, manifest);
  const file = one ? undefined : parsePlainFilePublish(argv, manifest);
  let exitCode = 0;
  if (one) {
    const run = { json: one.json, settingFlags: { ...one.flags, ...one.switches } };
    exitCode = await runCommand(publishOne, { type: one.type, flags: one.flags }, run);
  } else if (file) {
    const { pushgateway, 'unconfirmed-file': unconfirmedFile } = file.flags;
    const options = {
      file: file.file,
      skipInvalid: file.skipInvalid,
      ...(pushgateway === undefined ? {} : { pushgateway }),
      ...(unconfirmedFile === undefined ? {} : { unconfirmedFile }),
    };
    const run = { json: file.json, settingFlags: { ...file.flags, ...file.switches } };
    // Loaded only for a file: one event starts without the worker threads and the line reader.
    const { publishFile } = await import('../publish/publish-file.js');
    exitCode = await runCommand(publishFile, options, run);
  }
  // Only a failure sets the exit code: a write to stdout that failed has set its own by now.
  if (exitCode !== 0) process.exitCode = exitCode;
  return one !== undefined || file !== undefined;
}
