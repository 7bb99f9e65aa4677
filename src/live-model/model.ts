import { EVENT_TYPES, type EventType, type PixEvent } from '../events/schema.js';
import type { FieldIssue } from '../events/validation.js';
import { SecondBuckets } from './rate-window.js';
import { Ring } from './ring.js';

/**
 * Where the feed stands with the broker. 'topics-missing': the broker answers but the topics were
 * never created (a wrong --topic-prefix, say), which no waiting for the broker mends.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'topics-missing';

export interface Connection {
  state: ConnectionState;
  /** Milliseconds since the epoch when this state began. */
  since: number;
  /** Why, for the states that are not connected. */
  detail?: string;
}

/** One event as the live view knows it: where it sat, when it arrived, how late it was. */
export interface LiveEvent {
  seq: number;
  topic: string;
  partition: number;
  offset: string;
  receivedAt: number;
  /** receivedAt − occurredAt, in milliseconds; negative when the writer's clock runs ahead. */
  delayMs: number;
  /**
   * Read from what was already on the topics when the view started (--from-beginning, --since, a
   * group's backlog): counted and shown, but no part of the live rate, the chart or the delay.
   */
  backfill: boolean;
  /** For a copy MirrorMaker 2 made of another site's event: the site it comes from. */
  sourceSite?: string;
  /**
   * For a copy: receivedAt minus the record's Kafka timestamp, which MirrorMaker keeps from the
   * source (pix stamps a record as it sends it): how long the event took to cross, plus this read.
   */
  replicationDelayMs?: number;
  event: PixEvent;
}

/** How the events copied from one other site arrive. */
export interface SiteStats {
  site: string;
  /** Events read from its copies. */
  total: number;
  /** Events per second over the rate window. */
  rate: number;
  /**
   * Replication delay of the live events (not of a backlog read at the start), and of the
   * heartbeats that crossed from that site (when its mirror runs both ways).
   */
  delay: DelayStats;
  /** When the last of its events arrived, milliseconds since the epoch (0 before the first). */
  lastEventAt: number;
  /** When MirrorMaker 2 last emitted a heartbeat here for it, when one was read. */
  lastHeartbeatAt?: number;
  /** A heartbeat came within MIRROR_ALIVE_MS: the mirror runs, with or without traffic. */
  mirrorAlive: boolean;
}

/** MirrorMaker 2 emits a heartbeat every second here (`pix local mirror`): five missed, it is gone. */
const MIRROR_ALIVE_MS = 5_000;

/** What is known of one product now: each field as its latest event of that type left it. */
export interface ProductState {
  productId: string;
  price?: number;
  currency?: string;
  discount?: number;
  country?: string;
  /** occurredAt of the latest event. */
  updatedAt: string;
  origin: string;
  lastType: EventType;
  seq: number;
}

export interface MalformedMessage {
  topic: string;
  partition: number;
  offset: string;
  issues: FieldIssue[];
  receivedAt: number;
}

