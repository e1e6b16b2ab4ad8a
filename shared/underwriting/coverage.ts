import type { ReportAccount } from './accounts';
import { describeAccount, isDebt, isDepository } from './accounts';
import { CITATIONS } from './types';
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

    if (status === 'not_applicable') continue;
    const name = describeAccount(label);
    const base = {
      id: `coverage:${account.account_id}`,
      rule: 'coverage' as const,
      citation: CITATIONS.coverage,
      accountId: account.account_id,
      transactionIds: [],
      dates: [],
    };
    if (status === 'met') {
      findings.push({
        ...base,
        severity: 'ok',
        title: `${name}: ${daysAvailable} days of history`,
        detail: `Covers the ${daysRequired} days a ${loan.purpose} needs.`,
      });
    } else if (status === 'short') {
      findings.push({
        ...base,
        severity: 'attention',
        title: `${name}: only ${daysAvailable} of ${daysRequired} days of history`,
        detail: `A ${loan.purpose} needs ${daysRequired} days of account history. Request a report with more days, or obtain statements covering the gap.`,
      });
    } else {
      findings.push({
        ...base,
        severity: 'info',
        title: `${name}: no transaction history from Plaid`,
        detail:
          'Plaid sends balances but no history for investment and retirement accounts. If these funds are needed, obtain the latest statement.',
      });
    }
  }
  return { coverage, findings };
}
