import type { AssetReport, AssetReportAccount, IsoDate } from '../asset-report';
import { accountLabel, currencyOf, isDebt, toCents } from './accounts';
import { addDays, toIsoDate } from './dates';
import type { AccountLabel } from './types';

/**
 * The month-by-month summary a verification of assets shows: per account and calendar month, money in, money out,
 * the balance at the month's end and how many transactions. Pure: the report is the only input.
 */

/** Where a month-end balance comes from. */
export type MonthEndSource =
  /** The bank's own end-of-day balance for that day (Plaid's `historical_balances`). */
  | 'history'
  /** The account's current balance: no transaction posted after that day. */
  | 'current'
  /** Worked out from a later balance and the transactions posted between (no balance for that day). */
  | 'rebuilt';

export interface MonthSummary {
  /** `YYYY-MM` */
  month: string;
  /** The days of the month the report covers: the whole month unless `partial`. */
  from: IsoDate;
  to: IsoDate;
  /** The history starts after the 1st or ends before the last day of this month. */
  partial: boolean;
  /** Money in (Plaid amounts < 0), as a positive sum of posted transactions. */
  deposits: number;
  /** Money out (Plaid amounts > 0), as a positive sum of posted transactions. */
  withdrawals: number;
  /** Posted transactions in the account's currency: the ones the two sums add up. */
  transactionCount: number;
  /** Posted transactions in another currency than the account's: counted here, never added into the sums. */
  otherCurrencyCount: number;
  /** The balance at the end of `to` (for a debt, the amount owed); null when it cannot be known honestly. */
  endingBalance: number | null;
  endingBalanceFrom: MonthEndSource | null;
}

export interface AccountMonths extends AccountLabel {
  /** The account's currency (ISO, else Plaid's unofficial code); null when the bank sent neither. */
  currency: string | null;
  /** Credit and loan accounts: balances are amounts owed, money in is a payment. */
  debt: boolean;
  /** The days the report's history covers for this account; null without any history. */
  from: IsoDate | null;
  to: IsoDate | null;
  /** Oldest first. */
  months: MonthSummary[];
  /** Pending transactions are left out of every figure (they may still change or drop). */
  pendingLeftOut: number;
  /**
   * Why some month-end balances are missing: no balance at all from the bank, no current balance after its last
   * daily one, or a transaction in another currency in the way of walking back.
   */
  balanceGap: 'no_balance' | 'no_current_balance' | 'other_currency' | null;
}

export interface MonthlySummaryResult {
  reportDate: IsoDate;
  accounts: AccountMonths[];
}

/** Every account of the report, in report order; accounts without history (investments) have no months. */
export function summarizeMonths(report: Pick<AssetReport, 'date_generated' | 'items'>): MonthlySummaryResult {
  const reportDate = toIsoDate(report.date_generated);
  const accounts: AccountMonths[] = [];
  for (const item of report.items)
    for (const account of item.accounts)
      accounts.push(summarizeAccount(accountLabel(item, account), account, reportDate));
  return { reportDate, accounts };
}

interface MonthTotals {
  depositCents: number;
  withdrawalCents: number;
  count: number;
  otherCurrency: number;
}

