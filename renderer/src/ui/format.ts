/** Display formatting in the officer's locale; one place so every screen shows money and dates alike. */
import { DAYS_REQUESTED_MAX, DAYS_REQUESTED_MIN } from '../../../shared/loan-file';
const moneyFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const moneyWholeFormat = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const dateFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const dateTimeFormat = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

export function formatMoney(amount: number | null | undefined, options: { whole?: boolean } = {}): string {
  if (amount === null || amount === undefined || !Number.isFinite(amount)) return '—';
  return (options.whole ? moneyWholeFormat : moneyFormat).format(amount);
}

/** A calendar date (YYYY-MM-DD or an ISO timestamp's date part), shown without time-zone drift. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '—';
  const day = /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0];
  if (!day) return value;
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

const monthFormat = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });

/** A calendar month (YYYY-MM), as a statement heads it: "November 2026". */
export function formatMonth(month: string): string {
  const date = new Date(`${month}-01T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? month : monthFormat.format(date);
}

/** The calendar day (YYYY-MM-DD) of a date or timestamp, for computing with (charts, comparisons), not for showing. */
export function calendarDay(value: string): string {
  return /^\d{4}-\d{2}-\d{2}/.exec(value)?.[0] ?? value;
}

const ISO_DAY_IN_TEXT = /\b\d{4}-\d{2}-\d{2}\b/g;

/**
 * A sentence made elsewhere (the underwriting findings, shared with the cover page and CLI) with its
 * YYYY-MM-DD dates shown as every other date on screen: "expired on 2026-07-28" → "expired on Jul 28, 2026".
 * The words it quotes (an officer's note, a bank's description) are left exactly as they were written.
 */
export function formatDatesInText(text: string, quoted: readonly string[] = []): string {
  const kept: [number, number][] = [];
  for (const words of quoted) {
    if (!words) continue;
    for (let at = text.indexOf(words); at >= 0; at = text.indexOf(words, at + words.length))
      kept.push([at, at + words.length]);
  }
  return text.replace(ISO_DAY_IN_TEXT, (day, at: number) =>
    kept.some(([from, to]) => at >= from && at < to) ? day : formatDate(day),
  );
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTimeFormat.format(date);
}

const timeFormat = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' });

/** The time of day of a timestamp ("10:42 AM"), for something that happened today. */
export function formatTime(value: string): string {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : timeFormat.format(date);
}

export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes} min ${seconds % 60} s` : `${seconds} s`;
}

export function formatDays(days: number): string {
  if (days === 180) return '6 months (180 days)';
  if (days === 365) return '12 months (365 days)';
  if (days === 730) return '24 months (730 days)';
  return days === 1 ? '1 day' : `${days} days`;
}

/**
 * The custom "Days" of a new report, as typed: whole days written as digits within Plaid's range. Nothing
 * else is read as a number (1e3 is not 1, 90.7 is not 90); each refusal says what to type instead.
 */
export function parseDaysRequested(text: string): { days: number } | { error: string } {
  const typed = text.trim();
  const range = `from ${DAYS_REQUESTED_MIN} to ${DAYS_REQUESTED_MAX}`;
  if (typed === '') return { error: `Enter the number of days of history, ${range}.` };
  if (/^\d+\.\d+$/.test(typed)) return { error: `Enter whole days: ${typed} is not a whole number of days.` };
  if (!/^\d+$/.test(typed)) return { error: 'Enter whole days in digits, like 90.' };
  const days = Number(typed);
  if (days < DAYS_REQUESTED_MIN || days > DAYS_REQUESTED_MAX)
    return { error: `Enter a number of days ${range} (Plaid’s range).` };
  return { days };
}

export function formatPercent(share: number): string {
  return `${Math.round(share * 1000) / 10}%`;
}

export function applicantFullName(applicant: {
  firstName: string;
  middleName?: string | null;
  lastName: string;
}): string {
  return [applicant.firstName, applicant.middleName, applicant.lastName].filter(Boolean).join(' ');
}

/** Every borrower on a loan file, the primary first: "Maria Lopez & Ana Lopez", "A, B & C". */
export function borrowerNames(
  borrowers: readonly { firstName: string; middleName?: string | null; lastName: string }[],
): string {
  const names = borrowers.map(applicantFullName);
  if (names.length <= 1) return names[0] ?? '';
  return `${names.slice(0, -1).join(', ')} & ${names[names.length - 1]}`;
}

export const loanPurposeLabel: Record<'purchase' | 'refinance' | 'cash_out_refinance', string> = {
  purchase: 'Purchase',
  refinance: 'Refinance',
  cash_out_refinance: 'Cash-out refinance',
};

export const loanStatusLabel: Record<'open' | 'closed' | 'withdrawn', string> = {
  open: 'Open',
  closed: 'Closed',
  withdrawn: 'Withdrawn',
};

export const environmentLabel: Record<'emulator' | 'sandbox' | 'production', string> = {
  emulator: 'Emulator',
  sandbox: 'Sandbox',
  production: 'Production',
};
