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
import { createReportFailureRecorder, type ReportFailureRecorder } from './failures';
import type { AssetReportGetResult } from '../../../shared/asset-report';
import { checkFilterAccounts, checkReportRequest, REPORT_REQUESTED, type ReportRequest } from './plaid-requests';

import { emulatorOnAnotherDesk, reportInAnotherEmulator } from '../team/emulator-per-desk';
import { createReportPoller, type CallWindow, type PollIntervals, type ReportPoller } from './poller';
import { createReportRemoval, type ReportRemoval } from './removal';
import { createReportResumption, type ReportResumption } from './resume';
import { createReportSubmitter, type ReportSubmitter } from './submission';

/**
 * The life of an Asset Report: create → pending → ready | failed → removed, crash-safe.
 *
 * The local "pending" row is written BEFORE Plaid is called and completed with Plaid's ids after,
 * so a crash can neither lose a report, nor make a second local one, nor send one request twice
 * (see ./submission). Readiness arrives by webhook where one can reach us and always by polling as
 * well (see ./poller and ./fetch); removals are in ./removal.
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
  private readonly toldCannotSave = new Set<string>();
  private readonly poller: ReportPoller;
  private readonly fetcher: ReportFetcher;
  private readonly recordFailure: ReportFailureRecorder;
  private readonly submitter: ReportSubmitter;
  private readonly removal: ReportRemoval;
  private readonly resumption: ReportResumption;
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
    this.submitter = createReportSubmitter({
      store: deps.store,
      gateway: deps.gateway,
      environment: deps.environment,
      items: deps.items,
      coordination: this.coordination,
      poller: this.poller,
      log: this.log,
      webhookUrl: deps.webhookUrl,
      emulatorId: this.emulatorId,
      recordFailure: this.recordFailure,
      progress: (report, status, message) => this.progress(report, status, message),
      crashPoint: (point) => this.crashPoint(point),
    });
    this.removal = createReportRemoval({
      store: deps.store,
      gateway: deps.gateway,
      environment: deps.environment,
      coordination: this.coordination,
      log: this.log,
      emulatorId: this.emulatorId,
      progress: (report, status, message) => this.progress(report, status, message),
      requireOwnEmulator: (reportId, action) => this.requireOwnEmulator(reportId, action),
    });
    this.resumption = createReportResumption({
      store: deps.store,
      environment: deps.environment,
      coordination: this.coordination,
      emulatorId: this.emulatorId,
      poller: this.poller,
      log: this.log,
      desktop: deps.desktop,
      recordFailure: this.recordFailure,
      submitter: this.submitter,
      removal: this.removal,
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

  /** Every pending report of this environment carries on after a restart (see ./resume). */
  resume(): Promise<void> {
    return this.resumption.resume();
  }

  /** A report another desk left is carried on or its removal finished (see ./resume). */
  takeOver(reportId: string): Promise<void> {
    return this.resumption.takeOver(reportId);
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

  /** Removes a report at Plaid and here (see ./removal). */
  remove(reportId: string): Promise<void> {
    return this.removal.remove(reportId);
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
    return [...this.poller.inFlight(), ...this.fetcher.inFlight(), ...this.submitter.inFlight()];
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
    return this.submitter.submit(pending);
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
