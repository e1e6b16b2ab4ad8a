/** What the officer misses without insights, in their words (names, places and payment details go too). */
const MISSING = ['merchant names', 'categories', 'cleaned-up names', 'locations', 'payment details'];

/**
 * Says which fields this report lacks because Plaid sent it without insights (the client has no
 * insights add-on, or the setting is off; see fetchedWithoutInsights in shared/report-view); nothing when the report has them.
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
