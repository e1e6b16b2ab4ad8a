import type { AssetReportGetResult } from '../asset-report';

/**
 * What another of the borrowers' reports contributes to sourcing a deposit: its accounts (for
 * ownership) and their withdrawals (the possible other legs of a transfer) — nothing else, so the
 * desk can hand several reports to the analysis without carrying their full histories.
 */
export function transferEvidence(result: AssetReportGetResult): AssetReportGetResult {
  return {
    ...result,
    report: {
      ...result.report,
      items: result.report.items.map((item) => ({
        ...item,
        accounts: item.accounts.map((account) => ({
          ...account,
          transactions: account.transactions.filter((t) => t.amount > 0),
          historical_balances: [],
        })),
      })),
    },
  };
}
