import type { EventType } from './schema.js';

/** The topic of each event type, as the original system named them. */
const BASE_TOPICS = {
  price: 'product-price-update',
  discount: 'product-discount-update',
  country: 'product-country-update',
} as const satisfies Record<EventType, string>;

/**
 * What MirrorMaker 2's default replication policy puts between the source cluster's alias and the
 * topic's name on the target (KIP-382: `on-prem.product-price-update`).
 */
export const REMOTE_TOPIC_SEPARATOR = '.';

/**
 * The source site of `name` when it is MirrorMaker 2's copy of another site's topic `local`
 * (`on-prem.product-price-update`, by the default replication policy); undefined otherwise. A copy
 * of a copy (`cloud.on-prem.…`) is not one: MirrorMaker never makes it, and pix never reads it.
 */
export function remoteSiteOf(name: string, local: string): string | undefined {
  const site = name.slice(0, -local.length - REMOTE_TOPIC_SEPARATOR.length);
  const copy = name.endsWith(REMOTE_TOPIC_SEPARATOR + local) && site.length > 0;
  return copy && !site.includes(REMOTE_TOPIC_SEPARATOR) ? site : undefined;
}

/** A topic of this cluster that MirrorMaker 2 copies from another site's. */
interface MirroredTopic {
  topic: string;
  type: EventType;
  /** The source cluster's alias: the site the copy comes from. */
  sourceSite: string;
}

/**
 * The topic names in use. A prefix (such as `staging.`) lets several environments, or several test
 * runs, share one cluster without seeing each other's events. Mirrored topics, copies of other
 * sites' topics made by MirrorMaker 2, are read with the local ones when they are given.
 */
export class TopicNames {
  readonly prefix: string;
  readonly mirrored: readonly MirroredTopic[];
  /**
   * Where MirrorMaker 2's heartbeats are on this cluster: its own `heartbeats` topic, and the
   * copies of other sites' (`on-prem.heartbeats`, which cross like events when a mirror runs the
   * other way too).
   */
  readonly heartbeats: readonly string[];
  private readonly byTopic: Map<string, EventType>;
  private readonly sourceSites: Map<string, string>;

  constructor(prefix = '', mirrored: readonly MirroredTopic[] = [], heartbeats: readonly string[] = []) {
    this.prefix = prefix;
    this.mirrored = mirrored;
    this.heartbeats = heartbeats;
    this.byTopic = new Map([
      ...(Object.entries(BASE_TOPICS) as [EventType, string][]).map(([type, topic]) => [prefix + topic, type] as const),
      ...mirrored.map(({ topic, type }) => [topic, type] as const),
    ]);
    this.sourceSites = new Map(mirrored.map(({ topic, sourceSite }) => [topic, sourceSite]));
  }

  /**
   * The topic `name` as MirrorMaker 2 copies it from another site, when it is one: the site's
   * alias, the separator, then one of these topics (never a copy of a copy).
   */
  remoteOf(name: string): MirroredTopic | undefined {
    for (const type of Object.keys(BASE_TOPICS) as EventType[]) {
      const site = remoteSiteOf(name, this.of(type));
      if (site !== undefined) return { topic: name, type, sourceSite: site };
    }
    return undefined;
  }

  /** The site a mirrored topic comes from; undefined for this cluster's own topics. */
  siteOf(topic: string): string | undefined {
    return this.sourceSites.get(topic);
  }

  of(type: EventType): string {
    return this.prefix + BASE_TOPICS[type];
  }

  typeOf(topic: string): EventType | undefined {
    return this.byTopic.get(topic);
  }

  /** Topics of the given types, in the order given (every type when none is given), then the mirrored ones. */
  list(types?: readonly EventType[]): string[] {
    const wanted = types ?? (Object.keys(BASE_TOPICS) as EventType[]);
    return [
      ...wanted.map((type) => this.of(type)),
      ...this.mirrored.filter(({ type }) => wanted.includes(type)).map(({ topic }) => topic),
    ];
  }
}
