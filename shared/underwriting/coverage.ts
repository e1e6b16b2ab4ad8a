import type { ReportAccount } from './accounts';
import { describeAccount, isDebt, isDepository } from './accounts';
import { CITATIONS, PURPOSE_WORDS } from './types';
import type { CoverageResult, Finding, LoanInputs, UnderwritingSettings } from './types';

/** Per account: does `days_available` cover what the loan purpose needs? */
export function checkCoverage(
  accounts: ReportAccount[],
  loan: Pick<LoanInputs, 'purpose'>,
  settings: Pick<UnderwritingSettings, 'coverageDays'>,
): { coverage: CoverageResult[]; findings: Finding[] } {
  const daysRequired = settings.coverageDays[loan.purpose];
  const coverage: CoverageResult[] = [];
  const findings: Finding[] = [];
  for (const { account, label } of accounts) {
    const daysAvailable = account.days_available;
    let status: CoverageResult['status'];
    if (isDebt(account)) status = 'not_applicable';
    else if (!isDepository(account)) status = 'no_history';
    else status = daysAvailable >= daysRequired ? 'met' : 'short';
    coverage.push({ ...label, daysAvailable, daysRequired, status });
  }
  // One finding per cause, listing its accounts.
  const group = (status: CoverageResult['status']) => coverage.filter((c) => c.status === status);
  const base = (status: string, accounts: CoverageResult[]) => ({
    id: `coverage:${status}`,
    rule: 'coverage' as const,
    citation: CITATIONS.coverage,
    accountIds: accounts.map((a) => a.accountId),
    transactionIds: [],
    dates: [],
  });
  const short = group('short');
  if (short.length > 0)
    findings.push({
      ...base('short', short),
      severity: 'attention',
      title: `Short of ${daysRequired} days of history: ${short.map((c) => `${describeAccount(c)} (${c.daysAvailable} days)`).join(', ')}`,
      detail: `A ${PURPOSE_WORDS[loan.purpose]} needs ${daysRequired} days of account history. Request a report with more days, or obtain statements covering the gap.`,
    });
  const noHistory = group('no_history');
  if (noHistory.length > 0)
    findings.push({
      ...base('no-history', noHistory),
      severity: 'info',
      title: `No transaction history from Plaid: ${noHistory.map((c) => describeAccount(c)).join(', ')}`,
      detail:
        'Plaid sends balances but no history for investment and retirement accounts. If these funds are needed, obtain the latest statement.',
    });
  const met = group('met');
  if (met.length > 0)
    findings.push({
      ...base('met', met),
      severity: 'ok',
      title: `${met.length} account${met.length === 1 ? '' : 's'} with ${daysRequired} days of history or more`,
      detail: `${met.map((c) => `${describeAccount(c)} (${c.daysAvailable} days)`).join(', ')} cover the ${daysRequired} days a ${PURPOSE_WORDS[loan.purpose]} needs.`,
    });
  return { coverage, findings };
}
