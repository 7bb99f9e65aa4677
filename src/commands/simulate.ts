import { Flags } from '@oclif/core';

import { PixCommand } from '../cli/base-command.js';
import { ORIGIN_PATTERN } from '../events/schema.js';
import { PixError, stopNote } from '../errors.js';
import { durationFlag, integerFlag, metricsFlags } from '../cli/flags.js';
import { publishStream } from '../kafka/index.js';
import { startCommandMetrics } from '../metrics/command-metrics.js';
import { publishSummaryLine, timedWithProgress } from '../output/summary.js';
import { paced } from '../simulate/pacing.js';
import { simulatedTraffic } from '../simulate/traffic.js';
import { shownText } from '../printable.js';

interface SimulateResult {
  published: number;
  byTopic: Record<string, number>;
  seconds: number;
  eventsPerSecond: number;
  seed: number;
  /** The signal that stopped the traffic (SIGINT, SIGTERM, SIGHUP), when one did. */
  stoppedBy?: string;
}

export default class Simulate extends PixCommand<typeof Simulate> {
  static override summary = 'Publish realistic product traffic at a steady rate, for demos, dashboards and tests.';
  static override description =
    'Prices walk in small steps with two decimals, discounts come and go, products move between real countries, and each event comes from one of --sites. Runs until --count or --duration is reached, or Ctrl-C (which still prints the summary). The same --seed gives the same stream of products, values and event ids.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --rate 200 --duration 60s',
    '<%= config.bin %> <%= command.id %> --count 10000 --products 50 --sites on-prem,cloud --seed 42',
    '<%= config.bin %> <%= command.id %> --rate 5000 --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    rate: integerFlag({ min: 1, max: 1_000_000 })({ summary: 'Events per second.', default: 200 }),
    products: integerFlag({ min: 1, max: 100_000_000 })({
      summary: 'How many distinct products change.',
      default: 1000,
    }),
    sites: Flags.string({ summary: 'Comma-separated origins the events come from.', default: 'on-prem,cloud' }),
    duration: durationFlag({ summary: 'Stop after this long, such as 60s or 5m.', exclusive: ['count'] }),
    count: integerFlag({ min: 1 })({ summary: 'Stop after this many events.' }),
    seed: integerFlag({ min: 0, max: 4_294_967_295 })({
      summary: 'Seed of the stream: the same seed replays the same events.',
    }),
    ...metricsFlags,
  };

  public async run(): Promise<SimulateResult> {
    const { flags } = this;
    const sites = flags.sites
      .split(',')
      .map((site) => site.trim())
      .filter(Boolean);
    const badSite = sites.find((site) => !ORIGIN_PATTERN.test(site));
    if (sites.length === 0 || badSite !== undefined) {
      throw new PixError(
        'INVALID_INPUT',
        `sites: each must be a site name such as on-prem or cloud (got '${shownText(badSite ?? flags.sites)}')`,
      );
    }
    const seed = flags.seed ?? Math.floor(Math.random() * 4_294_967_295);
    const signal = this.stopSignal();
    const observed = await startCommandMetrics(flags);
    const timed = await timedWithProgress(async (onProgress) =>
      publishStream({
        ...(observed ? { observer: observed.metrics.producer } : {}),
        client: await this.kafka(),
        topics: this.topicNames(),
        source: paced(simulatedTraffic({ products: flags.products, sites, seed }), {
          rate: flags.rate,
          signal,
          ...(flags.count !== undefined ? { count: flags.count } : {}),
          ...(flags.duration !== undefined ? { durationMs: flags.duration } : {}),
        }),
        onProgress,
      }),
    ).finally(() => observed?.close());
    const stopped = stopNote(signal);
    const summaryLine = publishSummaryLine(timed, `seed ${seed}`, stopped);
    this.done = summaryLine;
    this.log(summaryLine);
    const result = {
      ...timed.summary,
      seconds: timed.seconds,
      eventsPerSecond: timed.eventsPerSecond,
      seed,
      ...stopped,
    };
    this.throwIfStopped(result);
    return result;
  }
}
