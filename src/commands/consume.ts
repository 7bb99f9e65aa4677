import { Flags } from '@oclif/core';

import { PixCommand } from '../cli/base-command.js';
import { consume } from '../consume/command.js';
import { EVENT_TYPES } from '../events/schema.js';
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
import { DEAD_LETTER_HEADERS } from '../kafka/index.js';

export default class Consume extends PixCommand<typeof Consume> {
  static override summary = 'Print product events as they arrive: aligned lines for people, NDJSON with --json.';
  static override description = `Reads ${EVENT_TYPES.join(', ')} events (all three unless types are named) and prints one line per event. Messages that are not valid events are skipped with a line on stderr, counted in the summary, and never stop the stream (unless --strict); with --dead-letter-topic each is also forwarded there, unchanged, with headers saying why and where it was read.

Bounds, each of which ends the command with exit 0: --max-messages, --exit (every partition read up to its end as of the start, like kcat -e). --idle-timeout ends it with exit 4 when nothing arrives for that long. Ctrl-C stops cleanly (exit 130).

Without --group nothing is committed, so every run starts where --from-beginning or --since says; with --group the group's committed offsets are used and advanced.

When the cluster goes away (a restart, a network cut), consume says so on stderr once, keeps running, and when it is back goes on from the next event it has not shown: nothing skipped, nothing shown twice. A topic it reads that is deleted meanwhile ends it with exit 2, naming the topic.`;
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
    await this.runWork(consume, {
      types: parseEventTypes(this.positionals),
      start: startPoint(flags),
      localOnly: flags['local-only'],
      json: flags.json,
      format: flags.format,
      maxMessages: flags['max-messages'],
      exitAtEnd: flags.exit,
      idleTimeoutMs: flags['idle-timeout'],
      products: flags.product,
      origin: flags.origin,
      strict: flags.strict,
      deadLetterTopic: flags['dead-letter-topic'],
      'metrics-port': flags['metrics-port'],
      'metrics-host': flags['metrics-host'],
    });
  }
}
