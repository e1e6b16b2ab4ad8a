import type { IsoDate } from '../asset-report';

/**
 * The underwriter's lens: what the officer entered about the loan, the lender's settings, and what the
 * analysis returns. Rules and numbers come from the agencies' guides (see CITATIONS); every finding cites one.
 */

export type LoanPurpose = 'purchase' | 'refinance';

/** The applicant's loan inputs, as the officer entered them. */
export interface LoanInputs {
  purpose: LoanPurpose;
  /** Initial application date, YYYY-MM-DD. */
  applicationDate: IsoDate;
  qualifyingMonthlyIncome: number;
  fundsToClose: number;
  reservesNeeded: number;
  applicantName: { first: string; middle?: string | null; last: string };
}

export type DocumentAgeRule = 'fannie_4_months' | 'du_45_days';

/** A deposit the officer has documented (gift letter, sale of an asset, …). */
export interface SourcedDeposit {
  transactionId: string;
  note: string;
}

export interface UnderwritingSettings {
  /** Days of history each asset account must cover, per loan purpose. */
  coverageDays: Record<LoanPurpose, number>;
  /** A single deposit above this share of qualifying monthly income is "large". */
  largeDepositShare: number;
  /** Only deposits this many days before the report date are examined; null = the whole report. */
  largeDepositLookbackDays: number | null;
  /** Days apart that a deposit and the matching withdrawal from another own account may be. */
  transferMatchDays: number;
  /** A current balance above this multiple of the 60-day average is a jump. */
  jumpFactor: number;
  /** ...and at least this many dollars above it, so balances swinging around zero are not flagged. */
  jumpMinimumIncrease: number;
  /** Accounts with less history than this (and less than was requested) are new. */
  newAccountDays: number;
  documentAgeRule: DocumentAgeRule;
  /** Share of retirement and investment balances counted as liquid. */
  retirementDiscount: number;
  sourcedDeposits: SourcedDeposit[];
}

/**
 * Defaults from the guides:
 * - coverage: DU validation asks for 60 days on purchases and 30 on refinances (Fannie Mae B3-4.2-01);
 * - large deposit: more than 50% of qualifying monthly income (Fannie Mae B3-4.2-02; Freddie Mac used 25%);
 * - lookback 90 days: the statements an underwriter reads (two months, or the latest quarter);
 * - new accounts under 90 days and balances "significantly greater" than average (Freddie Mac 5501.2);
 * - 60% of retirement/investment balances, the lender discount commonly used for vested retirement funds.
 */
export const DEFAULT_UNDERWRITING_SETTINGS: Readonly<UnderwritingSettings> = Object.freeze({
  coverageDays: Object.freeze({ purchase: 60, refinance: 30 }) as Record<LoanPurpose, number>,
  largeDepositShare: 0.5,
  largeDepositLookbackDays: 90,
  transferMatchDays: 2,
  jumpFactor: 1.5,
  jumpMinimumIncrease: 1000,
  newAccountDays: 90,
  documentAgeRule: 'fannie_4_months',
  retirementDiscount: 0.6,
  sourcedDeposits: [] as SourcedDeposit[],
});

export type FindingRule =
  | 'coverage'
  | 'document_age'
  | 'large_deposit'
  | 'nsf'
  | 'average_balance'
  | 'ownership'
  | 'new_account'
  | 'balance_jump'
  | 'funds_to_close';

/** attention: needs the officer before underwriting; info: worth knowing; ok: checked and fine. */
export type FindingSeverity = 'attention' | 'info' | 'ok';

export interface Finding {
  /** Stable across re-analysis of the same report, e.g. 'large-deposit:<transaction_id>'. */
  id: string;
  rule: FindingRule;
  severity: FindingSeverity;
  title: string;
  detail: string;
  /** The guide section behind the rule, e.g. 'Fannie Mae B3-4.2-02'. */
  citation: string;
  accountId?: string;
  /** The transactions behind the finding. */
  transactionIds: string[];
  /** The days behind the finding (YYYY-MM-DD). */
  dates: string[];
  /** The headline amount, when the finding is about money. */
  amount?: number;
}

export const CITATIONS: Record<FindingRule, string> = {
  coverage: 'Fannie Mae B3-4.2-01',
  document_age: 'Fannie Mae B3-1-03',
  large_deposit: 'Fannie Mae B3-4.2-02',
  nsf: 'Lender overlay (no agency threshold)',
  average_balance: 'Fannie Mae B3-4.2-01 (VOD average balance)',
  ownership: 'Fannie Mae B3-4.2-01',
  new_account: 'Freddie Mac Guide 5501.2',
  balance_jump: 'Freddie Mac Guide 5501.2',
  funds_to_close: 'Fannie Mae B3-4.1-01',
};

