import { AppError, ErrorCodes } from '../../../shared/errors';
import { LOCAL_COORDINATION, sameRequestInFlight, type ReportCoordination } from './coordination';
import type { PlaidEnvironment, ReportKind, ReportStatus, ReportSummary } from '../../../shared/domain';
import type { EventSink } from '../../../shared/ipc/contract';
import type { AssetDeskStore, NewPendingReport, ReportRecord } from '../../db';
import type { DesktopAdapters } from '../desktop';
import type { ItemService } from '../link/items';
import type { Logger } from '../../log/logger';
import type { PlaidErrorBody, PlaidGateway } from '../plaid-gateway';
import { reportIn } from '../service-context';
import type { PlaidWebhook } from '../webhook-receiver';
import { createReportFetcher, type ReportFetcher } from './fetch';
import {
  createReportFailureRecorder,
  markItemsNeedingRelink,
  plaidErrorBodyOf,
  type ReportFailureRecorder,
} from './failures';
import { certainlyNothingMade, outcomeUnknownAfterStop } from '../plaid-errors';
import type { AssetReportGetResult } from '../../../shared/asset-report';
import {
  checkFilterAccounts,
  checkReportRequest,
  REPORT_ENDPOINTS,
  REPORT_NOT_SENT,
  REPORT_REQUESTED,
  REPORT_SENT,
  removalSent,
  removeAtPlaid,
  requestWasSent,
  sendReportRequest,
  type PlaidReportIds,
  type ReportRequest,
} from './plaid-requests';

import { emulatorOnAnotherDesk, reportInAnotherEmulator } from '../team/emulator-per-desk';
import { createReportPoller, type CallWindow, type PollIntervals, type ReportPoller } from './poller';
import { readyContent } from './ready-content';

/**
 * The life of an Asset Report: create → pending → ready | failed → removed, crash-safe.
 *
 * The local "pending" row is written BEFORE Plaid is called and completed with Plaid's ids after,
 * so a crash can neither lose a report, nor make a second local one, nor send one request twice.
 * Readiness arrives by webhook where one can reach us and always by polling as well (see ./poller
 * and ./fetch).
 */

export { CallWindow, DEFAULT_POLL_INTERVALS, GETS_PER_MINUTE_PER_REPORT, type PollIntervals } from './poller';
export type { ReportRequest } from './plaid-requests';

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
  pollIntervals?: Partial<PollIntervals>;
  /** The built-in emulator's fingerprint in emulator mode (emulator-per-desk.ts), null with Plaid. */
  emulatorId?: string | null;
  /** Test hook: SIGKILL this process at a named point (default: env ASSETDESK_CRASH_AT). */
  crashAt?: CrashPoint | null;
  /** How this desk shares reports with the rest of the team (default: a lone desk does everything). */
  coordination?: ReportCoordination;
}

/** Creates the lifecycle of one environment's reports (see ReportLifecycle). */
export function createReportLifecycle(deps: ReportLifecycleDeps): ReportLifecycle {
  return new ReportLifecycle(deps);
}

export class ReportLifecycle {
  private readonly store: AssetDeskStore;
  private readonly environment: PlaidEnvironment;
  private readonly clock: () => Date;
  private readonly crashAt: CrashPoint | null;
  private readonly log: Logger;
  private readonly submitting = new Map<string, Promise<ReportRecord>>();
  private readonly toldCannotSave = new Set<string>();
  private readonly poller: ReportPoller;
  private readonly fetcher: ReportFetcher;
  private readonly recordFailure: ReportFailureRecorder;
  /** How this desk shares reports with the rest of the team (audit copies take their turn through it too). */
  readonly coordination: ReportCoordination;
  /** The per-report /asset_report/get window (tests read it). */
  readonly window: CallWindow;
  /** Whether this desk finishes removals left unfinished (see ReportCoordination). */
  readonly finishesRemovals: boolean;
  /** On a team in emulator mode, this desk's emulator (what another desk's made is out of its reach); else null. */
  readonly emulatorId: string | null;

