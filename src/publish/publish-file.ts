import type { CommandContext } from '../command-context.js';
import { stopNote } from '../errors.js';
import { publishSummaryLine, timedWithProgress } from '../output/summary.js';
import { bulkPublish, describeInvalidLine, type BulkPublishSummary } from './bulk-publish.js';
import { withPushedMetrics } from './pushed-metrics.js';
import { defaultUnconfirmedPath } from './unconfirmed-file.js';

export interface PublishFileOptions {
  /** A file path, or '-' for standard input. */
  file: string;
  skipInvalid: boolean;
  batchSize?: number;
  pushgateway?: string;
  /** Where a failed publish writes the events it could not confirm; by default a new file here. */
  unconfirmedFile?: string;
}

export interface BulkResult extends BulkPublishSummary {
  seconds: number;
  eventsPerSecond: number;
  /** The signal that stopped reading (SIGINT, SIGTERM, SIGHUP), when one did. */
  stoppedBy?: string;
}

/**
 * `pix publish --file`: the events of a file or stdin published with a progress line on a
 * terminal and invalid lines reported on stderr, then the one-line summary. Ctrl-C or SIGTERM
 * stops it cleanly (see bulkPublish). The work of the oclif command and of the fast path
 * (cli/fast-path.ts), so both behave alike.
 */
export async function publishFile(options: PublishFileOptions, context: CommandContext): Promise<BulkResult> {
  const { settings, logger } = context;
  if (options.file === '-' && process.stdin.isTTY) {
    // Someone typing: say what is awaited and how to end it, rather than wait in silence.
    context.stderr.write('reading events from the terminal, one JSON object a line; Ctrl-D ends, Ctrl-C stops\n');
  }
  const stop = context.stopSignal();
  const client = await context.kafka();
  const timed = await withPushedMetrics(
    options.pushgateway,
    { timeoutMs: settings.kafka.timeoutMs, logger },
    (observer) =>
      timedWithProgress((onProgress) =>
        bulkPublish({
          ...(observer ? { observer } : {}),
          ...(options.batchSize ? { batchSize: options.batchSize } : {}),
          client,
          topics: context.topicNames(),
          input: options.file,
          stdin: process.stdin,
          defaults: { origin: settings.origin },
          skipInvalid: options.skipInvalid,
          unconfirmedPath: options.unconfirmedFile ?? defaultUnconfirmedPath(),
          onProgress,
          onValidated: (lines) => onProgress(lines, 'lines', 'validating'),
          onInvalid: (invalid) => context.stderr.write(`${describeInvalidLine(invalid)}\n`),
          stop,
        }),
      ),
  );
  const stopped = stopNote(stop);
  const summaryLine = publishSummaryLine(timed, `${timed.summary.invalid} invalid`, stopped);
  context.done(summaryLine);
  context.log(summaryLine);
  return { ...timed.summary, seconds: timed.seconds, eventsPerSecond: timed.eventsPerSecond, ...stopped };
}
