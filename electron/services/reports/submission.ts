import { AppError, ErrorCodes } from '../../../shared/errors';
import type { ReportStatus, ReportSummary, PlaidEnvironment } from '../../../shared/domain';
import type { AssetDeskStore, ReportRecord } from '../../db';
import type { ItemService } from '../link/items';
import type { Logger } from '../../log/logger';
import type { PlaidGateway } from '../plaid-gateway';
import { certainlyNothingMade } from '../plaid-errors';
import { reportIn } from '../service-context';
import type { ReportCoordination } from './coordination';
import { markItemsNeedingRelink, plaidErrorBodyOf, type ReportFailureRecorder } from './failures';
import { REPORT_NOT_SENT, REPORT_SENT, sendReportRequest, type PlaidReportIds } from './plaid-requests';
import type { ReportPoller } from './poller';

/**
 * A pending report's trip to Plaid: the request is logged as sent before it leaves (never sent twice), Plaid's ids
 * are attached to the row, and a refusal either discards a report Plaid never made or records Plaid's reason.
 */

export interface ReportSubmitterDeps {
  store: AssetDeskStore;
  gateway: PlaidGateway;
  environment: PlaidEnvironment;
  items: Pick<ItemService, 'check' | 'markNeedsRelink'>;
  coordination: ReportCoordination;
  poller: ReportPoller;
  log: Logger;
  webhookUrl: () => string | null;
  /** On a team in emulator mode, this desk's emulator, written into the sent entry; else null. */
  emulatorId: string | null;
  recordFailure: ReportFailureRecorder;
  /** Tells the screens a report's status changed (see ReportLifecycle). */
  progress: (report: ReportSummary, status: ReportStatus, message?: string) => Promise<void>;
  /** Test hook: the crash-safety tests kill the process here (see ReportLifecycle's CrashPoint). */
  crashPoint: (point: 'after-plaid-reply') => void;
}

export function createReportSubmitter(deps: ReportSubmitterDeps) {
  const { store, log } = deps;
  const submitting = new Map<string, Promise<ReportRecord>>();

  /** Sends a pending row to Plaid and attaches Plaid's ids; on refusal records Plaid's reason. */
  function submit(pending: ReportRecord): Promise<ReportRecord> {
    const running = submitting.get(pending.id);
    if (running) return running;
    // Should AssetDesk quit meanwhile, a request on its way gets the grace to answer and its ids to be saved. The
    // polling starts outside that work: a poll is abandoned at once when AssetDesk stops, and done at the next start.
    const work = deps.gateway
      .save(() => sendAndAttach(pending))
      .then((attached) => {
        deps.poller.start(attached.id);
        return attached;
      })
      .finally(() => submitting.delete(pending.id));
    submitting.set(pending.id, work);
    return work;
  }

  async function sendAndAttach(pending: ReportRecord): Promise<ReportRecord> {
    const { gateway } = deps;
    // Written before the request leaves: after a crash, a row with this entry and no ids is never sent again.
    await store.activity.append({
      action: REPORT_SENT,
      applicantId: pending.applicantId,
      reportId: pending.id,
      detail: { kind: pending.kind, ...(deps.emulatorId ? { emulator: deps.emulatorId } : {}) },
    });
    let reply: PlaidReportIds;
    try {
      reply = await sendReportRequest(pending, { store, gateway, webhook: deps.webhookUrl() });
    } catch (error) {
      const appError =
        error instanceof AppError
          ? error
          : new AppError({ code: ErrorCodes.internal, message: 'Plaid could not start this report.', retryable: true });
      if (appError.code === ErrorCodes.stopping) {
        // AssetDesk began to quit before the request reached Plaid: it stays pending, and is sent at the next start.
        await store.activity.append({
          action: REPORT_NOT_SENT,
          applicantId: pending.applicantId,
          reportId: pending.id,
          detail: { kind: pending.kind },
        });
        throw appError;
      }
      // Sent, and AssetDesk stopped waiting for the answer: at the next start it ends failed, outcome unknown, as
      // after a crash (REPORT_SENT stands), and is never sent twice.
      if (gateway.stopping && !certainlyNothingMade(appError)) throw appError;
      // Nothing at Plaid: the row would only be a "Failed" report of nothing; the officer reads the error instead.
      if (certainlyNothingMade(appError)) await discardNeverMade(pending, appError);
      else await deps.recordFailure(pending, plaidErrorBodyOf(appError));
      throw appError;
    }
    deps.crashPoint('after-plaid-reply');
    try {
      await store.reports.attachPlaid(pending.id, {
        plaidReportId: reply.asset_report_id,
        reportToken: reply.asset_report_token,
      });
    } catch (error) {
      // The row went away meanwhile (its loan file deleted, the report removed): nothing here will ever hold this
      // token again, so the report goes at Plaid now rather than stay there, unreachable, for good.
      if (error instanceof AppError && error.code === ErrorCodes.notFound)
        await gateway.removeReport(reply.asset_report_token).then(
          () => log.info('report made after its row was removed: removed at Plaid', { reportId: pending.id }),
          (failure: unknown) =>
            log.warn('report made after its row was removed could not be removed at Plaid', {
              reportId: pending.id,
              plaidReportId: reply.asset_report_id,
              code: (failure as AppError).code,
            }),
        );
      throw error;
    }
    log.info('report submitted', {
      reportId: pending.id,
      kind: pending.kind,
      plaidReportId: reply.asset_report_id,
    });
    return reportIn(store, deps.environment, pending.id);
  }

  /**
   * Plaid refused the request, so no report exists there: the pending row is deleted and the refusal logged in
   * one step (a crash before it leaves the row pending, to be resubmitted; after it, nothing is left to lose).
   */
  async function discardNeverMade(pending: ReportRecord, error: AppError): Promise<void> {
    const discarded = await store.transaction(async () => {
      const current = await store.reports.get(pending.id);
      if (!current || current.status !== 'pending' || current.plaidReportId) return false;
      await store.activity.append({
        action: 'report_not_made',
        applicantId: pending.applicantId,
        reportId: pending.id,
        detail: { kind: pending.kind, code: error.code, requestId: error.requestId ?? null },
      });
      return store.reports.deleteNeverMade(pending.id);
    });
    if (!discarded) return;
    log.warn('report not made: Plaid refused it', {
      reportId: pending.id,
      code: error.code,
      requestId: error.requestId,
    });
    // ITEM_LOGIN_REQUIRED: the bank is marked for re-linking, as for a report that failed later.
    await markItemsNeedingRelink({ store, environment: deps.environment, items: deps.items }, pending, error.code, []);
    // The screens drop the row (they reload their lists on any progress event); the message is the create's error.
    await deps.progress({ ...pending, status: 'removed' }, 'removed', error.message);
    await deps.coordination.release(pending.id);
  }

  return {
    submit,
    /** Submissions in flight (tests wait on these). */
    inFlight: (): Promise<ReportRecord>[] => [...submitting.values()],
  };
}

export type ReportSubmitter = ReturnType<typeof createReportSubmitter>;
