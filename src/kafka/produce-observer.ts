import type { EventType } from '../events/schema.js';

/**
 * What the Kafka layer reports of each produce request, to whoever counts it (metrics implement
 * it): the events it carried by type, how long it took, and whether the broker acknowledged it.
 */
export interface ProduceObserver {
  produced(counts: Partial<Record<EventType, number>>, seconds: number, ok: boolean): void;
}
