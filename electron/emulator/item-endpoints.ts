import { itemAccessTokenInvalidate } from './access-token-invalidate';
import { obj, str, type ApiContext, type Body } from './api-context';
import { checkLogin } from './data/credentials';
import { accountIdFor, generateItemAccounts } from './data/generator';
import { findInstitution, institutionProducts } from './data/institutions';
import { PlaidApiError, PlaidErrors } from './errors';
import { personaOfItem } from './data/item-persona';
import {
  ENVIRONMENT,
  looksLikeAccessToken,
  looksLikePublicToken,
  newAccessToken,
  newItemId,
  newPublicToken,
} from './ids';
import { fireableWebhook } from './sandbox-webhooks';
import { isoSeconds } from './report';
import type { ItemRecord } from './store';

export const KNOWN_PRODUCTS = new Set([
  'assets',
  'auth',
  'identity',
  'investments',
  'liabilities',
  'transactions',
  'income_verification',
  'employment',
  'statements',
  'signal',
  'transfer',
  'payment_initiation',
  'identity_verification',
  'standing_orders',
  'deposit_switch',
  'credit_partner_insights',
  'cra_base_report',
  'cra_income_insights',
  'cra_partner_insights',
  'beacon',
  'protect_linked_bank',
  'processor_payments',
  'processor_identity',
  'profile',
  'layer',
  'recurring_transactions',
  'transactions_refresh',
  'investments_auth',
  'balance_plus',
  'cra_network_insights',
  'cra_cashflow_insights',
  'pay_by_bank',
  'employment',
  'liabilities',
]);
const PUBLIC_TOKEN_TTL_MS = 30 * 60_000;
/** Sandbox Items need a new login this long after the last one (Plaid's Sandbox inactivity rule). */
export const ITEM_LOGIN_EXPIRY_MS = 30 * 86_400_000;

/** Items: their creation (Link, /sandbox/public_token/create), tokens, health, accounts and webhooks. */
export class ItemEndpoints {
  constructor(private readonly ctx: ApiContext) {}

  /** Creates an Item for a persona (Link's success and /sandbox/public_token/create) and its one-time public token. */
  createItem(input: {
    itemId?: string;
    institutionId: string;
    username: string;
    products: string[];
    webhook: string | null;
    /** The accounts the customer shared in Link (null: all of them). */
    accountIds?: string[] | null;
    /** A `user_custom` login's configuration (checkLogin's `customUser`). */
    customUser?: string | null;
  }): { item: ItemRecord; publicToken: string } {
    const now = this.ctx.clock();
    const item: ItemRecord = {
      item_id: input.itemId ?? newItemId(),
      access_token: newAccessToken(),
      institution_id: input.institutionId,
      username: input.username,
      products: [...new Set(input.products)],
      webhook: input.webhook,
      error: null,
      created_at: isoSeconds(now),
      removed: false,
      billed: false,
      login_at: isoSeconds(now),
      account_ids: input.accountIds ?? null,
    };
    if (input.customUser) item.custom_user = input.customUser;
    this.ctx.store.insertItem(item);
    return { item, publicToken: this.issuePublicToken(item) };
  }

  issuePublicToken(item: ItemRecord): string {
    const publicToken = newPublicToken();
    this.ctx.store.insertPublicToken(
      publicToken,
      item.item_id,
      new Date(this.ctx.clock().getTime() + PUBLIC_TOKEN_TTL_MS).toISOString(),
    );
    return publicToken;
  }

