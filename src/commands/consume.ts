import { Args, Flags } from '@oclif/core';

import { PixCommand } from '../base-command.js';
import { formatEventLine } from '../events/format.js';
import { EVENT_TYPES } from '../events/schema.js';
import { describeIssues } from '../events/validation.js';
import { integerFlag, parseEventTypes } from '../flags.js';
import { consumeEvents, type ConsumedEvent } from '../kafka/event-consumer.js';
import { colorLevel, lineStyle, writeLine } from '../output/terminal.js';

export default class Consume extends PixCommand<typeof Consume> {
  static override summary = 'Print product events as they arrive: aligned lines for people, NDJSON with --json.';
  static override description = `Reads ${EVENT_TYPES.join(', ')} events (all three unless types are named) from their topics and prints one line per event. Messages that are not valid events are skipped with a line on stderr and never stop the stream. Ctrl-C stops cleanly (exit 130).

Without --group nothing is committed, so every run starts where --from-beginning says; with --group the group's committed offsets are used and advanced.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> price --from-beginning --max-messages 10',
    '<%= config.bin %> <%= command.id %> --json | jq -c ".event"',
    '<%= config.bin %> <%= command.id %> discount country --group audit',
  ];
  static override strict = false;
  static override args = {
    types: Args.string({
      description: `Event types to read: ${EVENT_TYPES.join(', ')} (default: all).`,
      required: false,
    }),
  };
  static override flags = {
    json: Flags.boolean({
      summary: 'One JSON object per line: topic, partition, offset, key, timestamp, headers, event.',
    }),
    'from-beginning': Flags.boolean({ summary: 'Start at the oldest event still on the topics, not at new ones.' }),
    group: Flags.string({ char: 'g', summary: 'Consumer group: commit offsets, and resume from them next time.' }),
    'max-messages': integerFlag({ min: 1 })({ char: 'n', summary: 'Stop (exit 0) after this many events.' }),
  };

  public async run(): Promise<void> {
    const { flags } = this;
    const style = lineStyle(colorLevel(process.stdout, process.env));
    const render = flags.json
      ? (consumed: ConsumedEvent): string => JSON.stringify(toRecord(consumed))
      : (consumed: ConsumedEvent): string => formatEventLine(consumed.event, style);
    const summary = await consumeEvents({
      client: await this.kafka(),
      topics: this.topicNames(),
      types: parseEventTypes(this.positionals),
      fromBeginning: flags['from-beginning'],
      ...(flags.group ? { groupId: flags.group } : {}),
      ...(flags['max-messages'] ? { maxMessages: flags['max-messages'] } : {}),
      signal: this.stopSignal(),
      onEvent: (consumed) => writeLine(process.stdout, render(consumed)),
      onSkipped: ({ topic, partition, offset, issues }) =>
        process.stderr.write(`skipped ${topic}[${partition}]@${offset}: ${describeIssues(issues)}\n`),
    });
    if (summary.skipped > 0 || process.stderr.isTTY) {
      process.stderr.write(`${summary.events} events, ${summary.skipped} skipped\n`);
    }
    this.throwIfStopped();
  }
}

function toRecord({ topic, partition, offset, key, timestamp, headers, event }: ConsumedEvent): object {
  return { topic, partition, offset: Number(offset), key, timestamp, headers, event };
}
