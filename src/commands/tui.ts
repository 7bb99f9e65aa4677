import { PixCommand } from '../cli/base-command.js';
import { PixError } from '../errors.js';
import { EVENT_TYPES } from '../events/schema.js';
import { metricsFlags, mirroredTopicsFlag, parseEventTypes, startFlags, startPoint, typesArg } from '../cli/flags.js';
import { startCommandMetrics } from '../metrics/command-metrics.js';
import { runLiveFeed } from '../live-model/feed.js';
import { LiveModel } from '../live-model/model.js';

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
    if (!process.stdout.isTTY) {
      throw new PixError('INVALID_INPUT', 'pix tui needs a terminal, and stdout is not one', {
        hint: 'To stream events to a file or a pipe, use `pix consume` (--json for NDJSON)',
      });
    }
    const types = parseEventTypes(this.positionals);
    const client = await this.kafka();
    // Only now: blessed takes over the terminal as soon as it loads its screen.
    const { LiveScreen } = await import('../tui/live-screen.js');
    const model = new LiveModel();
    const observed = await startCommandMetrics(flags, { client, lagTopics: this.topicNames().list(types) });
    observed?.metrics.observe(model);
    const quit = new AbortController();
    const interrupted = this.stopSignal();
    interrupted.addEventListener('abort', () => quit.abort(), { once: true });
    const screen = new LiveScreen({ model, brokers: this.settings.kafka.brokers, onQuit: () => quit.abort() });
    try {
      await runLiveFeed({
        client,
        topics: this.topicNames(),
        types,
        mirrored: !flags['local-only'],
        ...startPoint(flags),
        model,
        signal: quit.signal,
      });
    } finally {
      screen.destroy();
      await observed?.close();
    }
    this.throwIfStopped();
    // q hands the terminal back at once: a Kafka client still retrying a broker that has just come
    // back must not keep the process alive behind the shell prompt (Kafka is closed in `finally`).
    this.exit(0);
  }
}
