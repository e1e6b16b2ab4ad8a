import type { AssetReportGetResult } from '../asset-report';
import { currencyOf, reportAccounts, accountKey } from './accounts';
import { checkAverageBalances, checkBalanceJumps, checkNewAccounts, type SettledDeposit } from './balances';
import { checkCoverage } from './coverage';
import { toIsoDate } from './dates';
import { checkDocumentAge } from './document-age';
import { checkFundsToClose, classifyAccounts, notNeededToClose, unsourcedNotNeeded } from './funds-to-close';
import { checkLargeDeposits, documentedDeposits } from './large-deposits';
import { countEachAccountOnce } from './linked-twice';
import { checkMissingItems } from './missing-items';
import { checkNsf } from './nsf';
import { accountOwnership, borrowerNames, checkOwnership, othersAccounts } from './ownership';
import { markQuotedWords } from './quoted';
import { DEFAULT_UNDERWRITING_SETTINGS } from './types';
import type {
  Finding,
  FindingSeverity,
  LoanInputs,
  ReportFunds,
  UnderwritingAnalysis,
  UnderwritingSettings,
} from './types';

const SEVERITY_ORDER: Record<FindingSeverity, number> = { attention: 0, info: 1, ok: 2 };

/** Fills in what a caller left out with the documented defaults. */
export function underwritingSettings(overrides: Partial<UnderwritingSettings> = {}): UnderwritingSettings {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return {
    ...DEFAULT_UNDERWRITING_SETTINGS,
    coverageDays: { ...DEFAULT_UNDERWRITING_SETTINGS.coverageDays },
    sourcedDeposits: [],
    accountConfirmations: [],
    ...defined,
  };
}

/**
 * Reads a report the way an underwriter must. Pure: everything it needs is an argument, including
 * `asOf` (today, YYYY-MM-DD), which only the document-age rule uses; the other windows end at the report date.
 * Findings come attention first, then info, then ok, each group in rule order.
 */
