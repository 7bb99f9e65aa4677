import { describe, expect, it } from 'vitest';

import PublishFile from '../../src/commands/publish/index.js';
import PublishCountry from '../../src/commands/publish/country.js';
import PublishDiscount from '../../src/commands/publish/discount.js';
import PublishPrice from '../../src/commands/publish/price.js';
import { parsePlainFilePublish, parsePlainPublish } from '../../src/cli/fast-path.js';
import { fastPathManifest, type Manifest, type ManifestFlag } from '../../src/cli/fast-path-manifest.js';

/**
 * The manifest's view of the publish commands, as oclif writes it at build time from the same
 * flag definitions (with --json, which oclif adds to a command that enables it), narrowed as the
 * build narrows it for the fast path: the unit tests need no build.
 */
const manifest: Manifest = fastPathManifest({
  commands: Object.fromEntries(
    Object.entries({
      publish: PublishFile,
      'publish:price': PublishPrice,
      'publish:discount': PublishDiscount,
      'publish:country': PublishCountry,
    }).map(([id, command]) => [
      id,
      {
        flags: {
          ...(command.baseFlags as Record<string, ManifestFlag>),
          ...(command.flags as Record<string, ManifestFlag>),
          json: { type: 'boolean' },
        },
      },
    ]),
  ),
});

describe("the fast path's manifest", () => {
  it("keeps the publish commands' flags with what the parsers read of them, and nothing else", () => {
    const full = {
      commands: {
        consume: { flags: { group: { type: 'option' } } },
        publish: {
          flags: { file: { type: 'option', char: 'f', summary: 'NDJSON', required: false, multiple: false } },
        },
        'publish:price': { flags: { id: { type: 'option', required: true, description: 'the product' } } },
      },
    } as unknown as Manifest;
    expect(fastPathManifest(full)).toEqual({
      commands: {
        publish: { flags: { file: { type: 'option', required: false, multiple: false } } },
        'publish:price': { flags: { id: { type: 'option', required: true } } },
      },
    });
  });
});

describe('the plain command line of pix publish <type>', () => {
  it('is read with its flags, in either --flag value or --flag=value form, and --json', () => {
    expect(
      parsePlainPublish(['publish', 'price', '--id', '123', '--price=10', '--brokers', 'k:9092', '--json'], manifest),
    ).toEqual({
      type: 'price',
      flags: { id: '123', price: '10', brokers: 'k:9092' },
      switches: { json: true },
      json: true,
    });
    expect(parsePlainPublish(['publish', 'country', '--country', 'DE', '--id=a=b'], manifest)).toEqual({
      type: 'country',
      flags: { country: 'DE', id: 'a=b' },
      switches: {},
      json: false,
    });
    // A boolean of the command is a switch like --json: --tls reaches the settings as oclif gives it.
    expect(parsePlainPublish(['publish', 'discount', '--id', '1', '--discount', '5', '--tls'], manifest)).toEqual({
      type: 'discount',
      flags: { id: '1', discount: '5' },
      switches: { tls: true },
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
    ['such a value after =', ['publish', 'price', '--id', '1', '--price=-1']],
    ['the end of flags', ['publish', 'price', '--id', '1', '--price', '1', '--']],
    ['a short flag', ['publish', 'price', '--id', '1', '--price', '1', '-b', 'k:9092']],
    ['a flag with a closed list of values', ['publish', 'price', '--id', '1', '--price', '1', '--log-level', 'debug']],
    ['a boolean given twice', ['publish', 'price', '--id', '1', '--price', '1', '--tls', '--tls']],
    ['a value given to a boolean', ['publish', 'price', '--id', '1', '--price', '1', '--tls=yes']],
    ['a positional argument', ['publish', 'price', 'extra', '--id', '1', '--price', '1']],
    ['a flag without its value', ['publish', 'price', '--price', '1', '--id']],
    ['another command', ['publish', '--file', 'x.ndjson']],
  ])('is left to oclif when it has %s', (_, argv) => {
    expect(parsePlainPublish(argv, manifest)).toBeUndefined();
  });
});

describe('the plain command line of pix publish --file', () => {
  it('is read with its flags and switches, stdin as --file -', () => {
    expect(
      parsePlainFilePublish(['publish', '--file', 'e.ndjson', '--skip-invalid', '--origin=cloud'], manifest),
    ).toEqual({
      file: 'e.ndjson',
      flags: { file: 'e.ndjson', origin: 'cloud' },
      switches: { 'skip-invalid': true },
      skipInvalid: true,
      json: false,
    });
    expect(parsePlainFilePublish(['publish', '--json', '--file', '-', '--brokers', 'k:9092'], manifest)).toEqual({
      file: '-',
      flags: { file: '-', brokers: 'k:9092' },
      switches: { json: true },
      skipInvalid: false,
      json: true,
    });
    expect(parsePlainFilePublish(['publish', '--file=-'], manifest)?.file).toBe('-');
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
    expect(parsePlainFilePublish(argv, manifest)).toBeUndefined();
  });
});
