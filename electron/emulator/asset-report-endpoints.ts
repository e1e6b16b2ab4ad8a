import { obj, str, type ApiContext, type Body } from './api-context';
import { KNOWN_AUDITOR_IDS, type EmulatorClient } from './clients';
import { itemNotFound, PlaidApiError, PlaidErrors } from './errors';
import { newAuditCopyToken } from './ids';
import type { ItemEndpoints } from './item-endpoints';
import { refreshOptions } from './refresh-options';
import { ReportBuilder, type ReportView } from './report';
import { ReportGeneration, wantsFast } from './report-generation';
import type { ReportRecord } from './store';

/** /asset_report/*: creating, reading, refreshing, filtering and removing reports, their audit copies and PDFs. */
export class AssetReportEndpoints {
  readonly reports: ReportBuilder;
  private readonly generation: ReportGeneration;

  constructor(
    private readonly ctx: ApiContext,
    private readonly items: ItemEndpoints,
  ) {
    this.reports = new ReportBuilder((id) => ctx.store.itemById(id));
    this.generation = new ReportGeneration({ ...ctx, reports: this.reports });
  }

  assetReportCreate(body: Body, client: EmulatorClient = this.ctx.clients.owner): Body {
    if (!client.entitlements.assets) throw PlaidErrors.invalidProduct(['assets']);
    const tokens = body.access_tokens as string[] | undefined;
    if (!tokens) throw PlaidErrors.missingFields(['access_tokens']);
    const items = tokens.map((t) => this.items.requireItem(t));
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
      new Date(parent.ready_at).getTime() > this.ctx.clock().getTime() ||
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
      created_at: this.ctx.clock().toISOString(),
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

/** `{"report":…,"warnings":[],"request_id":…}` around already-encoded report bytes, without copying them. */
function reportEnvelope(report: Buffer, warnings: unknown[], requestId: string): Buffer[] {
  return [
    Buffer.from('{"report":', 'utf8'),
    report,
    Buffer.from(`,"warnings":${JSON.stringify(warnings)},"request_id":${JSON.stringify(requestId)}}`, 'utf8'),
  ];
}
