import type { EventType } from './schema.js';

/** The topic of each event type, as the original system named them. */
export const BASE_TOPICS = {
  price: 'product-price-update',
  discount: 'product-discount-update',
  country: 'product-country-update',
} as const satisfies Record<EventType, string>;

/**
 * The topic names in use. A prefix (such as `staging.`) lets several environments, or several test
 * runs, share one cluster without seeing each other's events.
 */
export class TopicNames {
  readonly prefix: string;
  private readonly byTopic: Map<string, EventType>;

  constructor(prefix = '') {
    this.prefix = prefix;
    this.byTopic = new Map(
      (Object.entries(BASE_TOPICS) as [EventType, string][]).map(([type, topic]) => [prefix + topic, type]),
    );
  }

  of(type: EventType): string {
    return this.prefix + BASE_TOPICS[type];
  }

  typeOf(topic: string): EventType | undefined {
    return this.byTopic.get(topic);
  }

  /** Topics of the given types, in the order given (every type when none is given). */
  list(types?: readonly EventType[]): string[] {
    return (types ?? (Object.keys(BASE_TOPICS) as EventType[])).map((type) => this.of(type));
  }
}
