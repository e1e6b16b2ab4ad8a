import type { AssetReportAccount } from '../../../shared/asset-report';
import { dollarsToCents, parseAmountCents } from '../../../shared/amounts';
import { searchAmountCents } from '../../../shared/search';
import { formatDate } from './format';
import { accountLabel, dayOf, NO_STRING, type TransactionColumnsData } from '../../../shared/report-view';
import { fromDayNumber } from '../../../shared/underwriting/dates';
import { StringTable } from './transaction-columns';

export { accountLabel };

/**
 * The transactions table's model: the report's transactions as typed-array columns (see ./transaction-columns),
 * read in place. Filtering and sorting work on row numbers, so a 50,000-transaction report adds two arrays,
 * not 50,000 row objects; a row's text is decoded only when it is shown or searched.
 */
export interface TransactionColumns extends Omit<TransactionColumnsData, 'strings'> {
  readonly strings: StringTable;
}

export type { TransactionAccount } from '../../../shared/report-view';

/** The page's reader over the columns of the report's view block. */
export function readTransactionColumns(data: TransactionColumnsData): TransactionColumns {
  return { ...data, strings: new StringTable(data.strings) };
}

/** One row as the table shows it, made only for the rows on screen. */
export interface TransactionRow {
  id: string;
  accountId: string;
  accountName: string;
  accountMask: string;
  date: string;
  /** Plaid's sign: > 0 money out, < 0 money in. */
  amount: number;
  currency: string | null;
  description: string;
  merchant: string | null;
  category: string | null;
  pending: boolean;
}

export type MoneyDirection = 'all' | 'in' | 'out';
export type SortKey = 'date' | 'amount' | 'description';
export type SortDirection = 'asc' | 'desc';

export interface TransactionFilters {
  query: string;
  accountId: string | null;
  from: string | null;
  to: string | null;
  /** Bounds on the absolute amount, in dollars. */
  minAmount: number | null;
  maxAmount: number | null;
  direction: MoneyDirection;
  category: string | null;
  /** Set by a finding's "show the transactions" link. */
  ids: ReadonlySet<string> | null;
}

export const emptyFilters: TransactionFilters = {
  query: '',
  accountId: null,
  from: null,
  to: null,
  minAmount: null,
  maxAmount: null,
  direction: 'all',
  category: null,
  ids: null,
};

/** What the officer typed in the filter boxes, before it is read. */
export interface TransactionFilterInputs {
  from: string;
  to: string;
  minAmount: string;
  maxAmount: string;
}

/** The filter boxes read: the bounds that apply, and a message for each box that cannot (its bound is not applied). */
export interface FilterReading {
  from: string | null;
  to: string | null;
  minAmount: number | null;
  maxAmount: number | null;
  errors: Partial<Record<keyof TransactionFilterInputs, string>>;
}

function readAmountBox(label: string, text: string): { value: number | null; error?: string } {
  if (text.trim() === '') return { value: null };
  const cents = parseAmountCents(text);
  if (cents === null)
    return { value: null, error: `${label} “${text.trim()}” is not an amount: type dollars, like 250 or 1,250.00.` };
  if (cents < 0)
    return {
      value: null,
      error: `${label} is the size of the amount: leave out the minus sign (choose money in or out under Money).`,
    };
  return { value: cents / 100 };
}

/**
 * Reads the date and amount boxes. A box that cannot be read, a From after To or a Min above Max is
 * reported and left out of the filter, so the table never quietly shows a range the officer did not ask for.
 */
