import type { Logger } from '../log/logger';
import { credentialError, PlaidApiError, PlaidErrors } from './errors';
import type { FaultState } from './faults';
import { personaOfItem } from './data/item-persona';
import { investmentsUnavailable, wantsInvestments } from './investments-add-on';
import { ENVIRONMENT, newAssetReportToken, newUuid } from './ids';
import type { ReportBuilder } from './report';
import { isoSeconds } from './report';
import type { EmulatorStore, ReportRecord } from './store';
import type { WebhookSender } from './webhooks';

/**
 * An Asset Report from creation to readiness: when it (and its FAST version) is ready, what generation pulls
 * from each Item (failures with causes, dropped Items with warnings), and the PRODUCT_READY / ERROR webhooks.
 */
type Body = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export interface GenerationDeps {
  store: EmulatorStore;
  faults: FaultState;
  webhooks: WebhookSender;
  clock: () => Date;
  logger: Logger;
  reports: ReportBuilder;
}

export class ReportGeneration {
  private readonly readyTimers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly deps: GenerationDeps) {}

  private now(): Date {
    return this.deps.clock();
  }

  create(input: {
    itemIds: string[];
    daysRequested: number;
    options: Body;
    exclude: string[];
    parent: string | null;
    dateGenerated: string | null;
    insightsEnabled: boolean;
  }): ReportRecord {
    const now = this.now();
    const fast = wantsFast(input.options);
    // With Fast Assets the FAST report comes first and the FULL one follows after the configured gap.
    const fastReadyAt = new Date(now.getTime() + this.deps.faults.readyAfterMs);
    const readyAt = new Date(fastReadyAt.getTime() + (fast ? this.deps.faults.fastReportGapMs : 0));
    const record: ReportRecord = {
      asset_report_id: newUuid(),
      asset_report_token: newAssetReportToken(),
      item_ids: input.itemIds,
      days_requested: input.daysRequested,
      options: input.options,
      account_ids_to_exclude: input.exclude,
      created_at: now.toISOString(),
      ready_at: readyAt.toISOString(),
      fast_ready_at: fast ? fastReadyAt.toISOString() : null,
      date_generated: input.dateGenerated ?? isoSeconds(readyAt),
      failure: this.deps.faults.takeReportFailure() ? PlaidErrors.generationFailed().toStored() : null,
      removed: false,
      parent_report_id: input.parent,
      webhook_sent: false,
      fast_webhook_sent: false,
      insights_enabled: input.insightsEnabled,
    };
    this.deps.store.saveReport(record);
    this.scheduleReady(record);
    return record;
  }

  /** A pending report's readiness, counted from now (per-report delays for tests). */
  setReportReadyAfter(reportId: string, ms: number): void {
    const record = this.deps.store.reportById(reportId);
    if (!record || record.removed || record.webhook_sent)
      throw PlaidErrors.invalidField('no pending report with that id');
    const fastAt = new Date(this.now().getTime() + ms);
    const fast = record.fast_ready_at !== null && record.fast_ready_at !== undefined;
    record.ready_at = new Date(fastAt.getTime() + (fast ? this.deps.faults.fastReportGapMs : 0)).toISOString();
    if (fast) record.fast_ready_at = fastAt.toISOString();
    this.deps.store.saveReport(record);
    this.scheduleReady(record);
  }

  /** At ready time: generate the report (so the first /get is fast) and send PRODUCT_READY or ERROR. */
  scheduleReady(record: ReportRecord): void {
    const at = (iso: string, run: () => void) => {
      const delay = Math.max(0, new Date(iso).getTime() - this.now().getTime());
      const timer = setTimeout(() => {
        this.readyTimers.delete(timer);
        if (!this.closed) run();
      }, delay);
      this.readyTimers.add(timer);
    };
    if (record.fast_ready_at && !record.fast_webhook_sent)
      at(record.fast_ready_at, () => this.finishFast(record.asset_report_id));
    at(record.ready_at, () => this.finishReport(record.asset_report_id));
  }

  /** Timers were set for the old time: after the clock moves, every pending report is looked at again. */
  rescheduleAll(): void {
    for (const record of this.deps.store.reportsAwaitingWebhook()) this.scheduleReady(record);
  }

  /**
   * Pulls the Items' data once: Items that fail (persona, control API) make the report fail with DATA_UNAVAILABLE
   * and per-Item causes, or, with require_all_items false and one Item left, drop out with a warning.
   */
  generate(record: ReportRecord): ReportRecord {
    if (record.generated) return record;
    record.generated = true;
    const warnings: Body[] = [];
    const causes: Body[] = [];
    const investmentsWanted = wantsInvestments(record.options);
    for (const itemId of record.item_ids) {
      const item = this.deps.store.itemById(itemId);
      const persona = personaOfItem(item);
      const failure =
        this.deps.faults.failingItems.get(itemId) ??
        (persona.generation?.failsWith ? credentialError(persona.generation.failsWith) : null);
      if (failure) {
        causes.push({ ...failure.toStored(), item_id: itemId });
      } else {
        if (persona.generation?.ownersUnavailable)
          warnings.push(warning('OWNERS_UNAVAILABLE', ownersNotSupported(), itemId));
        const investments = investmentsWanted ? investmentsUnavailable(item, persona) : null;
        if (investments) warnings.push(warning('INVESTMENTS_UNAVAILABLE', investments, itemId));
      }
    }
    const requireAll = record.options.require_all_items !== false;
    if (record.failure === null && causes.length > 0) {
      if (requireAll || causes.length === record.item_ids.length) {
        record.failure = PlaidErrors.dataUnavailable(causes).toStored();
        record.failure.causes = causes;
      } else {
        record.dropped_item_ids = causes.map((c) => String(c.item_id));
        // A dropped Item's balances and transactions are missing: Plaid's closest documented warning.
        for (const cause of causes)
          warnings.push({ warning_type: 'ASSET_REPORT_WARNING', warning_code: 'TRANSACTIONS_UNAVAILABLE', cause });
      }
    }
    record.warnings = warnings;
    this.deps.store.saveReport(record);
    return record;
  }

  private finishFast(reportId: string): void {
    const stored = this.deps.store.reportById(reportId);
    if (!stored || stored.removed || stored.fast_webhook_sent) return;
    const record = this.generate(stored);
    record.fast_webhook_sent = true;
    const failed = this.failureOf(record) !== null;
    this.deps.store.saveReport(record);
    const webhook = str(record.options.webhook);
    // A failed report sends its one ERROR when the FULL report would have been ready.
    if (!webhook || failed) return;
    this.deps.webhooks.send(webhook, {
      webhook_type: 'ASSETS',
      webhook_code: 'PRODUCT_READY',
      asset_report_id: record.asset_report_id,
      report_type: 'FAST',
      environment: ENVIRONMENT,
    });
  }

  private finishReport(reportId: string): void {
    const stored = this.deps.store.reportById(reportId);
    if (!stored || stored.removed || stored.webhook_sent) return;
    // Not due yet (its readiness moved, or a timer fired a hair early): wait for the rest of the delay.
    if (new Date(stored.ready_at).getTime() > this.now().getTime()) {
      this.scheduleReady(stored);
      return;
    }
    const record = this.generate(stored);
    const failure = this.failureOf(record);
    if (!failure) {
      try {
        // Build both JSON views now, like Plaid finishing the report before PRODUCT_READY: the first /get is then cheap.
        this.deps.reports.reportJsonBytes(record, { includeInsights: false, daysToInclude: null, fast: false });
        this.deps.reports.reportJsonBytes(record, { includeInsights: true, daysToInclude: null, fast: false });
      } catch (error) {
        this.deps.logger.error('asset report generation failed', { error });
      }
    }
    record.webhook_sent = true;
    this.deps.store.saveReport(record);
    const webhook = str(record.options.webhook);
    if (!webhook) return;
    if (failure) {
      this.deps.webhooks.send(webhook, {
        webhook_type: 'ASSETS',
        webhook_code: 'ERROR',
        asset_report_id: record.asset_report_id,
        error: PlaidApiError.fromStored(failure).toBody(undefined, 'webhook'),
        environment: ENVIRONMENT,
      });
      return;
    }
    this.deps.webhooks.send(webhook, {
      webhook_type: 'ASSETS',
      webhook_code: 'PRODUCT_READY',
      asset_report_id: record.asset_report_id,
      report_type: 'FULL',
      environment: ENVIRONMENT,
    });
  }

  failureOf(record: ReportRecord): Body | null {
    if (record.failure) return record.failure;
    if (this.deps.faults.failingReportIds.has(record.asset_report_id)) {
      record.failure = PlaidErrors.generationFailed().toStored();
      this.deps.store.saveReport(record);
      return record.failure;
    }
    return null;
  }

  /** The report if it can be read now: PRODUCT_NOT_READY before its time, its failure if generation failed. */
  ready(record: ReportRecord, fast = false): ReportRecord {
    const readyAt = fast && record.fast_ready_at ? record.fast_ready_at : record.ready_at;
    if (new Date(readyAt).getTime() > this.now().getTime()) throw PlaidErrors.productNotReady();
    const generated = this.generate(record);
    const failure = this.failureOf(generated);
    if (failure) throw PlaidApiError.fromStored(failure);
    return generated;
  }

  /** Reports created before a restart still owe their webhook. */
  resumePending(): void {
    for (const record of this.deps.store.reportsAwaitingWebhook()) this.scheduleReady(record);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.readyTimers) clearTimeout(timer);
    this.readyTimers.clear();
  }
}

export const wantsFast = (options: Body): boolean =>
  ((options.add_ons as string[] | undefined) ?? []).includes('fast_assets') || options.include_fast_report === true;

const warning = (code: string, cause: PlaidApiError, itemId: string): Body => ({
  warning_type: 'ASSET_REPORT_WARNING',
  warning_code: code,
  cause: { ...cause.toStored(), item_id: itemId },
});

/** What Plaid's own example warning carries when a bank shares no owners. */
const ownersNotSupported = (): PlaidApiError =>
  new PlaidApiError(
    400,
    'ITEM_ERROR',
    'PRODUCTS_NOT_SUPPORTED',
    'the following products are not supported by this institution: identity',
  );
