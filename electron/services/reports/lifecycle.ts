import { AppError, ErrorCodes } from '../../../shared/errors';
import type { PlaidEnvironment, ReportKind, ReportStatus, ReportSummary } from '../../../shared/domain';
import type { EventSink } from '../../../shared/ipc/contract';
import type { UnderwritingSettings } from '../../../shared/underwriting';
import type { AssetDeskStore, NewPendingReport, ReportRecord } from '../../db';
import type { DesktopAdapters } from '../desktop';
import type { ItemService } from '../items';
import type { Logger } from '../logger';
import type { PlaidErrorBody, PlaidGateway } from '../plaid-gateway';
import { reportFailureMessage } from '../plaid-messages';
import type { PlaidWebhook } from '../webhook-receiver';
import { createReportFetcher } from './fetch';
import { sendReportRequest, type PlaidReportIds } from './plaid-requests';
import { createReportPoller, type PollIntervals } from './poller';

/**
 * The life of an Asset Report: create → pending → ready | failed → removed, crash-safe.
 *
 * The local "pending" row is written BEFORE Plaid is called and completed with Plaid's ids after,
 * so a crash can neither lose a report nor make a second local one. Readiness arrives by webhook
 * where one can reach us and always by polling as well (see ./poller and ./fetch).
 */

export { CallWindow, DEFAULT_POLL_INTERVALS, GETS_PER_MINUTE_PER_REPORT, type PollIntervals } from './poller';

export type CrashPoint = 'after-pending' | 'after-plaid-reply';

export interface ReportLifecycleDeps {
  store: AssetDeskStore;
  gateway: PlaidGateway;
  environment: PlaidEnvironment;
  items: Pick<ItemService, 'check' | 'markNeedsRelink'>;
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

export interface ReportRequest {
  applicantId: string;
  itemIds: string[];
  daysRequested: number;
  includeApplicantDetails: boolean;
}

export function createReportLifecycle(deps: ReportLifecycleDeps) {
  const { store, gateway, environment, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const crashAt =
    deps.crashAt !== undefined ? deps.crashAt : ((process.env.ASSETDESK_CRASH_AT as CrashPoint | undefined) ?? null);
  const log = logger.child({ component: 'reports', environment });
  const submitting = new Map<string, Promise<ReportRecord>>();
  const poller = createReportPoller({
    ...(deps.pollIntervals ? { intervals: deps.pollIntervals } : {}),
    clock,
    log,
    fetch: (reportId) => fetcher.fetchIfReady(reportId),
  });
  const fetcher = createReportFetcher({
    store,
    gateway,
    environment,
    poller,
    clock,
    log,
    ...(deps.underwriting ? { underwriting: deps.underwriting } : {}),
    onFailure: recordFailure,
    onReady: (report) => {
      progress(report, 'ready');
      deps.desktop.notify(
        'Asset Report ready',
        `${report.applicantName} (loan ${report.loanNumber}) — the report is ready to review.`,
      );
    },
  });

  const crashPoint = (point: CrashPoint): void => {
    // Test-only: lets the crash-safety tests kill the process at the exact dangerous moments.
    if (crashAt === point) process.kill(process.pid, 'SIGKILL');
  };

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

  /** Sends a pending row to Plaid and attaches Plaid's ids; on refusal records Plaid's reason. */
  function submit(pending: ReportRecord): Promise<ReportRecord> {
    const running = submitting.get(pending.id);
    if (running) return running;
    const work = (async () => {
      let reply: PlaidReportIds;
      try {
        reply = await sendReportRequest(pending, { store, gateway, webhook: deps.webhookUrl() });
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
      poller.start(attached.id);
      return attached;
    })().finally(() => submitting.delete(pending.id));
    submitting.set(pending.id, work);
    return work;
  }

  async function recordFailure(report: ReportRecord, error: PlaidErrorBody): Promise<void> {
    const current = store.reports.get(report.id);
    if (!current || current.status !== 'pending') return;
    const code = error.error_code ?? 'ASSET_REPORT_ERROR';
    const message = reportFailureMessage(error);
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
    await markItemsNeedingRelink(report, code, error.causes ?? []);
    progress(report, 'failed', message);
    deps.desktop.notify('Asset Report failed', `${report.applicantName}: ${message}`);
  }

  /** Items that need the applicant to sign in again are marked, whichever way Plaid told us. */
  async function markItemsNeedingRelink(
    report: ReportRecord,
    code: string,
    causes: NonNullable<PlaidErrorBody['causes']>,
  ): Promise<void> {
    if (code === 'ITEM_LOGIN_REQUIRED' && causes.length === 0) {
      for (const itemId of report.itemIds) await deps.items.check(itemId).catch(() => undefined);
    }
    for (const cause of causes) {
      if (cause.error_code === 'ITEM_LOGIN_REQUIRED' && cause.item_id) {
        const item = store.items.findByPlaidItemId(environment, cause.item_id);
        if (item)
          await deps.items.markNeedsRelink(item.id, { code: cause.error_code, message: reportFailureMessage(cause) });
      }
    }
  }

  /** Writes the pending row and its activity entry together, before Plaid is called, then submits it. */
  function startReport(row: NewPendingReport, action: string, detail: Record<string, unknown>): Promise<ReportRecord> {
    const pending = store.transaction(() => {
      const created = store.reports.createPending(row);
      store.activity.append({ action, applicantId: row.applicantId, reportId: created.id, detail });
      return created;
    });
    crashPoint('after-pending');
    progress(pending, 'pending');
    return submit(pending);
  }

  function createChild(
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
    return startReport(
      {
        applicantId: parent.applicantId,
        environment,
        kind,
        parentId,
        itemIds: parent.itemIds,
        daysRequested: daysRequested ?? parent.daysRequested,
        includeApplicantDetails: parent.includeApplicantDetails,
        excludedAccountIds: accountIdsToExclude,
      },
      kind === 'refresh' ? 'report_refresh_requested' : 'report_filter_requested',
      { parentId, accountIdsToExclude },
    );
  }

  function checkBanks(request: ReportRequest): void {
    if (!store.applicants.get(request.applicantId))
      throw new AppError({ code: ErrorCodes.notFound, message: 'This applicant no longer exists.', retryable: false });
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
          message: 'One of the chosen banks is no longer linked for this applicant. Refresh the page and choose again.',
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
  }

  /** Removal at Plaid only (applicant deletion and retention delete locally themselves). */
  async function removeAtPlaid(report: ReportSummary): Promise<void> {
    if (!report.plaidReportId || report.status === 'removed') return;
    const token = store.reports.reportToken(report.id);
    if (token) await gateway.removeReport(token);
  }

  return {
    window: poller.window,

    async create(request: ReportRequest): Promise<ReportRecord> {
      checkBanks(request);
      return startReport({ ...request, environment, kind: 'create', parentId: null }, 'report_requested', {
        daysRequested: request.daysRequested,
        banks: request.itemIds.length,
      });
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
          poller.start(report.id);
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
        await fetcher.fetchIfReady(report.id);
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

    removeAtPlaid,

    /** Polls, fetches and submissions in flight (tests wait on these; the app does not need to). */
    async settled(): Promise<void> {
      for (;;) {
        const running = [...poller.inFlight(), ...fetcher.inFlight(), ...submitting.values()];
        if (running.length === 0) return;
        await Promise.allSettled(running);
      }
    },

    async stop(): Promise<void> {
      poller.stop();
      await Promise.allSettled([...poller.inFlight(), ...fetcher.inFlight(), ...submitting.values()]);
    },
  };
}

export type ReportLifecycle = ReturnType<typeof createReportLifecycle>;