function summarizeAccount(label: AccountLabel, account: AssetReportAccount, reportDate: IsoDate): AccountMonths {
  const currency = currencyOf(account);
  const debt = isDebt(account);

  // One pass over the transactions: month totals, net per day (for rebuilding balances), the dates they span.
  const byMonth = new Map<string, MonthTotals>();
  const netByDay = new Map<string, number>();
  const otherCurrencyDays: string[] = [];
  let pendingLeftOut = 0;
  let earliest: string | null = null;
  let latest: string | null = null;
  for (const t of account.transactions) {
    if (t.pending) {
      pendingLeftOut += 1;
      continue;
    }
    const date = t.date;
    if (earliest === null || date < earliest) earliest = date;
    if (latest === null || date > latest) latest = date;
    const month = date.slice(0, 7);
    let totals = byMonth.get(month);
    if (!totals) {
      totals = { depositCents: 0, withdrawalCents: 0, count: 0, otherCurrency: 0 };
      byMonth.set(month, totals);
    }
    const own = t.iso_currency_code ?? t.unofficial_currency_code ?? null;
    if (currency !== null && own !== null && own !== currency) {
      // Never added to another currency's money; a balance rebuilt across it would be a guess.
      totals.otherCurrency += 1;
      otherCurrencyDays.push(date);
      continue;
    }
    const amount = toCents(t.amount);
    if (amount < 0) totals.depositCents -= amount;
    else totals.withdrawalCents += amount;
    totals.count += 1;
    netByDay.set(date, (netByDay.get(date) ?? 0) + amount);
  }

  const rows = new Map<string, number>();
  let oldestRow: string | null = null;
  let newestRow: string | null = null;
  for (const row of account.historical_balances) {
    rows.set(row.date, toCents(row.current));
    if (oldestRow === null || row.date < oldestRow) oldestRow = row.date;
    if (newestRow === null || row.date > newestRow) newestRow = row.date;
  }

  // The covered days: the daily history (or what days_available says it is), widened by any transaction outside it.
  let from = oldestRow ?? (account.days_available > 0 ? addDays(reportDate, -account.days_available) : null);
  let to = newestRow ?? (account.days_available > 0 ? addDays(reportDate, -1) : null);
  if (earliest !== null && (from === null || earliest < from)) from = earliest;
  if (latest !== null && (to === null || latest > to)) to = latest;

  const current = account.balances.current;
  const base = { ...label, currency, debt, pendingLeftOut };
  if (from === null || to === null) return { ...base, from: null, to: null, months: [], balanceGap: null };

  const balanceAt = balanceLookup(rows, netByDay, otherCurrencyDays, current === null ? null : toCents(current), debt);
  const months: MonthSummary[] = [];
  for (let month = from.slice(0, 7); month <= to.slice(0, 7); month = nextMonth(month)) {
    const first = `${month}-01`;
    const last = `${month}-${String(daysInMonth(month)).padStart(2, '0')}`;
    const start = first < from ? from : first;
    const end = last > to ? to : last;
    const totals = byMonth.get(month);
    const ending = balanceAt(end);
    months.push({
      month,
      from: start,
      to: end,
      partial: start !== first || end !== last,
      deposits: (totals?.depositCents ?? 0) / 100,
      withdrawals: (totals?.withdrawalCents ?? 0) / 100,
      transactionCount: totals?.count ?? 0,
      otherCurrencyCount: totals?.otherCurrency ?? 0,
      endingBalance: ending ? ending.cents / 100 : null,
      endingBalanceFrom: ending?.from ?? null,
    });
  }
  let balanceGap: AccountMonths['balanceGap'] = null;
  if (months.some((m) => m.endingBalance === null))
    balanceGap =
      rows.size === 0 && current === null
        ? 'no_balance'
        : otherCurrencyDays.length > 0
          ? 'other_currency'
          : 'no_current_balance';
  return { ...base, from, to, months, balanceGap };
}

/**
 * The end-of-day balance for a day: the bank's row for it, else the nearest later row (or the current balance)
 * with the transactions posted in between taken back out. Plaid's rule for deposit accounts is
 * balance(D) = current + Σ amount of transactions posted after D; a debt's balance moves the other way.
 */
function balanceLookup(
  rows: Map<string, number>,
  netByDay: Map<string, number>,
  otherCurrencyDays: string[],
  currentCents: number | null,
  debt: boolean,
): (day: string) => { cents: number; from: MonthEndSource } | null {
  const rowDays = [...rows.keys()].sort();
  const netDays = [...netByDay.keys()].sort();
  // netAfter[i] = Σ net of netDays[i..]: the money posted on or after netDays[i].
  const netAfter = new Array<number>(netDays.length + 1).fill(0);
  for (let i = netDays.length - 1; i >= 0; i -= 1)
    netAfter[i] = (netAfter[i + 1] ?? 0) + (netByDay.get(netDays[i]!) ?? 0);
  const postedAfter = (day: string): number => netAfter[firstAfter(netDays, day)] ?? 0;
  const foreign = [...otherCurrencyDays].sort();
  const foreignBetween = (after: string, upTo: string | null): boolean => {
    const i = firstAfter(foreign, after);
    return i < foreign.length && (upTo === null || foreign[i]! <= upTo);
  };
  const sign = debt ? -1 : 1;

  return (day) => {
    const own = rows.get(day);
    if (own !== undefined) return { cents: own, from: 'history' };
    const later = rowDays[firstAfter(rowDays, day)] ?? null;
    if (foreignBetween(day, later)) return null;
    if (later !== null) {
      const between = postedAfter(day) - postedAfter(later);
      return { cents: rows.get(later)! + sign * between, from: 'rebuilt' };
    }
    if (currentCents === null) return null;
    const after = postedAfter(day);
    return {
      cents: currentCents + sign * after,
      from: netDays.length > 0 && netDays[netDays.length - 1]! > day ? 'rebuilt' : 'current',
    };
  };
}

/** Index of the first entry of a sorted list that is later than `day` (the list's length when none is). */
function firstAfter(sorted: readonly string[], day: string): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid]! <= day) low = mid + 1;
    else high = mid;
  }
  return low;
}

function nextMonth(month: string): string {
  const year = Number(month.slice(0, 4));
  const index = Number(month.slice(5, 7));
  return index === 12 ? `${year + 1}-01` : `${year}-${String(index + 1).padStart(2, '0')}`;
}

function daysInMonth(month: string): number {
  return new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
}