  sandboxPublicTokenCreate(body: Body): Body {
    const institution = findInstitution(String(body.institution_id));
    if (!institution) throw PlaidErrors.invalidInstitution();
    const products = body.initial_products as string[];
    const unknown = products.filter((p) => !KNOWN_PRODUCTS.has(p));
    if (unknown.length > 0) throw PlaidErrors.invalidProduct(unknown);
    const unsupported = products.filter((p) => !institutionProducts(institution).includes(p));
    if (unsupported.length > 0) {
      throw new PlaidApiError(
        400,
        'ITEM_ERROR',
        'PRODUCTS_NOT_SUPPORTED',
        `the following products are not supported by this institution: ${unsupported.join(', ')}`,
      );
    }
    const options = obj(body.options);
    const username = str(options.override_username) ?? 'user_good';
    const password = str(options.override_password) ?? 'pass_good';
    const login = checkLogin({ institution, username, password, skipMfa: true });
    const { publicToken } = this.createItem({
      institutionId: institution.institution_id,
      username: login.persona.username,
      products,
      webhook: str(options.webhook) ?? null,
      customUser: login.customUser,
    });
    return { public_token: publicToken };
  }

  itemPublicTokenExchange(body: Body): Body {
    const token = String(body.public_token);
    if (!looksLikePublicToken(token)) throw PlaidErrors.invalidPublicToken(true);
    const consumed = this.ctx.store.consumePublicToken(token);
    if (!consumed || new Date(consumed.expires_at).getTime() <= this.ctx.clock().getTime())
      throw PlaidErrors.invalidPublicToken();
    const item = this.ctx.store.itemById(consumed.item_id);
    const accessToken = this.ctx.store.accessTokenOf(consumed.item_id);
    if (!item || item.removed || accessToken === null) throw PlaidErrors.invalidPublicToken();
    return { access_token: accessToken, item_id: item.item_id };
  }

  requireItem(accessToken: string): ItemRecord {
    if (!looksLikeAccessToken(accessToken)) throw PlaidErrors.invalidAccessToken(true);
    const item = this.ctx.store.itemByAccessToken(accessToken);
    if (!item) throw PlaidErrors.invalidAccessToken();
    return this.expireIfInactive(item);
  }

  /** Sandbox's inactivity rule: 30 days after the last login the Item needs one again (ITEM ERROR webhook). */
  expireIfInactive(item: ItemRecord): ItemRecord {
    const loginAt = new Date(item.login_at ?? item.created_at).getTime();
    if (item.error || item.removed || this.ctx.clock().getTime() - loginAt < ITEM_LOGIN_EXPIRY_MS) return item;
    this.setLoginRequired(item);
    return { ...item, error: PlaidErrors.itemLoginRequired().toStored() };
  }

  /** Applies the inactivity rule to every Item (after the control API moves the clock). */
  expireInactiveItems(): void {
    for (const item of this.ctx.store.activeItems()) this.expireIfInactive(item);
  }

  private setLoginRequired(item: ItemRecord): void {
    const error = PlaidErrors.itemLoginRequired();
    this.ctx.store.setItemError(item.item_id, error.toStored());
    if (item.webhook) {
      this.sendItemWebhook(item, item.webhook, {
        webhook_type: 'ITEM',
        webhook_code: 'ERROR',
        item_id: item.item_id,
        error: error.toBody(undefined, 'webhook'),
        environment: ENVIRONMENT,
      });
    }
  }

  /** Sends a webhook to the Item's own URL and remembers it: /item/get reports the last one fired. */
  private sendItemWebhook(item: ItemRecord, url: string, payload: Body): void {
    this.ctx.webhooks.send(url, payload);
    const last_webhook = { sent_at: isoSeconds(this.ctx.clock()), code_sent: String(payload.webhook_code) };
    this.ctx.store.updateItem(item.item_id, { last_webhook });
  }

  private itemJson(item: ItemRecord): Body {
    const institution = findInstitution(item.institution_id);
    const supported = institution ? institutionProducts(institution) : [];
    return {
      item_id: item.item_id,
      institution_id: item.institution_id,
      institution_name: institution?.name ?? null,
      webhook: item.webhook,
      auth_method: null,
      error: item.error,
      available_products: supported.filter((p) => !item.products.includes(p)),
      // Assets is billed per report: it joins billed_products with the Item's first /asset_report/create.
      billed_products: item.products.filter((p) => p !== 'assets' || item.billed === true),
      products: item.products,
      consented_products: item.products,
      consent_expiration_time: null,
      update_type: 'background',
      created_at: item.created_at,
    };
  }