export function readFilterInputs(inputs: TransactionFilterInputs): FilterReading {
  const errors: FilterReading['errors'] = {};
  const min = readAmountBox('Min $', inputs.minAmount);
  const max = readAmountBox('Max $', inputs.maxAmount);
  if (min.error) errors.minAmount = min.error;
  if (max.error) errors.maxAmount = max.error;
  let minAmount = min.value;
  let maxAmount = max.value;
  if (minAmount !== null && maxAmount !== null && minAmount > maxAmount) {
    errors.maxAmount = 'Max $ is less than Min $: the amount range is not applied.';
    minAmount = null;
    maxAmount = null;
  }
  let from: string | null = inputs.from || null;
  let to: string | null = inputs.to || null;
  if (from !== null && to !== null && from > to) {
    errors.from = `From (${formatDate(from)}) is after To (${formatDate(to)}): the date range is not applied. Pick a From date on or before To.`;
    from = null;
    to = null;
  }
  return { from, to, minAmount, maxAmount, errors };
}

/** Bank, account name and full mask: two banks' "Plaid Checking ••0000" must read apart. */
export function accountFullLabel(institutionName: string, account: Pick<AssetReportAccount, 'name' | 'mask'>): string {
  return `${institutionName} · ${accountLabel(account)}`;
}

export function rowAt(columns: TransactionColumns, index: number): TransactionRow {
  const { strings } = columns;
  const account = columns.accounts[columns.account[index]!]!;
  return {
    id: strings.get(columns.id[index]!) ?? '',
    accountId: account.id,
    accountName: account.name,
    accountMask: account.mask,
    date: fromDayNumber(columns.day[index]!),
    amount: columns.amount[index]!,
    currency: strings.get(columns.currency[index]!),
    description: strings.get(columns.description[index]!) ?? '',
    merchant: strings.get(columns.merchant[index]!),
    category: strings.get(columns.category[index]!),
    pending: columns.pending[index] === 1,
  };
}

// Lower-cased strings for search, made the first time a search needs each one and kept with the report's columns.
const lowerCaseStrings = new WeakMap<TransactionColumns, (string | undefined)[]>();

function lowerCaseOf(columns: TransactionColumns): (n: number) => string {
  let lower = lowerCaseStrings.get(columns);
  if (!lower) {
    lower = new Array<string | undefined>(columns.strings.size);
    lowerCaseStrings.set(columns, lower);
  }
  const cache = lower;
  return (n) => {
    let text = cache[n];
    if (text === undefined) {
      text = (columns.strings.get(n) ?? '').toLowerCase();
      cache[n] = text;
    }
    return text;
  };
}

/** A search word: its text, and its size in cents when it reads as an amount (as the reports search reads it). */
interface SearchTerm {
  text: string;
  cents: number | null;
}

function searchTerms(query: string): SearchTerm[] {
  return query
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .map((text) => ({ text, cents: searchAmountCents(text) }));
}

export function categoriesOf(columns: TransactionColumns): string[] {
  const set = new Set<string>();
  for (const n of new Set(columns.category)) {
    const category = columns.strings.get(n);
    if (category) set.add(category);
  }
  return [...set].sort((a, b) => a.localeCompare(b));
}

/**
 * Whether a search word is in a transaction's description, merchant, category or account (lower case), each
 * distinct string tested once per search: most descriptions repeat across thousands of transactions.
 */
function textMatcher(columns: TransactionColumns, term: string): (row: number) => boolean {
  const lower = lowerCaseOf(columns);
  const seen = new Int8Array(columns.strings.size); // 0 not yet tested, 1 contains the word, -1 does not
  const inString = (n: number) => {
    if (n === NO_STRING) return false;
    if (seen[n] === 0) seen[n] = lower(n).includes(term) ? 1 : -1;
    return seen[n] === 1;
  };
  const inAccount = columns.accounts.map((a) => a.searchLabel.includes(term));
  return (i) =>
    inString(columns.description[i]!) ||
    inString(columns.merchant[i]!) ||
    inString(columns.category[i]!) ||
    inAccount[columns.account[i]!]!;
}

