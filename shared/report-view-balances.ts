import type { AssetReportAccount, HistoricalBalance } from './asset-report';
import { fromDayNumber } from './underwriting/dates';
import type { BalanceColumnsData, StoredHead } from './report-view';
import { damagedHead } from './report-view-error';

/** The currency number of a balance row's missing (null) currency code. */
export const NO_CURRENCY = 0xffff;

/**
 * An account's daily balances as the block holds them, until something reads `historical_balances`. A 730-day
 * report of ten accounts has 7,300 rows: building their objects took about a millisecond and a half of the
 * report's first frame, which shows none of them (a balance card's words need only the span below, its chart
 * comes into view later).
 */
interface BalanceRows {
  from: number;
  count: number;
  columns: BalanceColumnsData;
  currencyOf(n: number): string | null;
  dateOf(day: number): string;
}

const unread = new WeakMap<object, BalanceRows>();

/**
 * Puts each account's daily balances back into the head, as Plaid sent them. Every count and currency number is
 * checked now, so a damaged block fails here, whole; each account's rows become objects when first read.
 */
export function restoreBalances(stored: StoredHead, balances: BalanceColumnsData): void {
  const accounts = stored.head.report.items.flatMap((item) => (Array.isArray(item?.accounts) ? item.accounts : []));
  const counts = stored.balanceCounts;
  if (counts.length !== accounts.length) throw damagedHead();
  const currencies = stored.balanceCurrencies.map((code) => {
    if (typeof code !== 'string') throw damagedHead();
    return code;
  });
  for (const column of [balances.isoCurrency, balances.unofficialCurrency])
    if (highestCurrencyNumber(column) >= currencies.length) throw damagedHead();
  const currencyOf = (n: number): string | null => (n === NO_CURRENCY ? null : currencies[n]!);
  // A report's accounts share their days: each date is written once, looked up by its offset from the first.
  const dates = new Map<number, string>();
  const dateOf = (day: number): string => {
    let date = dates.get(day);
    if (date === undefined) dates.set(day, (date = fromDayNumber(day)));
    return date;
  };
  let row = 0;
  accounts.forEach((account, n) => {
    const count = counts[n]!;
    if (count === -1) return;
    if (!Number.isInteger(count) || count < 0 || row + count > balances.count) throw damagedHead();
    const rows: BalanceRows = { from: row, count, columns: balances, currencyOf, dateOf };
    row += count;
    unread.set(account, rows);
    Object.defineProperty(account, 'historical_balances', {
      configurable: true,
      enumerable: true,
      get: () => settle(account, materialize(rows)),
      set: (value: HistoricalBalance[]) => void settle(account, value),
    });
  });
  if (row !== balances.count) throw damagedHead();
}

/**
 * The highest currency number a column uses (NO_CURRENCY aside), -1 for none. Sorted and searched natively: a loop
 * over the rows in the page's first, not yet compiled, run of this code cost as much as the objects it saves.
 */
function highestCurrencyNumber(column: Uint16Array): number {
  const sorted = column.slice().sort();
  const none = sorted.indexOf(NO_CURRENCY);
  const end = none === -1 ? sorted.length : none;
  return end === 0 ? -1 : sorted[end - 1]!;
}

function materialize({ from, count, columns, currencyOf, dateOf }: BalanceRows): HistoricalBalance[] {
  const history: HistoricalBalance[] = [];
  for (let row = from; row < from + count; row++) {
    history.push({
      date: dateOf(columns.day[row]!),
      current: columns.current[row]!,
      iso_currency_code: currencyOf(columns.isoCurrency[row]!),
      unofficial_currency_code: currencyOf(columns.unofficialCurrency[row]!),
    });
  }
  return history;
}

/** From now on the account holds its balances as a plain property, as a parsed report does. */
function settle(account: object, value: HistoricalBalance[]): HistoricalBalance[] {
  unread.delete(account);
  Object.defineProperty(account, 'historical_balances', {
    value,
    writable: true,
    enumerable: true,
    configurable: true,
  });
  return value;
}

/** A balance history's first and last days, its lowest and highest balance, and the newest day's balance. */
export interface BalanceSpan {
  rows: number;
  oldest: string;
  newest: string;
  lowest: number;
  highest: number;
  latest: number;
}

/**
 * The span of an account's daily balances in one pass, without making their objects when they are still the
 * block's columns; null when the account has none. Ties keep the first row, as the report lists them.
 */
export function balanceHistorySpan(account: Pick<AssetReportAccount, 'historical_balances'>): BalanceSpan | null {
  const rows = unread.get(account);
  if (!rows) return spanOfRows(account.historical_balances);
  if (rows.count === 0) return null;
  const { day, current } = rows.columns;
  let oldest = rows.from;
  let newest = rows.from;
  let lowest = current[rows.from]!;
  let highest = lowest;
  for (let row = rows.from; row < rows.from + rows.count; row++) {
    if (day[row]! < day[oldest]!) oldest = row;
    if (day[row]! > day[newest]!) newest = row;
    if (current[row]! < lowest) lowest = current[row]!;
    if (current[row]! > highest) highest = current[row]!;
  }
  return {
    rows: rows.count,
    oldest: rows.dateOf(day[oldest]!),
    newest: rows.dateOf(day[newest]!),
    lowest,
    highest,
    latest: current[newest]!,
  };
}

function spanOfRows(history: readonly HistoricalBalance[]): BalanceSpan | null {
  if (history.length === 0) return null;
  let oldest = history[0]!;
  let newest = oldest;
  let lowest = oldest.current;
  let highest = oldest.current;
  for (const row of history) {
    if (row.date < oldest.date) oldest = row;
    if (row.date > newest.date) newest = row;
    if (row.current < lowest) lowest = row.current;
    if (row.current > highest) highest = row.current;
  }
  return { rows: history.length, oldest: oldest.date, newest: newest.date, lowest, highest, latest: newest.current };
}
