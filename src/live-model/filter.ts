import type { EventType } from '../events/schema.js';
import type { ProductState } from './model.js';

/** What a person narrows the live view to: the TUI's keys and the page's controls set the same. */
export interface LiveFilter {
  /** Part of a product id, in any case: `abc` finds `ABC-1`. */
  productId?: string;
  type?: EventType;
  origin?: string;
}

/**
 * Whether an event, or a product as its latest event left it, is shown under `filter`. The TUI and
 * the dashboard page both call this, so the same filter shows the same rows in each.
 */
export function matchesFilter(
  filter: LiveFilter,
  item: { productId: string; type: EventType; origin: string },
): boolean {
  return (
    (filter.productId === undefined || item.productId.toLowerCase().includes(filter.productId.toLowerCase())) &&
    (filter.type === undefined || item.type === filter.type) &&
    (filter.origin === undefined || item.origin === filter.origin)
  );
}

/** Whether a product is shown under `filter`: by its id, its origin and the type of its latest change. */
export function matchesProduct(
  filter: LiveFilter,
  product: Pick<ProductState, 'productId' | 'lastType' | 'origin'>,
): boolean {
  return matchesFilter(filter, { productId: product.productId, type: product.lastType, origin: product.origin });
}
