import type { CommandContext } from '../command-context.js';
import { PixError } from '../errors.js';
import type { EventType } from '../events/schema.js';
import type { StartRule } from '../kafka/index.js';
import { runLiveFeed } from '../live-model/feed.js';
import { LiveModel } from '../live-model/model.js';
import { startCommandMetrics } from '../metrics/command-metrics.js';

export interface TuiOptions {
  types: readonly EventType[];
  start: StartRule;
  /** This cluster's own topics only, not the copies MirrorMaker 2 made of other sites'. */
  localOnly: boolean;
  'metrics-port'?: number | undefined;
  'metrics-host': string;
}

/** `pix tui`: the live model fed from Kafka and drawn in the terminal until q, Ctrl-C or SIGTERM. */
export async function tui(options: TuiOptions, context: CommandContext): Promise<void> {
  if (!context.stdout.isTTY) {
    throw new PixError('INVALID_INPUT', 'pix tui needs a terminal, and stdout is not one', {
      hint: 'To stream events to a file or a pipe, use `pix consume` (--json for NDJSON)',
    });
  }
  const { types } = options;
  const client = await context.kafka();
  // Only now: blessed takes over the terminal as soon as it loads its screen.
  const { LiveScreen } = await import('./live-screen.js');
  const model = new LiveModel();
  const topics = context.topicNames();
  const observed = await startCommandMetrics(options, { client, lagTopics: topics.list(types) });
  observed?.metrics.observe(model);
  const quit = new AbortController();
  const interrupted = context.stopSignal();
  interrupted.addEventListener('abort', () => quit.abort(), { once: true });
  const screen = new LiveScreen({ model, brokers: context.settings.kafka.brokers, onQuit: () => quit.abort() });
  try {
    await runLiveFeed({
      client,
      topics,
      types,
      mirrored: !options.localOnly,
      ...options.start,
      model,
      signal: quit.signal,
    });
  } finally {
    screen.destroy();
    await observed?.close();
  }
}
