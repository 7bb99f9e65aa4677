import { PixCommand } from '../cli/base-command.js';
import { EVENT_TYPES } from '../events/schema.js';
import { metricsFlags, mirroredTopicsFlag, parseEventTypes, startFlags, startPoint, typesArg } from '../cli/flags.js';
import { tui } from '../tui/command.js';

export default class Tui extends PixCommand<typeof Tui> {
  static override summary = 'Watch the live stream in the terminal: events, rates, product state.';
  static override description = `Reads ${EVENT_TYPES.join(', ')} events (all three unless types are named) into the same live view as \`pix serve-dashboard\`: an event log coloured by type, a chart of events/s per type, counts per type and origin, the latest state of each product, and a status bar with the brokers, the connection, events/s, malformed messages and end-to-end delay. It redraws at most 10 times a second, however fast events arrive, and reconnects by itself when the broker comes back.

Keys: q or Ctrl-C quit; p or space pause (counting goes on); / filter by product id; t and o cycle the type and origin filters; c clears; ? shows the keys.

It needs a terminal: to stream events to a file or a pipe, use \`pix consume\`.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> price discount --since 10m',
    '<%= config.bin %> <%= command.id %> --from-beginning --brokers kafka-1.example:9092',
  ];
  static override strict = false;
  static override args = typesArg;
  static override flags = { ...startFlags, ...mirroredTopicsFlag, ...metricsFlags };

  public async run(): Promise<void> {
    const { flags } = this;
    await this.runWork(tui, {
      types: parseEventTypes(this.positionals),
      start: startPoint(flags),
      localOnly: flags['local-only'],
      'metrics-port': flags['metrics-port'],
      'metrics-host': flags['metrics-host'],
    });
    // q hands the terminal back at once: a Kafka client still retrying a broker that has just come
    // back must not keep the process alive behind the shell prompt (Kafka is closed by then).
    this.exit(0);
  }
}
