import type { AssetReportGetResult } from '../asset-report';
import { balanceOf, cents, currencyOf, isDepository, reportAccounts } from './accounts';

export interface ReportListSummary {
  /** Liquid assets: the current balances of US-dollar deposit accounts. */
  totalBalance: number;
  accountCount: number;
  /** The oldest day of history across accounts (balances or transactions); null when there is none. */
  earliestHistoryDate: string | null;
  /** Sum of current balances per Plaid account type; credit and loan sums are amounts owed. */
  totalsByAccountType: Record<string, number>;
}

/** The figures the report and applicant lists show as columns. */
export function summarizeReport(result: AssetReportGetResult): ReportListSummary {
  let totalBalance = 0;
  let earliest: string | null = null;
  const totalsByAccountType: Record<string, number> = {};
  const accounts = reportAccounts(result);
  for (const { account } of accounts) {
    const balance = balanceOf(account) ?? 0;
    // Amounts are never added across currencies: the list's figures are US dollars.
    const usd = currencyOf(account) === 'USD';
    if (usd && isDepository(account)) totalBalance += balance;
    if (usd) totalsByAccountType[account.type] = cents((totalsByAccountType[account.type] ?? 0) + balance);
    for (const date of [
      ...account.historical_balances.map((row) => row.date),
      ...account.transactions.map((t) => t.date),
    ]) {
      if (earliest === null || date < earliest) earliest = date;
    }
  }
  return {
    totalBalance: cents(totalBalance),
    accountCount: accounts.length,
    earliestHistoryDate: earliest,
    totalsByAccountType,
  };
}