export function analyzeReport(
  result: AssetReportGetResult,
  loan: LoanInputs,
  settings: UnderwritingSettings,
  asOf: string,
  options: {
    otherReports?: AssetReportGetResult[];
    /** The loan's other current ready reports' funds to close (see loan-funds): added to this one's, each account once. */
    otherReportFunds?: readonly ReportFunds[];
  } = {},
): UnderwritingAnalysis {
  // A joint account both borrowers linked is in the report twice: every rule reads one copy.
  const { accounts, findings: linkedTwice } = countEachAccountOnce(reportAccounts(result));
  const reportDate = toIsoDate(result.report.date_generated);
  const confirmations = settings.accountConfirmations ?? [];

  // A bank left out of the report (require_all_items false) is named by Plaid's warnings alone.
  const missingItems = checkMissingItems(result, options.otherReports);
  const documentAge = checkDocumentAge(result.report, loan, settings, toIsoDate(asOf));
  const coverage = checkCoverage(accounts, loan, settings);
  const ownership = checkOwnership(accounts, result.warnings, loan, confirmations);
  const usdRates = new Map<string, number>();
  for (const { item, account } of accounts) {
    if (currencyOf(account) === 'USD') continue;
    const key = accountKey(item, account);
    const rate = confirmations.find((c) => c.kind === 'conversion' && c.accountKey === key)?.usdRate;
    if (rate) usdRates.set(account.account_id, rate);
  }
  // The other leg of a transfer may be in another of the borrowers' reports (another bank linked separately);
  // an account of this report is left out of them by its key, as a re-link gives it a new account id.
  const ownKeys = new Set(accounts.map((a) => accountKey(a.item, a.account)));
  const otherAccounts = (options.otherReports ?? [])
    .flatMap((other) => reportAccounts(other).map((entry) => ({ entry, warnings: other.warnings })))
    .filter(({ entry }) => !ownKeys.has(accountKey(entry.item, entry.account)));
  const borrowers = borrowerNames(loan);
  const otherOwnership = otherAccounts.map(({ entry, warnings }) =>
    accountOwnership(entry, warnings, borrowers, confirmations),
  );
  // Money from an account that does not count (a business account before its review, …) is no own transfer.
  const classified = [
    classifyAccounts(accounts, ownership.ownership, settings),
    classifyAccounts(
      otherAccounts.map(({ entry }) => entry),
      otherOwnership,
      settings,
    ),
  ];
  const largeDeposits = checkLargeDeposits({
    accounts,
    reportDate,
    loan,
    settings,
    ownership: [...ownership.ownership, ...otherOwnership],
    countedAccountIds: new Set(classified.flatMap(({ counted }) => counted.map((a) => a.accountId))),
    notCountedReasons: new Map(classified.flatMap(({ notCounted }) => notCounted.map((a) => [a.accountId, a.reasons]))),
    usdRates,
    otherAccounts: otherAccounts.map(({ entry }) => entry),
  });
  // Someone else's account is not the borrower's NSF history nor average balance (nor, above, their funds).
  const notBorrowers = othersAccounts(ownership.ownership);
  const nsf = checkNsf(accounts, reportDate, notBorrowers);
  const averages = checkAverageBalances(accounts, reportDate, notBorrowers);
  const newAccounts = checkNewAccounts(accounts, result.report, settings);
  const funds = checkFundsToClose(
    accounts,
    largeDeposits.largeDeposits,
    loan,
    settings,
    ownership.ownership,
    options.otherReportFunds
      ? { reportId: result.report.asset_report_id, reportDate, others: options.otherReportFunds }
      : undefined,
  );
  // A jump made by deposits the large-deposit rule settles asks for nothing more than their own findings do: sourced,
  // the borrower's own money (transfers, payroll), or subtracted where the purchase does not need them to close.
  const settled: SettledDeposit[] = [
    ...documentedDeposits(largeDeposits.largeDeposits).map((d) => ({ ...d, how: 'sourced' as const })),
    ...largeDeposits.largeDeposits.excluded.map((d) => ({ ...d, how: d.reason })),
    ...(unsourcedNotNeeded(loan, funds.fundsToClose)
      ? largeDeposits.largeDeposits.deposits
          .filter((d) => !d.sourced && d.evidence === 'none' && d.inCountedAccount)
          .map((d) => ({ ...d, how: 'subtracted' as const }))
      : []),
  ];
  const jumps = checkBalanceJumps(accounts, averages.averageBalances.accounts, settings, reportDate, settled);

  const all: Finding[] = [
    ...missingItems.findings,
    ...documentAge.findings,
    ...funds.findings,
    ...largeDeposits.findings,
    ...ownership.findings,
    ...linkedTwice,
    ...newAccounts.findings,
    ...jumps.findings,
    ...nsf.findings,
    ...coverage.findings,
    ...averages.findings,
  ]
    .map((finding, index) => ({ finding, index }))
    .sort((a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || a.index - b.index)
    .map(({ finding }) => finding);
  const findings = markQuotedWords(
    notNeededToClose(all, loan, funds.fundsToClose),
    [result, ...(options.otherReports ?? [])],
    settings,
  );

  return {
    asOf: toIsoDate(asOf),
    reportId: result.report.asset_report_id,
    purpose: loan.purpose,
    findings,
    counts: {
      attention: findings.filter((finding) => finding.severity === 'attention').length,
      info: findings.filter((finding) => finding.severity === 'info').length,
    },
    coverage: coverage.coverage,
    documentAge: documentAge.documentAge,
    largeDeposits: largeDeposits.largeDeposits,
    nsf: nsf.nsf,
    averageBalances: averages.averageBalances,
    ownership: ownership.ownership,
    newAccounts: newAccounts.newAccounts,
    balanceJumps: jumps.balanceJumps,
    fundsToClose: funds.fundsToClose,
  };
}
