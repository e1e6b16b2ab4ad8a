import type { AssetDeskStore } from '../../db';
import type { AssetReportGetResult } from '../../../shared/asset-report';
import type { AssetClassSettings, Loan, PlaidEnvironment, ReportSummary } from '../../../shared/domain';
import type { ContractHandlers } from '../../../shared/ipc/contract';
import { notFound } from '../service-context';
import { deepFreeze, nextTurn, readyContent, type ReadyContent } from '../reports/ready-content';
import {
  addReportFunds,
  analyzeInContext,
  buildAnalysisContext,
  reportFunds,
  transferEvidence,
  type AnalysisContext,
  type LoanFundsResult,
  type ReportFunds,
} from '../../../shared/underwriting';

type UnderwritingChannels =
  | 'underwriting:listConfirmations'
  | 'underwriting:confirmAccount'
  | 'underwriting:withdrawConfirmation'
  | 'underwriting:getSettings'
  | 'underwriting:updateSettings'
  | 'underwriting:otherReports';

async function assetClassSettings(store: AssetDeskStore): Promise<AssetClassSettings> {
  const { retirementDiscount, brokerageShare, hsaTreatment, transferMatchBusinessDays } =
    await store.settings.underwriting();
  return { retirementDiscount, brokerageShare, hsaTreatment, transferMatchBusinessDays };
}

/** Enough of the borrowers' history to find a transfer's other leg, without reading every old report. */
const MAX_OTHER_REPORTS = 5;

interface OtherReport {
  report: ReportSummary;
  read: ReadyContent;
}

/** The loan's other ready reports in the report's environment, newest first, at most five (see otherReportsFor). */
async function otherReadyReports(store: AssetDeskStore, reportId: string, read: ReadReport): Promise<OtherReport[]> {
  const report = await store.reports.summary(reportId);
  if (!report) return [];
  const others: OtherReport[] = [];
  for (const other of await loanReports(store, report.loanId, report.environment)) {
    if (other.id === reportId || other.status !== 'ready') continue;
    const content = await read(other);
    if (content) others.push({ report: other, read: content });
    if (others.length === MAX_OTHER_REPORTS) break;
  }
  return others;
}

/**
 * The loan's other ready reports in the report's environment (newest first, at most five), trimmed to accounts and
 * withdrawals: where the other leg of a large deposit's transfer may be. `read` lets a caller share reads across reports.
 */
export async function otherReportsFor(
  store: AssetDeskStore,
  reportId: string,
  read: ReadReport = cachedReads(store),
): Promise<AssetReportGetResult[]> {
  return (await otherReadyReports(store, reportId, read)).map((other) => other.read.evidence());
}

/** The loan's reports of an environment; what is kept of those no longer ready goes (removed at another desk, say). */
async function loanReports(store: AssetDeskStore, loanId: string, environment: PlaidEnvironment) {
  const reports = await store.reports.listForLoan(loanId, environment);
  readyContent.settle(reports);
  return reports;
}

/**
 * The analysis context for one report of a loan, from what the store holds: the loan and all its borrowers, lender
 * settings, the deposits sourced on this report or the reports it was refreshed/filtered from, the confirmations,
 * and the loan's other current reports' funds to close. The main process's one way in to shared/underwriting's
 * buildAnalysisContext (list counts, cover page, export).
 */
export async function analysisContextFor(
  store: AssetDeskStore,
  loan: Loan,
  reportId: string,
  now: Date,
  given: {
    /** The other reports' transfer evidence, when the caller has worked it out already. */
    otherReports?: readonly AssetReportGetResult[];
    /** The loan's other current reports' funds to close, likewise. */
    otherReportFunds?: readonly ReportFunds[];
    /** This report's content, when the caller has read it: another report's analysis needs it as evidence. */
    content?: AssetReportGetResult;
  } = {},
): Promise<AnalysisContext> {
  const read = cachedReads(store, given.content ? { id: reportId, content: given.content } : undefined);
  const otherReports = given.otherReports ?? (await otherReportsFor(store, reportId, read));
  const otherReportFunds = given.otherReportFunds ?? (await otherCurrentReportFunds(store, loan, reportId, now, read));
  return buildAnalysisContext({
    loan,
    settings: await store.settings.underwriting(),
    sourcedDeposits: await store.sourcedDeposits.listCarried(reportId),
    accountConfirmations: await store.accountConfirmations.listForLoan(loan.id),
    now,
    otherReports,
    otherReportFunds,
  });
}

function othersThan(funds: Map<string, ReportFunds>, reportId: string): ReportFunds[] {
  return [...funds].filter(([id]) => id !== reportId).map(([, part]) => part);
}

