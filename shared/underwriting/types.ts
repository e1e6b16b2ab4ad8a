import type { IsoDate } from '../asset-report';

/**
 * The underwriter's lens: what the officer entered about the loan, the lender's settings, and what the
 * analysis returns. Rules and numbers come from the agencies' guides (see CITATIONS); every finding cites one.
 */

export type LoanPurpose = 'purchase' | 'refinance' | 'cash_out_refinance';

/** The purpose as a sentence says it. */
export const PURPOSE_WORDS: Record<LoanPurpose, string> = {
  purchase: 'purchase',
  refinance: 'refinance',
  cash_out_refinance: 'cash-out refinance',
};

/** The applicant's loan inputs, as the officer entered them. */
export interface LoanInputs {
  purpose: LoanPurpose;
  /** Initial application date, YYYY-MM-DD. */
  applicationDate: IsoDate;
  qualifyingMonthlyIncome: number;
  fundsToClose: number;
  reservesNeeded: number;
  applicantName: PersonName;
  /** Other borrowers on the loan; their accounts count like the applicant's. */
  coBorrowerNames?: PersonName[];
  /** The expected closing (note) date, YYYY-MM-DD; document age is measured against it, else against today. */
  expectedNoteDate?: IsoDate | null;
  /**
   * The loan file's status (open when not given). Only an open loan's closing is still ahead: a closed or withdrawn
   * loan's report is judged on its note date alone, however long after it is read.
   */
  status?: 'open' | 'closed' | 'withdrawn';
}

export interface PersonName {
  first: string;
  middle?: string | null;
  last: string;
}

/**
 * Which agencies' document-age limits apply: Fannie Mae (4 months), Freddie Mac (120 days), both (the earlier
 * date binds), or Fannie Mae with DU validation (4 months, and the report dated within 45 days of the application).
 */
export type DocumentAgeRule = 'fannie_4_months' | 'freddie_120_days' | 'both_agencies' | 'du_45_days';

/** A deposit the officer has documented (gift letter, sale of an asset, …). */
export interface SourcedDeposit {
  transactionId: string;
  note: string;
}

/** What the officer confirmed about an account so that it counts; keyed by accountKey() so it survives refreshes. */
export interface AccountConfirmation {
  accountKey: string;
  /**
   * ownership: the borrower owns it (for an account held in trust: the trust documents show its value and that the
   * borrower can withdraw it); business_review: the lender's business-asset review allows it; conversion: a USD rate.
   */
  kind: 'ownership' | 'business_review' | 'conversion';
  note: string;
  /** For conversion: US dollars per unit of the account's currency. */
  usdRate?: number | null;
}

/** How a Health Savings Account counts: not at all, in full, or like retirement funds (at the retirement share). */
export type HsaTreatment = 'excluded' | 'full' | 'retirement';

export interface UnderwritingSettings {
  /** Days of history each asset account must cover, per loan purpose. */
  coverageDays: Record<LoanPurpose, number>;
  /** A single deposit above this share of qualifying monthly income is "large". */
  largeDepositShare: number;
  /** Only deposits this many days before the report date are examined; null = the whole report. */
  largeDepositLookbackDays: number | null;
  /** Business days (Mon–Fri) the matching withdrawal from another account may precede a deposit (or follow it by one). */
  transferMatchBusinessDays: number;
  /** A current balance above this multiple of the 60-day average is a jump. */
  jumpFactor: number;
  /** ...and at least this many dollars above it, so balances swinging around zero are not flagged. */
  jumpMinimumIncrease: number;
  /** Accounts with less history than this (and less than was requested) are new. */
  newAccountDays: number;
  documentAgeRule: DocumentAgeRule;
  /** Share of retirement balances counted (the lender's discount for taxes and penalties). */
  retirementDiscount: number;
  /** Share of brokerage balances (stocks, bonds, mutual funds) counted; the agencies value them in full. */
  brokerageShare: number;
  hsaTreatment: HsaTreatment;
  sourcedDeposits: SourcedDeposit[];
  accountConfirmations: AccountConfirmation[];
}

/**
 * Defaults from the guides:
 * - coverage: DU validation asks for 60 days on purchases and 30 on refinances (Fannie Mae B3-4.2-01);
 * - large deposit: more than 50% of qualifying monthly income (Fannie Mae B3-4.2-02; Freddie Mac used 25%);
 * - lookback 90 days: the statements an underwriter reads (two months, or the latest quarter);
 * - new accounts under 90 days and balances "significantly greater" than average (Freddie Mac 5501.2);
 * - 60% of retirement balances, the lender discount commonly used for vested retirement funds;
 * - brokerage (stocks, bonds, mutual funds) in full: the agencies value them at market (Fannie Mae B3-4.3-01);
 * - HSA excluded: the agencies do not list it as an eligible asset, so a lender opts in;
 * - document age: both agencies, so a file sold to either is never stale;
 * - transfers: an ACH between banks settles within 1-3 business days.
 */
