import { PlaidApiError } from './errors';
import type { Persona } from './data/personas';
import type { ItemRecord } from './store';

/**
 * The Investments add-on of /asset_report/create (`add_ons: ["investments"]`, or the deprecated
 * `products: ["investments"]`). The emulator has no holdings or investment transactions, so rather than leave the
 * request silently unanswered, each Item whose investment data a report would carry gets Plaid's
 * INVESTMENTS_UNAVAILABLE warning: an Item linked without `investments` (it must be in Link's optional_products),
 * and an Item with investment accounts.
 */
type Body = Record<string, unknown>;

export function wantsInvestments(options: Body): boolean {
  const listed = (v: unknown): boolean => Array.isArray(v) && v.includes('investments');
  return listed(options.add_ons) || listed(options.products);
}

/** The warning's cause for this Item, or null when nothing of its investments is missing. */
export function investmentsUnavailable(item: ItemRecord | null, persona: Persona): PlaidApiError | null {
  if (!item?.products.includes('investments'))
    return new PlaidApiError(
      400,
      'ITEM_ERROR',
      'PRODUCT_NOT_ENABLED',
      "the 'investments' product is not enabled for this item: include it in optional_products when linking to use the investments add-on",
    );
  if (!persona.accounts.some((a) => a.type === 'investment')) return null;
  return new PlaidApiError(
    400,
    'ITEM_ERROR',
    'PRODUCTS_NOT_SUPPORTED',
    'investment holdings and transactions are not available for this item',
  );
}
