import type { Logger } from '../log/logger';
import { checkLogin } from './data/credentials';
import { findInstitution, institutionJson, institutionProducts, searchInstitutions } from './data/institutions';
import { itemNotFound, PlaidApiError, PlaidErrors } from './errors';
import type { FaultState } from './faults';
import {
  ENVIRONMENT,
  looksLikeAccessToken,
  looksLikePublicToken,
  newAccessToken,
  newAssetReportToken,
  newAuditCopyToken,
  newItemId,
  newLinkToken,
  newOpaqueId,
  newPublicToken,
  newUuid,
} from './ids';
import { isoSeconds, ReportBuilder, type ReportView } from './report';
import type { EmulatorStore, ItemRecord, LinkTokenRecord, ReportRecord } from './store';
import { publishedKey, type WebhookKey, type WebhookSender } from './webhooks';

/**
 * The Plaid endpoints' behaviour (ASSETS-API.md §4), independent of HTTP: each method takes the validated request
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
  clientId: string;
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
const AUDITORS = new Set(['fannie_mae', 'freddie_mac', 'ocrolus', 'fannie_mae_day1', 'loanbeam', 'certainly', 'blend']);
const PUBLIC_TOKEN_TTL_MS = 30 * 60_000;
const LINK_TOKEN_TTL_MS = 4 * 3600_000;
const UPDATE_LINK_TOKEN_TTL_MS = 30 * 60_000;
const PII = /@|^\+?[\d\s().-]{7,}$/;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const obj = (v: unknown): Body => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : {});

export class SandboxApi {
  readonly reports: ReportBuilder;
  private readonly readyTimers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly ctx: ApiContext) {
    this.reports = new ReportBuilder((id) => ctx.store.itemById(id));
  }

  private now(): Date {
    return this.ctx.clock();
  }

  // ---- Link tokens --------------------------------------------------------------------------------------

  linkTokenCreate(body: Body): Body {
    const now = this.now();
    const products = (body.products as string[] | undefined) ?? [];
    const accessToken = str(body.access_token);
    const user = obj(body.user);
    if (!body.user && !body.user_id) throw PlaidErrors.missingFields(['user']);
    if (str(user.client_user_id) !== undefined && PII.test(str(user.client_user_id) ?? '')) {
      throw PlaidErrors.invalidField(
        'user.client_user_id must not contain personally identifiable information such as an email address or phone number',
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
    };
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
    if (!item || item.removed) throw PlaidErrors.invalidPublicToken();
    return { access_token: item.access_token, item_id: item.item_id };
  }

  requireItem(accessToken: string): ItemRecord {
    if (!looksLikeAccessToken(accessToken)) throw PlaidErrors.invalidAccessToken(true);
    const item = this.ctx.store.itemByAccessToken(accessToken);
    if (!item) throw PlaidErrors.invalidAccessToken();
    return item;
  }

  itemGet(body: Body): Body {
    const item = this.requireItem(String(body.access_token));
    const institution = findInstitution(item.institution_id);
    const supported = institution ? institutionProducts(institution) : [];
    return {
      item: {
        item_id: item.item_id,
        institution_id: item.institution_id,
        institution_name: institution?.name ?? null,
        webhook: item.webhook,
        auth_method: null,
        error: item.error,
        available_products: supported.filter((p) => !item.products.includes(p)),
        billed_products: item.products,
        products: item.products,
        consented_products: item.products,
        consent_expiration_time: null,
        update_type: 'background',
        created_at: item.created_at,
      },
      status: { investments: null, transactions: null, last_webhook: null },
    };
  }

  itemRemove(body: Body): Body {
    const item = this.requireItem(String(body.access_token));
    this.ctx.store.removeItem(item.item_id);
    return {};
  }

  sandboxItemResetLogin(body: Body): Body {
    const item = this.requireItem(String(body.access_token));
    const error = PlaidErrors.itemLoginRequired().toBody();
    delete error.request_id;
    this.ctx.store.setItemError(item.item_id, error as unknown as Body);
    if (item.webhook) {
      this.ctx.webhooks.send(item.webhook, {
        webhook_type: 'ITEM',
        webhook_code: 'ERROR',
        item_id: item.item_id,
        error: { ...error, status: 400 },
        environment: ENVIRONMENT,
      });
    }
    return { reset_login: true };
  }

  /** Update mode success: the Item is healthy again (ITEM LOGIN_REPAIRED webhook if it has one). */
  repairItem(item: ItemRecord): void {
    this.ctx.store.setItemError(item.item_id, null);
    if (item.error && item.webhook) {
      this.ctx.webhooks.send(item.webhook, {
        webhook_type: 'ITEM',
        webhook_code: 'LOGIN_REPAIRED',
        item_id: item.item_id,
        environment: ENVIRONMENT,
      });
    }
  }

  sandboxItemFireWebhook(body: Body): Body {
    const item = this.requireItem(String(body.access_token));
    const code = String(body.webhook_code);
    const type = str(body.webhook_type) ?? (code === 'PRODUCT_READY' ? 'ASSETS' : 'TRANSACTIONS');
    const productFor: Record<string, string> = {
      ASSETS: 'assets',
      TRANSACTIONS: 'transactions',
      AUTH: 'auth',
      HOLDINGS: 'investments',
      INVESTMENTS_TRANSACTIONS: 'investments',
      LIABILITIES: 'liabilities',
    };
    const product = productFor[type];
    if (product && !item.products.includes(product)) throw PlaidErrors.sandboxProductNotEnabled(product);
    if (!item.webhook) throw PlaidErrors.sandboxWebhookInvalid();
    const payload: Body = { webhook_type: type, webhook_code: code };
    if (type === 'ASSETS') {
      payload.asset_report_id = newUuid();
      if (code === 'ERROR') payload.error = { ...PlaidErrors.generationFailed().toBody(), status: 400 };
      else payload.report_type = 'FULL';
    } else {
      payload.item_id = item.item_id;
      if (type === 'ITEM' && code === 'ERROR') payload.error = item.error ?? PlaidErrors.itemLoginRequired().toBody();
      if (type === 'TRANSACTIONS' && code === 'DEFAULT_UPDATE') payload.new_transactions = 0;
      if (type === 'TRANSACTIONS' && code === 'SYNC_UPDATES_AVAILABLE')
        Object.assign(payload, { initial_update_complete: true, historical_update_complete: true });
    }
    payload.environment = ENVIRONMENT;
    this.ctx.webhooks.send(item.webhook, payload);
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

  assetReportCreate(body: Body): Body {
    const tokens = body.access_tokens as string[] | undefined;
    if (!tokens) throw PlaidErrors.missingFields(['access_tokens']);
    const items = tokens.map((t) => this.requireItem(t));
    const notEnabled = items.filter((i) => !i.products.includes('assets')).map((i) => i.access_token);
    if (notEnabled.length > 0) throw PlaidErrors.productNotEnabled(notEnabled);
    if (items.some((i) => i.error)) throw PlaidErrors.itemLoginRequired();
    const options = obj(body.options);
    const record = this.newReport({
      itemIds: [...new Set(items.map((i) => i.item_id))],
      daysRequested: Number(body.days_requested),
      options,
      exclude: [],
      parent: null,
      dateGenerated: null,
    });
    return { asset_report_token: record.asset_report_token, asset_report_id: record.asset_report_id };
  }

  private newReport(input: {
    itemIds: string[];
    daysRequested: number;
    options: Body;
    exclude: string[];
    parent: string | null;
    dateGenerated: string | null;
  }): ReportRecord {
    const now = this.now();
    const readyAt = new Date(now.getTime() + this.ctx.faults.readyAfterMs);
    const record: ReportRecord = {
      asset_report_id: newUuid(),
      asset_report_token: newAssetReportToken(),
      item_ids: input.itemIds,
      days_requested: input.daysRequested,
      options: input.options,
      account_ids_to_exclude: input.exclude,
      created_at: now.toISOString(),
      ready_at: readyAt.toISOString(),
      date_generated: input.dateGenerated ?? isoSeconds(readyAt),
      failure: this.ctx.faults.takeReportFailure()
        ? (PlaidErrors.generationFailed().toBody() as unknown as Body)
        : null,
      removed: false,
      parent_report_id: input.parent,
      webhook_sent: false,
    };
    this.ctx.store.saveReport(record);
    this.scheduleReady(record);
    return record;
  }

  /** At ready time: generate the report (so the first /get is fast) and send PRODUCT_READY or ERROR. */
  scheduleReady(record: ReportRecord): void {
    const delay = Math.max(0, new Date(record.ready_at).getTime() - this.now().getTime());
    const timer = setTimeout(() => {
      this.readyTimers.delete(timer);
      if (this.closed) return;
      this.finishReport(record.asset_report_id);
    }, delay);
    this.readyTimers.add(timer);
  }

  private finishReport(reportId: string): void {
    const record = this.ctx.store.reportById(reportId);
    if (!record || record.removed || record.webhook_sent) return;
    const failure = this.failureOf(record);
    if (!failure) {
      try {
        // Build both JSON views now, like Plaid finishing the report before PRODUCT_READY: the first /get is then cheap.
        this.reports.reportJsonBytes(record, { includeInsights: false, daysToInclude: null, fast: false });
        this.reports.reportJsonBytes(record, { includeInsights: true, daysToInclude: null, fast: false });
      } catch (error) {
        this.ctx.logger.error('asset report generation failed', { error });
      }
    }
    record.webhook_sent = true;
    this.ctx.store.saveReport(record);
    const webhook = str(record.options.webhook);
    if (!webhook) return;
    if (failure) {
      this.ctx.webhooks.send(webhook, {
        webhook_type: 'ASSETS',
        webhook_code: 'ERROR',
        asset_report_id: record.asset_report_id,
        error: { ...failure, status: 400 },
        environment: ENVIRONMENT,
      });
      return;
    }
    const fast =
      ((record.options.add_ons as string[] | undefined) ?? []).includes('fast_assets') ||
      record.options.include_fast_report === true;
    if (fast)
      this.ctx.webhooks.send(webhook, {
        webhook_type: 'ASSETS',
        webhook_code: 'PRODUCT_READY',
        asset_report_id: record.asset_report_id,
        report_type: 'FAST',
        environment: ENVIRONMENT,
      });
    this.ctx.webhooks.send(webhook, {
      webhook_type: 'ASSETS',
      webhook_code: 'PRODUCT_READY',
      asset_report_id: record.asset_report_id,
      report_type: 'FULL',
      environment: ENVIRONMENT,
    });
  }

  private failureOf(record: ReportRecord): Body | null {
    if (record.failure) return record.failure;
    if (this.ctx.faults.failingReportIds.has(record.asset_report_id)) {
      record.failure = PlaidErrors.generationFailed().toBody() as unknown as Body;
      this.ctx.store.saveReport(record);
      return record.failure;
    }
    return null;
  }

  requireReport(token: string): ReportRecord {
    const record = token.startsWith('assets-') ? this.ctx.store.reportByToken(token) : null;
    if (!record || record.removed) throw PlaidErrors.invalidAssetReportToken();
    return record;
  }

  /** The report if it can be read now: PRODUCT_NOT_READY before its time, its failure if generation failed. */
  readyReport(record: ReportRecord): ReportRecord {
    if (new Date(record.ready_at).getTime() > this.now().getTime()) throw PlaidErrors.productNotReady();
    const failure = this.failureOf(record);
    if (failure) {
      throw new PlaidApiError(
        400,
        String(failure.error_type),
        String(failure.error_code),
        String(failure.error_message),
        (failure.display_message as string | null) ?? null,
      );
    }
    return record;
  }

  reportView(record: ReportRecord, body: Body): ReportView {
    const fastRequested = body.fast_report === true;
    const fastAvailable =
      ((record.options.add_ons as string[] | undefined) ?? []).includes('fast_assets') ||
      record.options.include_fast_report === true;
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
  assetReportGetBody(body: Body, requestId: string): Buffer[] {
    const record = this.readyReport(this.requireReport(String(body.asset_report_token)));
    return reportEnvelope(this.reports.reportJsonBytes(record, this.reportView(record, body)), requestId);
  }

  assetReportRefresh(body: Body): Body {
    const original = this.requireReport(String(body.asset_report_token));
    const items = original.item_ids.map((id) => {
      const item = this.ctx.store.itemById(id);
      if (!item || item.removed) throw itemNotFound();
      return item;
    });
    if (items.some((i) => i.error)) throw PlaidErrors.itemLoginRequired();
    const options: Body = { ...original.options };
    if (body.options !== undefined) {
      for (const [key, value] of Object.entries(obj(body.options))) options[key] = value === '' ? null : value;
    }
    const days = typeof body.days_requested === 'number' ? body.days_requested : original.days_requested;
    const record = this.newReport({
      itemIds: original.item_ids,
      daysRequested: days,
      options,
      exclude: original.account_ids_to_exclude,
      parent: original.asset_report_id,
      dateGenerated: null,
    });
    return { asset_report_id: record.asset_report_id, asset_report_token: record.asset_report_token };
  }

  /** A parent that finished generating and still exists, for filter and audit copies. */
  private completedParent(token: string): ReportRecord {
    const parent = this.requireReport(token);
    if (new Date(parent.ready_at).getTime() > this.now().getTime() || this.failureOf(parent))
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
    const record = this.newReport({
      itemIds: parent.item_ids,
      daysRequested: parent.days_requested,
      options: parent.options,
      exclude: [...new Set([...parent.account_ids_to_exclude, ...exclude])],
      parent: parent.asset_report_id,
      dateGenerated: parent.date_generated,
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
    const auditor = str(body.auditor_id) ?? this.ctx.clientId;
    if (!AUDITORS.has(auditor) && auditor !== this.ctx.clientId) {
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

  requireAuditCopy(token: string): { report: ReportRecord; auditorId: string } {
    const copy = this.ctx.store.auditCopy(token);
    if (!copy || copy.removed) throw PlaidErrors.invalidAuditCopyToken();
    const report = this.ctx.store.reportById(copy.asset_report_id);
    if (!report || report.removed) throw PlaidErrors.invalidAuditCopyToken();
    return { report, auditorId: copy.auditor_id };
  }

  auditCopyGetBody(body: Body, requestId: string): Buffer[] {
    const { report } = this.requireAuditCopy(String(body.audit_copy_token));
    const view: ReportView = { includeInsights: false, daysToInclude: null, fast: false };
    return reportEnvelope(this.reports.reportJsonBytes(report, view), requestId);
  }

  auditCopyRemove(body: Body): Body {
    const token = String(body.audit_copy_token);
    this.requireAuditCopy(token);
    this.ctx.store.removeAuditCopy(token);
    return { removed: true };
  }

  /** The report object the PDF renderer draws: the JSON /asset_report/get returns, with insights. */
  pdfInput(record: ReportRecord, daysToInclude: number | null): Record<string, unknown> {
    return this.reports.reportObject(record, { includeInsights: true, daysToInclude, fast: false });
  }

  webhookVerificationKeyGet(body: Body): Body {
    if (body.key_id !== this.ctx.webhookKey.kid) throw PlaidErrors.invalidWebhookKeyId();
    return { key: publishedKey(this.ctx.webhookKey) };
  }

  /** Reports created before a restart still owe their webhook. */
  resumePending(): void {
    for (const record of this.ctx.store.reportsAwaitingWebhook()) this.scheduleReady(record);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.readyTimers) clearTimeout(timer);
    this.readyTimers.clear();
  }
}

function withoutCredentials(body: Body): Body {
  const { client_id: _c, secret: _s, ...rest } = body;
  return rest;
}

/** `{"report":…,"warnings":[],"request_id":…}` around already-encoded report bytes, without copying them. */
function reportEnvelope(report: Buffer, requestId: string): Buffer[] {
  return [
    Buffer.from('{"report":', 'utf8'),
    report,
    Buffer.from(`,"warnings":[],"request_id":${JSON.stringify(requestId)}}`, 'utf8'),
  ];
}
