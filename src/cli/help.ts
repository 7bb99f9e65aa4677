import { CommandHelp, Errors, Help, type Interfaces } from '@oclif/core';
import { getHelpFlagAdditions, standardizeIDFromArgv } from '@oclif/core/help';

import { exitCodeTable } from '../errors.js';
import { unknownCommand } from './unknown-command.js';

/**
 * oclif's help, except that `pix --help` starts a newcomer with a few examples, lists every
 * command (not only the topics: there are few enough to read at once) and adds where settings
 * come from and the exit codes.
 */
export default class PixHelp extends Help {
  override CommandHelpClass = PixCommandHelp;

  /** `pix publsh --help` is answered as `pix publsh` is, not with oclif's "Command publsh not found." */
  override async showHelp(argv: string[]): Promise<void> {
    const subject = helpSubject(argv, this.config);
    if (subject !== undefined && !this.config.findCommand(subject) && !this.config.findTopic(subject)) {
      // Loaded only now: help for a command that exists needs none of what runs commands.
      const { reportFailure } = await import('./run-command.js');
      Errors.exit(reportFailure(unknownCommand(this.config, subject), { json: argv.includes('--json') }));
    }
    await super.showHelp(argv);
  }

  protected override async showRootHelp(): Promise<void> {
    this.log(this.formatRoot());
    this.log('');
    this.log(this.section('EXAMPLES', EXAMPLES));
    this.log('');
    this.log(this.formatCommands(this.sortedCommands.filter((command) => command.id && !command.hidden)));
    this.log('');
    this.log(this.section('SETTINGS', SETTINGS));
    this.log('');
    this.log(this.section('EXIT CODES', exitCodeTable().replace(/^ {2}/gm, '')));
    this.log('');
  }
}

/** The command or topic help is asked for (`publish:price`), as oclif's showHelp finds it. */
function helpSubject(argv: readonly string[], config: Interfaces.Config): string | undefined {
  const helpFlags = getHelpFlagAdditions(config);
  const words = standardizeIDFromArgv(
    argv.filter((arg) => !helpFlags.includes(arg)),
    config,
  );
  for (const word of words) {
    if (word === '--' || word.startsWith('-')) return undefined;
    if (word !== 'help') return word;
  }
  return undefined;
}

const EXAMPLES = `New to pix? Start with \`pix demo\`: a local Kafka broker, simulated traffic and the
live dashboard, in one command.

$ pix demo                                    # then open http://127.0.0.1:3000/
$ pix publish price --id 123 --price 9.99     # one event, validated, acknowledged
$ pix consume --from-beginning -n 10          # the first 10 events on the topics
$ pix tui                                     # the live stream in this terminal
$ pix publish --file events.ndjson            # many events, all or nothing

\`pix COMMAND --help\` explains a command, with examples.`;

const SETTINGS = `Each Kafka setting comes from its flag, else its PIX_* environment variable, else the config
file (JSON; --config-file, PIX_CONFIG, default $XDG_CONFIG_HOME/pix/config.json), else the default.
Broker 127.0.0.1:9092 by default: \`pix local start\` runs one there.`;

/**
 * A command's help reads as a man page does: what to type (USAGE), then what it does
 * (DESCRIPTION), then the flags and examples; oclif puts the description after every flag.
 */
class PixCommandHelp extends CommandHelp {
  protected override sections(): ReturnType<CommandHelp['sections']> {
    const sections = super.sections();
    const description = sections.find((section) => section.header === 'DESCRIPTION');
    const rest = sections.filter((section) => section !== description);
    const afterUsage = rest.findIndex((section) => section.header === 'USAGE') + 1;
    return description ? [...rest.slice(0, afterUsage), description, ...rest.slice(afterUsage)] : sections;
  }
}
