import { runLiveDashboard } from '../dashboard/live-dashboard.js';
import { EVENT_TYPES } from '../events/schema.js';
import type { TopicNames } from '../events/topics.js';
import type { KafkaClient } from '../kafka/index.js';

/** The two sites of the demos: the source of `pix demo --sites`'s mirror first. */
export const DEMO_SITES = ['on-prem', 'cloud'] as const;

export interface TogetherParts {
  /** Fires when the given signal does, or when a part fails. */
  signal: AbortSignal;
  /** The work of one part, which stops the others when it fails. */
  part: <T>(work: Promise<T>) => Promise<T>;
}

/** Parts of a demo that run together: Ctrl-C stops them all, and so does any one failing, so none runs on alone. */
export function together(signal: AbortSignal): TogetherParts {
  const stop = new AbortController();
  signal.addEventListener('abort', () => stop.abort(signal.reason), { once: true });
  return {
    signal: stop.signal,
    part: (work) =>
      work.catch((error: unknown) => {
        stop.abort(error);
        throw error;
      }),
  };
}

/**
 * A demo's dashboard: every event type, other sites' copies beside the cluster's own events, from
 * now on, served on this machine only.
 */
export function demoDashboard(options: {
  client: KafkaClient;
  topics: TopicNames;
  port: number;
  signal: AbortSignal;
  onListening: (url: string) => void;
}): Promise<void> {
  const { onListening, ...given } = options;
  return runLiveDashboard({
    ...given,
    types: EVENT_TYPES,
    mirrored: true,
    fromBeginning: false,
    host: '127.0.0.1',
    onListening: ({ url }) => onListening(url),
  });
}
