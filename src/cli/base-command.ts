import { Command, Errors, type Interfaces } from '@oclif/core';

import {
  exitSoonAfterStop,
  isCleanStop,
  isPixError,
  outputFailed,
  PixError,
  renderError,
  STOP_SIGNALS,
  stoppedBy,
  unexpected,
} from '../errors.js';
import { TopicNames } from '../events/topics.js';
import { sharedFlags } from './flags.js';
import type { KafkaClient } from '../kafka/index.js';
import { createLogger, type Logger } from '../logger.js';
import { reportStdoutFailures } from '../output/stdout.js';
import { settingsFromFlags, type Settings } from '../settings.js';

export type Flags<T extends typeof Command> = Interfaces.InferredFlags<T['flags']>;
export type Args<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/**
 * oclif's parser marks what it refused (a missing flag, an unknown flag, a bad option, a flag's own
 * check failing) with exit 2 in its error data: a usage error, shown in pix's words.
 */
function isUsageError(error: Error): boolean {
  return error instanceof Errors.CLIError && error.oclif.exit === 2;
}

/**
 * What every pix command shares: the Kafka and global flags, settings resolved once, one Kafka
 * client closed at the end, signals turned into a clean stop, and the one place errors are shown.
 */
export abstract class PixCommand<T extends typeof Command> extends Command {
  // Commands that never talk to Kafka (pix local …) narrow this to the global flags.
  static override baseFlags: Interfaces.FlagInput = sharedFlags;

  protected flags!: Flags<T>;
  protected args!: Args<T>;
  /** Positional arguments, for commands that take any number of them (strict = false). */
  protected positionals: string[] = [];
  protected settings!: Settings;
  protected logger: Logger = createLogger('silent');
  /**
   * What this command has done by the time it writes its result (an event published, say), said
   * if stdout cannot take the result: a script that retries on exit 1 must not publish twice.
   */
  protected done: string | undefined;
  private client: KafkaClient | undefined;
  private readonly stopSignals = new AbortController();

  public override async init(): Promise<void> {
    await super.init();
    // oclif rethrows a failed write to stdout as Node's stack trace: pix says what failed, and what was done.
    reportStdoutFailures((error) =>
      this.renderError(outputFailed(error, this.done === undefined ? {} : { done: this.done })),
    );
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
    // Only a command that talks to Kafka selects a cluster: `pix config` and `pix local` work
    // whatever the selected cluster needs (a password variable that is not set, say).
    // Their own flags are theirs too (`pix config add-cluster --sasl-mechanism` describes a cluster).
    const { baseFlags } = this.ctor as typeof PixCommand;
    const talksToKafka = 'cluster' in baseFlags;
    const settingFlags = talksToKafka
      ? flags
      : Object.fromEntries(Object.entries(flags).filter(([name]) => name in baseFlags));
    this.settings = settingsFromFlags(settingFlags, process.env, { selectCluster: talksToKafka });
    this.logger = createLogger(this.settings.logLevel);
    if (this.settings.configFile) this.logger.debug(`config: read ${this.settings.configFile}`);
  }

  /** The one Kafka client of this command; kafkajs is loaded only by the commands that ask. */
  protected async kafka(): Promise<KafkaClient> {
    if (!this.client) {
      const { KafkaClient } = await import('../kafka/client.js');
      this.client = new KafkaClient(this.settings.kafka, this.logger);
    }
    return this.client;
  }

  protected topicNames(): TopicNames {
    return new TopicNames(this.settings.topicPrefix);
  }

  /**
   * The topics a reader reads: this cluster's own and, unless `localOnly`, the copies MirrorMaker 2
   * made of other sites' topics, as they are when the command starts.
   */
  protected async readTopicNames(localOnly: boolean): Promise<TopicNames> {
    if (localOnly) return this.topicNames();
    const { withMirroredTopics } = await import('../kafka/index.js');
    return withMirroredTopics(await this.kafka(), this.topicNames());
  }

  /** Aborted on Ctrl-C, SIGTERM or SIGHUP; long-running work stops cleanly when it fires. */
  protected stopSignal(): AbortSignal {
    const stop = (signal: NodeJS.Signals): void => this.stopSignals.abort(signal);
    for (const signal of STOP_SIGNALS) process.once(signal, stop);
    return this.stopSignals.signal;
  }

  /**
   * After a clean stop: exit 130 for Ctrl-C, 143 for SIGTERM, as shells expect. What was done by
   * then still reaches a --json reader (oclif prints a result only when run() returns).
   */
  protected throwIfStopped(result?: object): void {
    if (!this.stopSignals.signal.aborted) return;
    if (result && this.jsonEnabled()) this.logJson(result);
    throw stoppedBy(this.stopSignals.signal.reason);
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<void> {
    if (error instanceof Errors.ExitError) throw error;
    const failure = this.toPixError(error);
    if (!isCleanStop(failure)) process.stderr.write(this.renderError(failure));
    if (failure.code === 'UNEXPECTED' && error.stack) this.logger.debug(error.stack);
    this.exit(failure.exitCode);
  }

  protected override async finally(error: Error | undefined): Promise<void> {
    await this.client?.close();
    exitSoonAfterStop(this.stopSignals.signal);
    await super.finally(error);
  }

  private toPixError(error: Error): PixError {
    if (isPixError(error)) return error;
    if (isUsageError(error)) return this.usageError(error);
    return unexpected(error);
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

  private renderError(failure: PixError): string {
    return renderError(failure, this.jsonEnabled());
  }
}
