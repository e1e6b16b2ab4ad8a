import type { AssetReportGetResponse } from 'plaid';
import { buildReportViews } from './report-view';
import { AppError } from '../../../shared/errors';
import type { AssetReportGetResult } from '../../../shared/asset-report';
import type { PlaidEnvironment, ReportSummary } from '../../../shared/domain';
import { analyzeInContext, summarizeReport } from '../../../shared/underwriting';
import type { AssetDeskStore, ReportRecord } from '../../db';
import type { ReportViewBlocks } from '../../db/repositories/reports';
import { analysisContextFor, recountLoanFindings } from '../features/underwriting';
import type { Logger } from '../../log/logger';
import type { PlaidErrorBody, PlaidGateway } from '../plaid-gateway';
import { INSIGHTS_UNAVAILABLE_CODES } from '../plaid-messages';
import { plaidErrorBodyOf } from './failures';
import type { FetchOutcome, ReportPoller } from './poller';

export interface ReportFetcherDeps {
  store: AssetDeskStore;
  gateway: PlaidGateway;
  environment: PlaidEnvironment;
  poller: Pick<ReportPoller, 'takeTurn' | 'window'>;
  clock: () => Date;
  log: Logger;
  /** Plaid refused the report: record why (only while it is still pending). */
  onFailure: (report: ReportRecord, error: PlaidErrorBody) => Promise<void>;
  /** The report was stored as ready. */
  onReady: (report: ReportRecord, warnings: AssetReportGetResult['warnings']) => Promise<void>;
}

/**
 * One /asset_report/get (through the per-report window) and, when Plaid has it, the PDF too, stored
 * with the report in one transaction. Idempotent: a second PRODUCT_READY or poll answer does nothing.
 */
export function createReportFetcher(deps: ReportFetcherDeps) {
  const { store, gateway, log } = deps;
  const finishing = new Map<string, Promise<FetchOutcome>>();

  const insightsOn = async () => (await store.settings.value('insights'))[deps.environment];

  async function getFromPlaid(
    report: ReportRecord,
    token: string,
    insights?: boolean,
  ): Promise<AssetReportGetResponse | FetchOutcome> {
    const withInsights = insights ?? (await insightsOn());
    try {
      // No gateway retries here: each retry is another /asset_report/get and must pass the window.
      return await gateway.call(
        '/asset_report/get',
        (p) => p.assetReportGet({ asset_report_token: token, include_insights: withInsights }),
        { retry: false },
      );
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (withInsights && INSIGHTS_UNAVAILABLE_CODES.has(error.code)) return withoutInsights(report, token, error.code);
      if (error.code === 'PRODUCT_NOT_READY' || error.retryable) return 'not-ready';
      await deps.onFailure(report, plaidErrorBodyOf(error));
      return 'failed';
    }
  }

  /** A good report without insights is still a good report: fetch it plainly (and remember a client without them). */
  async function withoutInsights(
    report: ReportRecord,
    token: string,
    code: string,
  ): Promise<AssetReportGetResponse | FetchOutcome> {
    // Only the client-wide answer is remembered; PREVIOUSLY_NOT_ENABLED concerns this one report.
    if (code === 'INSIGHTS_NOT_ENABLED') {
      await store.settings.update('insights', {
        ...(await store.settings.value('insights')),
        [deps.environment]: false,
      });
    }
    await store.activity.append({
      action: 'report_fetched_without_insights',
      applicantId: report.applicantId,
      reportId: report.id,
      detail: { code },
    });
    log.warn('insights unavailable, fetching without them', { reportId: report.id, code });
    if (!(await deps.poller.takeTurn(report.id))) return 'not-ready';
    return getFromPlaid(report, token, false);
  }

  async function fetchOnce(reportId: string): Promise<FetchOutcome> {
    const report = await store.reports.get(reportId);
    if (!report || report.status !== 'pending') return settledStatus(report);
    if (!report.plaidReportId) return 'not-ready';
    if (!(await deps.poller.takeTurn(reportId))) return 'not-ready';
    const token = await store.reports.reportToken(reportId);
    if (!token) return 'failed';
    const result = await getFromPlaid(report, token);
    if (typeof result === 'string') return result;
    const pdf = await gateway.pdf('/asset_report/pdf/get', (p, o) =>
      p.assetReportPdfGet({ asset_report_token: token }, o),
    );
    return storeIfStillPending(deps, reportId, result, pdf);
  }

  return {
    fetchIfReady(reportId: string): Promise<FetchOutcome> {
      const running = finishing.get(reportId);
      if (running) return running;
      const work = fetchOnce(reportId).finally(() => finishing.delete(reportId));
      finishing.set(reportId, work);
      return work;
    },
    inFlight: (): Promise<FetchOutcome>[] => [...finishing.values()],
  };
}

