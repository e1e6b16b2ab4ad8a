import { AppError, ErrorCodes } from '../../../shared/errors';
import type { PlaidEnvironment, ReportStatus, ReportSummary } from '../../../shared/domain';
import type { AssetDeskStore, ReportRecord } from '../../db';
import type { Logger } from '../../log/logger';
import type { PlaidGateway } from '../plaid-gateway';
import { reportIn } from '../service-context';
import { reportInAnotherEmulator } from '../team/emulator-per-desk';
import type { ReportCoordination } from './coordination';
import { removalSent, removeAtPlaid } from './plaid-requests';
import { readyContent } from './ready-content';

/**
 * Removing a report: at Plaid first (when Plaid made or may hold it), then here, logged once; and a removal a stop
 * left unfinished, finished at the next start.
 */

export interface ReportRemovalDeps {
  store: AssetDeskStore;
  gateway: PlaidGateway;
  environment: PlaidEnvironment;
  coordination: ReportCoordination;
  log: Logger;
  /** On a team in emulator mode, this desk's emulator (what another desk's made is out of its reach); else null. */
  emulatorId: string | null;
  /** Tells the screens a report's status changed (see ReportLifecycle). */
  progress: (report: ReportSummary, status: ReportStatus, message?: string) => Promise<void>;
  /** Refuses what another desk's built-in emulator made (see ReportLifecycle). */
  requireOwnEmulator: (reportId: string, action: string) => Promise<void>;
}

export function createReportRemoval(deps: ReportRemovalDeps) {
  const { store, log } = deps;

  async function remove(reportId: string): Promise<void> {
    const report = await reportIn(store, deps.environment, reportId);
    if (report.status === 'removed') throw await alreadyRemoved(reportId);
    await deps.requireOwnEmulator(reportId, 'remove it at Plaid');
    // On a team this desk holds the report while removing it: no other desk takes the removal over meanwhile.
    await deps.coordination.claim(reportId);
    // A failed report too: one Plaid accepted (or may hold) goes at Plaid first; one it never named, here only.
    const removedAtPlaid = await removeAtPlaid(deps, report);
    const removedHere = await store.transaction(async () => {
      // Another desk may have removed it meanwhile (Plaid answers its second removal as done): logged once.
      if (!(await store.reports.markRemoved(reportId))) return false;
      await store.activity.append({
        action: 'report_removed',
        applicantId: report.applicantId,
        reportId,
        detail: { plaidReportId: report.plaidReportId, status: report.status, removedAtPlaid },
      });
      return true;
    });
    await deps.coordination.release(reportId);
    readyContent.forget(reportId); // its decrypted content leaves memory with it
    if (!removedHere) throw await alreadyRemoved(reportId);
    log.info('report removed', { reportId, status: report.status, removedAtPlaid });
  }

  /** What the desk that came second is told: who removed the report (on a team, the activity log names them). */
  async function alreadyRemoved(reportId: string): Promise<AppError> {
    const entry = (await store.activity.list({ reportId })).find((e) => e.action === 'report_removed');
    return new AppError({
      code: ErrorCodes.conflict,
      message: `This report was already removed${entry?.actor ? `, by ${entry.actor}` : ''}. There is nothing left to remove.`,
      retryable: false,
    });
  }

  /**
   * A removal sent to Plaid before AssetDesk stopped, the report not yet marked removed here: sent again (Plaid's
   * "already gone" counts as done) and recorded once. Should Plaid not answer, it is tried at the next start; the
   * report is kept meanwhile (on a team this desk keeps holding it, so no other desk repeats the failure).
   */
  async function finishRemoval(report: ReportRecord): Promise<void> {
    if (await reportInAnotherEmulator(store, deps.emulatorId, report.id)) return;
    if (!(await deps.coordination.claim(report.id))) return;
    try {
      const reason = (await removalSent(store, report.id))?.detail.reason;
      const token = report.plaidReportId ? await store.reports.reportToken(report.id) : null;
      if (token) await deps.gateway.removeReport(token);
      const removedHere = await store.transaction(async () => {
        if (!(await store.reports.markRemoved(report.id))) return false;
        await store.activity.append({
          action: 'report_removed',
          applicantId: report.applicantId,
          reportId: report.id,
          detail: {
            plaidReportId: report.plaidReportId,
            status: report.status,
            removedAtPlaid: token !== null,
            ...(typeof reason === 'string' ? { reason } : {}),
            finishedAfterStop: true,
          },
        });
        return true;
      });
      log.info('removal left unfinished by a stop is finished', { reportId: report.id, removedHere });
      if (removedHere) await deps.progress({ ...report, status: 'removed' }, 'removed');
      await deps.coordination.release(report.id);
    } catch (error) {
      log.warn('a removal left unfinished could not be finished; tried again at the next start', {
        reportId: report.id,
        code: (error as AppError).code,
      });
    }
  }

  return { remove, finishRemoval };
}

export type ReportRemoval = ReturnType<typeof createReportRemoval>;
