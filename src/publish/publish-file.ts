import { stopNote } from '../errors.js';
import { TopicNames } from '../events/topics.js';
import { KafkaClient } from '../kafka/index.js';
import type { Logger } from '../logger.js';
import { publishSummaryLine, timedWithProgress } from '../output/summary.js';
import type { Settings } from '../settings.js';
import { bulkPublish, describeInvalidLine, type BulkPublishSummary } from './bulk-publish.js';
import { withPushedMetrics } from './pushed-metrics.js';
import { defaultUnconfirmedPath } from './unconfirmed-file.js';

interface PublishFileRequest {
  /** A file path, or '-' for standard input. */
  file: string;
  skipInvalid: boolean;
  batchSize?: number;
  pushgateway?: string;
  /** Where a failed publish writes the events it could not confirm; by default a new file here. */
  unconfirmedFile?: string;
  /** Ctrl-C or SIGTERM: see bulkPublish. */
  stop: AbortSignal;
}

export interface BulkResult extends BulkPublishSummary {
  seconds: number;
  eventsPerSecond: number;
  /** The signal that stopped reading (SIGINT, SIGTERM, SIGHUP), when one did. */
  stoppedBy?: string;
}

/**
 * `pix publish --file`: the events of a file or stdin published with a progress line on a
 * terminal and invalid lines reported on stderr, then the one-line summary. Shared by the oclif
 * command and the fast path (cli/fast-path.ts), so both behave alike.
 */
export async function publishFile(
  request: PublishFileRequest,
  settings: Settings,
  logger: Logger,
): Promise<{ result: BulkResult; summaryLine: string }> {
  if (request.file === '-' && process.stdin.isTTY) {
    // Someone typing: say what is awaited and how to end it, rather than wait in silence.
    process.stderr.write('reading events from the terminal, one JSON object a line; Ctrl-D ends, Ctrl-C stops\n');
  }
  const client = new KafkaClient(settings.kafka, logger);
  try {
    const timed = await withPushedMetrics(
      request.pushgateway,
      { timeoutMs: settings.kafka.timeoutMs, logger },
      (observer) =>
        timedWithProgress((onProgress) =>
          bulkPublish({
            ...(observer ? { observer } : {}),
            ...(request.batchSize ? { batchSize: request.batchSize } : {}),
            client,
            topics: new TopicNames(settings.topicPrefix),
            input: request.file,
            stdin: process.stdin,
            defaults: { origin: settings.origin },
            skipInvalid: request.skipInvalid,
            unconfirmedPath: request.unconfirmedFile ?? defaultUnconfirmedPath(),
            onProgress,
            onValidated: (lines) => onProgress(lines, 'lines', 'validating'),
            onInvalid: (invalid) => process.stderr.write(`${describeInvalidLine(invalid)}\n`),
            stop: request.stop,
          }),
        ),
    );
    const stopped = stopNote(request.stop);
    return {
      result: { ...timed.summary, seconds: timed.seconds, eventsPerSecond: timed.eventsPerSecond, ...stopped },
      summaryLine: publishSummaryLine(timed, `${timed.summary.invalid} invalid`, stopped),
    };
  } finally {
    await client.close();
  }
}
