import type { CommandContext } from '../command-context.js';
import { outputFailed } from '../errors.js';
import { formatEventLine } from '../events/format.js';
import type { EventType, PixEvent } from '../events/schema.js';
import { describeIssues } from '../events/validation.js';
import { consumeEvents, type ConsumedEvent, type StartRule } from '../kafka/index.js';
import { isDelay } from '../live-model/model.js';
import { startCommandMetrics } from '../metrics/command-metrics.js';
import { compileTemplate } from '../output/template.js';
import { colorLevel, LineWriter, lineStyle } from '../output/terminal.js';
import { counted } from '../plural.js';

export interface ConsumeOptions {
  types: readonly EventType[];
  start: StartRule;
  /** This cluster's own topics only, not the copies MirrorMaker 2 made of other sites'. */
  localOnly: boolean;
  /** One JSON object per line rather than aligned lines. */
  json: boolean;
  /** A line of the user's, such as "{type} {productId} {price}". */
  format?: string | undefined;
  maxMessages?: number | undefined;
  /** Stop once every partition is read up to its end as of the start. */
  exitAtEnd: boolean;
  idleTimeoutMs?: number | undefined;
  /** Only events of these product ids… */
  products?: string[] | undefined;
  /** …and of this origin. */
  origin?: string | undefined;
  /** A malformed message ends the reading (exit 2) rather than being skipped. */
  strict: boolean;
  /** Where malformed messages are forwarded, unchanged. */
  deadLetterTopic?: string | undefined;
  'metrics-port'?: number | undefined;
  'metrics-host': string;
}

/**
 * `pix consume`: events printed as they arrive until a bound, Ctrl-C or a reader that went away;
 * malformed messages skipped, said on stderr and counted.
 */
export async function consume(options: ConsumeOptions, context: CommandContext): Promise<void> {
  const render = renderer(options, context);
  const client = await context.kafka();
  const filter = eventFilter(options.products, options.origin);
  const topics = await context.readTopicNames(options.localOnly);
  const { types } = options;
  const observed = await startCommandMetrics(options, { client, lagTopics: topics.list(types) });
  const metrics = observed?.metrics;
  const output = new LineWriter(context.stdout);
  // A reader that went away (`pix consume | head`) ends the reading as Ctrl-C would.
  const signal = AbortSignal.any([context.stopSignal(), output.closed]);
  const summary = await consumeEvents({
    client,
    topics,
    types,
    ...options.start,
    ...(options.maxMessages ? { maxMessages: options.maxMessages } : {}),
    exitAtEnd: options.exitAtEnd,
    ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
    filter,
    strict: options.strict,
    ...(options.deadLetterTopic ? { deadLetterTopic: options.deadLetterTopic } : {}),
    signal,
    onEvent: (consumed) => {
      const delayMs = Date.now() - Date.parse(consumed.event.occurredAt);
      metrics?.consumed(consumed, consumed.event, isDelay({ backfill: false, delayMs }) ? delayMs : undefined);
      return output.write(render(consumed));
    },
    flush: async () => {
      await output.flush();
      return !output.closed.aborted;
    },
    onConnection: (state) =>
      context.warn(
        state.reading
          ? 'reading again, from the next event not yet shown'
          : `lost the Kafka cluster (${state.reason}); reading goes on from where it stopped once it is back`,
      ),
    onWaiting: (message) => context.warn(message),
    onSkipped: (skipped) => {
      metrics?.malformedAt(skipped);
      const { topic, partition, offset, issues, deadLetter } = skipped;
      const forwarded = deadLetter
        ? ` (forwarded to ${deadLetter.topic}[${deadLetter.partition}]@${deadLetter.offset})`
        : '';
      context.stderr.write(`skipped ${topic}[${partition}]@${offset}: ${describeIssues(issues)}${forwarded}\n`);
    },
  }).finally(async () => {
    // Every line read is printed, whatever stopped the reading.
    await output.flush();
    await observed?.close();
  });
  if (output.failure) {
    throw outputFailed(
      output.failure,
      options.start.groupId
        ? { hint: 'The events not written were not committed: the next run of the group reads them' }
        : {},
    );
  }
  if (summary.skipped > 0 || context.stderr.isTTY) {
    context.stderr.write(`${counted(summary.events, 'event')}, ${summary.skipped} skipped\n`);
  }
}

function renderer(options: ConsumeOptions, context: CommandContext): (consumed: ConsumedEvent) => string {
  if (options.json) return (consumed) => JSON.stringify(toRecord(consumed));
  if (options.format !== undefined) return compileTemplate(options.format);
  const style = lineStyle(colorLevel(context.stdout, context.env));
  return (consumed) => formatEventLine(consumed.event, style);
}

function eventFilter(
  products: string[] | undefined,
  origin: string | undefined,
): ((event: PixEvent) => boolean) | undefined {
  if (!products?.length && origin === undefined) return undefined;
  const wanted = products?.length ? new Set(products) : undefined;
  return (event) => (!wanted || wanted.has(event.productId)) && (origin === undefined || event.origin === origin);
}

function toRecord({ topic, partition, offset, key, timestamp, headers, event }: ConsumedEvent): object {
  return { topic, partition, offset: Number(offset), key, timestamp, headers, event };
}
