import { AppError, ErrorCodes } from '../../../shared/errors';
import type { PlaidEnvironment } from '../../../shared/domain';
import type { AssetDeskStore, ReportRecord } from '../../db';
import type { DesktopAdapters } from '../desktop';
import type { Logger } from '../../log/logger';
import { certainlyNothingMade, outcomeUnknownAfterStop } from '../plaid-errors';
import { reportInAnotherEmulator } from '../team/emulator-per-desk';
import type { ReportCoordination } from './coordination';
import { plaidErrorBodyOf, type ReportFailureRecorder } from './failures';
import { REPORT_ENDPOINTS, removalSent, requestWasSent } from './plaid-requests';
import type { ReportPoller } from './poller';
import type { ReportRemoval } from './removal';
import type { ReportSubmitter } from './submission';

/**
 * Reports carried on where they were left: at this desk's start, and on a team when another desk leaves
 * (it closed or crashed). Each goes on exactly once: polled, submitted, failed with an unknown outcome, or removed.
 */

export interface ReportResumptionDeps {
  store: AssetDeskStore;
  environment: PlaidEnvironment;
  coordination: ReportCoordination;
  /** On a team in emulator mode, this desk's emulator (what another desk's made is out of its reach); else null. */
  emulatorId: string | null;
  poller: ReportPoller;
  log: Logger;
  desktop: DesktopAdapters;
  recordFailure: ReportFailureRecorder;
  submitter: Pick<ReportSubmitter, 'submit'>;
  removal: Pick<ReportRemoval, 'finishRemoval'>;
}

export function createReportResumption(deps: ReportResumptionDeps) {
  const { store, log } = deps;

  /**
   * Every pending report of this environment carries on after a restart: with Plaid's ids it is
   * polled; never sent (the app stopped between the pending row and the request) it is submitted now,
   * attached to the same row; sent but without Plaid's answer saved it ends failed with an unknown
   * outcome, never sent twice (Plaid may hold that report, whose token we cannot learn).
   */
  async function resume(): Promise<void> {
    // Removals first: a report whose removal was sent to Plaid is neither polled nor resubmitted.
    const removing = deps.coordination.finishesRemovals
      ? await store.reports.listUnfinishedRemovals(deps.environment)
      : [];
    for (const report of removing) await deps.removal.finishRemoval(report);
    for (const report of await store.reports.listPending(deps.environment))
      if (!removing.some((r) => r.id === report.id)) await carryOn(report);
  }

  /**
   * A report another desk left (it closed or crashed): one still pending is carried on, one whose removal was
   * sent to Plaid is removed.
   */
  async function takeOver(reportId: string): Promise<void> {
    const report = await store.reports.get(reportId);
    // Another desk's emulator report waits for that desk: this desk's emulator would call its token unknown.
    if (
      report?.environment !== deps.environment ||
      report.status === 'removed' ||
      (await reportInAnotherEmulator(store, deps.emulatorId, reportId))
    )
      return deps.coordination.release(reportId);
    if (deps.coordination.finishesRemovals && (await removalSent(store, reportId)))
      return deps.removal.finishRemoval(report);
    if (report.status === 'pending') await carryOn(report);
    else await deps.coordination.release(reportId);
  }

  async function carryOn(report: ReportRecord): Promise<void> {
    // On a team, the desk that holds the report carries it on; the others leave it alone, as they leave another
    // desk's emulator report to that desk.
    if (await reportInAnotherEmulator(store, deps.emulatorId, report.id)) return;
    if (!(await deps.coordination.claim(report.id))) return;
    if (report.plaidReportId) {
      log.info('resuming report', { reportId: report.id });
      deps.poller.start(report.id);
    } else if (await requestWasSent(store, report.id)) {
      // Sent, then the app stopped before Plaid's ids were saved: Plaid may have made and billed the report, and
      // its token came only in the lost answer. Sending it again would bill a second one; the officer is told.
      log.warn('report sent before a stop, its answer lost: not sent again', { reportId: report.id });
      await deps.recordFailure(report, plaidErrorBodyOf(outcomeUnknownAfterStop(REPORT_ENDPOINTS[report.kind])));
    } else {
      log.info('resubmitting report that never reached Plaid', { reportId: report.id });
      await deps.submitter.submit(report).catch((error: unknown) => {
        log.warn('resubmission failed', { reportId: report.id, code: (error as AppError).code });
        // Quitting before it left: it is sent at the next start, nothing to tell.
        if (error instanceof AppError && error.code === ErrorCodes.stopping) return;
        // No dialog waits for this answer (the officer asked before the restart): a refusal, which leaves no
        // report behind, is said in a notice, as a report that failed later is.
        if (error instanceof AppError && certainlyNothingMade(error))
          deps.desktop.notify('Asset Report not made', `${report.applicantName}: ${error.message}`, {
            title: 'Asset Report not made',
            body: 'An Asset Report could not be made.',
          });
      });
    }
  }

  return { resume, takeOver };
}

export type ReportResumption = ReturnType<typeof createReportResumption>;
