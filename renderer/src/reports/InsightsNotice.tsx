import type { AssetReportGetResult } from '../../../shared/asset-report';

/** Transaction fields only a report fetched with insights has (the ones a plain report surely lacks). */
export const INSIGHT_FIELDS = ['merchant_name', 'category', 'category_id', 'credit_category'] as const;

/** What the officer misses without insights, in their words (names, places and payment details go too). */
const MISSING = ['merchant names', 'categories', 'cleaned-up names', 'locations', 'payment details'];

/** True when the report has transactions and none carries an insight field (it was fetched without insights). */
export function fetchedWithoutInsights(content: AssetReportGetResult): boolean {
  let transactions = 0;
  for (const item of content.report.items) {
    for (const account of item.accounts) {
      for (const transaction of account.transactions ?? []) {
        transactions++;
        const fields = transaction as unknown as Record<string, unknown>;
        if (INSIGHT_FIELDS.some((field) => fields[field] !== undefined && fields[field] !== null)) return false;
      }
    }
  }
  return transactions > 0;
}

/**
 * Says which fields this report lacks because Plaid sent it without insights (the client has no
 * insights add-on, or the setting is off; see fetchedWithoutInsights); nothing when the report has them.
 */
export function InsightsNotice({ withoutInsights }: { withoutInsights: boolean }) {
  if (!withoutInsights) return null;
  return (
    <p className="alert alert-info" role="note" data-testid="insights-missing">
      <strong>Fetched without Plaid&apos;s insights.</strong> Transactions show the bank&apos;s own descriptions only:
      no {MISSING.join(', ')}. Balances, history and owners are complete. Insights can be turned on per environment in
      Settings once Plaid enables them for your account.
    </p>
  );
}