export const DEFAULT_UNDERWRITING_SETTINGS: Readonly<UnderwritingSettings> = Object.freeze({
  coverageDays: Object.freeze({ purchase: 60, refinance: 30, cash_out_refinance: 30 }) as Record<LoanPurpose, number>,
  largeDepositShare: 0.5,
  largeDepositLookbackDays: 90,
  transferMatchBusinessDays: 3,
  jumpFactor: 1.5,
  jumpMinimumIncrease: 1000,
  newAccountDays: 90,
  documentAgeRule: 'both_agencies',
  retirementDiscount: 0.6,
  brokerageShare: 1,
  hsaTreatment: 'excluded',
  sourcedDeposits: [] as SourcedDeposit[],
  accountConfirmations: [] as AccountConfirmation[],
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
  | 'funds_to_close'
  | 'gift'
  | 'borrowed_funds'
  | 'returned_deposit'
  | 'negative_balance'
  | 'missing_item';

/** attention: needs the officer before underwriting; info: worth knowing; ok: checked and fine. */
export type FindingSeverity = 'attention' | 'info' | 'ok';

export interface Finding {
  /** Stable across re-analysis of the same report, e.g. 'large-deposit:unsourced' (one finding per rule and cause). */
  id: string;
  rule: FindingRule;
  severity: FindingSeverity;
  title: string;
  detail: string;
  /** The guide section behind the rule, e.g. 'Fannie Mae B3-4.2-02'. */
  citation: string;
  accountId?: string;
  /** Every account the finding is about (one finding per rule and cause, listing its accounts). */
  accountIds?: string[];
  /** The transactions behind the finding. */
  transactionIds: string[];
  /** The days behind the finding (YYYY-MM-DD). */
  dates: string[];
  /** The headline amount, when the finding is about money. */
  amount?: number;
  /**
   * Words the title or detail quote as they were written (the officer's notes, the bank's descriptions and names)
   * that hold a YYYY-MM-DD date: shown exactly as written, never reformatted like the lens's own dates.
   */
  quoted?: string[];
}

export const CITATIONS: Record<FindingRule, string> = {
  coverage: 'Fannie Mae B3-4.2-01',
  document_age: 'Fannie Mae B3-1-03; Freddie Mac 120-day limit',
  large_deposit: 'Fannie Mae B3-4.2-02',
  nsf: 'Lender overlay (no agency threshold)',
  average_balance: 'Fannie Mae B3-4.2-01 (VOD average balance)',
  ownership: 'Fannie Mae B3-4.2-01',
  new_account: 'Freddie Mac Guide 5501.2',
  balance_jump: 'Freddie Mac Guide 5501.2',
  funds_to_close: 'Fannie Mae B3-4.1-01',
  gift: 'Fannie Mae B3-4.3-04',
  borrowed_funds: 'Fannie Mae B3-4.2-02 (borrowed funds)',
  returned_deposit: 'Lender overlay (no agency threshold)',
  negative_balance: 'Lender overlay (no agency threshold)',
  missing_item: 'Fannie Mae B3-4.2-01',
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

export interface DocumentAgeLimit {
  agency: 'fannie_mae' | 'freddie_mac';
  /** The last note date on which the report is young enough for this agency. */
  lastNoteDate: IsoDate;
}

export interface DocumentAgeResult {
  reportDate: IsoDate;
  rule: DocumentAgeRule;
  /** The binding date: the earliest last note date of the agencies that apply. */
  refreshBy: IsoDate;
  /** Which agency's limit sets refreshBy. */
  bindingAgency: DocumentAgeLimit['agency'];
  limits: DocumentAgeLimit[];
  /** The date the age is measured on: the expected note date, else today. */
  measuredOn: IsoDate;
  noteDateKnown: boolean;
  /** True when the report is too old on measuredOn, or, for a loan still open, already today. */
  refreshDue: boolean;
  /** Days from asOf (today) to refreshBy; negative once passed. */
  daysLeft: number;
  /** DU: the report must be dated no earlier than 45 days before the initial application; null when DU is not used. */
  du: { earliestReportDate: IsoDate; met: boolean } | null;
}

/** What the report itself shows about where a large deposit came from. */
export type DepositEvidence =
  /** Nothing in the report explains it. */
  | 'none'
  /** A matching withdrawal from an account the borrower does not own: a gift or loan to document. */
  | 'third_party'
  /** A matching withdrawal from a credit card or loan account, or Plaid's insights call it a loan: borrowed funds. */
  | 'borrowed'
  /** Its text reads like a gift. */
  | 'gift_text';

export interface LargeDeposit extends AccountLabel {
  transactionId: string;
  date: IsoDate;
  /** Positive: money in. */
  amount: number;
  description: string;
  sourced: boolean;
  note: string | null;
  /** The transaction id the note is recorded under: the deposit's own, or the id it had while pending. */
  noteTransactionId: string | null;
  evidence: DepositEvidence;
  /** The matching withdrawal behind third_party/borrowed evidence, or from a borrower's account that is not counted. */
  matchedTransactionId: string | null;
  matchedAccountId: string | null;
  /** False when its account is not counted in funds to close (so nothing is deducted for it). */
  inCountedAccount: boolean;
}

/** A deposit above the threshold that is not "large" because its source is visible in the report. */
export interface ExcludedDeposit extends AccountLabel {
  transactionId: string;
  date: IsoDate;
  amount: number;
  description: string;
  reason: 'own_transfer' | 'payroll';
  /** For own transfers: the matching withdrawal. */
  matchedTransactionId: string | null;
  /** For payroll: named as pay and recurring from one payer ('pattern'), or so categorised by Plaid ('insights'). */
  payrollBy: 'pattern' | 'insights' | null;
}

/** A deposit that may be a gift: from someone else's account, or its text says so. */
export interface PossibleGift extends AccountLabel {
  transactionId: string;
  date: IsoDate;
  amount: number;
  description: string;
  why: 'third_party' | 'gift_text';
  sourced: boolean;
  note: string | null;
  /** The transaction id the note is recorded under: the deposit's own, or the id it had while pending. */
  noteTransactionId: string | null;
}

/** One deposit of a split group, with the officer's note when it is sourced. */
export interface SplitDepositPart {
  transactionId: string;
  date: IsoDate;
  /** Positive: money in, US dollars. */
  amount: number;
  description: string;
  note: string | null;
  /** The transaction id the note is recorded under: the deposit's own, or the id it had while pending. */
  noteTransactionId: string | null;
}

/**
 * Deposits into one account from one payer within a week, none above the threshold but together above it: one large
 * deposit split into smaller ones reads like this. Flagged for the officer; the rule deducts single deposits only.
 */
export interface SplitDeposit extends AccountLabel {
  /** The payer as the bank prints it, without numbers ("CASH DEPOSIT", "ZELLE FROM JANE DOE"). */
  payer: string;
  transactionIds: string[];
  dates: IsoDate[];
  /** Positive: money in, US dollars. */
  total: number;
  /** Every one of its deposits is sourced: a group half documented still reads like one large deposit. */
  sourced: boolean;
  /** Its deposits in date order (the same as transactionIds and dates). */
  deposits: SplitDepositPart[];
}

export interface LargeDepositResult {
  /**
   * Deposits must exceed this (whole cents, rounded down: comparing whole-cent deposits to it is exact); 0 with a
   * qualifying income of 0 (every deposit exceeds half of nothing); null only without a usable income figure.
   */
  threshold: number | null;
  /** Deposits into accounts in another currency, not judged against the USD threshold until converted. */
  notJudgedAccountIds: string[];
  deposits: LargeDeposit[];
  excluded: ExcludedDeposit[];
  possibleGifts: PossibleGift[];
  splitDeposits: SplitDeposit[];
  /** Unsourced large deposits in counted accounts: what a purchase deducts. */
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

export interface ReturnedDeposit extends AccountLabel {
  transactionId: string;
  date: IsoDate;
  amount: number;
  description: string;
  /** The bank's fee for the returned item, or the returned item itself. */
  kind: 'item' | 'fee';
}

export interface NegativeBalanceDays extends AccountLabel {
  /** Days with an end-of-day balance below zero in the 30/60/90 days before the report date. */
  days30: number;
  days60: number;
  days90: number;
}

export interface NsfResult {
  windows: [NsfWindow, NsfWindow, NsfWindow];
  events: NsfEvent[];
  returnedDeposits: ReturnedDeposit[];
  negativeBalanceDays: NegativeBalanceDays[];
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

export type OwnershipBadge =
  'joint' | 'trust' | 'business' | 'owners_unavailable' | 'name_mismatch' | 'possible_match' | 'confirmed';

export interface OwnershipResult extends AccountLabel {
  ownerNames: string[];
  /** The owner name that matched a borrower, if any. */
  matchedName: string | null;
  /** The owner name that only possibly matches a borrower (differing suffix, extra given names, first initial). */
  possibleName: string | null;
  /** On a joint account, the people named who are not borrowers on the loan. */
  otherOwners: string[];
  badges: OwnershipBadge[];
  /** True when the borrower owns it: a name match, or the officer's ownership confirmation. */
  owned: boolean;
}

/**
 * The asset class of an account, which decides how much of it counts. restricted: investment accounts that are not
 * the borrower's freely available funds without a review (custodial, education, annuities and insurance, and kinds
 * of account the lens does not know): never counted.
 */
export type AssetClass = 'cash' | 'brokerage' | 'retirement' | 'hsa' | 'crypto' | 'restricted' | 'debt' | 'other';

/** Why an account's balance is not in funds to close. */
export type NotCountedReason =
  | 'name_mismatch'
  | 'possible_match'
  | 'owners_unavailable'
  | 'business'
  | 'trust'
  | 'foreign_currency'
  | 'crypto'
  | 'hsa_excluded'
  | 'custodial'
  | 'education'
  | 'annuity_insurance'
  | 'needs_review'
  | 'limited_use'
  | 'no_balance';

export interface NotCountedAccount extends AccountLabel {
  accountKey: string;
  assetClass: AssetClass;
  currency: string | null;
  /** In the account's own currency. */
  balance: number | null;
  reasons: NotCountedReason[];
  /** What the officer can do to count it, one per reason. */
  actions: string[];
}

export interface CountedAccount extends AccountLabel {
  accountKey: string;
  assetClass: AssetClass;
  currency: string;
  /** The account's balance in its own currency. */
  balance: number;
  /** Borrowed against an investment account (margin, a 401(k) loan), in its own currency: only the rest is the borrower's. */
  borrowedAgainst: number;
  /** US dollars counted after conversion and the class share. */
  counted: number;
  share: number;
  usdRate: number | null;
}

export interface NewAccount extends AccountLabel {
  daysAvailable: number;
  earliestDate: IsoDate | null;
}

export interface BalanceJump extends AccountLabel {
  current: number;
  average60: number;
  factor: number;
  /** Sourced deposits of the last 60 days cover the increase, so nothing more is needed. */
  explainedBySourcedDeposits: boolean;
  /**
   * Deposits of the last 60 days that the large-deposit rule settles cover the increase: sourced, transfers from the
   * borrower's own accounts, payroll, or unsourced ones subtracted on a purchase that does not need them to close.
   */
  explained: boolean;
}

export interface FundsToCloseResult {
  /** Cash accounts (checking, savings, money market, CD) at full current balance, less what overdrawn ones owe. */
  depositoryAssets: number;
  /** Retirement accounts before the discount (less any loan against them). */
  retirementAssetsGross: number;
  retirementAssets: number;
  retirementDiscount: number;
  /** Brokerage accounts (stocks, bonds, mutual funds) after the brokerage share. */
  brokerageAssets: number;
  /** HSA balances counted under the HSA setting. */
  hsaAssets: number;
  counted: CountedAccount[];
  notCounted: NotCountedAccount[];
  verifiedLiquidAssets: number;
  /** Subtracted for purchases only; a refinance needs no sourcing. */
  unsourcedDeducted: number;
  availableFunds: number;
  fundsToClose: number;
  /** Cash accounts less the unsourced large deposits deducted: the money ready for closing without selling anything. */
  cashForClosing: number;
  /**
   * The part of funds to close that cash does not cover and counted brokerage, retirement, HSA or converted crypto
   * must: it is at closing only once withdrawn or sold, which the lender documents. Reserves need no withdrawal.
   */
  neededFromOtherAssets: number;
  reservesNeeded: number;
  required: number;
  /** availableFunds - required: negative is a shortfall. */
  surplus: number;
  shortfall: number;
  /** Amounts owed on credit and loan accounts: debts, never counted as assets (a card's credit balance is not owed). */
  debtsExcluded: number;
  /**
   * The loan's current ready reports together (this one and, say, the co-borrower's), each account once; null when
   * this report is the loan's only one. The figures above are this report's alone.
   */
  loan?: LoanFundsResult | null;
}

/** One account's part in a report's funds to close: what adding a loan's reports together needs of it. */
export interface FundsPart {
  accountKey: string;
  /** US dollars counted (after conversion and the class share). */
  counted: number;
  /** Unsourced large deposits into it that a purchase subtracts. */
  unsourced: number;
}

/** A report's funds to close account by account, to be added to the loan's other current reports. */
export interface ReportFunds {
  reportId: string;
  reportDate: IsoDate;
  accounts: FundsPart[];
}

/** Funds to close over the loan's current ready reports together, each account counted once (from the newest). */
export interface LoanFundsResult {
  /** The reports added together, this one first. */
  reportIds: string[];
  verifiedLiquidAssets: number;
  unsourcedDeducted: number;
  availableFunds: number;
  required: number;
  surplus: number;
  shortfall: number;
  /** Accounts in more than one of the reports (a joint account each borrower linked): counted once. */
  sharedAccounts: number;
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
