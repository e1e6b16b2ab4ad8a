import type { AssetReportWarning } from '../../../shared/asset-report';

/** Plaid's report warnings in words an officer can act on. */
const WARNING_TEXT: Record<string, string> = {
  OWNERS_UNAVAILABLE:
    'The bank did not provide account owners: confirm a borrower owns these accounts from statements.',
  INVESTMENTS_UNAVAILABLE: 'Investment holdings could not be retrieved for an Item.',
  TRANSACTIONS_UNAVAILABLE:
    'Transactions could not be retrieved from this bank: its balances are in the report, but its history may be incomplete.',
  BANK_INCOME_INSIGHTS_INSUFFICIENT_DATA: 'Not enough data for income insights.',
  BANK_INCOME_INSIGHTS_INCOMPLETE: 'Income insights are incomplete.',
  BANK_INCOME_INSIGHTS_STATUS_IN_PROGRESS: 'Income insights were still being computed.',
  BANK_INCOME_INSIGHTS_INTERNAL_ERROR: 'Plaid could not compute income insights.',
  BANK_INCOME_INSIGHTS_MISMATCHED_DAYS_REQUESTED: 'Income insights cover a different number of days than requested.',
};

/** Said of a bank a warning names but the report does not hold (left out under require_all_items false). */
const LEFT_OUT =
  'This bank is not in this report: Plaid could not retrieve it, so none of its accounts, balances or transactions are included and verified funds may be understated. Refresh the report once the bank is re-linked, or accept it without that bank.';

export function warningText(warning: AssetReportWarning, items: readonly { item_id: string }[]): string {
  const itemId = warning.cause?.item_id;
  if (itemId && !items.some((item) => item.item_id === itemId)) return LEFT_OUT;
  return (
    WARNING_TEXT[warning.warning_code] ??
    warning.cause?.display_message ??
    warning.cause?.error_message ??
    warning.warning_code
  );
}
