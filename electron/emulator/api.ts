import type { Logger } from '../log/logger';
import { itemAccessTokenInvalidate } from './access-token-invalidate';
import { KNOWN_AUDITOR_IDS, type ClientRegistry, type EmulatorClient } from './clients';
import { checkLogin } from './data/credentials';
import { accountIdFor, generateItemAccounts } from './data/generator';
import { findInstitution, institutionJson, institutionProducts, searchInstitutions } from './data/institutions';
import { itemNotFound, PlaidApiError, PlaidErrors } from './errors';
import { personaOfItem } from './data/item-persona';
import type { FaultState } from './faults';
import {
  ENVIRONMENT,
  looksLikeAccessToken,
  looksLikePublicToken,
  newAccessToken,
  newAuditCopyToken,
  newItemId,
  newLinkToken,
  newOpaqueId,
  newPublicToken,
} from './ids';
import { refreshOptions } from './refresh-options';
import { fireableWebhook } from './sandbox-webhooks';
import { isoSeconds, ReportBuilder, type ReportView } from './report';
import { ReportGeneration, wantsFast } from './report-generation';
import type { EmulatorStore, ItemRecord, LinkTokenRecord, ReportRecord } from './store';
import { publishedKey, type WebhookKey, type WebhookSender } from './webhooks';

/**
 * The Plaid endpoints' behaviour, independent of HTTP: each method takes the validated request
 * body and returns the response body without request_id, or throws a PlaidApiError.
 */
type Body = Record<string, unknown>;

export interface ApiContext {
  store: EmulatorStore;
  faults: FaultState;
  webhooks: WebhookSender;
  webhookKey: WebhookKey;
  clock: () => Date;
  logger: Logger;
  clients: ClientRegistry;
  baseUrl: () => string;
}

