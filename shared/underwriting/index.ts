/**
 * The underwriter's lens: pure functions that read an Asset Report with the applicant's loan inputs and
 * return findings, each citing its rule. No I/O, no clock: callers pass `asOf`.
 */
export { analyzeReport, underwritingSettings } from './analyze';
export { diffReports } from './diff';
export type { BalanceChange, DiffDeposit, ReportDiff } from './diff';
export { summarizeReport } from './summary';
export type { ReportListSummary } from './summary';
export { loanInputsFromLoan } from './inputs';
export { largeDepositThreshold, largeDepositThresholdCents } from './large-deposits';
export { isPayrollByInsights, payerKey, payrollPattern } from './payroll';
export { isNsfFee, isNsfReversal, isReturnedDeposit } from './nsf';
export { borrowerNames, accountOwnership } from './ownership';
export { classifyAccounts, NOT_COUNTED } from './funds-to-close';
export { addReportFunds, combineLoanFunds, reportFunds } from './loan-funds';
export { accountKey, assetClassOf, currencyOf } from './accounts';
export { buildAnalysisContext, analyzeInContext, localIsoDate } from './context';
export { withBankNamesInTitles } from './bank-names';
export { transferEvidence } from './transfer-evidence';
export type { AnalysisContext, AnalysisContextInput, StoredUnderwritingSettings } from './context';
export { averageDailyBalance, dailyBalances } from './balances';
export { refreshByDate, fannieMaeLastNoteDate, freddieMacLastNoteDate, duEarliestReportDate } from './document-age';
export { matchName, nameMatches, nameTokens, splitPeople } from './names';
export { describeAccount, formatMoney, formatShare } from './accounts';
export { addDays, addMonths, businessDaysBetween, daysBetween, toIsoDate } from './dates';
export { CITATIONS, DEFAULT_UNDERWRITING_SETTINGS } from './types';
export type * from './types';
export { readAssetReport } from './report-input';
export type { ReadReport } from './report-input';