  constructor(private readonly deps: ReportLifecycleDeps) {
    this.store = deps.store;
    this.environment = deps.environment;
    this.clock = deps.clock ?? (() => new Date());
    this.crashAt =
      deps.crashAt !== undefined ? deps.crashAt : ((process.env.ASSETDESK_CRASH_AT as CrashPoint | undefined) ?? null);
    this.log = deps.logger.child({ component: 'reports', environment: deps.environment });
    this.coordination = deps.coordination ?? LOCAL_COORDINATION;
    this.finishesRemovals = this.coordination.finishesRemovals;
    this.emulatorId = this.coordination.shared ? (deps.emulatorId ?? null) : null;
    this.poller = createReportPoller({
      ...(deps.pollIntervals ? { intervals: deps.pollIntervals } : {}),
      clock: this.clock,
      log: this.log,
      // Before every poll: a desk that slept or lost the server may no longer be the one polling this report.
      fetch: async (reportId) => {
        if (!(await this.coordination.holds(reportId))) return 'handed-over';
        try {
          return await this.fetcher.fetchIfReady(reportId);
        } catch (error) {
          await this.tellCannotSave(reportId, error);
          throw error; // the poller keeps trying: the report is saved as soon as the disk takes it
        }
      },
    });
    this.window = this.poller.window;
    this.recordFailure = createReportFailureRecorder({
      store: deps.store,
      environment: deps.environment,
      items: deps.items,
      desktop: deps.desktop,
      log: this.log,
      progress: async (report, status, message) => {
        await this.progress(report, status, message);
        await this.coordination.release(report.id);
      },
    });
    this.fetcher = createReportFetcher({
      store: deps.store,
      gateway: deps.gateway,
      environment: deps.environment,
      poller: this.poller,
      clock: this.clock,
      log: this.log,
      onFailure: (report, error) => this.recordFailure(report, error),
      onReady: async (report, warnings) => {
        await this.progress(report, 'ready', warningsMessage(warnings));
        await this.coordination.release(report.id);
        deps.desktop.notify(
          'Asset Report ready',
          `${report.applicantName} (loan ${report.loanNumber}) — the report is ready to review.`,
          { title: 'Asset Report ready', body: 'An Asset Report is ready.' },
        );
      },
    });
  }

  async create(request: ReportRequest): Promise<ReportRecord> {
    const { applicantId } = await checkReportRequest(this.store, this.environment, request);
    const { requireAllItems, fastAssets, ...row } = request;
    return this.startReport(
      { ...row, applicantId, environment: this.environment, kind: 'create', parentId: null },
      REPORT_REQUESTED,
      {
        daysRequested: request.daysRequested,
        banks: request.itemIds.length,
        requireAllItems: requireAllItems ?? true,
        fastAssets: fastAssets ?? false,
      },
    );
  }

  async refresh(reportId: string, daysRequested?: number): Promise<ReportRecord> {
    return this.createChild(reportId, 'refresh', daysRequested, []);
  }

  async filter(reportId: string, accountIdsToExclude: string[]): Promise<ReportRecord> {
    // Checked before the pending row exists: a wrong id would otherwise make a report that can only fail at Plaid.
    const parent = await this.requireReport(reportId);
    if (parent.status === 'ready')
      checkFilterAccounts(await this.store.reports.readJson(reportId), accountIdsToExclude);
    return this.createChild(reportId, 'filter', undefined, accountIdsToExclude);
  }

  /**
   * Every pending report of this environment carries on after a restart: with Plaid's ids it is
   * polled; never sent (the app stopped between the pending row and the request) it is submitted now,
   * attached to the same row; sent but without Plaid's answer saved it ends failed with an unknown
   * outcome, never sent twice (Plaid may hold that report, whose token we cannot learn).
   */
  async resume(): Promise<void> {
    // Removals first: a report whose removal was sent to Plaid is neither polled nor resubmitted.
    const removing = this.coordination.finishesRemovals
      ? await this.store.reports.listUnfinishedRemovals(this.environment)
      : [];
    for (const report of removing) await this.finishRemoval(report);
    for (const report of await this.store.reports.listPending(this.environment))
      if (!removing.some((r) => r.id === report.id)) await this.carryOn(report);
  }

