import { formatAmount } from '../events/format.js';
import type { ProductState } from './model.js';

/** A product's price, discount and country as the TUI and the page show them: '' for what never came. */
export function productColumns(product: ProductState): { price: string; discount: string; country: string } {
  return {
    price: product.price === undefined ? '' : `${formatAmount(product.price)} ${product.currency ?? ''}`,
    discount: product.discount === undefined ? '' : `${product.discount}%`,
    country: product.country ?? '',
  };
}
