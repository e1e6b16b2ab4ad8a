import { formatMoney as formatUsd } from '../ui/format';

export {
  calendarDay,
  formatDate,
  formatMonth,
  formatDatesInText,
  formatDateTime,
  formatElapsed,
  formatDays,
  formatPercent,
  applicantFullName,
  environmentLabel,
} from '../ui/format';

/** Money in the account's currency: Plaid sends USD almost always, but some banks report others. */
export function formatMoney(amount: number | null | undefined, currency?: string | null): string {
  if (currency && currency !== 'USD' && amount !== null && amount !== undefined && Number.isFinite(amount)) {
    return `${amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${currency}`;
  }
  return formatUsd(amount);
}
