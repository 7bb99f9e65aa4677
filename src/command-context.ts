import type { TopicNames } from './events/topics.js';
import type { KafkaClient } from './kafka/index.js';
import type { Logger } from './logger.js';
import type { Settings } from './settings.js';

/** Where a command writes: the process's stdout or stderr, or whatever a test gives. */
export type OutputStream = NodeJS.WritableStream & { readonly isTTY?: boolean };

/**
 * What a command's work is given besides its options: the resolved settings, the logger, the
 * output streams, a stop signal and the one Kafka client. src/cli/run-command.ts makes it, on the
 * oclif path and the fast path alike; a test can make its own and call the work without argv.
 */
export interface CommandContext {
  readonly settings: Settings;
  readonly logger: Logger;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** A line of the result for a person; with --json the returned result is printed instead. */
  log(line: string): void;
  /** A warning on stderr; with --json it is also listed in the result's `warnings`. */
  warn(message: string): void;
  /**
   * What the command has done by the time it writes its result (an event published, say), said
   * if stdout cannot take the result: a script that retries on exit 1 must not publish twice.
   */
  done(what: string): void;
  /**
   * Aborted on Ctrl-C, SIGTERM or SIGHUP. Work that asks for it stops cleanly when it fires (exit
   * 130, 143, 129, with what was done still printed); other work keeps Node's own Ctrl-C.
   */
  stopSignal(): AbortSignal;
  /** The one Kafka client of this command, closed when it ends; kafkajs loads only when asked. */
  kafka(): Promise<KafkaClient>;
  /** pix's topics under the settings' --topic-prefix. */
  topicNames(): TopicNames;
  /**
   * The topics a reader reads: this cluster's own and, unless `localOnly`, the copies MirrorMaker 2
   * made of other sites' topics, as they are when the command starts.
   */
  readTopicNames(localOnly: boolean): Promise<TopicNames>;
}

/**
 * A command's work: a plain async function of its options and a context. The object it returns,
 * if any, is the --json result.
 */
export type CommandWork<Options, Result> = (options: Options, context: CommandContext) => Promise<Result>;
