import type { AssetReport, AssetReportAccount } from '../../../shared/asset-report';

/**
 * The transactions table's model: one flat row per transaction, built once per report, so that
 * searching 50,000 rows is a single pass over precomputed lower-case strings.
 */
export interface TransactionRow {
  id: string;
  accountId: string;
  /** The bank and the account's name ("Chase · Plaid Checking"), shown before the mask. */
  accountName: string;
  /** "••0000", kept apart so that a narrow column never cuts it off; empty when Plaid has no mask. */
  accountMask: string;
  date: string;
  /** Plaid's sign: > 0 money out, < 0 money in. */
  amount: number;
  currency: string | null;
  description: string;
  merchant: string | null;
  category: string | null;
  pending: boolean;
  /** Lower-case description, merchant, category, account and amount, for search. */
  searchText: string;
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

export function accountLabel(account: Pick<AssetReportAccount, 'name' | 'mask'>): string {
  return account.mask ? `${account.name} ••${account.mask}` : account.name;
}

/** Bank, account name and full mask: two banks' "Plaid Checking ••0000" must read apart. */
export function accountFullLabel(institutionName: string, account: Pick<AssetReportAccount, 'name' | 'mask'>): string {
  return `${institutionName} · ${accountLabel(account)}`;
}

export function buildTransactionRows(report: AssetReport): TransactionRow[] {
  const rows: TransactionRow[] = [];
  for (const item of report.items) {
    for (const account of item.accounts) {
      const accountName = `${item.institution_name} · ${account.name}`;
      const accountMask = account.mask ? `••${account.mask}` : '';
      const label = accountFullLabel(item.institution_name, account);
      for (const t of account.transactions) {
        const description = t.original_description ?? t.name ?? '';
        const merchant = t.merchant_name ?? null;
        const category = t.category && t.category.length > 0 ? t.category.join(' › ') : null;
        rows.push({
          id: t.transaction_id,
          accountId: t.account_id,
          accountName,
          accountMask,
          date: t.date,
          amount: t.amount,
          currency: t.iso_currency_code ?? t.unofficial_currency_code,
          description,
          merchant,
          category,
          pending: t.pending,
          searchText:
            `${description}\u0000${merchant ?? ''}\u0000${category ?? ''}\u0000${label}\u0000${Math.abs(t.amount).toFixed(2)}`.toLowerCase(),
        });
      }
    }
  }
  return rows;
}

export function categoriesOf(rows: readonly TransactionRow[]): string[] {
  const set = new Set<string>();
  for (const row of rows) if (row.category) set.add(row.category);
  return [...set].sort((a, b) => a.localeCompare(b));
}

export function filterTransactions(rows: readonly TransactionRow[], f: TransactionFilters): TransactionRow[] {
  const terms = f.query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const out: TransactionRow[] = [];
  for (const row of rows) {
    if (f.ids && !f.ids.has(row.id)) continue;
    if (f.accountId && row.accountId !== f.accountId) continue;
    if (f.from && row.date < f.from) continue;
    if (f.to && row.date > f.to) continue;
    if (f.direction === 'in' && row.amount >= 0) continue;
    if (f.direction === 'out' && row.amount <= 0) continue;
    const magnitude = Math.abs(row.amount);
    if (f.minAmount !== null && magnitude < f.minAmount) continue;
    if (f.maxAmount !== null && magnitude > f.maxAmount) continue;
    if (f.category && row.category !== f.category) continue;
    let matches = true;
    for (const term of terms) {
      if (!row.searchText.includes(term)) {
        matches = false;
        break;
      }
    }
    if (matches) out.push(row);
  }
  return out;
}

/**
 * Sorts in place (the input is always a fresh array from filterTransactions); ties keep date order.
 * Amounts sort as the screen shows them (money in positive), not by Plaid's sign: descending puts the
 * largest deposit first and the largest withdrawal last.
 */
export function sortTransactions(rows: TransactionRow[], key: SortKey, direction: SortDirection): TransactionRow[] {
  const sign = direction === 'asc' ? 1 : -1;
  const byDate = (a: TransactionRow, b: TransactionRow) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0);
  if (key === 'date') return rows.sort((a, b) => sign * byDate(a, b) || a.id.localeCompare(b.id));
  if (key === 'amount') return rows.sort((a, b) => sign * (b.amount - a.amount) || -byDate(a, b));
  const collator = new Intl.Collator('en-US', { sensitivity: 'base' });
  return rows.sort((a, b) => sign * collator.compare(a.description, b.description) || -byDate(a, b));
}

/** Money in and out over the rows shown, for the line above the table. */
export function totalsOf(rows: readonly TransactionRow[]): { moneyIn: number; moneyOut: number } {
  let moneyIn = 0;
  let moneyOut = 0;
  for (const row of rows) {
    if (row.amount < 0) moneyIn += -row.amount;
    else moneyOut += row.amount;
  }
  return { moneyIn, moneyOut };
}
