import { Command, Errors, type Interfaces } from '@oclif/core';

import type { CommandWork } from '../command-context.js';
import { isPixError, PixError } from '../errors.js';
import { sharedFlags } from './flags.js';
import { reportFailure, runCommand } from './run-command.js';

type Flags<T extends typeof Command> = Interfaces.InferredFlags<T['flags']>;
type Args<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/**
 * oclif's parser marks what it refused (a missing flag, an unknown flag, a bad option, a flag's own
 * check failing) with exit 2 in its error data: a usage error, shown in pix's words.
 */
function isUsageError(error: Error): boolean {
  return error instanceof Errors.CLIError && error.oclif.exit === 2;
}

/**
 * The oclif side of every pix command: the Kafka and global flags, parsed; the command's own
 * class turns them into its work's options and hands both to runCommand(), which the fast path
 * runs too. Only what the parser refuses is shown from here, in the same words.
 */
export abstract class PixCommand<T extends typeof Command> extends Command {
  // Commands that never talk to Kafka (pix local …) narrow this to the global flags.
  static override baseFlags: Interfaces.FlagInput = sharedFlags;

  protected flags!: Flags<T>;
  protected args!: Args<T>;
  /** Positional arguments, for commands that take any number of them (strict = false). */
  protected positionals: string[] = [];

  public override async init(): Promise<void> {
    await super.init();
    const { args, argv, flags } = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof PixCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    }).catch((error: unknown) => {
      // Whatever the parser refuses (a flag given twice, a flag without its value) is a usage
      // error, whichever class oclif gives it: exit 2, never "please report it".
      throw isPixError(error) ? error : this.usageError(error as Error);
    });
    this.flags = flags as Flags<T>;
    this.args = args as Args<T>;
    this.positionals = argv.map(String);
  }

  /** --config-file as given (a global flag, which oclif's inferred types of a command leave out). */
  protected configFileFlag(): { 'config-file'?: string } {
    const given = (this.flags as Record<string, unknown>)['config-file'];
    return typeof given === 'string' ? { 'config-file': given } : {};
  }

  /** Runs the command's work with these options; a failure's exit code ends the process. */
  protected async runWork<Options, Result>(work: CommandWork<Options, Result>, options: Options): Promise<void> {
    // Only a command that talks to Kafka selects a cluster, and its own flags are settings too;
    // `pix config add-cluster --sasl-mechanism` describes a cluster, it does not choose one.
    const { baseFlags } = this.ctor as typeof PixCommand;
    const talksToKafka = 'cluster' in baseFlags;
    const flags = this.flags as Record<string, unknown>;
    const settingFlags = talksToKafka
      ? flags
      : Object.fromEntries(Object.entries(flags).filter(([name]) => name in baseFlags));
    const exitCode = await runCommand(work, options, {
      json: this.jsonEnabled(),
      settingFlags,
      selectCluster: talksToKafka,
    });
    if (exitCode !== 0) this.exit(exitCode);
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<void> {
    if (error instanceof Errors.ExitError) throw error;
    const failure = isPixError(error) ? error : isUsageError(error) ? this.usageError(error) : error;
    this.exit(reportFailure(failure, { json: this.jsonEnabled() }));
  }

  /** A command line the parser refused, in one line that keeps the point and names the flag. */
  private usageError(error: Error): PixError {
    // oclif wraps what a flag's own check throws (a duration, a whole number) in words of its own.
    const flagCheck = /^Parsing --([\w-]+) \n\t([\s\S]*)\nSee more help with --help$/.exec(error.message);
    if (flagCheck) {
      return new PixError('INVALID_INPUT', `--${flagCheck[1]}: ${flagCheck[2]}`, { hint: this.helpHint() });
    }
    // oclif words the others over several lines around the point; keep the point.
    const point = error.message
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !/^The following errors? occurred:?$/.test(line) && !/^See more help with/.test(line))
      .join('; ');
    return new PixError('INVALID_INPUT', point, { hint: this.helpHint() });
  }

  private helpHint(): string {
    return `See \`pix ${this.id?.replaceAll(':', ' ') ?? ''} --help\`.`;
  }
}
