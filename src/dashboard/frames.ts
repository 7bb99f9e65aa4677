import type { EventType, PixEvent } from '../events/schema.js';
import type {
  Connection,
  Counters,
  DelayStats,
  LiveEvent,
  LiveModel,
  MalformedMessage,
  ProductState,
  Series,
  SiteStats,
} from '../live-model/model.js';

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
  /** The other sites whose events MirrorMaker 2 copied here, with their replication delay. */
  sites: SiteStats[];
}

/**
 * An event as frames carry it: what the page shows, without the fields it does not (the event id,
 * the schema version, the delay it can work out), since every byte goes to every browser.
 */
export interface WireEvent {
  seq: number;
  topic: string;
  partition: number;
  offset: string;
  receivedAt: number;
  event: ShownEvent;
}

/** Each type of event keeps its own fields (an Omit over the union would keep only the shared ones). */
type ShownEvent = PixEvent extends infer E
  ? E extends PixEvent
    ? Omit<E, 'eventId' | 'schemaVersion'>
    : never
  : never;

/** Sent once when a browser connects: enough to draw the whole page. */
export interface SnapshotFrame extends Figures {
  kind: 'snapshot';
  events: WireEvent[];
  products: ProductState[];
  series: Series;
}

/**
 * Sent as things change: the events since the last frame, and the states of the products they
 * changed, as the model holds them: the page shows them and keeps no model of its own.
 */
export interface UpdateFrame extends Figures {
  kind: 'update';
  events: WireEvent[];
  /** Most recently changed first; at most SNAPSHOT_PRODUCTS, the newest, after a burst. */
  products: ProductState[];
  /** The per-type counts of one whole second, once per second, for the chart. */
  second?: { at: number; byType: Record<EventType, number> };
  /** Set when the model was cleared: drop what is shown and start over. */
  reset?: true;
}

export type Frame = SnapshotFrame | UpdateFrame;

/** Products in a frame: the most recently changed; the rest arrive as they change. */
const SNAPSHOT_PRODUCTS = 500;

function figures(model: LiveModel): Figures {
  return {
    serverTime: Date.now(),
    seq: model.seq,
    counters: model.counters(),
    delay: model.delay(),
    connection: model.connection,
    malformed: model.malformed,
    productCount: model.productCount,
    sites: model.sites(),
  };
}

export function snapshotFrame(model: LiveModel): SnapshotFrame {
  return {
    kind: 'snapshot',
    ...figures(model),
    events: model.recent().map(toWire),
    products: model.products(SNAPSHOT_PRODUCTS),
    series: model.series(),
  };
}

/** The frame that follows one sent at `sinceSeq`. */
export function updateFrame(model: LiveModel, sinceSeq: number, options: { withSecond?: boolean } = {}): UpdateFrame {
  const frame: UpdateFrame = {
    kind: 'update',
    ...figures(model),
    events: model.eventsSince(sinceSeq).map(toWire),
    products: model.productsSince(sinceSeq, SNAPSHOT_PRODUCTS),
  };
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

function toWire({ seq, topic, partition, offset, receivedAt, event }: LiveEvent): WireEvent {
  const { eventId: _eventId, schemaVersion: _schemaVersion, ...shown } = event;
  return { seq, topic, partition, offset, receivedAt, event: shown };
}
