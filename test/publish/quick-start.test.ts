import { describe, expect, it } from 'vitest';

import PublishCountry from '../../src/commands/publish/country.js';
import PublishDiscount from '../../src/commands/publish/discount.js';
import PublishPrice from '../../src/commands/publish/price.js';
import { parsePlainPublish, PLAIN_SETTING_FLAGS } from '../../src/publish/quick-start.js';
import { ENVELOPE_FLAGS, PAYLOAD_FLAGS } from '../../src/publish/publish-one.js';

const COMMANDS = { price: PublishPrice, discount: PublishDiscount, country: PublishCountry } as const;

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
      const defined = { ...command.baseFlags, ...command.flags } as Record<
        string,
        { type: string; options?: unknown; multiple?: boolean; char?: string }
      >;
      for (const name of accepted) {
        const flag = defined[name];
        expect({ name, type: flag?.type, options: flag?.options, multiple: flag?.multiple ?? false }).toEqual({
          name,
          type: 'option',
          options: undefined,
          multiple: false,
        });
      }
      // Every flag of the command that is free text is accepted: nothing sends a plain line to oclif needlessly.
      const freeText = Object.entries(defined)
        .filter(([, flag]) => flag.type === 'option' && flag.options === undefined)
        .map(([name]) => name);
      expect(new Set(accepted)).toEqual(new Set(freeText));
    },
  );
});
