import { formatMoney, toCents } from './accounts';
import type {
  CountedAccount,
  FundsPart,
  LargeDeposit,
  LoanFundsResult,
  LoanInputs,
  LoanPurpose,
  ReportFunds,
  UnderwritingAnalysis,
} from './types';

type Deposit = Pick<LargeDeposit, 'accountId' | 'amount' | 'sourced' | 'inCountedAccount'>;

/** Each counted account's dollars and the unsourced large deposits a purchase subtracts from it. */
export function fundsParts(counted: CountedAccount[], deposits: Deposit[], purpose: LoanPurpose): FundsPart[] {
  return counted.map((account) => ({
    accountKey: account.accountKey,
    counted: account.counted,
    unsourced:
      purpose === 'purchase'
        ? deposits
            .filter((d) => d.accountId === account.accountId && !d.sourced && d.inCountedAccount)
            .reduce((sum, d) => sum + toCents(d.amount), 0) / 100
        : 0,
  }));
}

/** What a report adds to the loan's funds to close, from its own analysis (its own sourcing and confirmations). */
export function reportFunds(analysis: UnderwritingAnalysis): ReportFunds {
  return {
    reportId: analysis.reportId,
    reportDate: analysis.documentAge.reportDate,
    accounts: fundsParts(analysis.fundsToClose.counted, analysis.largeDeposits.deposits, analysis.purpose),
  };
}

/**
 * Funds to close over the loan's current reports: each borrower's report alone may fall short where together they
 * cover it. An account in several reports (a joint account both borrowers linked, a bank in two reports) is counted
 * once, from the newest report holding it (this report on a tie). Null when there is no other report to add.
 */
export function combineLoanFunds(
  own: ReportFunds,
  others: readonly ReportFunds[],
  loan: Pick<LoanInputs, 'fundsToClose' | 'reservesNeeded'>,
): LoanFundsResult | null {
  const reports = [own, ...others.filter((other) => other.reportId !== own.reportId)];
  return reports.length < 2 ? null : addReportFunds(reports, loan);
}

/**
 * The loan's figure over the given reports (the first wins a tie on date): what the report screens and the cover
 * page show as the loan's, and the loan page shows on its own. One report gives that report's own figure.
 */
export function addReportFunds(
  reports: readonly ReportFunds[],
  loan: Pick<LoanInputs, 'fundsToClose' | 'reservesNeeded'>,
): LoanFundsResult {
  const newestFirst = reports
    .map((report, index) => ({ report, index }))
    .sort((a, b) =>
      a.report.reportDate === b.report.reportDate
        ? a.index - b.index
        : a.report.reportDate > b.report.reportDate
          ? -1
          : 1,
    );
  // A key, not an account: one report may hold two accounts with the same key (a bank repeating a mask on CDs).
  const taken = new Map<string, string>();
  const holders = new Map<string, number>();
  let countedCents = 0;
  let unsourcedCents = 0;
  for (const { report } of newestFirst) {
    for (const key of new Set(report.accounts.map((a) => a.accountKey))) holders.set(key, (holders.get(key) ?? 0) + 1);
    for (const part of report.accounts) {
      const from = taken.get(part.accountKey);
      if (from !== undefined && from !== report.reportId) continue;
      taken.set(part.accountKey, report.reportId);
      countedCents += toCents(part.counted);
      unsourcedCents += toCents(part.unsourced);
    }
  }
  const availableCents = countedCents - unsourcedCents;
  const requiredCents = toCents(loan.fundsToClose) + toCents(loan.reservesNeeded);
  const surplusCents = availableCents - requiredCents;
  return {
    reportIds: reports.map((report) => report.reportId),
    verifiedLiquidAssets: countedCents / 100,
    unsourcedDeducted: unsourcedCents / 100,
    availableFunds: availableCents / 100,
    required: requiredCents / 100,
    surplus: surplusCents / 100,
    shortfall: surplusCents < 0 ? -surplusCents / 100 : 0,
    sharedAccounts: [...holders.values()].filter((n) => n > 1).length,
  };
}

/** The sentence the funds-to-close finding ends with when the loan has other current reports. */
export function loanFundsSentence(loan: LoanFundsResult): string {
  const shared =
    loan.sharedAccounts > 0
      ? ` (${loan.sharedAccounts} account${loan.sharedAccounts === 1 ? '' : 's'} in more than one report, counted once from the newest)`
      : '';
  const less =
    loan.unsourcedDeducted > 0 ? ` after ${formatMoney(loan.unsourcedDeducted)} of unsourced large deposits` : '';
  const verdict =
    loan.shortfall > 0 ? `short ${formatMoney(loan.shortfall)}` : `covered, ${formatMoney(loan.surplus)} to spare`;
  return `${withOthers(loan)} together, each account counted once${shared}: ${formatMoney(loan.availableFunds)} available${less} against ${formatMoney(loan.required)}, ${verdict}.`;
}

/** The reports the loan's figure adds: this one and the others (this one may be older than they are). */
export function withOthers(loan: Pick<LoanFundsResult, 'reportIds'>): string {
  const others = loan.reportIds.length - 1;
  return `This report and the loan's ${others === 1 ? 'other current report' : `${others} other current reports`}`;
}