/** How an account is identified on screen and in the cover page. */
export interface AccountLabel {
  accountId: string;
  itemId: string;
  institutionName: string;
  name: string;
  mask: string | null;
  type: string;
  subtype: string | null;
}

export interface CoverageResult extends AccountLabel {
  daysAvailable: number;
  daysRequired: number;
  /** met/short for deposit accounts; no_history for investments (Plaid sends none); not_applicable for debts. */
  status: 'met' | 'short' | 'no_history' | 'not_applicable';
}

export interface DocumentAgeResult {
  reportDate: IsoDate;
  rule: DocumentAgeRule;
  refreshBy: IsoDate;
  refreshDue: boolean;
  /** Days from asOf to refreshBy; negative once passed. */
  daysLeft: number;
}

export interface LargeDeposit extends AccountLabel {
  transactionId: string;
  date: IsoDate;
  /** Positive: money in. */
  amount: number;
  description: string;
  sourced: boolean;
  note: string | null;
}

/** A deposit above the threshold that is not "large" because its source is visible in the report. */
export interface ExcludedDeposit extends AccountLabel {
  transactionId: string;
  date: IsoDate;
  amount: number;
  description: string;
  reason: 'own_transfer' | 'payroll';
  /** For own transfers: the matching withdrawal, when one was found. */
  matchedTransactionId: string | null;
}

export interface LargeDepositResult {
  /** Deposits must exceed this; null when no qualifying income was entered. */
  threshold: number | null;
  deposits: LargeDeposit[];
  excluded: ExcludedDeposit[];
  totalUnsourced: number;
  totalSourced: number;
}

export interface NsfWindow {
  days: 30 | 60 | 90;
  /** NSF/overdraft fees posted in the window. */
  fees: number;
  /** Of those, fees that were reversed. */
  reversed: number;
  net: number;
}

export interface NsfEvent extends AccountLabel {
  transactionId: string;
  date: IsoDate;
  amount: number;
  description: string;
  /** The reversal's transaction id, when the fee was reversed. */
  reversedBy: string | null;
}

export interface NsfResult {
  windows: [NsfWindow, NsfWindow, NsfWindow];
  events: NsfEvent[];
  /** Days between the last unreversed fee and the report date; null when there is none. */
  daysSinceLast: number | null;
  lastDate: IsoDate | null;
}

export interface AverageBalances {
  days30: number | null;
  days60: number | null;
  days90: number | null;
}

export interface AccountAverages extends AccountLabel, AverageBalances {
  current: number | null;
  /** Days of daily history present before the report date. */
  historyDays: number;
}

export interface AverageBalanceResult {
  accounts: AccountAverages[];
  /** Sum over deposit accounts whose history covers the window; accounts without it are listed below. */
  totals: AverageBalances;
  accountsWithoutHistory: string[];
}

export type OwnershipBadge = 'joint' | 'trust' | 'business' | 'owners_unavailable' | 'name_mismatch';

export interface OwnershipResult extends AccountLabel {
  ownerNames: string[];
  /** The owner name that matched the applicant, if any. */
  matchedName: string | null;
  badges: OwnershipBadge[];
}

export interface NewAccount extends AccountLabel {
  daysAvailable: number;
  earliestDate: IsoDate | null;
}

export interface BalanceJump extends AccountLabel {
  current: number;
  average60: number;
  factor: number;
  /** Sourced large deposits of the last 60 days cover the increase, so nothing more is needed. */
  explainedBySourcedDeposits: boolean;
}

export interface FundsToCloseResult {
  /** Deposit accounts at full current balance (overdrawn accounts count as zero). */
  depositoryAssets: number;
  /** Retirement and investment accounts before the discount. */
  retirementAssetsGross: number;
  retirementAssets: number;
  retirementDiscount: number;
  verifiedLiquidAssets: number;
  /** Subtracted for purchases only; a refinance needs no sourcing. */
  unsourcedDeducted: number;
  availableFunds: number;
  fundsToClose: number;
  reservesNeeded: number;
  required: number;
  /** availableFunds - required: negative is a shortfall. */
  surplus: number;
  shortfall: number;
  /** Credit and loan balances: debts, never counted as assets. */
  debtsExcluded: number;
}

export interface UnderwritingAnalysis {
  asOf: IsoDate;
  reportId: string;
  purpose: LoanPurpose;
  findings: Finding[];
  counts: { attention: number; info: number };
  coverage: CoverageResult[];
  documentAge: DocumentAgeResult;
  largeDeposits: LargeDepositResult;
  nsf: NsfResult;
  averageBalances: AverageBalanceResult;
  ownership: OwnershipResult[];
  newAccounts: NewAccount[];
  balanceJumps: BalanceJump[];
  fundsToClose: FundsToCloseResult;
}