  /**
   * A report another desk left (it closed or crashed): one still pending is carried on, one whose removal was
   * sent to Plaid is removed.
   */
  async takeOver(reportId: string): Promise<void> {
    const report = await this.store.reports.get(reportId);
    // Another desk's emulator report waits for that desk: this desk's emulator would call its token unknown.
    if (
      report?.environment !== this.environment ||
      report.status === 'removed' ||
      (await reportInAnotherEmulator(this.store, this.emulatorId, reportId))
    )
      return this.coordination.release(reportId);
    if (this.coordination.finishesRemovals && (await removalSent(this.store, reportId)))
      return this.finishRemoval(report);
    if (report.status === 'pending') await this.carryOn(report);
    else await this.coordination.release(reportId);
  }

  /**
   * A removal sent to Plaid before AssetDesk stopped, the report not yet marked removed here: sent again (Plaid's
   * "already gone" counts as done) and recorded once. Should Plaid not answer, it is tried at the next start; the
   * report is kept meanwhile (on a team this desk keeps holding it, so no other desk repeats the failure).
   */
  private async finishRemoval(report: ReportRecord): Promise<void> {
    if (await reportInAnotherEmulator(this.store, this.emulatorId, report.id)) return;
    if (!(await this.coordination.claim(report.id))) return;
    try {
      const reason = (await removalSent(this.store, report.id))?.detail.reason;
      const token = report.plaidReportId ? await this.store.reports.reportToken(report.id) : null;
      if (token) await this.deps.gateway.removeReport(token);
      const removedHere = await this.store.transaction(async () => {
        if (!(await this.store.reports.markRemoved(report.id))) return false;
        await this.store.activity.append({
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
      this.log.info('removal left unfinished by a stop is finished', { reportId: report.id, removedHere });
      if (removedHere) await this.progress({ ...report, status: 'removed' }, 'removed');
      await this.coordination.release(report.id);
    } catch (error) {
      this.log.warn('a removal left unfinished could not be finished; tried again at the next start', {
        reportId: report.id,
        code: (error as AppError).code,
      });
    }
  }

  private async carryOn(report: ReportRecord): Promise<void> {
    // On a team, the desk that holds the report carries it on; the others leave it alone, as they leave another
    // desk's emulator report to that desk.
    if (await reportInAnotherEmulator(this.store, this.emulatorId, report.id)) return;
    if (!(await this.coordination.claim(report.id))) return;
    if (report.plaidReportId) {
      this.log.info('resuming report', { reportId: report.id });
      this.poller.start(report.id);
    } else if (await requestWasSent(this.store, report.id)) {
      // Sent, then the app stopped before Plaid's ids were saved: Plaid may have made and billed the report, and
      // its token came only in the lost answer. Sending it again would bill a second one; the officer is told.
      this.log.warn('report sent before a stop, its answer lost: not sent again', { reportId: report.id });
      await this.recordFailure(report, plaidErrorBodyOf(outcomeUnknownAfterStop(REPORT_ENDPOINTS[report.kind])));
    } else {
      this.log.info('resubmitting report that never reached Plaid', { reportId: report.id });
      await this.submit(report).catch((error: unknown) => {
        this.log.warn('resubmission failed', { reportId: report.id, code: (error as AppError).code });
        // Quitting before it left: it is sent at the next start, nothing to tell.
        if (error instanceof AppError && error.code === ErrorCodes.stopping) return;
        // No dialog waits for this answer (the officer asked before the restart): a refusal, which leaves no
        // report behind, is said in a notice, as a report that failed later is.
        if (error instanceof AppError && certainlyNothingMade(error))
          this.deps.desktop.notify('Asset Report not made', `${report.applicantName}: ${error.message}`, {
            title: 'Asset Report not made',
            body: 'An Asset Report could not be made.',
          });
      });
    }
  }

  /** ASSETS webhooks: PRODUCT_READY → fetch now; ERROR → record Plaid's reason. */
  async handleWebhook(webhook: PlaidWebhook): Promise<void> {
    if (webhook.webhook_type !== 'ASSETS' || typeof webhook.asset_report_id !== 'string') return;
    const report = await this.store.reports.findByPlaidReportId(this.environment, webhook.asset_report_id);
    if (!report || report.status !== 'pending') return;
    // The desk polling the report handles its webhook too; another desk's copy of it is ignored.
    if (!(await this.coordination.claim(report.id))) return;
    if (webhook.webhook_code === 'PRODUCT_READY') {
      if ((webhook.report_type ?? 'FULL') === 'FAST') return this.fastReady(report);
      if (webhook.report_type !== undefined && webhook.report_type !== 'FULL') return;
      await this.fetcher.fetchIfReady(report.id);
    } else if (webhook.webhook_code === 'ERROR') {
      const error = (webhook.error as PlaidErrorBody | undefined) ?? {
        error_type: 'ASSET_REPORT_ERROR',
        error_code: 'ASSET_REPORT_GENERATION_FAILED',
      };
      await this.recordFailure(report, error);
    }
  }

  /**
   * Plaid's FAST version (balances and owners only) is ready: the officer hears so, but the report stays
   * pending for the FULL one, which alone is stored and read (and is what /asset_report/get answers by default).
   */
  private async fastReady(report: ReportRecord): Promise<void> {
    await this.store.activity.append({
      action: 'report_fast_ready',
      applicantId: report.applicantId,
      reportId: report.id,
      detail: { plaidReportId: report.plaidReportId },
    });
    await this.progress(
      report,
      'pending',
      "Plaid's first look (balances and owners) is ready; the full report with transactions follows shortly.",
    );
  }

  async remove(reportId: string): Promise<void> {
    const report = await this.requireReport(reportId);
    if (report.status === 'removed') throw await this.alreadyRemoved(reportId);
    await this.requireOwnEmulator(reportId, 'remove it at Plaid');
    // On a team this desk holds the report while removing it: no other desk takes the removal over meanwhile.
    await this.coordination.claim(reportId);
    // A failed report too: one Plaid accepted (or may hold) goes at Plaid first; one it never named, here only.
    const removedAtPlaid = await removeAtPlaid(this.deps, report);
    const removedHere = await this.store.transaction(async () => {
      // Another desk may have removed it meanwhile (Plaid answers its second removal as done): logged once.
      if (!(await this.store.reports.markRemoved(reportId))) return false;
      await this.store.activity.append({
        action: 'report_removed',
        applicantId: report.applicantId,
        reportId,
        detail: { plaidReportId: report.plaidReportId, status: report.status, removedAtPlaid },
      });
      return true;
    });
    await this.coordination.release(reportId);
    readyContent.forget(reportId); // its decrypted content leaves memory with it
    if (!removedHere) throw await this.alreadyRemoved(reportId);
    this.log.info('report removed', { reportId, status: report.status, removedAtPlaid });
  }

  /** What the desk that came second is told: who removed the report (on a team, the activity log names them). */
  private async alreadyRemoved(reportId: string): Promise<AppError> {
    const entry = (await this.store.activity.list({ reportId })).find((e) => e.action === 'report_removed');
    return new AppError({
      code: ErrorCodes.conflict,
      message: `This report was already removed${entry?.actor ? `, by ${entry.actor}` : ''}. There is nothing left to remove.`,
      retryable: false,
    });
  }

  /**
   * Plaid finished a report but the disk under the history refuses it (full, read-only): the report stays pending
   * and is saved once the disk takes it. Said once per report and cause, on its screen and in a notice.
   */
  private async tellCannotSave(reportId: string, error: unknown): Promise<void> {
    if (
      !(error instanceof AppError) ||
      !CANNOT_SAVE[error.code] ||
      this.toldCannotSave.has(`${reportId}:${error.code}`)
    )
      return;
    this.toldCannotSave.add(`${reportId}:${error.code}`);
    const report = await this.store.reports.get(reportId).catch(() => null);
    if (report?.status !== 'pending') return;
    const message = CANNOT_SAVE[error.code]!;
    await this.progress(report, 'pending', message);
    this.deps.desktop.notify('Asset Report not saved yet', `${report.applicantName}: ${message}`, {
      title: 'Asset Report not saved yet',
      body: 'An Asset Report is ready at Plaid but cannot be saved yet: the disk is full or read-only.',
    });
  }

  /** Polls, fetches and submissions in flight (tests wait on these; the app does not need to). */
  async settled(): Promise<void> {
    for (let running = this.inFlight(); running.length > 0; running = this.inFlight()) {
      await Promise.allSettled(running);
    }
  }

  async stop(): Promise<void> {
    this.poller.stop();
    await Promise.allSettled(this.inFlight());
  }

  private inFlight(): Promise<unknown>[] {
    return [...this.poller.inFlight(), ...this.fetcher.inFlight(), ...this.submitting.values()];
  }

  private crashPoint(point: CrashPoint): void {
    // Test-only: lets the crash-safety tests kill the process at the exact dangerous moments.
    if (this.crashAt === point) process.kill(process.pid, 'SIGKILL');
  }

  private async requireReport(reportId: string): Promise<ReportRecord> {
    return reportIn(this.store, this.environment, reportId);
  }

  /** Tells the screens a report's status changed, with the report as it now stands in the store. */
  private async progress(report: ReportSummary, status: ReportStatus, message?: string): Promise<void> {
    const elapsedMs = Math.max(0, this.clock().getTime() - Date.parse(report.createdAt));
    this.deps.events.emit('report:progress', {
      reportId: report.id,
      loanId: report.loanId,
      applicantId: report.applicantId,
      status,
      elapsedMs,
      ...(message ? { message } : {}),
      summary: (await this.store.reports.summary(report.id)) ?? report,
    });
  }

  /** Sends a pending row to Plaid and attaches Plaid's ids; on refusal records Plaid's reason. */
  private submit(pending: ReportRecord): Promise<ReportRecord> {
    const running = this.submitting.get(pending.id);
    if (running) return running;
    // Should AssetDesk quit meanwhile, a request on its way gets the grace to answer and its ids to be saved. The
    // polling starts outside that work: a poll is abandoned at once when AssetDesk stops, and done at the next start.
    const work = this.deps.gateway
      .save(() => this.sendAndAttach(pending))
      .then((attached) => {
        this.poller.start(attached.id);
        return attached;
      })
      .finally(() => this.submitting.delete(pending.id));
    this.submitting.set(pending.id, work);
    return work;
  }

  private async sendAndAttach(pending: ReportRecord): Promise<ReportRecord> {
    const { store, gateway } = this.deps;
    // Written before the request leaves: after a crash, a row with this entry and no ids is never sent again.
    await store.activity.append({
      action: REPORT_SENT,
      applicantId: pending.applicantId,
      reportId: pending.id,
      detail: { kind: pending.kind, ...(this.emulatorId ? { emulator: this.emulatorId } : {}) },
    });
    let reply: PlaidReportIds;
    try {
      reply = await sendReportRequest(pending, { store, gateway, webhook: this.deps.webhookUrl() });
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
      if (certainlyNothingMade(appError)) await this.discardNeverMade(pending, appError);
      else await this.recordFailure(pending, plaidErrorBodyOf(appError));
      throw appError;
    }
    this.crashPoint('after-plaid-reply');
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
          () => this.log.info('report made after its row was removed: removed at Plaid', { reportId: pending.id }),
          (failure: unknown) =>
            this.log.warn('report made after its row was removed could not be removed at Plaid', {
              reportId: pending.id,
              plaidReportId: reply.asset_report_id,
              code: (failure as AppError).code,
            }),
        );
      throw error;
    }
    this.log.info('report submitted', {
      reportId: pending.id,
      kind: pending.kind,
      plaidReportId: reply.asset_report_id,
    });
    return this.requireReport(pending.id);
  }

  /**
   * Plaid refused the request, so no report exists there: the pending row is deleted and the refusal logged in
   * one step (a crash before it leaves the row pending, to be resubmitted; after it, nothing is left to lose).
   */
  private async discardNeverMade(pending: ReportRecord, error: AppError): Promise<void> {
    const discarded = await this.store.transaction(async () => {
      const current = await this.store.reports.get(pending.id);
      if (!current || current.status !== 'pending' || current.plaidReportId) return false;
      await this.store.activity.append({
        action: 'report_not_made',
        applicantId: pending.applicantId,
        reportId: pending.id,
        detail: { kind: pending.kind, code: error.code, requestId: error.requestId ?? null },
      });
      return this.store.reports.deleteNeverMade(pending.id);
    });
    if (!discarded) return;
    this.log.warn('report not made: Plaid refused it', {
      reportId: pending.id,
      code: error.code,
      requestId: error.requestId,
    });
    // ITEM_LOGIN_REQUIRED: the bank is marked for re-linking, as for a report that failed later.
    await markItemsNeedingRelink(
      { store: this.store, environment: this.environment, items: this.deps.items },
      pending,
      error.code,
      [],
    );
    // The screens drop the row (they reload their lists on any progress event); the message is the create's error.
    await this.progress({ ...pending, status: 'removed' }, 'removed', error.message);
    await this.coordination.release(pending.id);
  }

  /** Refuses, saying at which desk to do it, what another desk's built-in emulator made (emulator-per-desk.ts). */
  private async requireOwnEmulator(reportId: string, action: string): Promise<void> {
    const found = await reportInAnotherEmulator(this.store, this.emulatorId, reportId);
    if (found) throw emulatorOnAnotherDesk('report', found, action);
  }

  /** Writes the pending row and its activity entry together, before Plaid is called, then submits it. */
  private async startReport(
    row: NewPendingReport,
    action: string,
    detail: Record<string, unknown>,
  ): Promise<ReportRecord> {
    const { pending, joined } = await this.store.transaction(async () => {
      // Two desks asking for the same report of one loan at once: the second waits here, then finds the first's.
      await this.coordination.lockLoan(row.loanId);
      const twin = this.coordination.shared
        ? sameRequestInFlight(await this.store.reports.listPending(this.environment), row, this.clock())
        : null;
      if (twin) return { pending: twin, joined: true };
      const created = await this.store.reports.createPending(row);
      await this.store.activity.append({ action, applicantId: row.applicantId, reportId: created.id, detail });
      return { pending: created, joined: false };
    });
    if (joined) {
      this.log.info('same report already requested by another desk; joining it', { reportId: pending.id });
      return pending;
    }
    await this.coordination.claim(pending.id);
    this.crashPoint('after-pending');
    await this.progress(pending, 'pending');
    return this.submit(pending);
  }

  private async createChild(
    parentId: string,
    kind: Exclude<ReportKind, 'create'>,
    daysRequested: number | undefined,
    accountIdsToExclude: string[],
  ): Promise<ReportRecord> {
    const parent = await this.requireReport(parentId);
    await this.requireOwnEmulator(parentId, `${kind} it`);
    if (parent.status !== 'ready') {
      throw new AppError({
        code: 'INVALID_PARENT',
        message: 'Only a ready report can be refreshed or filtered. Wait for it to finish, or create a new report.',
        retryable: false,
      });
    }
    return this.startReport(
      {
        loanId: parent.loanId,
        applicantId: parent.applicantId,
        environment: this.environment,
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
}

/** What the officer reads when a finished report cannot be written to the history's disk (see tellCannotSave). */
const CANNOT_SAVE: Readonly<Record<string, string>> = {
  [ErrorCodes.diskFull]:
    "Plaid has finished this report, but the disk holding AssetDesk's history is full, so it cannot be saved yet. Free some space on that disk: AssetDesk keeps trying and saves it then.",
  [ErrorCodes.dataFolderUnwritable]:
    "Plaid has finished this report, but AssetDesk's history cannot be written (its disk or file is read-only or gone), so it cannot be saved yet. Make it writable again: AssetDesk keeps trying and saves it then.",
};

/** The ready event's message when Plaid left something out (the report screen lists the warnings in full). */
function warningsMessage(warnings: AssetReportGetResult['warnings']): string | undefined {
  if (warnings.length === 0) return undefined;
  const parts = warnings.map((w) => {
    const bank = w.cause?.institution_name ? ` (${w.cause.institution_name})` : '';
    return `${w.warning_code.replace(/_/g, ' ').toLowerCase()}${bank}`;
  });
  return `Ready, with Plaid's warnings: ${parts.join('; ')}.`;
}
