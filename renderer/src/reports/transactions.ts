import type { AssetReport, AssetReportAccount, AssetReportTransaction } from '../../../shared/asset-report';
import { dollarsToCents, parseAmountCents } from '../../../shared/amounts';
import { searchAmountCents } from '../../../shared/search';
import { formatDate } from './format';

/**
 * The transactions table's model, in columns: Plaid's own transaction objects (no copies of their
 * strings) and each one's account as a small index. Filtering and sorting work on row numbers, so a
 * 50,000-transaction report adds two arrays, not 50,000 row objects. Search text is built on the first search.
 */
export interface TransactionColumns {
  readonly count: number;
  readonly transactions: readonly AssetReportTransaction[];
  /** Per transaction, its index in `accounts`. */
  readonly account: Uint16Array;
  readonly accounts: readonly TransactionAccount[];
  /** Whether any transaction carries Plaid's insights (merchant or category). */
  readonly hasInsights: boolean;
}

export interface TransactionAccount {
  id: string;
  /** The bank and the account's name ("Chase · Plaid Checking"), shown before the mask. */
  name: string;
  /** "••0000", kept apart so that a narrow column never cuts it off; empty when Plaid has no mask. */
  mask: string;
  /** Name and mask ("Plaid Checking ••0000"), for search: the bank is left out, as it would match every row of its accounts. */
  searchLabel: string;
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

export function accountLabel(account: Pick<AssetReportAccount, 'name' | 'mask'>): string {
  return account.mask ? `${account.name} ••${account.mask}` : account.name;
}

/** Bank, account name and full mask: two banks' "Plaid Checking ••0000" must read apart. */
export function accountFullLabel(institutionName: string, account: Pick<AssetReportAccount, 'name' | 'mask'>): string {
  return `${institutionName} · ${accountLabel(account)}`;
}

export function buildTransactionColumns(report: AssetReport): TransactionColumns {
  const transactions: AssetReportTransaction[] = [];
  const accounts: TransactionAccount[] = [];
  const indexes: number[] = [];
  let hasInsights = false;
  for (const item of report.items) {
    for (const account of item.accounts) {
      const index = accounts.length;
      accounts.push({
        id: account.account_id,
        name: `${item.institution_name} · ${account.name}`,
        mask: account.mask ? `••${account.mask}` : '',
        searchLabel: accountLabel(account).toLowerCase(),
      });
      for (const t of account.transactions) {
        transactions.push(t);
        indexes.push(index);
        if (!hasInsights && ((t.merchant_name ?? null) !== null || (t.category?.length ?? 0) > 0)) hasInsights = true;
      }
    }
  }
  return { count: transactions.length, transactions, account: Uint16Array.from(indexes), accounts, hasInsights };
}

const descriptionOf = (t: AssetReportTransaction) => t.original_description ?? t.name ?? '';
const categoryOf = (t: AssetReportTransaction) => (t.category && t.category.length > 0 ? t.category.join(' › ') : null);

export function rowAt(columns: TransactionColumns, index: number): TransactionRow {
  const t = columns.transactions[index]!;
  const account = columns.accounts[columns.account[index]!]!;
  return {
    id: t.transaction_id,
    accountId: t.account_id,
    accountName: account.name,
    accountMask: account.mask,
    date: t.date,
    amount: t.amount,
    currency: t.iso_currency_code ?? t.unofficial_currency_code,
    description: descriptionOf(t),
    merchant: t.merchant_name ?? null,
    category: categoryOf(t),
    pending: t.pending,
  };
}

// Derived columns, made the first time something needs them and kept with the report's columns.
const categoryColumns = new WeakMap<TransactionColumns, (string | null)[]>();
const searchColumns = new WeakMap<TransactionColumns, string[]>();

function categoryColumn(columns: TransactionColumns): (string | null)[] {
  let column = categoryColumns.get(columns);
  if (!column) {
    column = columns.transactions.map(categoryOf);
    categoryColumns.set(columns, column);
  }
  return column;
}

/** Lower-case description, merchant, category and account per transaction (amounts are matched as numbers). */
function searchColumn(columns: TransactionColumns): string[] {
  let column = searchColumns.get(columns);
  if (!column) {
    const categories = categoryColumn(columns);
    column = columns.transactions.map((t, i) =>
      `${descriptionOf(t)}\u0000${t.merchant_name ?? ''}\u0000${categories[i] ?? ''}\u0000${columns.accounts[columns.account[i]!]!.searchLabel}`.toLowerCase(),
    );
    searchColumns.set(columns, column);
  }
  return column;
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
  for (const category of categoryColumn(columns)) if (category) set.add(category);
  return [...set].sort((a, b) => a.localeCompare(b));
}

/** The row numbers that pass the filters, in report order. */
export function filterTransactions(columns: TransactionColumns, f: TransactionFilters): number[] {
  const terms = searchTerms(f.query);
  const search = terms.length > 0 ? searchColumn(columns) : null;
  const categories = f.category ? categoryColumn(columns) : null;
  const out: number[] = [];
  const { transactions } = columns;
  for (let i = 0; i < columns.count; i++) {
    const t = transactions[i]!;
    if (f.ids && !f.ids.has(t.transaction_id)) continue;
    if (f.accountId && t.account_id !== f.accountId) continue;
    if (f.from && t.date < f.from) continue;
    if (f.to && t.date > f.to) continue;
    if (f.direction === 'in' && t.amount >= 0) continue;
    if (f.direction === 'out' && t.amount <= 0) continue;
    const magnitude = Math.abs(t.amount);
    if (f.minAmount !== null && magnitude < f.minAmount) continue;
    if (f.maxAmount !== null && magnitude > f.maxAmount) continue;
    if (categories && categories[i] !== f.category) continue;
    if (search) {
      const text = search[i]!;
      let matches = true;
      const cents = dollarsToCents(Math.abs(t.amount));
      for (const term of terms) {
        if (term.cents !== cents && !text.includes(term.text)) {
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

// The default locale's collation, as String#localeCompare uses, without its per-call set-up.
const idOrder = new Intl.Collator();
const descriptionOrder = new Intl.Collator('en-US', { sensitivity: 'base' });

/**
 * Sorts row numbers in place (the input is always a fresh array from filterTransactions); ties keep date order.
 * Amounts sort as the screen shows them (money in positive), not by Plaid's sign: descending puts the
 * largest deposit first and the largest withdrawal last.
 */
export function sortTransactions(
  columns: TransactionColumns,
  rows: number[],
  key: SortKey,
  direction: SortDirection,
): number[] {
  const t = columns.transactions;
  const sign = direction === 'asc' ? 1 : -1;
  const byDate = (a: number, b: number) => {
    const x = t[a]!.date;
    const y = t[b]!.date;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  if (key === 'date')
    return rows.sort((a, b) => sign * byDate(a, b) || idOrder.compare(t[a]!.transaction_id, t[b]!.transaction_id));
  if (key === 'amount') return rows.sort((a, b) => sign * (t[b]!.amount - t[a]!.amount) || -byDate(a, b));
  return rows.sort(
    (a, b) => sign * descriptionOrder.compare(descriptionOf(t[a]!), descriptionOf(t[b]!)) || -byDate(a, b),
  );
}

/** Money in and out over the rows shown, for the line above the table. */
export function totalsOf(columns: TransactionColumns, rows: readonly number[]): { moneyIn: number; moneyOut: number } {
  let moneyIn = 0;
  let moneyOut = 0;
  for (const i of rows) {
    const amount = columns.transactions[i]!.amount;
    if (amount < 0) moneyIn += -amount;
    else moneyOut += amount;
  }
  return { moneyIn, moneyOut };
}