export interface DelayStats {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface Counters {
  total: number;
  byType: Record<EventType, number>;
  byOrigin: Record<string, number>;
  malformed: number;
  /** Events per second over the rate window. */
  rate: { total: number; byType: Record<EventType, number>; byOrigin: Record<string, number> };
}

export interface Series {
  /** The second (since the epoch) of the last entry; entries are one second apart. */
  endSecond: number;
  byType: Record<EventType, number[]>;
}

export type ModelChange =
  | { kind: 'event'; event: LiveEvent }
  | { kind: 'malformed'; message: MalformedMessage }
  | { kind: 'connection'; connection: Connection }
  | { kind: 'heartbeat'; site: string; emittedAt: number }
  | { kind: 'clear' };

interface LiveModelOptions {
  /** Recent events kept for the log (default 500). */
  recentLimit?: number;
  /** Products whose state is kept; the least recently changed go first (default 10,000). */
  productLimit?: number;
  /** Distinct origins counted by name; later ones are counted as OTHER_ORIGIN (default 50). */
  originLimit?: number;
  /** Seconds of per-second history (default 300). */
  seriesSeconds?: number;
  /** Seconds the events/s figures average over (default 10). */
  rateWindowSeconds?: number;
  /** Delays kept for the percentiles (default 2,048). */
  delaySamples?: number;
  clock?: () => number;
}

/** The label for origins past the limit: names come from whoever writes to the topics. */
export const OTHER_ORIGIN = '(other)';

const zeroByType = (): Record<EventType, number> => ({ price: 0, discount: 0, country: 0 });

/**
 * The largest delay, either way, that counts as one: an event a day late (or a day ahead) was
 * written at another time, as a replay or a backfill, and would swamp the percentiles.
 */
const MAX_DELAY_MS = 24 * 3_600_000;

/** Whether an event's delay tells how late it came, rather than that it belongs to another time. */
export function isDelay(event: { backfill: boolean; delayMs: number }): boolean {
  return !event.backfill && Math.abs(event.delayMs) <= MAX_DELAY_MS;
}

/**
 * The live stream as both the dashboard and the TUI show it: recent events, counts and rates by
 * type and origin, each product's latest state, malformed messages, end-to-end delay and the
 * connection. Everything is bounded, so it runs for weeks at any event rate. It knows nothing of
 * Kafka, HTTP or terminals: the feed writes to it and the views read from it.
 */
export class LiveModel {
  readonly recentLimit: number;
  readonly seriesSeconds: number;
  private readonly productLimit: number;
  private readonly originLimit: number;
  private readonly rateWindow: number;
  private readonly clock: () => number;
  private readonly recentEvents: Ring<LiveEvent>;
  private readonly delays: Ring<number>;
  private readonly delaySamples: number;
  private readonly siteStates = new Map<
    string,
    { total: number; delays: Ring<number>; lastEventAt: number; lastHeartbeatAt?: number }
  >();
  private readonly siteBuckets: SecondBuckets<string>;
  private readonly startedAt: number;
  private readonly productStates = new Map<string, ProductState>();
  private readonly typeBuckets: SecondBuckets<EventType>;
  private readonly originBuckets: SecondBuckets<string>;
  private readonly listeners = new Set<(change: ModelChange) => void>();
  private totals = zeroByType();
  private originTotals = new Map<string, number>();
  private malformedTotal = 0;
  private latestMalformed: MalformedMessage | undefined;
  private sequence = 0;
  private delayStats: { seq: number; stats: DelayStats } | undefined;
  private connectionState: Connection;

  constructor(options: LiveModelOptions = {}) {
    this.recentLimit = options.recentLimit ?? 500;
    this.productLimit = options.productLimit ?? 10_000;
    this.originLimit = options.originLimit ?? 50;
    this.seriesSeconds = options.seriesSeconds ?? 300;
    this.rateWindow = options.rateWindowSeconds ?? 10;
    this.clock = options.clock ?? Date.now;
    this.recentEvents = new Ring(this.recentLimit);
    this.delaySamples = options.delaySamples ?? 2_048;
    this.delays = new Ring(this.delaySamples);
    // One spare bucket: the current second is still filling and is never shown.
    this.typeBuckets = new SecondBuckets(this.seriesSeconds + 1, this.clock());
    this.originBuckets = new SecondBuckets(this.rateWindow + 1, this.clock());
    this.siteBuckets = new SecondBuckets(this.rateWindow + 1, this.clock());
    this.startedAt = this.clock();
    this.connectionState = { state: 'connecting', since: this.clock() };
  }