/** The funds to close of the loan's current reports other than this one (see currentReportFunds). */
async function otherCurrentReportFunds(
  store: AssetDeskStore,
  loan: Loan,
  reportId: string,
  now: Date,
  read: ReadReport,
): Promise<ReportFunds[]> {
  const summary = await store.reports.summary(reportId);
  if (!summary) return [];
  return othersThan(
    await currentReportFunds(store, loan, summary.environment, now, read, { except: reportId }),
    reportId,
  );
}

/**
 * The funds to close of each of the loan's current reports (ready, and not refreshed or filtered into a newer ready
 * report), each from its own analysis: a co-borrower's report covers what the borrower's alone may not.
 */
export async function currentReportFunds(
  store: AssetDeskStore,
  loan: Loan,
  environment: PlaidEnvironment,
  now: Date,
  read: ReadReport = cachedReads(store),
  options: {
    /** A report not to analyse (the one the others are for: it is analysed by its caller). */
    except?: string;
    /** Analyse a loan's only current report too: the loan page's figure is then that report's. */
    single?: boolean;
  } = {},
): Promise<Map<string, ReportFunds>> {
  const ready = (await loanReports(store, loan.id, environment)).filter((r) => r.status === 'ready');
  const replaced = new Set(ready.map((r) => r.parentId));
  const current = ready.filter((r) => !replaced.has(r.id) && r.id !== options.except);
  const funds = new Map<string, ReportFunds>();
  // A loan's only current report has nothing to be added to: it is not analysed twice.
  if (options.except === undefined && !options.single && current.length < 2) return funds;
  for (const report of current) {
    const kept = await read(report);
    if (!kept) continue;
    const others = await otherReadyReports(store, report.id, read);
    const context = await analysisContextFor(store, loan, report.id, now, {
      otherReports: others.map((other) => other.read.evidence()),
      otherReportFunds: [],
    });
    funds.set(report.id, await fundsInContext(kept, context, others));
  }
  return funds;
}

/** The last funds worked out from each kept report, with what they were worked out from (see fundsInContext). */
const lastFunds = new WeakMap<ReadyContent, { inputs: string; funds: ReportFunds }>();

/**
 * A report's funds to close in this context, worked out again only when something it depends on changed: the loan,
 * the settings, its sourced deposits and the confirmations (all in the context), today, or which reports (by id and
 * ready time) are its transfer evidence. The analysis of a heavy report takes 100-250 ms; the inputs a few.
 */
async function fundsInContext(
  kept: ReadyContent,
  context: AnalysisContext,
  others: readonly OtherReport[],
): Promise<ReportFunds> {
  const { loan, settings, asOf, otherReportFunds } = context;
  const evidence = others.map(({ report }) => [report.id, report.readyAt]);
  // Numbers JSON cannot spell (Infinity, NaN) as text, so that two different inputs never read the same.
  const inputs = JSON.stringify({ loan, settings, asOf, otherReportFunds, evidence }, (_, value: unknown) =>
    typeof value === 'number' && !Number.isFinite(value) ? String(value) : value,
  );
  const last = lastFunds.get(kept);
  if (last?.inputs === inputs) return last.funds;
  await nextTurn(); // the analysis is 100-250 ms of the main thread: other IPC calls first
  const funds = deepFreeze(reportFunds(analyzeInContext(kept.content, context)));
  lastFunds.set(kept, { inputs, funds });
  return funds;
}

/**
 * The loan page's funds to close: the loan's current reports added together, each account once, as each report's
 * screen and cover page count the loan's (one current report: its own figure). Null when no report is ready.
 */
export async function loanFundsToClose(
  store: AssetDeskStore,
  loan: Loan,
  environment: PlaidEnvironment,
  now: Date,
): Promise<{ reports: { report: ReportSummary; reportDate: string }[]; funds: LoanFundsResult } | null> {
  const funds = await currentReportFunds(store, loan, environment, now, cachedReads(store), { single: true });
  if (funds.size === 0) return null;
  const reports = [];
  for (const [id, part] of funds) {
    const report = await store.reports.summary(id);
    if (report) reports.push({ report, reportDate: part.reportDate });
  }
  return { reports, funds: addReportFunds([...funds.values()], loan) };
}

/** A ready report's content, from the main process's cache of them (ready-content) unless the caller holds it. */
type ReadReport = (report: ReportSummary) => Promise<ReadyContent | null>;

/**
 * Reads each ready report once, however many analyses and opens it is evidence for: a heavy report takes a few
 * hundred ms to decrypt, parse and check. `known` is a report the caller has read already.
 */
