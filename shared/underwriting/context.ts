import type { AssetReportGetResult } from '../asset-report';
import { analyzeReport, underwritingSettings } from './analyze';
import { loanInputsFromLoan, type LoanForAnalysis } from './inputs';
import { transferEvidence } from './transfer-evidence';
import type {
  AccountConfirmation,
  LoanInputs,
  ReportFunds,
  SourcedDeposit,
  UnderwritingAnalysis,
  UnderwritingSettings,
} from './types';

/** The lender settings the desk stores (everything else is per report or per applicant). */
export type StoredUnderwritingSettings = Partial<
  Pick<
    UnderwritingSettings,
    | 'largeDepositShare'
    | 'documentAgeRule'
    | 'retirementDiscount'
    | 'brokerageShare'
    | 'hsaTreatment'
    | 'transferMatchBusinessDays'
  >
>;

export interface AnalysisContextInput {
  loan: LoanForAnalysis;
  settings?: StoredUnderwritingSettings | null;
  sourcedDeposits?: readonly SourcedDeposit[];
  accountConfirmations?: readonly AccountConfirmation[];
  /** The clock's reading; the analysis uses the officer's local date of it. */
  now: Date;
  /** The borrowers' other ready reports, where the other leg of a transfer may be (trimmed to what matching needs). */
  otherReports?: readonly AssetReportGetResult[];
  /** The loan's other current ready reports' funds to close, each from its own analysis (see loan-funds). */
  otherReportFunds?: readonly ReportFunds[];
}

/** Everything an analysis needs besides the report: built the same way by the screen, the list and the cover page. */
export interface AnalysisContext {
  loan: LoanInputs;
  settings: UnderwritingSettings;
  /** Today in the officer's local time zone, YYYY-MM-DD. */
  asOf: string;
  /** Other reports of the same borrowers: accounts and withdrawals only. */
  otherReports: AssetReportGetResult[];
  /** The loan's other current reports' funds to close: this report's figures are then said to be its alone. */
  otherReportFunds: ReportFunds[];
}

/** The officer's local calendar date (not UTC: at 8 p.m. in California it is already tomorrow in UTC). */
export function localIsoDate(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The one place loan inputs, settings, sourced deposits, confirmations and today are put together. */
export function buildAnalysisContext(input: AnalysisContextInput): AnalysisContext {
  const loan = loanInputsFromLoan(input.loan);
  const stored = input.settings ?? {};
  return {
    loan,
    settings: underwritingSettings({
      largeDepositShare: stored.largeDepositShare,
      documentAgeRule: stored.documentAgeRule,
      retirementDiscount: stored.retirementDiscount,
      brokerageShare: stored.brokerageShare,
      hsaTreatment: stored.hsaTreatment,
      transferMatchBusinessDays: stored.transferMatchBusinessDays,
      sourcedDeposits: (input.sourcedDeposits ?? []).map(({ transactionId, note }) => ({ transactionId, note })),
      accountConfirmations: [...(input.accountConfirmations ?? [])],
    }),
    asOf: localIsoDate(input.now),
    otherReports: (input.otherReports ?? []).map(transferEvidence),
    otherReportFunds: [...(input.otherReportFunds ?? [])],
  };
}

export function analyzeInContext(result: AssetReportGetResult, context: AnalysisContext): UnderwritingAnalysis {
  return analyzeReport(result, context.loan, context.settings, context.asOf, {
    otherReports: context.otherReports,
    otherReportFunds: context.otherReportFunds,
  });
}