const KNOWN_PRODUCTS = new Set([
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
const LINK_TOKEN_TTL_MS = 4 * 3600_000;
const UPDATE_LINK_TOKEN_TTL_MS = 30 * 60_000;
/** Sandbox Items need a new login this long after the last one (Plaid's Sandbox inactivity rule). */
export const ITEM_LOGIN_EXPIRY_MS = 30 * 86_400_000;
/**
 * Plaid asks for an application's own user id here, "typically a user ID number", and no PII: an e-mail address is
 * the one thing that cannot be such an id, so only that is refused (digits and dashes are ordinary ids).
 */
const LOOKS_LIKE_EMAIL = /@/;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Body => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : {});

export class SandboxApi {
  readonly reports: ReportBuilder;
  private readonly generation: ReportGeneration;

  constructor(private readonly ctx: ApiContext) {
    this.reports = new ReportBuilder((id) => ctx.store.itemById(id));
    this.generation = new ReportGeneration({ ...ctx, reports: this.reports });
  }

  private now(): Date {
    return this.ctx.clock();
  }

  // ---- Link tokens --------------------------------------------------------------------------------------

  linkTokenCreate(body: Body, client: EmulatorClient = this.ctx.clients.owner): Body {
    const now = this.now();
    const products = (body.products as string[] | undefined) ?? [];
    const asked = [...products, ...((body.optional_products as string[] | undefined) ?? [])];
    if (asked.includes('assets') && !client.entitlements.assets) throw PlaidErrors.invalidProduct(['assets']);
    const accessToken = str(body.access_token);
    const user = obj(body.user);
    if (!body.user && !body.user_id) throw PlaidErrors.missingFields(['user']);
    if (LOOKS_LIKE_EMAIL.test(str(user.client_user_id) ?? '')) {
      throw PlaidErrors.invalidField(
        'user.client_user_id must not contain personally identifiable information such as an email address',
      );
    }
    const unknown = products.filter((p) => !KNOWN_PRODUCTS.has(p));
    if (unknown.length > 0) throw PlaidErrors.invalidProduct(unknown);
    let item: ItemRecord | null = null;
    if (accessToken !== undefined) {
      item = this.requireItem(accessToken);
    } else if (products.length === 0) {
      throw PlaidErrors.invalidField(
        'products must contain at least one product unless access_token is provided (update mode)',
      );
    }
    const redirectUri = str(body.redirect_uri);
    if (redirectUri !== undefined && redirectUri !== '') {
      const url = URL.canParse(redirectUri) ? new URL(redirectUri) : null;
      const valid =
        url !== null &&
        !url.search &&
        !url.hash &&
        (url.protocol === 'https:' || (url.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(url.hostname)));
      if (!valid)
        throw PlaidErrors.invalidField(
          'redirect_uri must be an https URL (or http://localhost in Sandbox) without query string or fragment',
        );
    }
    const hosted = body.hosted_link !== undefined && body.hosted_link !== null ? obj(body.hosted_link) : null;
    const lifetimeSeconds =
      hosted && typeof hosted.url_lifetime_seconds === 'number' ? hosted.url_lifetime_seconds : null;
    const ttl =
      lifetimeSeconds !== null
        ? lifetimeSeconds * 1000
        : item
          ? UPDATE_LINK_TOKEN_TTL_MS
          : hosted
            ? 30 * 60_000
            : LINK_TOKEN_TTL_MS;
    const record: LinkTokenRecord = {
      link_token: newLinkToken(),
      created_at: isoSeconds(now),
      expiration: isoSeconds(new Date(now.getTime() + ttl)),
      request: withoutCredentials(body),
      item_id: item?.item_id ?? null,
      hosted_link_id: hosted ? newOpaqueId() : null,
    };
    this.ctx.store.insertLinkToken(record);
    const response: Body = { link_token: record.link_token, expiration: record.expiration };
    if (record.hosted_link_id) response.hosted_link_url = `${this.ctx.baseUrl()}/hosted-link/${record.hosted_link_id}`;
    return response;
  }

  linkTokenGet(body: Body): Body {
    const record = this.ctx.store.linkToken(String(body.link_token));
    if (!record) throw PlaidErrors.invalidLinkToken();
    const request = record.request;
    return {
      link_token: record.link_token,
      created_at: record.created_at,
      expiration: record.expiration,
      metadata: {
        initial_products: (request.products as string[] | undefined) ?? [],
        webhook: str(request.webhook) ?? null,
        country_codes: (request.country_codes as string[] | undefined) ?? [],
        language: str(request.language) ?? null,
        ...(request.institution_data ? { institution_data: request.institution_data } : {}),
        ...(request.account_filters ? { account_filters: request.account_filters } : {}),
        redirect_uri: str(request.redirect_uri) ?? null,
        client_name: str(request.client_name) ?? null,
      },
      link_sessions: this.ctx.store.linkSessionsOf(record.link_token).map((s) => ({
        link_session_id: s.link_session_id,
        started_at: s.started_at,
        finished_at: s.finished_at,
        events: s.events,
        exit: s.exit,
        results: s.results,
        on_success: s.on_success,
      })),
    };
  }

  /** A usable Link token (not expired), or INVALID_LINK_TOKEN. */
  requireLinkToken(linkToken: string): LinkTokenRecord {
    const record = this.ctx.store.linkToken(linkToken);
    if (!record) throw PlaidErrors.invalidLinkToken();
    if (new Date(record.expiration).getTime() <= this.now().getTime())
      throw PlaidErrors.invalidLinkToken('link token has expired');
    return record;
  }

  // ---- Items --------------------------------------------------------------------------------------------

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
    const now = this.now();
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
      new Date(this.now().getTime() + PUBLIC_TOKEN_TTL_MS).toISOString(),
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
    if (!consumed || new Date(consumed.expires_at).getTime() <= this.now().getTime())
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
    if (item.error || item.removed || this.now().getTime() - loginAt < ITEM_LOGIN_EXPIRY_MS) return item;
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
    const last_webhook = { sent_at: isoSeconds(this.now()), code_sent: String(payload.webhook_code) };
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
    const accounts = generateItemAccounts({ itemId: item.item_id, persona, reportDate: this.now(), daysRequested: 0 })
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
    this.ctx.store.updateItem(item.item_id, { error: null, login_at: isoSeconds(this.now()) });
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
      webhook.build({ item_id: item.item_id, account_ids: accounts.map((a) => a.id) }, this.now()),
    );
    return { webhook_fired: true };
  }

  // ---- Institutions -------------------------------------------------------------------------------------

  institutionsGetById(body: Body): Body {
    const institution = findInstitution(String(body.institution_id));
    const countries = body.country_codes as string[];
    if (!institution || !institution.country_codes.some((c) => countries.includes(c)))
      throw PlaidErrors.invalidInstitution();
    return { institution: institutionJson(institution, obj(body.options), this.now()) };
  }

  institutionsSearch(body: Body): Body {
    const products = (body.products as string[] | null | undefined) ?? [];
    const found = searchInstitutions(String(body.query), body.country_codes as string[]).filter((i) =>
      products.every((p) => institutionProducts(i).includes(p)),
    );
    return { institutions: found.map((i) => institutionJson(i, obj(body.options), this.now())) };
  }

  // ---- Asset Reports ------------------------------------------------------------------------------------

  assetReportCreate(body: Body, client: EmulatorClient = this.ctx.clients.owner): Body {
    if (!client.entitlements.assets) throw PlaidErrors.invalidProduct(['assets']);
    const tokens = body.access_tokens as string[] | undefined;
    if (!tokens) throw PlaidErrors.missingFields(['access_tokens']);
    const items = tokens.map((t) => this.requireItem(t));
    const notEnabled = tokens.filter((_t, i) => !items[i]?.products.includes('assets'));
    if (notEnabled.length > 0) throw PlaidErrors.productNotEnabled(notEnabled);
    // An Item already unhealthy when the report is asked for fails the call itself, whatever require_all_items says.
    const broken = items.find((i) => i.error);
    if (broken?.error) throw PlaidApiError.fromStored(broken.error);
    const options = obj(body.options);
    if (wantsFast(options) && !client.entitlements.fast_assets) throw PlaidErrors.invalidProduct(['fast_assets']);
    const record = this.generation.create({
      itemIds: [...new Set(items.map((i) => i.item_id))],
      daysRequested: Number(body.days_requested),
      options,
      exclude: [],
      parent: null,
      dateGenerated: null,
      insightsEnabled: client.entitlements.insights,
    });
    for (const item of items) if (!item.billed) this.ctx.store.updateItem(item.item_id, { billed: true });
    return { asset_report_token: record.asset_report_token, asset_report_id: record.asset_report_id };
  }

  requireReport(token: string): ReportRecord {
    const record = token.startsWith('assets-') ? this.ctx.store.reportByToken(token) : null;
    if (!record || record.removed) throw PlaidErrors.invalidAssetReportToken();
    return record;
  }

  /**
   * The report a new one is made from (refresh, filter, audit copy): a token that never named a report is
   * INVALID_ASSET_REPORT_TOKEN, a report that was removed is INVALID_PARENT.
   */
  private requireParent(token: string): ReportRecord {
    const record = token.startsWith('assets-') ? this.ctx.store.reportByToken(token) : null;
    if (!record) throw PlaidErrors.invalidAssetReportToken();
    if (record.removed) throw PlaidErrors.invalidParent();
    return record;
  }

  /** The report if it can be read now: PRODUCT_NOT_READY before its time, its failure if generation failed. */
  readyReport(record: ReportRecord, fast = false): ReportRecord {
    return this.generation.ready(record, fast);
  }

  reportView(record: ReportRecord, body: Body, client: EmulatorClient = this.ctx.clients.owner): ReportView {
    const fastRequested = body.fast_report === true;
    const fastAvailable = wantsFast(record.options);
    if (body.include_insights === true && !client.entitlements.insights) throw PlaidErrors.insightsNotEnabled();
    if (body.include_insights === true && record.insights_enabled === false)
      throw PlaidErrors.insightsPreviouslyNotEnabled();
    if (fastRequested && !fastAvailable)
      throw PlaidErrors.invalidField(
        'fast_report can only be requested for reports created with the fast_assets add-on',
      );
    const daysToInclude = obj(body.options).days_to_include;
    return {
      includeInsights: body.include_insights === true,
      daysToInclude: typeof daysToInclude === 'number' ? daysToInclude : null,
      fast: fastRequested,
    };
  }

  /** /asset_report/get body as byte parts (the report may be tens of MB: encoded once, sent as is). */
  assetReportGetBody(body: Body, requestId: string, client: EmulatorClient = this.ctx.clients.owner): Buffer[] {
    const found = this.requireReport(String(body.asset_report_token));
    const view = this.reportView(found, body, client);
    const record = this.readyReport(found, view.fast);
    return reportEnvelope(this.reports.reportJsonBytes(record, view), record.warnings ?? [], requestId);
  }

  assetReportRefresh(body: Body): Body {
    const original = this.requireParent(String(body.asset_report_token));
    const items = original.item_ids.map((id) => {
      const item = this.ctx.store.itemById(id);
      if (!item || item.removed) throw itemNotFound();
      return item;
    });
    const broken = items.find((i) => i.error);
    if (broken?.error) throw PlaidApiError.fromStored(broken.error);
    const options = refreshOptions(original.options, body.options);
    const days = typeof body.days_requested === 'number' ? body.days_requested : original.days_requested;
    const record = this.generation.create({
      itemIds: original.item_ids,
      daysRequested: days,
      options,
      exclude: original.account_ids_to_exclude,
      parent: original.asset_report_id,
      dateGenerated: null,
      insightsEnabled: this.ctx.clients.owner.entitlements.insights,
    });
    return { asset_report_id: record.asset_report_id, asset_report_token: record.asset_report_token };
  }

  /** A parent that finished generating and still exists, for filter and audit copies. */
  private completedParent(token: string): ReportRecord {
    const parent = this.requireParent(token);
    if (
      new Date(parent.ready_at).getTime() > this.now().getTime() ||
      this.generation.failureOf(this.generation.generate(parent))
    )
      throw PlaidErrors.invalidParent();
    return parent;
  }

  assetReportFilter(body: Body): Body {
    const parent = this.completedParent(String(body.asset_report_token));
    const exclude = body.account_ids_to_exclude as string[];
    const present = new Set<string>();
    for (const accounts of this.reports.accountsOf(parent).values())
      for (const a of accounts) if (!parent.account_ids_to_exclude.includes(a.account_id)) present.add(a.account_id);
    const missing = exclude.filter((id) => !present.has(id));
    if (missing.length > 0) throw PlaidErrors.invalidAccountId(missing);
    const record = this.generation.create({
      itemIds: parent.item_ids,
      daysRequested: parent.days_requested,
      options: parent.options,
      exclude: [...new Set([...parent.account_ids_to_exclude, ...exclude])],
      parent: parent.asset_report_id,
      dateGenerated: parent.date_generated,
      insightsEnabled: parent.insights_enabled ?? true,
    });
    return { asset_report_token: record.asset_report_token, asset_report_id: record.asset_report_id };
  }

  assetReportRemove(body: Body): Body {
    const record = this.requireReport(String(body.asset_report_token));
    record.removed = true;
    this.ctx.store.saveReport(record);
    this.ctx.store.removeAuditCopiesOf(record.asset_report_id);
    return { removed: true };
  }

  auditCopyCreate(body: Body): Body {
    const parent = this.completedParent(String(body.asset_report_token));
    const owner = this.ctx.clients.owner.clientId;
    const auditor = str(body.auditor_id) ?? owner;
    if (!KNOWN_AUDITOR_IDS.has(auditor) && auditor !== owner) {
      throw PlaidErrors.invalidField(
        `auditor_id ${JSON.stringify(auditor)} is not a recognized auditor; use e.g. "fannie_mae", "freddie_mac" or your own client_id`,
      );
    }
    const token = newAuditCopyToken();
    this.ctx.store.insertAuditCopy({
      audit_copy_token: token,
      asset_report_id: parent.asset_report_id,
      auditor_id: auditor,
      created_at: this.now().toISOString(),
    });
    return { audit_copy_token: token };
  }

  /** The copy and its report; with `reader`, only if that client is the auditor it was made for. */
  requireAuditCopy(token: string, reader?: EmulatorClient): { report: ReportRecord; auditorId: string } {
    const copy = this.ctx.store.auditCopy(token);
    if (!copy || copy.removed) throw PlaidErrors.invalidAuditCopyToken();
    if (reader && !this.ctx.clients.canReadAuditCopy(reader, copy.auditor_id)) throw PlaidErrors.auditCopyNotYours();
    const report = this.ctx.store.reportById(copy.asset_report_id);
    if (!report || report.removed) throw PlaidErrors.invalidAuditCopyToken();
    return { report, auditorId: copy.auditor_id };
  }

  auditCopyGetBody(body: Body, requestId: string, reader: EmulatorClient): Buffer[] {
    const { report } = this.requireAuditCopy(String(body.audit_copy_token), reader);
    const view: ReportView = { includeInsights: false, daysToInclude: null, fast: false };
    const record = this.readyReport(report);
    return reportEnvelope(this.reports.reportJsonBytes(record, view), record.warnings ?? [], requestId);
  }

  auditCopyRemove(body: Body): Body {
    const token = String(body.audit_copy_token);
    this.requireAuditCopy(token);
    this.ctx.store.removeAuditCopy(token);
    return { removed: true };
  }

  /**
   * The report object the PDF renderer draws: what /asset_report/get returns, with insights, built
   * directly rather than re-parsed from its JSON (the renderer only reads it).
   */
  pdfInput(record: ReportRecord, daysToInclude: number | null): Record<string, unknown> {
    return this.reports.build(record, { includeInsights: true, daysToInclude, fast: false });
  }

  private readonly pdfs = new Map<string, Promise<Buffer>>();

  /**
   * A ready report never changes, so its PDF is drawn once and served again, as Plaid serves a stored
   * file; the last few are kept. A failed drawing is forgotten so that the next request tries again.
   */
  cachedPdf(key: string, render: () => Promise<Buffer>): Promise<Buffer> {
    const kept = this.pdfs.get(key);
    if (kept) {
      this.pdfs.delete(key);
      this.pdfs.set(key, kept);
      return kept;
    }
    const pdf = render();
    pdf.catch(() => {
      if (this.pdfs.get(key) === pdf) this.pdfs.delete(key);
    });
    this.pdfs.set(key, pdf);
    while (this.pdfs.size > 3) this.pdfs.delete(this.pdfs.keys().next().value as string);
    return pdf;
  }

  webhookVerificationKeyGet(body: Body): Body {
    if (body.key_id !== this.ctx.webhookKey.kid) throw PlaidErrors.invalidWebhookKeyId();
    return { key: publishedKey(this.ctx.webhookKey) };
  }

  /** Reports created before a restart still owe their webhook. */
  resumePending(): void {
    this.generation.resumePending();
  }

  /** A pending report's readiness, counted from now (per-report delays for tests). */
  setReportReadyAfter(reportId: string, ms: number): void {
    this.generation.setReportReadyAfter(reportId, ms);
  }

  /** After the clock moves, every pending report is looked at again. */
  rescheduleAll(): void {
    this.generation.rescheduleAll();
  }

  close(): void {
    this.generation.close();
  }
}

function withoutCredentials(body: Body): Body {
  const { client_id: _c, secret: _s, ...rest } = body;
  return rest;
}

/** `{"report":…,"warnings":[],"request_id":…}` around already-encoded report bytes, without copying them. */
function reportEnvelope(report: Buffer, warnings: unknown[], requestId: string): Buffer[] {
  return [
    Buffer.from('{"report":', 'utf8'),
    report,
    Buffer.from(`,"warnings":${JSON.stringify(warnings)},"request_id":${JSON.stringify(requestId)}}`, 'utf8'),
  ];
}
