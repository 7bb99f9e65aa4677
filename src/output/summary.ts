import { rate, terminalProgress } from './progress.js';
import { counted } from '../plural.js';

/** What publishing many events reports: the counts, and how long it took at what rate. */
interface TimedPublish<T extends { published: number }> {
  summary: T;
  seconds: number;
  eventsPerSecond: number;
}

/**
 * Runs a publishing job with a progress line on a terminal and times it: the one frame that
 * `pix publish --file` and `pix simulate` share.
 */
export async function timedWithProgress<T extends { published: number }>(
  work: (onProgress: (count: number, noun?: string, doing?: string) => void) => Promise<T>,
): Promise<TimedPublish<T>> {
  const progress = terminalProgress(process.stdout, process.stderr);
  const started = Date.now();
  try {
    const summary = await work((count, noun, doing) => progress.update(count, noun, doing));
    const seconds = (Date.now() - started) / 1000;
    return { summary, seconds, eventsPerSecond: rate(summary.published, seconds) };
  } finally {
    progress.done();
  }
}

/** `published 1000 events in 0.61s (1642 events/s): price-topic 595, …; tail`: the one-line summary. */
export function publishSummaryLine(
  { summary, seconds, eventsPerSecond }: TimedPublish<{ published: number; byTopic: Record<string, number> }>,
  tail: string,
  stopped: { stoppedBy?: string } = {},
): string {
  const topics = Object.entries(summary.byTopic)
    .map(([topic, count]) => `${topic} ${count}`)
    .join(', ');
  const stop = stopped.stoppedBy ? `; stopped by ${stopped.stoppedBy}` : '';
  return `published ${counted(summary.published, 'event')} in ${seconds.toFixed(2)}s (${eventsPerSecond} events/s): ${topics}; ${tail}${stop}`;
}
