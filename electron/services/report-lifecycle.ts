import type { AssetReportCreateRequest, AssetReportGetResponse } from 'plaid';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { AssetReportGetResult } from '../../shared/asset-report';
import type { AuditCopy, PlaidEnvironment, ReportKind, ReportStatus, ReportSummary } from '../../shared/domain';
import type { EventSink } from '../../shared/ipc/contract';
import {
  analyzeReport,
  loanInputsFromApplicant,
  summarizeReport,
  underwritingSettings,
  type UnderwritingSettings,
} from '../../shared/underwriting';
import type { AssetDeskStore, ReportRecord } from '../db';
import type { DesktopAdapters } from './desktop';
import type { ItemService } from './items';
import type { Logger } from '../log/logger';
import type { PlaidErrorBody, PlaidGateway } from './plaid-gateway';
import type { PlaidWebhook } from './webhook-receiver';

/**
 * The life of an Asset Report: create → pending → ready | failed → removed, crash-safe.
 *
 * The local "pending" row is written BEFORE Plaid is called and completed with Plaid's ids after,
 * so a crash can neither lose a report nor make a second local one. Readiness arrives by webhook
 * where one can reach us and always by polling as well (within Plaid's 15 `/asset_report/get` per
 * minute per report). Finishing is idempotent: a second PRODUCT_READY or poll answer does nothing.
 */

export interface PollIntervals {
  /** First wait after create (ms). */
  initialMs: number;
  factor: number;
  maxMs: number;
}

export const DEFAULT_POLL_INTERVALS: PollIntervals = { initialMs: 2_000, factor: 1.5, maxMs: 30_000 };
/** Plaid's production limit on /asset_report/get per report. */
export const GETS_PER_MINUTE_PER_REPORT = 15;

export type CrashPoint = 'after-pending' | 'after-plaid-reply';

export interface ReportLifecycleDeps {
  store: AssetDeskStore;
  gateway: PlaidGateway;
  environment: PlaidEnvironment;
  items: ItemService;
  events: EventSink;
  desktop: DesktopAdapters;
  logger: Logger;
  clock?: () => Date;
  webhookUrl: () => string | null;
  /** Underwriting settings for finding counts (largeDepositShare, documentAgeRule …). */
  underwriting?: () => Partial<UnderwritingSettings>;
  pollIntervals?: Partial<PollIntervals>;
  /** Test hook: SIGKILL this process at a named point (default: env ASSETDESK_CRASH_AT). */
  crashAt?: CrashPoint | null;
}

/**
 * A per-report sliding window: at most `limit` calls in any `windowMs`. Enforced on the real call
 * times (webhook-triggered fetches and retries included), not just by the backoff arithmetic.
 */
export class CallWindow {
  private readonly calls = new Map<string, number[]>();
  constructor(
    private readonly limit = GETS_PER_MINUTE_PER_REPORT,
    private readonly windowMs = 60_000,
  ) {}

  /** Milliseconds to wait before the next call for `key` may be made (0 = now). */
  waitBefore(key: string, now: number): number {
    const recent = (this.calls.get(key) ?? []).filter((t) => t > now - this.windowMs);
    this.calls.set(key, recent);
    if (recent.length < this.limit) return 0;
    return recent[recent.length - this.limit]! + this.windowMs - now;
  }

  record(key: string, now: number): void {
    const list = this.calls.get(key) ?? [];
    list.push(now);
    this.calls.set(key, list);
  }

  /** Largest number of calls for `key` inside any window — for tests. */
  maxInAnyWindow(key: string): number {
    const list = this.calls.get(key) ?? [];
    let max = 0;
    for (let i = 0; i < list.length; i++) {
      let n = 0;
      for (let j = i; j < list.length && list[j]! < list[i]! + this.windowMs; j++) n++;
      max = Math.max(max, n);
    }
    return max;
  }

  forget(key: string): void {
    this.calls.delete(key);
  }
}

interface ReportRequestBase {
  applicantId: string;
  itemIds: string[];
  daysRequested: number;
  includeApplicantDetails: boolean;
}

