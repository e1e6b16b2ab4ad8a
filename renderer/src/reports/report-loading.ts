import { api } from '../api';
import type {
  AssetClassSettings,
  Loan,
  ReportSummary,
  Settings,
  StoredAccountConfirmation,
} from '../../../shared/domain';
import type { ReportFunds, SourcedDeposit } from '../../../shared/underwriting';
import { afterShown } from '../ui';
import { analysisWorker, openAnalysis, readReportView, type ReportAnalysis, type ReportView } from './report-analysis';
import { viewOrSummary, type OpeningReport } from './report-or-summary';

/**
 * The Element Timing name of the report's title (see ReportScreen): once the frame that shows it is on screen, the
 * report's later reads start. Started sooner, their answers' work would share the cores with drawing that frame.
 */
export const REPORT_SHOWN = 'report-shown';

/**
 * What the report screen loads: the first screen of the report's view (see ./report-or-summary), then, once it is
 * painted, the findings' inputs and the report's text for the analysis worker.
 */

export interface LoadedReport {
  summary: ReportSummary;
  /** The report without its transactions, and the transactions as columns (see shared/report-view); null: not ready. */
  view: ReportView | null;
  /** What only the findings need, asked for once the view has arrived: the report paints without it. */
  findingsInputs: Promise<FindingsInputs> | null;
  /** The underwriting analysis, run off the page's main thread (see ./report-analysis). */
  analysis: ReportAnalysis | null;
  /** Resolves once the report's first frame is on screen (see REPORT_SHOWN): the later reads wait for it. */
  shown: Promise<void>;
}

export interface FindingsInputs {
  /** The loan with every borrower (ownership and funds to close count them all); null: could not be loaded. */
  loan: Loan | null;
  confirmations: StoredAccountConfirmation[];
  settings: Settings | null;
  sourced: SourcedDeposit[];
  assetClasses: AssetClassSettings | null;
}

/**
 * The loan's other reports (accounts and withdrawals only), as text, and its other current reports' funds to close:
 * only the analysis reads them.
 */
async function loadOtherReports(reportId: string): Promise<{ otherReportsJson: string; reportFunds: ReportFunds[] }> {
  const { reportsJson, reportFunds } = await api.underwritingOtherReports({ reportId });
  return { otherReportsJson: reportsJson, reportFunds };
}

/** The loan, its confirmations, the office's settings and the deposits already sourced: small, asked for together. */
async function loadFindingsInputs(summary: ReportSummary): Promise<FindingsInputs> {
  const [loan, confirmations, settings, sourced, assetClasses] = await Promise.all([
    api
      .loansGet({ loanId: summary.loanId })
      .then((r) => r.loan)
      .catch(() => null),
    api.underwritingListConfirmations({ loanId: summary.loanId }).catch(() => []),
    api.settingsGet({}).catch(() => null),
    api.depositsListSourced({ reportId: summary.id }).catch(() => []),
    api.underwritingGetSettings({}).catch(() => null),
  ]);
  return {
    loan,
    confirmations,
    settings,
    sourced: sourced.map(({ transactionId, note }) => ({ transactionId, note })),
    assetClasses,
  };
}

/**
 * Opens a report: only its prepared view's first screen is on the way to the first paint (one request of a few
 * KB, read in place); the whole view and the findings' inputs follow it, and the full report is read for the
 * analysis worker once the findings ask.
 */
export async function loadReport(reportId: string): Promise<LoadedReport> {
  analysisWorker(); // starts while the view travels
  return prepareReport(await viewOrSummary(reportId));
}

/** The screen's data from the first screen's answer: the view read in place, the rest asked for after the paint. */
export function prepareReport({ summary, view: block }: OpeningReport): LoadedReport {
  const view = block ? readReportView(block) : null;
  if (!view) return { summary, view, findingsInputs: null, analysis: null, shown: Promise.resolve() };
  const reportId = summary.id;
  // Watched from before the screen renders, so the title's first frame is the one seen.
  const shown = afterShown(REPORT_SHOWN);
  // Asked for once the report is on screen: their requests would hold its first frame back by a few ms.
  const findingsInputs = shown.then(() => loadFindingsInputs(summary));
  const analysis = openAnalysis(summary.id, async () => {
    await shown; // the summary's months ask as soon as it is shown: the report's text must not hold it back
    const [{ contentJson }, others] = await Promise.all([
      api.reportsGet({ reportId }),
      // Without them a transfer from another bank reads as unsourced, and funds to close is this report's alone:
      // stricter, never more lenient.
      loadOtherReports(reportId).catch(() => ({ otherReportsJson: '[]', reportFunds: [] })),
    ]);
    return { contentJson, ...others };
  });
  return { summary, view, findingsInputs, analysis, shown };
}
