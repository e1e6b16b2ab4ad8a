/**
 * The underwriter's lens: pure functions that read an Asset Report with the applicant's loan inputs and
 * return findings, each citing its rule. No I/O, no clock: callers pass `asOf`.
 */
export { analyzeReport, underwritingSettings } from './analyze';
export { diffReports } from './diff';
export type { BalanceChange, DiffDeposit, ReportDiff } from './diff';
export { summarizeReport } from './summary';
export type { ReportListSummary } from './summary';
export { loanInputsFromApplicant } from './inputs';
export { largeDepositThreshold, isPayroll, maskReferences } from './large-deposits';
export { isNsfFee, isNsfReversal } from './nsf';
export { averageDailyBalance, dailyBalances } from './balances';
export { refreshByDate } from './document-age';
export { nameMatches, nameTokens, splitPeople } from './names';
export { describeAccount, formatMoney } from './accounts';
export { addDays, addMonths, daysBetween, toIsoDate } from './dates';
export { CITATIONS, DEFAULT_UNDERWRITING_SETTINGS } from './types';
export type * from './types';