export function createReportLifecycle(deps: ReportLifecycleDeps) {
  const { store, gateway, environment, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const intervals: PollIntervals = { ...DEFAULT_POLL_INTERVALS, ...deps.pollIntervals };
  const crashAt =
    deps.crashAt !== undefined ? deps.crashAt : ((process.env.ASSETDESK_CRASH_AT as CrashPoint | undefined) ?? null);
  const log = logger.child({ component: 'reports', environment });
  const window = new CallWindow();
  const polling = new Map<string, Promise<void>>();
  const finishing = new Map<string, Promise<'ready' | 'not-ready' | 'failed'>>();
  const submitting = new Map<string, Promise<ReportRecord>>();
  const stopController = new AbortController();

  const crashPoint = (point: CrashPoint): void => {
    // Test-only: lets the crash-safety tests kill the process at the exact dangerous moments.
    if (crashAt === point) process.kill(process.pid, 'SIGKILL');
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (stopController.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        stopController.signal.removeEventListener('abort', done);
        resolve();
      }
      stopController.signal.addEventListener('abort', done);
    });

  function requireReport(reportId: string): ReportRecord {
    const report = store.reports.get(reportId);
    if (!report || report.environment !== environment) {
      throw new AppError({
        code: ErrorCodes.notFound,
        message: 'This report no longer exists in the current environment.',
        retryable: false,
      });
    }
    return report;
  }

  function progress(report: ReportSummary, status: ReportStatus, message?: string): void {
    const elapsedMs = Math.max(0, clock().getTime() - Date.parse(report.createdAt));
    deps.events.emit('report:progress', {
      reportId: report.id,
      applicantId: report.applicantId,
      status,
      elapsedMs,
      ...(message ? { message } : {}),
    });
  }

  /** Builds the Plaid request for a pending row and sends it; used by create/refresh/filter and resume. */
  async function submitToPlaid(report: ReportRecord): Promise<{ asset_report_id: string; asset_report_token: string }> {
    const webhook = deps.webhookUrl();
    if (report.kind === 'create') {
      const request: AssetReportCreateRequest = {
        access_tokens: report.itemIds.map((id) => store.items.accessToken(id)),
        days_requested: report.daysRequested,
        options: {
          client_report_id: report.loanNumber,
          ...(webhook ? { webhook } : {}),
          ...(report.includeApplicantDetails ? { user: applicantUser(report.applicantId) } : {}),
        },
      };
      return gateway.call('/asset_report/create', (p) => p.assetReportCreate(request));
    }
    if (!report.parentId)
      throw new AppError({
        code: ErrorCodes.internal,
        message: 'This report lost its original report.',
        retryable: false,
      });
    const parentToken = store.reports.reportToken(report.parentId);
    if (!parentToken)
      throw new AppError({
        code: 'INVALID_PARENT',
        message: 'The original report was removed, so this one cannot be made from it.',
        retryable: false,
      });
    if (report.kind === 'refresh') {
      return gateway.call('/asset_report/refresh', (p) =>
        p.assetReportRefresh({
          asset_report_token: parentToken,
          days_requested: report.daysRequested,
          ...(webhook ? { options: { webhook } } : {}),
        }),
      );
    }
    const accountIdsToExclude = excludedAccountIds(report.id);
    return gateway.call('/asset_report/filter', (p) =>
      p.assetReportFilter({ asset_report_token: parentToken, account_ids_to_exclude: accountIdsToExclude }),
    );
  }

  function applicantUser(applicantId: string) {
    const applicant = store.applicants.get(applicantId);
    if (!applicant) return undefined;
    const ssn = store.applicants.revealSsn(applicantId);
    return {
      client_user_id: applicant.id,
      first_name: applicant.firstName,
      middle_name: applicant.middleName,
      last_name: applicant.lastName,
      email: applicant.email,
      phone_number: applicant.phone,
      ...(ssn ? { ssn } : {}),
    };
  }

  /** Sends a pending row to Plaid and attaches Plaid's ids; on refusal records Plaid's reason. */
  function submit(pending: ReportRecord): Promise<ReportRecord> {
    const running = submitting.get(pending.id);
    if (running) return running;
    const work = (async () => {
      let reply: { asset_report_id: string; asset_report_token: string };
      try {
        reply = await submitToPlaid(pending);
      } catch (error) {
        const appError =
          error instanceof AppError
            ? error
            : new AppError({
                code: ErrorCodes.internal,
                message: 'Plaid could not start this report.',
                retryable: true,
              });
        await recordFailure(pending, {
          error_code: appError.code,
          display_message: appError.message,
          ...(appError.requestId ? { request_id: appError.requestId } : {}),
        });
        throw appError;
      }
      crashPoint('after-plaid-reply');
      store.reports.attachPlaid(pending.id, {
        plaidReportId: reply.asset_report_id,
        reportToken: reply.asset_report_token,
      });
      log.info('report submitted', { reportId: pending.id, kind: pending.kind, plaidReportId: reply.asset_report_id });
      const attached = requireReport(pending.id);
      startPolling(attached.id);
      return attached;
    })().finally(() => submitting.delete(pending.id));
    submitting.set(pending.id, work);
    return work;
  }

  async function recordFailure(report: ReportRecord, error: PlaidErrorBody): Promise<void> {
    const current = store.reports.get(report.id);
    if (!current || current.status !== 'pending') return;
    const code = error.error_code ?? 'ASSET_REPORT_ERROR';
    const message = failureMessage(error);
    store.reports.markFailed(report.id, {
      code,
      message,
      ...(error.request_id ? { requestId: error.request_id } : {}),
    });
    store.activity.append({
      action: 'report_failed',
      applicantId: report.applicantId,
      reportId: report.id,
      detail: { code, requestId: error.request_id ?? null },
    });
    log.warn('report failed', { reportId: report.id, code, requestId: error.request_id });
    // Items that need the applicant to sign in again are marked, whichever way Plaid told us.
    const itemIds = report.itemIds;
    const causes = error.causes ?? [];
    if (code === 'ITEM_LOGIN_REQUIRED' && causes.length === 0) {
      for (const itemId of itemIds) await deps.items.check(itemId).catch(() => undefined);
    }
    for (const cause of causes) {
      if (cause.error_code === 'ITEM_LOGIN_REQUIRED' && cause.item_id) {
        const item = store.items.findByPlaidItemId(environment, cause.item_id);
        if (item) await deps.items.markNeedsRelink(item.id, { code: cause.error_code, message: failureMessage(cause) });
      }
    }
    progress(report, 'failed', message);
    deps.desktop.notify('Asset Report failed', `${report.applicantName}: ${message}`);
  }

  /** One /asset_report/get through the per-report window; on success stores JSON + PDF. */
  function fetchIfReady(reportId: string): Promise<'ready' | 'not-ready' | 'failed'> {
    const running = finishing.get(reportId);
    if (running) return running;
    const work = (async (): Promise<'ready' | 'not-ready' | 'failed'> => {
      let report = store.reports.get(reportId);
      if (!report || report.status !== 'pending') return report?.status === 'ready' ? 'ready' : 'failed';
      if (!report.plaidReportId) return 'not-ready';
      for (
        let wait = window.waitBefore(reportId, clock().getTime());
        wait > 0;
        wait = window.waitBefore(reportId, clock().getTime())
      ) {
        await sleep(wait);
        if (stopController.signal.aborted) return 'not-ready';
      }
      window.record(reportId, clock().getTime());
      const token = store.reports.reportToken(reportId);
      if (!token) return 'failed';
      let result: AssetReportGetResponse;
      try {
        // No gateway retries here: each retry is another /asset_report/get and must pass the window.
        result = await gateway.call(
          '/asset_report/get',
          (p) => p.assetReportGet({ asset_report_token: token, include_insights: true }),
          { retry: false },
        );
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        if (error.code === 'PRODUCT_NOT_READY' || error.retryable) return 'not-ready';
        await recordFailure(report, {
          error_code: error.code,
          display_message: error.message,
          ...(error.requestId ? { request_id: error.requestId } : {}),
        });
        return 'failed';
      }
      const pdf = await gateway.pdf('/asset_report/pdf/get', (p, o) =>
        p.assetReportPdfGet({ asset_report_token: token }, o),
      );
      report = store.reports.get(reportId);
      if (!report || report.status !== 'pending') return report?.status === 'ready' ? 'ready' : 'failed';
      const content = { report: result.report, warnings: result.warnings } as unknown as AssetReportGetResult;
      const summary = summarizeReport(content);
      const findingCounts = findingsFor(report, content);
      store.transaction(() => {
        store.reports.markReady(reportId, {
          reportJson: JSON.stringify(content),
          pdf,
          summary: {
            totalBalance: summary.totalBalance,
            accountCount: summary.accountCount,
            earliestHistoryDate: summary.earliestHistoryDate,
          },
          readyAt: clock().toISOString(),
        });
        if (findingCounts) store.reports.setFindingCounts(reportId, findingCounts);
        store.activity.append({
          action: 'report_ready',
          applicantId: report.applicantId,
          reportId,
          detail: { plaidReportId: report.plaidReportId, kind: report.kind },
        });
      });
      log.info('report ready', { reportId, plaidReportId: report.plaidReportId });
      progress(report, 'ready');
      deps.desktop.notify(
        'Asset Report ready',
        `${report.applicantName} (loan ${report.loanNumber}) — the report is ready to review.`,
      );
      window.forget(reportId);
      return 'ready';
    })().finally(() => finishing.delete(reportId));
    finishing.set(reportId, work);
    return work;
  }

  function findingsFor(
    report: ReportSummary,
    content: AssetReportGetResult,
  ): { attention: number; info: number } | null {
    try {
      const applicant = store.applicants.get(report.applicantId);
      if (!applicant) return null;
      const settings = underwritingSettings({ ...deps.underwriting?.(), sourcedDeposits: [] });
      return analyzeReport(content, loanInputsFromApplicant(applicant), settings, clock().toISOString().slice(0, 10))
        .counts;
    } catch (error) {
      // Findings are a convenience for the list; the report itself must still be stored.
      log.warn('finding counts unavailable', { reportId: report.id, error });
      return null;
    }
  }

  function startPolling(reportId: string): void {
    if (polling.has(reportId) || stopController.signal.aborted) return;
    const loop = (async () => {
      let delay = intervals.initialMs;
      for (;;) {
        await sleep(delay);
        if (stopController.signal.aborted) return;
        let outcome: 'ready' | 'not-ready' | 'failed';
        try {
          outcome = await fetchIfReady(reportId);
        } catch (error) {
          log.warn('report poll failed', { reportId, error });
          outcome = 'not-ready';
        }
        if (outcome !== 'not-ready') return;
        delay = Math.min(delay * intervals.factor, intervals.maxMs);
      }
    })().finally(() => polling.delete(reportId));
    polling.set(reportId, loop);
  }

  async function createChild(
    parentId: string,
    kind: Exclude<ReportKind, 'create'>,
    daysRequested: number | undefined,
    accountIdsToExclude: string[],
  ): Promise<ReportRecord> {
    const parent = requireReport(parentId);
    if (parent.status !== 'ready') {
      throw new AppError({
        code: 'INVALID_PARENT',
        message: 'Only a ready report can be refreshed or filtered. Wait for it to finish, or create a new report.',
        retryable: false,
      });
    }
    // The pending row and the request details (the excluded accounts, needed to resubmit after a
    // crash) are written together, before Plaid is called.
    const pending = store.transaction(() => {
      const row = store.reports.createPending({
        applicantId: parent.applicantId,
        environment,
        kind,
        parentId,
        itemIds: parent.itemIds,
        daysRequested: daysRequested ?? parent.daysRequested,
        includeApplicantDetails: parent.includeApplicantDetails,
      });
      store.activity.append({
        action: kind === 'refresh' ? 'report_refresh_requested' : 'report_filter_requested',
        applicantId: parent.applicantId,
        reportId: row.id,
        detail: { parentId, accountIdsToExclude },
      });
      return row;
    });
    crashPoint('after-pending');
    progress(pending, 'pending');
    return submit(pending);
  }

  function excludedAccountIds(reportId: string): string[] {
    const request = store.activity
      .list({ reportId, limit: 1000 })
      .find((entry) => entry.action === 'report_filter_requested');
    const ids = request?.detail.accountIdsToExclude;
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  }

  async function removeAtPlaid(report: ReportSummary): Promise<void> {
    if (!report.plaidReportId || report.status === 'removed') return;
    const token = store.reports.reportToken(report.id);
    if (!token) return;
    try {
      await gateway.call('/asset_report/remove', (p) => p.assetReportRemove({ asset_report_token: token }));
    } catch (error) {
      // Plaid no longer knowing the report is exactly the state we want.
      if (!(
        error instanceof AppError &&
        (error.code === 'INVALID_ASSET_REPORT_TOKEN' || error.code === 'INVALID_INPUT' || error.code === 'NOT_FOUND')
      ))
        throw error;
    }
  }

  return {
    window,

    async create(request: ReportRequestBase): Promise<ReportRecord> {
      const applicant = store.applicants.get(request.applicantId);
      if (!applicant)
        throw new AppError({
          code: ErrorCodes.notFound,
          message: 'This applicant no longer exists.',
          retryable: false,
        });
      for (const itemId of request.itemIds) {
        const item = store.items.get(itemId);
        if (
          !item ||
          item.applicantId !== request.applicantId ||
          item.environment !== environment ||
          item.status === 'removed'
        ) {
          throw new AppError({
            code: ErrorCodes.notFound,
            message:
              'One of the chosen banks is no longer linked for this applicant. Refresh the page and choose again.',
            retryable: false,
            field: 'itemIds',
          });
        }
        if (item.status === 'needs_relink') {
          throw new AppError({
            code: 'ITEM_LOGIN_REQUIRED',
            message: `${item.institutionName} needs the applicant to sign in again. Use "Re-link" on that bank first.`,
            retryable: false,
            field: 'itemIds',
          });
        }
      }
      const pending = store.transaction(() => {
        const row = store.reports.createPending({
          applicantId: request.applicantId,
          environment,
          kind: 'create',
          parentId: null,
          itemIds: request.itemIds,
          daysRequested: request.daysRequested,
          includeApplicantDetails: request.includeApplicantDetails,
        });
        store.activity.append({
          action: 'report_requested',
          applicantId: request.applicantId,
          reportId: row.id,
          detail: { daysRequested: request.daysRequested, banks: request.itemIds.length },
        });
        return row;
      });
      crashPoint('after-pending');
      progress(pending, 'pending');
      return submit(pending);
    },

    refresh: (reportId: string, daysRequested?: number) => createChild(reportId, 'refresh', daysRequested, []),
    filter: (reportId: string, accountIdsToExclude: string[]) =>
      createChild(reportId, 'filter', undefined, accountIdsToExclude),

    /**
     * Every pending report of this environment carries on after a restart: with Plaid's ids it is
     * polled; without them it is (re)submitted. Narrow window: if the process died after Plaid
     * answered create but before attachPlaid committed, Plaid holds an orphan report we never learn
     * the token of (it costs one report, it cannot be fetched or billed twice); locally there is still
     * exactly one row, because resubmission attaches to the same pending row, never a new one.
     */
    async resume(): Promise<void> {
      for (const report of store.reports.listPending(environment)) {
        if (report.plaidReportId) {
          log.info('resuming report', { reportId: report.id });
          startPolling(report.id);
        } else {
          log.info('resubmitting report that never reached Plaid', { reportId: report.id });
          await submit(report).catch((error: unknown) =>
            log.warn('resubmission failed', { reportId: report.id, code: (error as AppError).code }),
          );
        }
      }
    },

    /** ASSETS webhooks: PRODUCT_READY → fetch now; ERROR → record Plaid's reason. */
    async handleWebhook(webhook: PlaidWebhook): Promise<void> {
      if (webhook.webhook_type !== 'ASSETS' || typeof webhook.asset_report_id !== 'string') return;
      const report = store.reports.findByPlaidReportId(environment, webhook.asset_report_id);
      if (!report || report.status !== 'pending') return;
      if (webhook.webhook_code === 'PRODUCT_READY') {
        if ((webhook.report_type ?? 'FULL') !== 'FULL') return;
        await fetchIfReady(report.id);
      } else if (webhook.webhook_code === 'ERROR') {
        await recordFailure(
          report,
          (webhook.error as PlaidErrorBody | undefined) ?? { error_code: 'ASSET_REPORT_ERROR' },
        );
      }
    },

    async remove(reportId: string): Promise<void> {
      const report = requireReport(reportId);
      await removeAtPlaid(report);
      store.reports.markRemoved(reportId);
      store.activity.append({
        action: 'report_removed',
        applicantId: report.applicantId,
        reportId,
        detail: { plaidReportId: report.plaidReportId },
      });
      log.info('report removed', { reportId });
    },

    /** Removal at Plaid only (applicant deletion and retention, which delete locally themselves). */
    removeAtPlaid,

    async createAuditCopy(reportId: string, auditorId: string): Promise<AuditCopy> {
      const report = requireReport(reportId);
      if (report.status !== 'ready')
        throw new AppError({
          code: 'INVALID_PARENT',
          message: 'Only a ready report can be shared with an auditor.',
          retryable: false,
        });
      const token = store.reports.reportToken(reportId);
      if (!token)
        throw new AppError({
          code: 'INVALID_PARENT',
          message: 'This report was removed at Plaid, so it cannot be shared.',
          retryable: false,
        });
      const created = await gateway.call('/asset_report/audit_copy/create', (p) =>
        p.assetReportAuditCopyCreate({ asset_report_token: token, auditor_id: auditorId }),
      );
      const copy = store.auditCopies.create({ reportId, auditorId, token: created.audit_copy_token });
      store.activity.append({
        action: 'audit_copy_created',
        applicantId: report.applicantId,
        reportId,
        detail: { auditCopyId: copy.id, auditorId },
      });
      return copy;
    },

    async removeAuditCopy(auditCopyId: string): Promise<void> {
      const copy = store.auditCopies.get(auditCopyId);
      if (!copy)
        throw new AppError({
          code: ErrorCodes.notFound,
          message: 'This audit copy no longer exists.',
          retryable: false,
        });
      const report = requireReport(copy.reportId);
      if (!copy.removedAt) {
        const token = store.auditCopies.token(auditCopyId);
        try {
          if (token)
            await gateway.call('/asset_report/audit_copy/remove', (p) =>
              p.assetReportAuditCopyRemove({ audit_copy_token: token }),
            );
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'INVALID_AUDIT_COPY_TOKEN')) throw error;
        }
        store.auditCopies.markRemoved(auditCopyId);
      }
      store.activity.append({
        action: 'audit_copy_removed',
        applicantId: report.applicantId,
        reportId: report.id,
        detail: { auditCopyId, auditorId: copy.auditorId },
      });
    },

    copyAuditCopyToken(auditCopyId: string): void {
      const copy = store.auditCopies.get(auditCopyId);
      if (!copy || copy.removedAt)
        throw new AppError({
          code: ErrorCodes.notFound,
          message: 'This audit copy no longer exists.',
          retryable: false,
        });
      const token = store.auditCopies.token(auditCopyId);
      if (!token)
        throw new AppError({ code: ErrorCodes.notFound, message: 'This audit copy was revoked.', retryable: false });
      deps.desktop.writeClipboard(token);
      const report = store.reports.get(copy.reportId);
      store.activity.append({
        action: 'audit_copy_token_copied',
        applicantId: report?.applicantId ?? null,
        reportId: copy.reportId,
        detail: { auditCopyId, auditorId: copy.auditorId },
      });
    },

    /** Polls in flight (tests wait on these; the app does not need to). */
    async settled(): Promise<void> {
      while (polling.size > 0 || finishing.size > 0 || submitting.size > 0) {
        await Promise.allSettled([...polling.values(), ...finishing.values(), ...submitting.values()]);
      }
    },

    async stop(): Promise<void> {
      stopController.abort();
      await Promise.allSettled([...polling.values(), ...finishing.values(), ...submitting.values()]);
    },
  };
}

export type ReportLifecycle = ReturnType<typeof createReportLifecycle>;

function failureMessage(error: PlaidErrorBody): string {
  const display = error.display_message?.trim();
  if (display) return display;
  const known: Record<string, string> = {
    ASSET_REPORT_GENERATION_FAILED:
      'Plaid could not generate this Asset Report. Try again with fewer days requested; if it fails again, contact Plaid support with the request ID.',
    DATA_UNAVAILABLE:
      "Plaid could not pull data from one of the applicant's banks. Check whether a bank needs re-linking, then create the report again.",
    PRODUCT_NOT_ENABLED: 'A linked bank was not connected with the Assets product. Remove it and link it again.',
    ITEM_LOGIN_REQUIRED:
      'The applicant\'s bank needs them to sign in again. Use "Re-link" on the bank, then create the report again.',
    DATA_QUALITY_CHECK_FAILED: "Plaid found problems in the bank's data. Try again in a day or two.",
  };
  const code = error.error_code ?? 'ASSET_REPORT_ERROR';
  return (
    known[code] ??
    `Plaid could not generate this report (${code}${error.error_message ? `: ${error.error_message}` : ''}).`
  );
}