function cachedReads(store: AssetDeskStore, known?: { id: string; content: AssetReportGetResult }): ReadReport {
  let knownContent: ReadyContent | undefined;
  if (known) {
    const { content } = known;
    let evidence: AssetReportGetResult | undefined;
    knownContent = {
      content,
      evidence: () => (evidence ??= transferEvidence(content)),
      evidenceJson: () => JSON.stringify(knownContent!.evidence()),
    };
  }
  return async (report) => (knownContent && report.id === known?.id ? knownContent : readyContent.read(store, report));
}

/**
 * Re-counts the findings the pipeline and report lists show, for every ready report of the loan, after a
 * confirmation or the loan's terms changed what counts. A report that cannot be read keeps its old counts.
 */
export async function recountLoanFindings(store: AssetDeskStore, loanId: string, now: Date): Promise<void> {
  const loan = await store.loans.get(loanId);
  if (!loan) return;
  // Each report is read once, whether it is being counted or is another report's evidence.
  const read = cachedReads(store);
  for (const environment of ['emulator', 'sandbox', 'production'] as const) {
    const funds = await currentReportFunds(store, loan, environment, now, read);
    for (const summary of await loanReports(store, loanId, environment)) {
      if (summary.status !== 'ready') continue;
      const content = (await read(summary))?.content;
      if (!content) continue;
      const context = await analysisContextFor(store, loan, summary.id, now, {
        otherReports: await otherReportsFor(store, summary.id, read),
        otherReportFunds: othersThan(funds, summary.id),
      });
      await store.reports.setFindingCounts(summary.id, analyzeInContext(content, context).counts);
    }
  }
}

/** The IPC handlers for confirmations and asset-class settings: this feature's slice of ContractHandlers. */
export function underwritingConfirmationHandlers(deps: {
  store: () => AssetDeskStore;
  clock?: () => Date;
}): Pick<ContractHandlers, UnderwritingChannels> {
  const clock = deps.clock ?? (() => new Date());
  return {
    'underwriting:listConfirmations': async ({ loanId }) => {
      const store = deps.store();
      if (!(await store.loans.get(loanId))) throw notFound('This loan file no longer exists.');
      return (await store.accountConfirmations.listForLoan(loanId)).map(
        ({ accountKey, kind, note, usdRate, confirmedAt }) => ({
          accountKey,
          kind,
          note,
          usdRate: usdRate ?? null,
          confirmedAt,
        }),
      );
    },
    'underwriting:confirmAccount': async ({ loanId, accountKey, kind, note, usdRate }) => {
      const store = deps.store();
      // Held by the primary borrower, counted for every report of the loan.
      const holder = (await store.loans.borrowerIds(loanId))[0];
      if (!holder) throw notFound('This loan file no longer exists.');
      await store.transaction(async () => {
        await store.accountConfirmations.withdrawForLoan(loanId, accountKey, kind);
        await store.accountConfirmations.confirm(holder, { accountKey, kind, note, usdRate: usdRate ?? null });
        await store.activity.append({
          action: 'account_confirmed',
          loanId,
          applicantId: holder,
          detail: { accountKey, kind, ...(usdRate ? { usdRate } : {}) },
        });
      });
      await recountLoanFindings(store, loanId, clock());
      return { ok: true as const };
    },
    'underwriting:withdrawConfirmation': async ({ loanId, accountKey, kind }) => {
      const store = deps.store();
      if (!(await store.loans.get(loanId))) throw notFound('This loan file no longer exists.');
      await store.transaction(async () => {
        await store.accountConfirmations.withdrawForLoan(loanId, accountKey, kind);
        await store.activity.append({ action: 'account_unconfirmed', loanId, detail: { accountKey, kind } });
      });
      await recountLoanFindings(store, loanId, clock());
      return { ok: true as const };
    },
    // JSON text, like reports:get: the renderer parses it once, and nothing here is a secret.
    'underwriting:otherReports': async ({ reportId }) => {
      const store = deps.store();
      const summary = await store.reports.summary(reportId);
      const loan = summary ? await store.loans.get(summary.loanId) : null;
      // The loan's reports as kept between opens (the one asked about too: it is the others' evidence).
      const read = cachedReads(store);
      const others = await otherReadyReports(store, reportId, read);
      return {
        reportsJson: `[${others.map((other) => other.read.evidenceJson()).join(',')}]`,
        reportFunds: loan ? await otherCurrentReportFunds(store, loan, reportId, clock(), read) : [],
      };
    },
    'underwriting:getSettings': async () => assetClassSettings(deps.store()),
    'underwriting:updateSettings': async (changes) => {
      const store = deps.store();
      const next = { ...(await assetClassSettings(store)), ...changes };
      await store.settings.update('underwritingAssetClasses', next);
      return next;
    },
  };
}
