import type { CommandContext } from '../command-context.js';
import { PixError, stopNote } from '../errors.js';
import { ORIGIN_PATTERN } from '../events/schema.js';
import { publishStream } from '../kafka/index.js';
import { startCommandMetrics } from '../metrics/command-metrics.js';
import { publishSummaryLine, timedWithProgress } from '../output/summary.js';
import { shownText } from '../printable.js';
import { paced } from './pacing.js';
import { simulatedTraffic } from './traffic.js';

export interface SimulateOptions {
  /** Events per second. */
  rate: number;
  /** How many distinct products change. */
  products: number;
  /** Comma-separated origins the events come from. */
  sites: string;
  /** Stop after this many milliseconds… */
  duration?: number | undefined;
  /** …or after this many events; without either, at Ctrl-C. */
  count?: number | undefined;
  /** The same seed replays the same events; a random one by default. */
  seed?: number | undefined;
  'metrics-port'?: number | undefined;
  'metrics-host': string;
}

export interface SimulateResult {
  published: number;
  byTopic: Record<string, number>;
  seconds: number;
  eventsPerSecond: number;
  seed: number;
  /** The signal that stopped the traffic (SIGINT, SIGTERM, SIGHUP), when one did. */
  stoppedBy?: string;
}

/** `pix simulate`: realistic product traffic at a steady rate, then its summary (also after Ctrl-C). */
export async function simulate(options: SimulateOptions, context: CommandContext): Promise<SimulateResult> {
  const sites = options.sites
    .split(',')
    .map((site) => site.trim())
    .filter(Boolean);
  const badSite = sites.find((site) => !ORIGIN_PATTERN.test(site));
  if (sites.length === 0 || badSite !== undefined) {
    throw new PixError(
      'INVALID_INPUT',
      `sites: each must be a site name such as on-prem or cloud (got '${shownText(badSite ?? options.sites)}')`,
    );
  }
  const seed = options.seed ?? Math.floor(Math.random() * 4_294_967_295);
  const signal = context.stopSignal();
  const observed = await startCommandMetrics(options);
  const timed = await timedWithProgress(async (onProgress) =>
    publishStream({
      ...(observed ? { observer: observed.metrics.producer } : {}),
      client: await context.kafka(),
      topics: context.topicNames(),
      source: paced(simulatedTraffic({ products: options.products, sites, seed }), {
        rate: options.rate,
        signal,
        ...(options.count !== undefined ? { count: options.count } : {}),
        ...(options.duration !== undefined ? { durationMs: options.duration } : {}),
      }),
      onProgress,
      restAfterFailure: 'made',
    }),
  ).finally(() => observed?.close());
  const stopped = stopNote(signal);
  const summaryLine = publishSummaryLine(timed, `seed ${seed}`, stopped);
  context.done(summaryLine);
  context.log(summaryLine);
  return { ...timed.summary, seconds: timed.seconds, eventsPerSecond: timed.eventsPerSecond, seed, ...stopped };
}