  /** The Item's accounts and balances now (only the accounts shared in Link), as /accounts/get. */
  accountsGet(body: Body): Body {
    const item = this.requireItem(String(body.access_token));
    if (item.error) throw PlaidApiError.fromStored(item.error);
    const persona = personaOfItem(item);
    const shared = item.account_ids ? new Set(item.account_ids) : null;
    const wanted = obj(body.options).account_ids as string[] | undefined;
    const accounts = generateItemAccounts({
      itemId: item.item_id,
      persona,
      reportDate: this.ctx.clock(),
      daysRequested: 0,
    })
      .filter((a) => shared === null || shared.has(a.account_id))
      .filter((a) => !wanted || wanted.includes(a.account_id));
    if (wanted && wanted.some((id) => !accounts.some((a) => a.account_id === id)))
      throw PlaidErrors.invalidAccountId(wanted.filter((id) => !accounts.some((a) => a.account_id === id)));
    return {
      accounts: accounts.map((a) => ({
        account_id: a.account_id,
        balances: {
          available: a.available,
          current: a.current,
          limit: a.limit,
          iso_currency_code: a.spec.currency ?? 'USD',
          unofficial_currency_code: null,
          last_updated_datetime: null,
        },
        mask: a.spec.mask,
        name: a.spec.name,
        official_name: a.spec.official_name,
        type: a.spec.type,
        subtype: a.spec.subtype,
        holder_category: 'personal',
      })),
      item: this.itemJson(item),
    };
  }

  itemGet(body: Body): Body {
    const item = this.requireItem(String(body.access_token));
    return {
      item: this.itemJson(item),
      status: { investments: null, transactions: null, last_webhook: item.last_webhook ?? null },
    };
  }

  itemRemove(body: Body): Body {
    const item = this.requireItem(String(body.access_token));
    this.ctx.store.removeItem(item.item_id);
    return {};
  }

  itemAccessTokenInvalidate(body: Body): Body {
    return itemAccessTokenInvalidate({ store: this.ctx.store, requireItem: (t) => this.requireItem(t) }, body);
  }

  sandboxItemResetLogin(body: Body): Body {
    const item = this.requireItem(String(body.access_token));
    this.setLoginRequired(item);
    return { reset_login: true };
  }

  /** Update mode success: the Item is healthy again (ITEM LOGIN_REPAIRED webhook if it has one). */
  repairItem(item: ItemRecord): void {
    this.ctx.store.updateItem(item.item_id, { error: null, login_at: isoSeconds(this.ctx.clock()) });
    if (item.error && item.webhook) {
      this.sendItemWebhook(item, item.webhook, {
        webhook_type: 'ITEM',
        webhook_code: 'LOGIN_REPAIRED',
        item_id: item.item_id,
        environment: ENVIRONMENT,
      });
    }
  }

  sandboxItemFireWebhook(body: Body): Body {
    const item = this.requireItem(String(body.access_token));
    const webhook = fireableWebhook(str(body.webhook_type), String(body.webhook_code));
    if (webhook.product && !item.products.includes(webhook.product))
      throw PlaidErrors.sandboxProductNotEnabled(webhook.product);
    if (!item.webhook) throw PlaidErrors.sandboxWebhookInvalid();
    const accounts = personaOfItem(item)
      .accounts.map((a) => ({ id: accountIdFor(item.item_id, a.key), depository: a.type === 'depository' }))
      .filter((a) => !item.account_ids || item.account_ids.includes(a.id))
      .sort((a, b) => Number(b.depository) - Number(a.depository));
    this.sendItemWebhook(
      item,
      item.webhook,
      webhook.build({ item_id: item.item_id, account_ids: accounts.map((a) => a.id) }, this.ctx.clock()),
    );
    return { webhook_fired: true };
  }
}
