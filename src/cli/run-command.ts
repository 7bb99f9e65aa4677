import type { CommandContext, CommandWork, OutputStream } from '../command-context.js';
import {
  exitSoonAfterStop,
  isCleanStop,
  isPixError,
  onWarning,
  outputFailed,
  renderError,
  renderWarning,
  STOP_SIGNALS,
  stoppedBy,
  unexpected,
  type PixError,
} from '../errors.js';
import { TopicNames } from '../events/topics.js';
import type { KafkaClient } from '../kafka/index.js';
import { createLogger, type Logger } from '../logger.js';
import { reportStdoutFailures } from '../output/stdout.js';
import { settingsFromFlags } from '../settings.js';

/** How a command line asked for its command to run. */
export interface CommandRun {
  /** --json: the result is printed as JSON, and failures too, on stderr. */
  json: boolean;
  /** The flags that make the settings (Kafka, config file, log level …). */
  settingFlags: Readonly<Record<string, unknown>>;
  /**
   * Only a command that talks to Kafka selects a cluster: `pix config` and `pix local` work
   * whatever the selected cluster needs (a password variable that is not set, say).
   */
  selectCluster?: boolean;
  /** The process's own unless a test gives others. */
  env?: NodeJS.ProcessEnv;
  stdout?: OutputStream;
  stderr?: OutputStream;
}

/**
 * --json's one envelope: the result's own fields, and `warnings` when the command said any (a
 * script that reads `.offset` reads it as before).
 */
function jsonEnvelope(result: object, warnings: readonly string[]): object {
  return warnings.length > 0 ? { ...result, warnings } : result;
}

/**
 * Runs one command's work, on the oclif path and the fast path alike: settings and logger, the
 * context, Ctrl-C and SIGTERM as a clean stop, the result (a line for people, JSON with --json),
 * and every failure rendered in one place. Returns the exit code; sets nothing on the process.
 */
export async function runCommand<Options, Result>(
  work: CommandWork<Options, Result>,
  options: Options,
  run: CommandRun,
): Promise<number> {
  const env = run.env ?? process.env;
  const stdout = run.stdout ?? process.stdout;
  const stderr = run.stderr ?? process.stderr;
  const warnings: string[] = [];
  const stopListening = onWarning((message) => warnings.push(message));
  const stopping = new AbortController();
  const stop = (signal: NodeJS.Signals): void => stopping.abort(signal);
  let logger = createLogger('silent');
  let client: KafkaClient | undefined;
  let done: string | undefined;
  let stopsCleanly = false;
  // A failed write to stdout would be Node's stack trace: pix says what failed, and what was done.
  if (stdout === process.stdout) {
    reportStdoutFailures((error) => renderError(outputFailed(error, done === undefined ? {} : { done }), run.json));
  }
  try {
    const settings = settingsFromFlags(run.settingFlags, env, { selectCluster: run.selectCluster ?? true });
    logger = createLogger(settings.logLevel);
    if (settings.configFile) logger.debug(`config: read ${settings.configFile}`);
    const commandLogger = logger;
    const kafka = async (): Promise<KafkaClient> => {
      if (!client) {
        const { KafkaClient } = await import('../kafka/client.js');
        client = new KafkaClient(settings.kafka, commandLogger);
      }
      return client;
    };
    const topicNames = (): TopicNames => new TopicNames(settings.topicPrefix);
    const context: CommandContext = {
      settings,
      logger,
      env,
      stdout,
      stderr,
      log: (line) => {
        if (!run.json) stdout.write(`${line}\n`);
      },
      warn: (message) => {
        stderr.write(renderWarning(message));
        warnings.push(message);
      },
      done: (what) => {
        done = what;
      },
      stopSignal: () => {
        if (!stopsCleanly) for (const signal of STOP_SIGNALS) process.once(signal, stop);
        stopsCleanly = true;
        return stopping.signal;
      },
      kafka,
      topicNames,
      readTopicNames: async (localOnly) => {
        if (localOnly) return topicNames();
        const { withMirroredTopics } = await import('../kafka/index.js');
        return withMirroredTopics(await kafka(), topicNames());
      },
    };
    const result = await work(options, context);
    // What was done by the time of a stop still reaches a --json reader, then the stop's exit code.
    if (run.json && typeof result === 'object' && result !== null) {
      stdout.write(`${JSON.stringify(jsonEnvelope(result, warnings), null, 2)}\n`);
    }
    if (stopping.signal.aborted) throw stoppedBy(stopping.signal.reason);
    return 0;
  } catch (error) {
    return reportFailure(error, { json: run.json, logger, warnings, stderr });
  } finally {
    stopListening();
    for (const signal of STOP_SIGNALS) process.off(signal, stop);
    await client?.close();
    exitSoonAfterStop(stopping.signal);
  }
}

/**
 * The one place a failure is shown: pix's own errors in their words, anything else as unexpected
 * (its stack with --log-level debug), nothing for a clean stop. Returns the exit code.
 */
export function reportFailure(
  error: unknown,
  {
    json,
    logger,
    warnings = [],
    stderr = process.stderr,
  }: { json: boolean; logger?: Logger; warnings?: readonly string[]; stderr?: OutputStream },
): number {
  const failure: PixError = isPixError(error) ? error : unexpected(error);
  if (failure.code === 'UNEXPECTED' && error instanceof Error && error.stack) logger?.debug(error.stack);
  if (!isCleanStop(failure)) stderr.write(renderError(failure, json, warnings));
  return failure.exitCode;
}
