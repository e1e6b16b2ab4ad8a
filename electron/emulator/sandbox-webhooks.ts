import { PlaidApiError, PlaidErrors } from './errors';
import { ENVIRONMENT, newUuid } from './ids';

/**
 * What /sandbox/item/fire_webhook can fire: the webhook type and code pairs its description in Plaid's spec lists,
 * the product the Item needs for each (SANDBOX_PRODUCT_NOT_ENABLED without it), and the payload, shaped as the
 * spec's schema of that webhook. Any other pair is refused with INVALID_FIELD rather than sent made up.
 */
type Body = Record<string, unknown>;

export interface FiringItem {
  item_id: string;
  /** The Item's accounts, depository ones first (the payloads that name an account take the first). */
  account_ids: string[];
}

interface Fireable {
  /** The product the Item must have, if any. */
  product: string | null;
  payload: (item: FiringItem, now: Date) => Body;
}

const itemOnly = (item: FiringItem): Body => ({ item_id: item.item_id });
const firstAccount = (item: FiringItem): string => item.account_ids[0] ?? '';

/** Keyed `TYPE CODE`. The description also names IDENTITY DEFAULT_UPDATE, but IDENTITY is not a type it accepts. */
const FIREABLE: Record<string, Fireable> = {
  'TRANSACTIONS DEFAULT_UPDATE': {
    product: 'transactions',
    payload: (item) => ({ item_id: item.item_id, error: null, new_transactions: 0 }),
  },
  'AUTH DEFAULT_UPDATE': {
    product: 'auth',
    payload: (item) => ({
      item_id: item.item_id,
      account_ids_with_new_auth: [],
      account_ids_with_updated_auth: {},
      error: null,
    }),
  },
  'INVESTMENTS_TRANSACTIONS DEFAULT_UPDATE': {
    product: 'investments',
    payload: (item) => ({
      item_id: item.item_id,
      error: null,
      new_investments_transactions: 0,
      cancelled_investments_transactions: 0,
    }),
  },
  'HOLDINGS DEFAULT_UPDATE': {
    product: 'investments',
    payload: (item) => ({ item_id: item.item_id, error: null, new_holdings: 0, updated_holdings: 0 }),
  },
  'LIABILITIES DEFAULT_UPDATE': {
    product: 'liabilities',
    payload: (item) => ({
      item_id: item.item_id,
      error: null,
      account_ids_with_new_liabilities: [],
      account_ids_with_updated_liabilities: {},
    }),
  },
  'ITEM NEW_ACCOUNTS_AVAILABLE': { product: null, payload: (item) => ({ item_id: item.item_id, error: null }) },
  'AUTH SMS_MICRODEPOSITS_VERIFICATION': {
    product: 'auth',
    payload: (item) => ({ status: 'MANUALLY_VERIFIED', item_id: item.item_id, account_id: firstAccount(item) }),
  },
  'ITEM USER_PERMISSION_REVOKED': {
    product: null,
    payload: (item) => ({
      item_id: item.item_id,
      error: new PlaidApiError(
        400,
        'ITEM_ERROR',
        'USER_PERMISSION_REVOKED',
        'the holder of this account has revoked their permission for your application to access it',
      ).toBody(undefined, 'webhook'),
    }),
  },
  'ITEM USER_ACCOUNT_REVOKED': {
    product: null,
    payload: (item) => ({ item_id: item.item_id, account_id: firstAccount(item) }),
  },
  'ITEM PENDING_DISCONNECT': {
    product: null,
    payload: (item, now) => ({
      item_id: item.item_id,
      reason: 'INSTITUTION_MIGRATION',
      disconnect_time: new Date(now.getTime() + 7 * 86_400_000).toISOString(),
    }),
  },
  'TRANSACTIONS RECURRING_TRANSACTIONS_UPDATE': {
    product: 'transactions',
    payload: (item) => ({ item_id: item.item_id, account_ids: item.account_ids }),
  },
  'ITEM LOGIN_REPAIRED': { product: null, payload: itemOnly },
  'TRANSACTIONS SYNC_UPDATES_AVAILABLE': {
    product: 'transactions',
    payload: (item) => ({ item_id: item.item_id, initial_update_complete: true, historical_update_complete: true }),
  },
  'ASSETS PRODUCT_READY': {
    product: 'assets',
    payload: () => ({ asset_report_id: newUuid(), report_type: 'FULL' }),
  },
  'ASSETS ERROR': {
    product: 'assets',
    payload: () => ({ asset_report_id: newUuid(), error: PlaidErrors.generationFailed().toBody(undefined, 'webhook') }),
  },
};

/** The types each code may be fired with, in the order used when the request names none (DEFAULT_UPDATE: TRANSACTIONS). */
function typesOf(code: string): string[] {
  return Object.keys(FIREABLE)
    .filter((pair) => pair.endsWith(` ${code}`))
    .map((pair) => pair.slice(0, pair.length - code.length - 1));
}

/** The webhook a request asks for, or INVALID_FIELD for a pair the endpoint does not fire. */
export function fireableWebhook(
  requestedType: string | undefined,
  code: string,
): { type: string; product: string | null; build: (item: FiringItem, now: Date) => Body } {
  const types = typesOf(code);
  if (types.length === 0)
    throw PlaidErrors.invalidField(`webhook_code ${code} is not one of the webhooks /sandbox/item/fire_webhook fires`);
  const type = requestedType ?? types[0]!;
  const fireable = FIREABLE[`${type} ${code}`];
  if (!fireable)
    throw PlaidErrors.invalidField(
      `webhook_code ${code} cannot be fired with webhook_type ${type}; it is fired with webhook_type ${types.join(' or ')}`,
    );
  return {
    type,
    product: fireable.product,
    build: (item, now) => ({
      webhook_type: type,
      webhook_code: code,
      ...fireable.payload(item, now),
      environment: ENVIRONMENT,
    }),
  };
}
