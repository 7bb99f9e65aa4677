import { describe, expect, it } from 'vitest';

import PublishFile from '../../src/commands/publish/index.js';
import PublishCountry from '../../src/commands/publish/country.js';
import PublishDiscount from '../../src/commands/publish/discount.js';
import PublishPrice from '../../src/commands/publish/price.js';
import {
  parsePlainFilePublish,
  parsePlainPublish,
  PLAIN_FILE_FLAGS,
  PLAIN_SETTING_FLAGS,
} from '../../src/cli/fast-path.js';
import { ENVELOPE_FLAGS, PAYLOAD_FLAGS } from '../../src/publish/publish-one.js';

const COMMANDS = { price: PublishPrice, discount: PublishDiscount, country: PublishCountry } as const;

type FlagShapes = Record<string, { type: string; options?: unknown; multiple?: boolean }>;

/**
 * The names of a command's free-text flags (options with no closed list of values), having
 * checked that each of `accepted` is one: what a plain command line may carry, oclif reads alike.
 */
function freeTextFlags(command: { baseFlags?: unknown; flags?: unknown }, accepted: readonly string[]): string[] {
  const defined = { ...(command.baseFlags as FlagShapes), ...(command.flags as FlagShapes) };
  for (const name of accepted) {
    const flag = defined[name];
    expect({ name, type: flag?.type, options: flag?.options, multiple: flag?.multiple ?? false }).toEqual({
      name,
      type: 'option',
      options: undefined,
      multiple: false,
    });
  }
  return Object.entries(defined)
    .filter(([, flag]) => flag.type === 'option' && flag.options === undefined)
    .map(([name]) => name);
}

describe('the plain command line of pix publish <type>', () => {
  it('is read with its flags, in either --flag value or --flag=value form, and --json', () => {
    expect(
      parsePlainPublish(['publish', 'price', '--id', '123', '--price=10', '--brokers', 'k:9092', '--json']),
    ).toEqual({ type: 'price', flags: { id: '123', price: '10', brokers: 'k:9092' }, json: true });
    expect(parsePlainPublish(['publish', 'country', '--country', 'DE', '--id=a=b'])).toEqual({
      type: 'country',
      flags: { country: 'DE', id: 'a=b' },
      json: false,
    });
  });

  it.each([
    ['help', ['publish', 'price', '--help']],
    ['a missing required flag', ['publish', 'price', '--id', '1']],
    ['a flag of another type', ['publish', 'price', '--id', '1', '--price', '1', '--discount', '5']],
    ['a typo', ['publish', 'price', '--id', '1', '--prise', '1']],
    ['a flag given twice', ['publish', 'price', '--id', '1', '--price', '1', '--price', '2']],
    ['a value that looks like a flag', ['publish', 'price', '--id', '1', '--price', '-1']],
    ['a short flag', ['publish', 'price', '--id', '1', '--price', '1', '-b', 'k:9092']],
    ['a flag with a closed list of values', ['publish', 'price', '--id', '1', '--price', '1', '--log-level', 'debug']],
    ['a boolean other than --json', ['publish', 'price', '--id', '1', '--price', '1', '--tls']],
    ['a positional argument', ['publish', 'price', 'extra', '--id', '1', '--price', '1']],
    ['a flag without its value', ['publish', 'price', '--price', '1', '--id']],
    ['another command', ['publish', '--file', 'x.ndjson']],
  ])('is left to oclif when it has %s', (_, argv) => {
    expect(parsePlainPublish(argv)).toBeUndefined();
  });

  it.each(Object.entries(COMMANDS))(
    'accepts for %s only flags the oclif command defines as free text, so both read them alike',
    (type, command) => {
      const accepted = [
        ...ENVELOPE_FLAGS,
        ...PAYLOAD_FLAGS[type as keyof typeof PAYLOAD_FLAGS],
        ...PLAIN_SETTING_FLAGS,
      ];
      const freeText = freeTextFlags(command, accepted);
      // Every flag of the command that is free text is accepted: nothing sends a plain line to oclif needlessly.
      expect(new Set(accepted)).toEqual(new Set(freeText));
    },
  );
});

describe('the plain command line of pix publish --file', () => {
  it('is read with its flags and switches, stdin as --file -', () => {
    expect(parsePlainFilePublish(['publish', '--file', 'e.ndjson', '--skip-invalid', '--origin=cloud'])).toEqual({
      file: 'e.ndjson',
      flags: { file: 'e.ndjson', origin: 'cloud' },
      skipInvalid: true,
      json: false,
    });
    expect(parsePlainFilePublish(['publish', '--json', '--file', '-', '--brokers', 'k:9092'])).toEqual({
      file: '-',
      flags: { file: '-', brokers: 'k:9092' },
      skipInvalid: false,
      json: true,
    });
    expect(parsePlainFilePublish(['publish', '--file=-'])?.file).toBe('-');
  });

  it.each([
    ['help', ['publish', '--file', 'e.ndjson', '--help']],
    ['no file', ['publish', '--skip-invalid']],
    ['the short flag', ['publish', '-f', 'e.ndjson']],
    ['a batch size, which oclif checks as a number', ['publish', '--file', 'e.ndjson', '--batch-size', '10']],
    ['a switch given twice', ['publish', '--file', 'e.ndjson', '--json', '--json']],
    ['a typo', ['publish', '--file', 'e.ndjson', '--skip-invalids']],
    ['a positional argument', ['publish', 'e.ndjson', '--file', 'e.ndjson']],
    ['a value that looks like a flag', ['publish', '--file', '--json']],
    ['a dash for another flag', ['publish', '--file', 'e.ndjson', '--origin', '-']],
    ['an event type', ['publish', 'price', '--file', 'e.ndjson']],
  ])('is left to oclif when it has %s', (_, argv) => {
    expect(parsePlainFilePublish(argv)).toBeUndefined();
  });

  it('accepts only flags the oclif command defines as free text, and all of them but --batch-size', () => {
    const freeText = freeTextFlags(PublishFile, PLAIN_FILE_FLAGS);
    expect((PublishFile.flags as Record<string, { type: string }>)['skip-invalid']?.type).toBe('boolean');
    expect(new Set([...PLAIN_FILE_FLAGS, 'batch-size'])).toEqual(new Set(freeText));
  });
});