  /** Listens to every change; returns the function that stops listening. */
  onChange(listener: (change: ModelChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * One event read from the topics. A backfill event (see LiveEvent) arrives as fast as the broker
   * hands out the backlog, so counting it in the rate would show thousands a second that nobody
   * published just now, and its age says when it was written, not how late it came.
   */
  record(
    position: { topic: string; partition: number; offset: string },
    event: PixEvent,
    arrival: { backfill: boolean; mirrored?: { sourceSite: string; timestamp: number } } = { backfill: false },
  ): LiveEvent {
    const now = this.clock();
    this.sequence += 1;
    const { mirrored } = arrival;
    const live: LiveEvent = {
      seq: this.sequence,
      topic: position.topic,
      partition: position.partition,
      offset: position.offset,
      receivedAt: now,
      delayMs: now - Date.parse(event.occurredAt),
      backfill: arrival.backfill,
      ...(mirrored
        ? { sourceSite: this.siteLabel(mirrored.sourceSite), replicationDelayMs: now - mirrored.timestamp }
        : {}),
      event,
    };
    if (live.sourceSite !== undefined) this.recordSite(live, live.sourceSite);
    this.recentEvents.push(live);
    this.totals[event.type] += 1;
    const origin = this.originLabel(event.origin);
    this.originTotals.set(origin, (this.originTotals.get(origin) ?? 0) + 1);
    if (!live.backfill) {
      this.typeBuckets.add(event.type, now);
      this.originBuckets.add(origin, now);
    }
    if (isDelay(live)) this.delays.push(live.delayMs);
    this.updateProduct(event, live.seq);
    this.emit({ kind: 'event', event: live });
    return live;
  }

  /**
   * A heartbeat of MirrorMaker 2 from `site`: the mirror is alive, whether or not events cross.
   * One that crossed from that site (a copy of its heartbeats topic, `crossedAt` its Kafka
   * timestamp there) is timed like a copied event: with no traffic it keeps the delay fresh.
   * Those written before this view began are a backlog, not a delay.
   */
  recordHeartbeat(site: string, emittedAt: number, crossedAt?: number): void {
    const label = this.siteLabel(site);
    const state = this.siteState(label);
    state.lastHeartbeatAt = Math.max(state.lastHeartbeatAt ?? 0, emittedAt);
    if (crossedAt !== undefined && crossedAt >= this.startedAt) {
      const delay = this.clock() - crossedAt;
      if (Math.abs(delay) <= MAX_DELAY_MS) state.delays.push(delay);
    }
    this.emit({ kind: 'heartbeat', site: label, emittedAt });
  }

  private siteState(site: string) {
    let state = this.siteStates.get(site);
    if (!state) {
      state = { total: 0, delays: new Ring<number>(this.delaySamples), lastEventAt: 0 };
      this.siteStates.set(site, state);
    }
    return state;
  }

  private recordSite(live: LiveEvent, site: string): void {
    const state = this.siteState(site);
    state.total += 1;
    state.lastEventAt = live.receivedAt;
    if (live.backfill) return;
    this.siteBuckets.add(site, live.receivedAt);
    const delay = live.replicationDelayMs ?? 0;
    if (Math.abs(delay) <= MAX_DELAY_MS) state.delays.push(delay);
  }

  recordMalformed(message: Omit<MalformedMessage, 'receivedAt'>): void {
    this.malformedTotal += 1;
    this.latestMalformed = { ...message, receivedAt: this.clock() };
    this.emit({ kind: 'malformed', message: this.latestMalformed });
  }

  setConnection(state: ConnectionState, detail?: string): void {
    if (state === this.connectionState.state && detail === this.connectionState.detail) return;
    this.connectionState = { state, since: this.clock(), ...(detail !== undefined ? { detail } : {}) };
    this.emit({ kind: 'connection', connection: this.connectionState });
  }

  /** Forgets events, products, counts and history; the connection stays as it is. */
  clear(): void {
    this.recentEvents.clear();
    this.delays.clear();
    this.delayStats = undefined;
    this.siteStates.clear();
    this.siteBuckets.clear();
    this.productStates.clear();
    this.typeBuckets.clear();
    this.originBuckets.clear();
    this.totals = zeroByType();
    this.originTotals = new Map();
    this.malformedTotal = 0;
    this.latestMalformed = undefined;
    this.emit({ kind: 'clear' });
  }

  /** The sequence number of the latest event (0 before the first). */
  get seq(): number {
    return this.sequence;
  }

  get connection(): Connection {
    return this.connectionState;
  }

  get malformed(): { total: number; latest?: MalformedMessage } {
    return { total: this.malformedTotal, ...(this.latestMalformed ? { latest: this.latestMalformed } : {}) };
  }

  /** Recent events, newest first. */
  recent(limit = this.recentLimit): LiveEvent[] {
    return this.recentEvents.newestFirst(limit);
  }

  /** Events after sequence number `seq`, newest first (only those still among the recent ones). */
  eventsSince(seq: number): LiveEvent[] {
    return this.recentEvents.newestFirst(this.recentLimit, (event) => event.seq <= seq);
  }

  product(productId: string): ProductState | undefined {
    return this.productStates.get(productId);
  }

  /** Product states, most recently changed first. */
  products(limit = this.productLimit): ProductState[] {
    const all = [...this.productStates.values()];
    const out: ProductState[] = [];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i -= 1) out.push(all[i] as ProductState);
    return out;
  }

  /**
   * The states of the products changed after sequence number `seq`, most recently changed first,
   * at most `limit` of them: what a view that holds the others needs to be up to date.
   */
  productsSince(seq: number, limit: number): ProductState[] {
    const all = [...this.productStates.values()];
    const out: ProductState[] = [];
    for (let i = all.length - 1; i >= 0 && out.length < limit; i -= 1) {
      const product = all[i] as ProductState;
      if (product.seq <= seq) break;
      out.push(product);
    }
    return out;
  }

  get productCount(): number {
    return this.productStates.size;
  }

  counters(): Counters {
    const now = this.clock();
    const rateByType = zeroByType();
    for (const type of EVENT_TYPES) rateByType[type] = this.typeBuckets.rate(type, this.rateWindow, now);
    const rateByOrigin: Record<string, number> = {};
    for (const origin of this.originBuckets.labels()) {
      rateByOrigin[origin] = this.originBuckets.rate(origin, this.rateWindow, now);
    }
    return {
      total: this.totals.price + this.totals.discount + this.totals.country,
      byType: { ...this.totals },
      byOrigin: Object.fromEntries(this.originTotals),
      malformed: this.malformedTotal,
      rate: {
        total: rateByType.price + rateByType.discount + rateByType.country,
        byType: rateByType,
        byOrigin: rateByOrigin,
      },
    };
  }

  /** Events per second of each type over the last `seconds` (at most the history kept). */
  series(seconds = this.seriesSeconds): Series {
    const now = this.clock();
    const byType = {} as Record<EventType, number[]>;
    for (const type of EVENT_TYPES) byType[type] = this.typeBuckets.series(type, seconds, now);
    return { endSecond: this.typeBuckets.lastWholeSecond(now), byType };
  }

  /** Percentiles of the kept delays; sorted again only after new events, not on every frame or redraw. */
  delay(): DelayStats {
    if (this.delayStats?.seq === this.sequence) return this.delayStats.stats;
    const stats = percentiles(this.delays.values());
    this.delayStats = { seq: this.sequence, stats };
    return stats;
  }

  /** Each other site whose copies were read, by name: events, rate and replication delay. */
  sites(): SiteStats[] {
    const now = this.clock();
    return [...this.siteStates.entries()]
      .map(([site, state]) => ({
        site,
        total: state.total,
        rate: this.siteBuckets.rate(site, this.rateWindow, now),
        delay: percentiles(state.delays.values()),
        lastEventAt: state.lastEventAt,
        ...(state.lastHeartbeatAt !== undefined ? { lastHeartbeatAt: state.lastHeartbeatAt } : {}),
        mirrorAlive: state.lastHeartbeatAt !== undefined && now - state.lastHeartbeatAt <= MIRROR_ALIVE_MS,
      }))
      .sort((a, b) => a.site.localeCompare(b.site));
  }

  private updateProduct(event: PixEvent, seq: number): void {
    const previous = this.productStates.get(event.productId);
    const state: ProductState = {
      ...previous,
      productId: event.productId,
      updatedAt: event.occurredAt,
      origin: event.origin,
      lastType: event.type,
      seq,
    };
    if (event.type === 'price') {
      state.price = event.price;
      state.currency = event.currency;
    } else if (event.type === 'discount') {
      state.discount = event.discount;
    } else {
      state.country = event.country;
    }
    // Delete then set: the map's order is the order of change, oldest first.
    this.productStates.delete(event.productId);
    this.productStates.set(event.productId, state);
    if (this.productStates.size > this.productLimit) {
      const oldest = this.productStates.keys().next();
      if (!oldest.done) this.productStates.delete(oldest.value);
    }
  }

  /** Site names come from topic names: as many as origins are kept by name, the rest as one. */
  private siteLabel(site: string): string {
    return boundedLabel(site, this.siteStates, this.originLimit);
  }

  private originLabel(origin: string): string {
    return boundedLabel(origin, this.originTotals, this.originLimit);
  }

  private emit(change: ModelChange): void {
    for (const listener of this.listeners) listener(change);
  }
}

/**
 * `label` itself while `seen` holds it or has room for one more, else OTHER_ORIGIN: untrusted
 * names (origins, sites) cannot grow the model, the page or /metrics without bound.
 */
function boundedLabel(label: string, seen: ReadonlyMap<string, unknown>, limit: number): string {
  return seen.has(label) || seen.size < limit ? label : OTHER_ORIGIN;
}

function percentiles(values: number[]): DelayStats {
  const samples = values.sort((a, b) => a - b);
  const at = (quantile: number): number =>
    samples[Math.min(samples.length - 1, Math.ceil(quantile * samples.length) - 1)] ?? 0;
  return samples.length === 0
    ? { samples: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 }
    : { samples: samples.length, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: samples[samples.length - 1] ?? 0 };
}
