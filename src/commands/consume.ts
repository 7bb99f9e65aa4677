import { Flags } from '@oclif/core';

import { PixCommand } from '../cli/base-command.js';
import { outputFailed, warn } from '../errors.js';
import { formatEventLine } from '../events/format.js';
import { EVENT_TYPES, type PixEvent } from '../events/schema.js';
import { describeIssues } from '../events/validation.js';
import {
  durationFlag,
  integerFlag,
  metricsFlags,
  parseEventTypes,
  mirroredTopicsFlag,
  startFlags,
  startPoint,
  typesArg,
} from '../cli/flags.js';
import { consumeEvents, DEAD_LETTER_HEADERS, type ConsumedEvent } from '../kafka/index.js';
import { startCommandMetrics } from '../metrics/command-metrics.js';
import { compileTemplate } from '../output/template.js';
import { colorLevel, LineWriter, lineStyle } from '../output/terminal.js';
import { counted } from '../plural.js';
import { isDelay } from '../live-model/model.js';

export default class Consume extends PixCommand<typeof Consume> {
  static override summary = 'Print product events as they arrive: aligned lines for people, NDJSON with --json.';
  static override description = `Reads ${EVENT_TYPES.join(', ')} events (all three unless types are named) and prints one line per event. Messages that are not valid events are skipped with a line on stderr, counted in the summary, and never stop the stream (unless --strict); with --dead-letter-topic each is also forwarded there, unchanged, with headers saying why and where it was read.

Bounds, each of which ends the command with exit 0: --max-messages, --exit (every partition read up to its end as of the start, like kcat -e). --idle-timeout ends it with exit 4 when nothing arrives for that long. Ctrl-C stops cleanly (exit 130).

Without --group nothing is committed, so every run starts where --from-beginning or --since says; with --group the group's committed offsets are used and advanced.

When the cluster goes away (a restart, a network cut), consume says so on stderr once, keeps running, and when it is back goes on from the next event it has not shown: nothing skipped, nothing shown twice.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> price --from-beginning --max-messages 10',
    '<%= config.bin %> <%= command.id %> --since 10m --exit --json | jq -c .event',
    '<%= config.bin %> <%= command.id %> --product 123 --origin cloud --format "{occurredAt} {type} {change}"',
    '<%= config.bin %> <%= command.id %> discount country --group audit --idle-timeout 30s',
    '<%= config.bin %> <%= command.id %> --group audit --dead-letter-topic pix-dead-letters',
  ];
  static override strict = false;
  static override args = typesArg;
  static override flags = {
    json: Flags.boolean({
      summary: 'One JSON object per line: topic, partition, offset, key, timestamp, headers, event.',
      exclusive: ['format'],
    }),
    format: Flags.string({
      summary: 'Custom line, such as "{type} {productId} {price}" ({change}, {topic}, {offset} …).',
    }),
    ...startFlags,
    ...mirroredTopicsFlag,
    'max-messages': integerFlag({ min: 1 })({ char: 'n', summary: 'Stop (exit 0) after this many events.' }),
    exit: Flags.boolean({
      char: 'e',
      summary: 'Stop (exit 0) once every partition is read up to its end as of the start.',
    }),
    'idle-timeout': durationFlag({ summary: 'Stop with exit 4 when no message arrives for this long, such as 5s.' }),
    product: Flags.string({ summary: 'Only events of this product id (repeatable).', multiple: true }),
    origin: Flags.string({ summary: 'Only events from this origin (site).' }),
    strict: Flags.boolean({
      summary: 'Exit 2 at the first message that is not a valid event, instead of skipping it.',
      exclusive: ['dead-letter-topic'],
    }),
    'dead-letter-topic': Flags.string({
      summary: 'Forward every message skipped as malformed to this topic (as named, no prefix), unchanged.',
      description: `Each is written with acks=all before reading goes past it, with headers ${Object.values(DEAD_LETTER_HEADERS).join(', ')}. The topic must exist.`,
    }),
    ...metricsFlags,
  };

  public async run(): Promise<void> {
    const { flags } = this;
    const render = this.renderer();
    const client = await this.kafka();
    // The whole command line is checked before the cluster is asked which copies it holds.
    const types = parseEventTypes(this.positionals);
    const start = startPoint(flags);
    const filter = eventFilter(flags.product, flags.origin);
    const topics = await this.readTopicNames(flags['local-only']);
    const observed = await startCommandMetrics(flags, { client, lagTopics: topics.list(types) });
    const metrics = observed?.metrics;
    const output = new LineWriter(process.stdout);
    // A reader that went away (`pix consume | head`) ends the reading as Ctrl-C would.
    const signal = AbortSignal.any([this.stopSignal(), output.closed]);
    const summary = await consumeEvents({
      client,
      topics,
      types,
      ...start,
      ...(flags['max-messages'] ? { maxMessages: flags['max-messages'] } : {}),
      exitAtEnd: flags.exit,
      ...(flags['idle-timeout'] ? { idleTimeoutMs: flags['idle-timeout'] } : {}),
      filter,
      strict: flags.strict,
      ...(flags['dead-letter-topic'] ? { deadLetterTopic: flags['dead-letter-topic'] } : {}),
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
        warn(
          state.reading
            ? 'reading again, from the next event not yet shown'
            : `lost the Kafka cluster (${state.reason}); reading goes on from where it stopped once it is back`,
        ),
      onWaiting: warn,
      onSkipped: (skipped) => {
        metrics?.malformedAt(skipped);
        const { topic, partition, offset, issues, deadLetter } = skipped;
        const forwarded = deadLetter
          ? ` (forwarded to ${deadLetter.topic}[${deadLetter.partition}]@${deadLetter.offset})`
          : '';
        process.stderr.write(`skipped ${topic}[${partition}]@${offset}: ${describeIssues(issues)}${forwarded}\n`);
      },
    }).finally(async () => {
      // Every line read is printed, whatever stopped the reading.
      await output.flush();
      await observed?.close();
    });
    if (output.failure) {
      throw outputFailed(
        output.failure,
        flags.group ? { hint: 'The events not written were not committed: the next run of the group reads them' } : {},
      );
    }
    if (summary.skipped > 0 || process.stderr.isTTY) {
      process.stderr.write(`${counted(summary.events, 'event')}, ${summary.skipped} skipped\n`);
    }
    this.throwIfStopped();
  }

  private renderer(): (consumed: ConsumedEvent) => string {
    if (this.flags.json) return (consumed) => JSON.stringify(toRecord(consumed));
    if (this.flags.format !== undefined) return compileTemplate(this.flags.format);
    const style = lineStyle(colorLevel(process.stdout, process.env));
    return (consumed) => formatEventLine(consumed.event, style);
  }
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