/** A report no longer pending was settled by someone else: report how it ended. */
function settledStatus(report: ReportRecord | null): FetchOutcome {
  return report?.status === 'ready' ? 'ready' : 'failed';
}

/**
 * Stores Plaid's answer as the ready report, unless the report was settled (failed or removed) while
 * Plaid was answering.
 */
async function storeIfStillPending(
  deps: ReportFetcherDeps,
  reportId: string,
  result: AssetReportGetResponse,
  pdf: Uint8Array,
): Promise<FetchOutcome> {
  const report = await deps.store.reports.get(reportId);
  if (!report || report.status !== 'pending') return settledStatus(report);
  const content = {
    report: result.report,
    warnings: await withInstitutions(deps.store, deps.environment, result.warnings),
  } as unknown as AssetReportGetResult;
  const findingCounts = await findingsFor(deps, report, content); // outside the write transaction: it reads the whole report
  const view = buildReportViews(content); // the same: ~130 ms for 50,000 transactions must not hold the write lock
  await deps.store.transaction(() => storeReady(deps, report, { content, pdf, view }, findingCounts));
  deps.log.info('report ready', { reportId, plaidReportId: report.plaidReportId });
  // Before the ready event, so the lists it refreshes read the other reports' new counts.
  await recountOtherReports(deps, report);
  await deps.onReady(report, content.warnings);
  deps.poller.window.forget(reportId);
  return 'ready';
}

/**
 * A new report may cover what the loan's others lacked (a co-borrower's banks): their funds to close is read with it,
 * so the lists count their findings again. A convenience like the counts themselves: a failure is only logged.
 */
async function recountOtherReports(deps: ReportFetcherDeps, report: ReportRecord): Promise<void> {
  try {
    const others = await deps.store.reports.listForLoan(report.loanId, report.environment);
    if (!others.some((other) => other.id !== report.id && other.status === 'ready')) return;
    await recountLoanFindings(deps.store, report.loanId, deps.clock());
  } catch (error) {
    deps.log.warn('finding counts of the loan’s other reports unavailable', { reportId: report.id, error });
  }
}

/**
 * Plaid's warnings name an Item by id only, and an Item left out of a report is not in it: the bank's
 * name comes from our own Items so the officer reads which bank is missing.
 */
async function withInstitutions(
  store: AssetDeskStore,
  environment: PlaidEnvironment,
  warnings: AssetReportGetResponse['warnings'] | undefined,
): Promise<AssetReportGetResult['warnings']> {
  return Promise.all(
    (warnings ?? []).map(async (warning) => {
      const itemId = warning.cause?.item_id;
      const item = itemId ? await store.items.findByPlaidItemId(environment, itemId) : null;
      return (
        item && warning.cause
          ? { ...warning, cause: { ...warning.cause, institution_name: item.institutionName } }
          : warning
      ) as AssetReportGetResult['warnings'][number];
    }),
  );
}

async function storeReady(
  deps: ReportFetcherDeps,
  report: ReportRecord,
  { content, pdf, view }: { content: AssetReportGetResult; pdf: Uint8Array; view: ReportViewBlocks },
  findingCounts: { attention: number; info: number } | null,
): Promise<void> {
  const summary = summarizeReport(content);
  // Counted while the report is still pending: on a team, a processor's desk that carried the report on
  // may write a report's outcome only while it is pending (the team database's row-level security).
  if (findingCounts) await deps.store.reports.setFindingCounts(report.id, findingCounts);
  await deps.store.reports.markReady(report.id, {
    reportJson: JSON.stringify(content),
    pdf,
    summary: {
      totalBalance: summary.totalBalance,
      accountCount: summary.accountCount,
      earliestHistoryDate: summary.earliestHistoryDate,
    },
    readyAt: deps.clock().toISOString(),
    generatedOn: content.report.date_generated?.slice(0, 10) ?? null,
    view,
  });
  await deps.store.activity.append({
    action: 'report_ready',
    applicantId: report.applicantId,
    reportId: report.id,
    detail: { plaidReportId: report.plaidReportId, kind: report.kind },
  });
}

/** Finding counts for the lists (a convenience: null when they cannot be worked out). */
async function findingsFor(
  deps: ReportFetcherDeps,
  report: ReportSummary,
  content: AssetReportGetResult,
): Promise<{ attention: number; info: number } | null> {
  try {
    const loan = await deps.store.loans.get(report.loanId);
    if (!loan) return null;
    // The same context as the report screen and the cover page: local date, sourced deposits, confirmations.
    return analyzeInContext(content, await analysisContextFor(deps.store, loan, report.id, deps.clock(), { content }))
      .counts;
  } catch (error) {
    // Findings are a convenience for the list; the report itself must still be stored.
    deps.log.warn('finding counts unavailable', { reportId: report.id, error });
    return null;
  }
}

export type ReportFetcher = ReturnType<typeof createReportFetcher>;