/** The row numbers that pass the filters, in report order. */
export function filterTransactions(columns: TransactionColumns, f: TransactionFilters): number[] {
  const terms = searchTerms(f.query).map((term) => ({ ...term, matches: textMatcher(columns, term.text) }));
  const { amount, day, strings } = columns;
  const fromDay = f.from ? dayOf(f.from) : null;
  const toDay = f.to ? dayOf(f.to) : null;
  const accountIndex = f.accountId ? columns.accounts.findIndex((a) => a.id === f.accountId) : null;
  const out: number[] = [];
  for (let i = 0; i < columns.count; i++) {
    if (f.ids && !f.ids.has(strings.get(columns.id[i]!) ?? '')) continue;
    if (accountIndex !== null && columns.account[i] !== accountIndex) continue;
    if (fromDay !== null && day[i]! < fromDay) continue;
    if (toDay !== null && day[i]! > toDay) continue;
    const value = amount[i]!;
    if (f.direction === 'in' && value >= 0) continue;
    if (f.direction === 'out' && value <= 0) continue;
    const magnitude = Math.abs(value);
    if (f.minAmount !== null && magnitude < f.minAmount) continue;
    if (f.maxAmount !== null && magnitude > f.maxAmount) continue;
    if (f.category && strings.get(columns.category[i]!) !== f.category) continue;
    if (terms.length > 0) {
      const cents = dollarsToCents(magnitude);
      let matches = true;
      for (const term of terms) {
        if (term.cents !== cents && !term.matches(i)) {
          matches = false;
          break;
        }
      }
      if (!matches) continue;
    }
    out.push(i);
  }
  return out;
}

// Descriptions sort without regard to case or accents.
const descriptionOrder = new Intl.Collator('en-US', { sensitivity: 'base' });
const descriptionRankCache = new WeakMap<TransactionColumns, Uint32Array>();

/**
 * Per string number, its place among the distinct descriptions (equal ones under the collation share it): a sort
 * of the distinct texts, made the first time the table sorts by description.
 */
function descriptionRanks(columns: TransactionColumns): Uint32Array {
  let rank = descriptionRankCache.get(columns);
  if (rank) return rank;
  rank = new Uint32Array(columns.strings.size);
  const text = (n: number) => columns.strings.get(n) ?? '';
  const distinct = [...new Set(columns.description)].sort((a, b) => descriptionOrder.compare(text(a), text(b)));
  let place = 0;
  distinct.forEach((n, k) => {
    if (k > 0 && descriptionOrder.compare(text(distinct[k - 1]!), text(n)) !== 0) place = k;
    rank[n] = place;
  });
  descriptionRankCache.set(columns, rank);
  return rank;
}

/**
 * Sorts row numbers in place (the input is always a fresh array from filterTransactions, in report order).
 * Amounts sort as the screen shows them (money in positive), not by Plaid's sign: descending puts the
 * largest deposit first and the largest withdrawal last; equal amounts or descriptions newest first.
 * Descriptions sort by ranks of the distinct descriptions (see descriptionRanks), so 50,000 rows compare numbers.
 */
export function sortTransactions(
  columns: TransactionColumns,
  rows: number[],
  key: SortKey,
  direction: SortDirection,
): number[] {
  const { day, amount } = columns;
  const sign = direction === 'asc' ? 1 : -1;
  // Same-day transactions keep the report's order either way (the sort is stable): no string is compared.
  if (key === 'date') return rows.sort((a, b) => sign * (day[a]! - day[b]!));
  if (key === 'amount') return rows.sort((a, b) => sign * (amount[b]! - amount[a]!) || day[b]! - day[a]!);
  const rank = descriptionRanks(columns);
  const description = columns.description;
  return rows.sort((a, b) => sign * (rank[description[a]!]! - rank[description[b]!]!) || day[b]! - day[a]!);
}

/** Money in and out over the rows shown, for the line above the table. */
export function totalsOf(columns: TransactionColumns, rows: readonly number[]): { moneyIn: number; moneyOut: number } {
  let moneyIn = 0;
  let moneyOut = 0;
  for (const i of rows) {
    const value = columns.amount[i]!;
    if (value < 0) moneyIn += -value;
    else moneyOut += value;
  }
  return { moneyIn, moneyOut };
}
