import type { EventType } from '../events/schema.js';
import type {
  Connection,
  Counters,
  DelayStats,
  LiveEvent,
  LiveModel,
  MalformedMessage,
  ProductState,
  Series,
} from '../stream/live-model.js';

/** What every frame carries: small figures, sent whole each time. */
interface Figures {
  serverTime: number;
  /** The sequence number of the newest event the sender knew of. */
  seq: number;
  counters: Counters;
  delay: DelayStats;
  connection: Connection;
  malformed: { total: number; latest?: MalformedMessage };
  productCount: number;
}

/** Sent once when a browser connects: enough to draw the whole page. */
export interface SnapshotFrame extends Figures {
  kind: 'snapshot';
  events: LiveEvent[];
  products: ProductState[];
  series: Series;
}

/** Sent as things change: the events since the last frame and the products they changed. */
export interface UpdateFrame extends Figures {
  kind: 'update';
  events: LiveEvent[];
  products: ProductState[];
  /** The per-type counts of one whole second, once per second, for the chart. */
  second?: { at: number; byType: Record<EventType, number> };
  /** Set when the model was cleared: drop what is shown and start over. */
  reset?: true;
}

export type Frame = SnapshotFrame | UpdateFrame;

/** Products in a snapshot: the most recently changed; the rest arrive as they change. */
export const SNAPSHOT_PRODUCTS = 500;

function figures(model: LiveModel): Figures {
  return {
    serverTime: Date.now(),
    seq: model.seq,
    counters: model.counters(),
    delay: model.delay(),
    connection: model.connection,
    malformed: model.malformed,
    productCount: model.productCount,
  };
}

export function snapshotFrame(model: LiveModel): SnapshotFrame {
  return {
    kind: 'snapshot',
    ...figures(model),
    events: model.recent(),
    products: model.products(SNAPSHOT_PRODUCTS),
    series: model.series(),
  };
}

/** The frame that follows one sent at `sinceSeq`. */
export function updateFrame(model: LiveModel, sinceSeq: number, options: { withSecond?: boolean } = {}): UpdateFrame {
  const events = model.eventsSince(sinceSeq);
  const changed = new Map<string, ProductState>();
  for (const { event } of events) {
    const state = model.product(event.productId);
    if (state && !changed.has(event.productId)) changed.set(event.productId, state);
  }
  const frame: UpdateFrame = { kind: 'update', ...figures(model), events, products: [...changed.values()] };
  if (options.withSecond) {
    const series = model.series(1);
    frame.second = {
      at: series.endSecond,
      byType: {
        price: series.byType.price[0] ?? 0,
        discount: series.byType.discount[0] ?? 0,
        country: series.byType.country[0] ?? 0,
      },
    };
  }
  return frame;
}
