import type { AssetDeskStore } from '../../db';
import type { AssetReportGetResult } from '../../../shared/asset-report';
import type { AssetClassSettings, Loan } from '../../../shared/domain';
import type { ContractHandlers } from '../../../shared/ipc/contract';
import { notFound } from '../service-context';
import {
  analyzeInContext,
  buildAnalysisContext,
  readAssetReport,
  transferEvidence,
  type AnalysisContext,
} from '../../../shared/underwriting';

type UnderwritingChannels =
  | 'underwriting:listConfirmations'
  | 'underwriting:confirmAccount'
  | 'underwriting:withdrawConfirmation'
  | 'underwriting:getSettings'
  | 'underwriting:updateSettings'
  | 'underwriting:otherReports';

function assetClassSettings(store: AssetDeskStore): AssetClassSettings {
  const { retirementDiscount, brokerageShare, hsaTreatment, transferMatchBusinessDays } = store.settings.underwriting();
  return { retirementDiscount, brokerageShare, hsaTreatment, transferMatchBusinessDays };
}

/** Enough of the borrowers' history to find a transfer's other leg, without reading every old report. */
const MAX_OTHER_REPORTS = 5;

/**
 * The loan's other ready reports in the report's environment (newest first, at most five), trimmed to accounts and
 * withdrawals: where the other leg of a large deposit's transfer may be. `read` lets a caller share reads across reports.
 */
export function otherReportsFor(
  store: AssetDeskStore,
  reportId: string,
  read: (id: string) => AssetReportGetResult | null = (id) => readReady(store, id),
): AssetReportGetResult[] {
  const report = store.reports.summary(reportId);
  if (!report) return [];
  const others: AssetReportGetResult[] = [];
  for (const other of store.reports.listForLoan(report.loanId, report.environment)) {
    if (other.id === reportId || other.status !== 'ready') continue;
    const content = read(other.id);
    if (content) others.push(transferEvidence(content));
    if (others.length === MAX_OTHER_REPORTS) break;
  }
  return others;
}

function readReady(store: AssetDeskStore, reportId: string): AssetReportGetResult | null {
  try {
    const read = readAssetReport(store.reports.readJson(reportId));
    return read.ok ? read.result : null;
  } catch {
    return null; // a damaged report is evidence of nothing; its own screen says what is wrong with it
  }
}

/**
 * The analysis context for one report of a loan, from what the store holds: the loan and all its borrowers, lender
 * settings, the deposits sourced on this report or the reports it was refreshed/filtered from, and the confirmations.
 * The main process's one way in to shared/underwriting's buildAnalysisContext (list counts, cover page, export).
 */
export function analysisContextFor(
  store: AssetDeskStore,
  loan: Loan,
  reportId: string,
  now: Date,
  otherReports: readonly AssetReportGetResult[] = otherReportsFor(store, reportId),
): AnalysisContext {
  return buildAnalysisContext({
    loan,
    settings: store.settings.underwriting(),
    sourcedDeposits: store.sourcedDeposits.listCarried(reportId),
    accountConfirmations: store.accountConfirmations.listForLoan(loan.id),
    now,
    otherReports,
  });
}

/**
 * Re-counts the findings the pipeline and report lists show, for every ready report of the loan, after a
 * confirmation or the loan's terms changed what counts. A report that cannot be read keeps its old counts.
 */
export function recountLoanFindings(store: AssetDeskStore, loanId: string, now: Date): void {
  const loan = store.loans.get(loanId);
  if (!loan) return;
  // Each report is read once, whether it is being counted or is another report's evidence.
  const cache = new Map<string, AssetReportGetResult | null>();
  const read = (id: string): AssetReportGetResult | null => {
    if (!cache.has(id)) cache.set(id, readReady(store, id));
    return cache.get(id) ?? null;
  };
  for (const environment of ['emulator', 'sandbox', 'production'] as const) {
    for (const summary of store.reports.listForLoan(loanId, environment)) {
      if (summary.status !== 'ready') continue;
      const content = read(summary.id);
      if (!content) continue;
      const context = analysisContextFor(store, loan, summary.id, now, otherReportsFor(store, summary.id, read));
      store.reports.setFindingCounts(summary.id, analyzeInContext(content, context).counts);
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
      if (!store.loans.get(loanId)) throw notFound('This loan file no longer exists.');
      return store.accountConfirmations.listForLoan(loanId).map(({ accountKey, kind, note, usdRate, confirmedAt }) => ({
        accountKey,
        kind,
        note,
        usdRate: usdRate ?? null,
        confirmedAt,
      }));
    },
    'underwriting:confirmAccount': async ({ loanId, accountKey, kind, note, usdRate }) => {
      const store = deps.store();
      // Held by the primary borrower, counted for every report of the loan.
      const holder = store.loans.borrowerIds(loanId)[0];
      if (!holder) throw notFound('This loan file no longer exists.');
      store.transaction(() => {
        store.accountConfirmations.withdrawForLoan(loanId, accountKey, kind);
        store.accountConfirmations.confirm(holder, { accountKey, kind, note, usdRate: usdRate ?? null });
        store.activity.append({
          action: 'account_confirmed',
          loanId,
          applicantId: holder,
          detail: { accountKey, kind, ...(usdRate ? { usdRate } : {}) },
        });
      });
      recountLoanFindings(store, loanId, clock());
      return { ok: true as const };
    },
    'underwriting:withdrawConfirmation': async ({ loanId, accountKey, kind }) => {
      const store = deps.store();
      if (!store.loans.get(loanId)) throw notFound('This loan file no longer exists.');
      store.transaction(() => {
        store.accountConfirmations.withdrawForLoan(loanId, accountKey, kind);
        store.activity.append({ action: 'account_unconfirmed', loanId, detail: { accountKey, kind } });
      });
      recountLoanFindings(store, loanId, clock());
      return { ok: true as const };
    },
    // JSON text, like reports:get: the renderer parses it once, and nothing here is a secret.
    'underwriting:otherReports': async ({ reportId }) => ({
      reportsJson: JSON.stringify(otherReportsFor(deps.store(), reportId)),
    }),
    'underwriting:getSettings': async () => assetClassSettings(deps.store()),
    'underwriting:updateSettings': async (changes) => {
      const store = deps.store();
      const next = { ...assetClassSettings(store), ...changes };
      store.settings.update('underwritingAssetClasses', next);
      return next;
    },
  };
}
