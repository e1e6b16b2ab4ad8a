import type { AssetReportGetResult } from '../asset-report';
import { CITATIONS } from './types';
import type { Finding } from './types';

/**
 * Plaid's warnings name Items by id. With require_all_items false a bank that failed is simply not in the report:
 * its accounts and balances are missing, so every total the other rules compute may be short. That must stop the
 * officer, not sit in a note. An Item that is present but without transactions keeps its balances: worth knowing.
 */
export function checkMissingItems(
  result: AssetReportGetResult,
  otherReports: AssetReportGetResult[] = [],
): { findings: Finding[] } {
  const present = new Map(result.report.items.map((item) => [item.item_id, item]));
  const named = new Map<string, string>();
  for (const other of otherReports)
    for (const item of other.report.items) if (!named.has(item.item_id)) named.set(item.item_id, item.institution_name);

  const missing = new Map<string, string | null>();
  const noTransactions = new Set<string>();
  for (const warning of result.warnings) {
    const itemId = warning.cause?.item_id;
    if (!itemId) continue;
    if (present.has(itemId)) {
      if (warning.warning_code === 'TRANSACTIONS_UNAVAILABLE') noTransactions.add(itemId);
      continue;
    }
    if (!missing.get(itemId)) missing.set(itemId, warning.cause?.institution_name ?? named.get(itemId) ?? null);
  }

  const findings: Finding[] = [];
  for (const [itemId, name] of missing) {
    findings.push({
      id: `missing-item:${itemId}`,
      rule: 'missing_item',
      citation: CITATIONS.missing_item,
      severity: 'attention',
      title: `${name ?? `A linked bank (Item ${itemId})`} is not in this report`,
      detail:
        `Plaid could not retrieve ${name ?? 'this bank'} when the report was made, ` +
        'so none of its accounts and balances are in it: verified funds may be understated and its deposits are ' +
        'not checked. Ask the borrower to re-link or update the connection to that bank and refresh the report, ' +
        'or accept the report without it if those funds are not needed.',
      accountIds: [],
      transactionIds: [],
      dates: [],
    });
  }
  for (const item of result.report.items) {
    if (!noTransactions.has(item.item_id)) continue;
    findings.push({
      id: `missing-transactions:${item.item_id}`,
      rule: 'missing_item',
      citation: CITATIONS.missing_item,
      severity: 'info',
      title: `${item.institution_name}: balances without transaction history`,
      detail:
        `Plaid could not retrieve transactions from ${item.institution_name}: its accounts and current balances are ` +
        'in the report, but deposits and overdrafts there cannot be checked. Obtain statements if that history is needed.',
      accountIds: item.accounts.map((a) => a.account_id),
      transactionIds: [],
      dates: [],
    });
  }
  return { findings };
}
