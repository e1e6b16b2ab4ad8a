import type { AssetReport, AssetReportGetResult, AssetReportTransaction, HistoricalBalance } from './asset-report';
import {
  accountLabel,
  BLOCK_HEADER_BYTES,
  BLOCK_MAGIC,
  blockLayout,
  dayOf,
  NO_CURRENCY,
  NO_STRING,
  readBlockSections,
  REPORT_VIEW_FORMAT,
  type BalanceColumnsData,
  type StoredHead,
  type StringTableData,
  type TransactionAccount,
  type TransactionColumnsData,
} from './report-view';
import { fromDayNumber } from './underwriting/dates';
import { utf8 } from './utf8';

/**
 * Writing report view blocks (the format and its reader are in ./report-view): the whole view when a report is
 * stored, and its first screen. Only the main process writes them; the page only reads.
 */

/** What the table shows as a transaction's description: the bank's text, else Plaid's name. */
const descriptionOf = (t: AssetReportTransaction): string => t.original_description ?? t.name ?? '';
const categoryOf = (t: AssetReportTransaction): string | null =>
  t.category && t.category.length > 0 ? t.category.join(' › ') : null;

/** Transaction fields only a report fetched with insights has (the ones a plain report surely lacks). */
const INSIGHT_FIELDS = ['merchant_name', 'category', 'category_id', 'credit_category'] as const;

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

/** The report as the page's header, accounts and chart need it: every field but the transactions. */
export function withoutTransactions(content: AssetReportGetResult): AssetReportGetResult {
  return {
    ...content,
    report: {
      ...content.report,
      items: content.report.items.map((item) => ({
        ...item,
        accounts: item.accounts.map((account) => ({ ...account, transactions: [] })),
      })),
    },
  };
}

class StringTableBuilder {
  private readonly numbers = new Map<string, number>();
  readonly strings: string[] = [];

  /** A text that repeats (descriptions, merchants, categories, currencies): stored once. */
  add(text: string | null): number {
    if (text === null) return NO_STRING;
    const known = this.numbers.get(text);
    if (known !== undefined) return known;
    const n = this.strings.push(text) - 1;
    this.numbers.set(text, n);
    return n;
  }

  /** A text never seen before (a transaction id): no look-up. */
  addNew(text: string): number {
    return this.strings.push(text) - 1;
  }

  build(): StringTableData {
    const { strings } = this;
    const offsets = new Uint32Array(strings.length + 1);
    const joined = strings.join('');
    // Plain ASCII (the usual case): one encoding call, and each string's byte length is its length.
    if (!/[\u0080-\uffff]/.test(joined)) {
      for (let n = 0, at = 0; n < strings.length; n++) offsets[n + 1] = at += strings[n]!.length;
      return { bytes: utf8.encode(joined), offsets };
    }
    // Each string on its own, so a lone surrogate stays within its string.
    const encoded = strings.map((s) => utf8.encode(s));
    const bytes = new Uint8Array(encoded.reduce((n, e) => n + e.length, 0));
    let length = 0;
    encoded.forEach((e, n) => {
      bytes.set(e, length);
      offsets[n + 1] = length += e.length;
    });
    return { bytes, offsets };
  }
}

/**
 * Every transaction of the report as columns, newest first; same-day transactions keep the report's order
 * (item, account, Plaid's order).
 */
export function encodeTransactionColumns(report: Pick<AssetReport, 'items'>): TransactionColumnsData {
  const all: { t: AssetReportTransaction; account: number; day: number }[] = [];
  const accounts: TransactionAccount[] = [];
  const days = new Map<string, number>(); // a few hundred distinct dates among 50,000 transactions
  for (const item of report.items) {
    for (const a of item.accounts) {
      const index = accounts.length;
      accounts.push({
        id: a.account_id,
        name: `${item.institution_name} · ${a.name}`,
        mask: a.mask ? `••${a.mask}` : '',
        searchLabel: accountLabel(a).toLowerCase(),
      });
      for (const t of a.transactions ?? []) {
        let day = days.get(t.date);
        if (day === undefined) days.set(t.date, (day = dayOf(t.date)));
        all.push({ t, account: index, day });
      }
    }
  }
  all.sort((a, b) => b.day - a.day); // stable: same-day rows keep the report's order
  const count = all.length;
  const columns = {
    amount: new Float64Array(count),
    day: new Int32Array(count),
    pending: new Uint8Array(count),
    account: new Uint16Array(count),
    id: new Uint32Array(count),
    description: new Uint32Array(count),
    merchant: new Uint32Array(count),
    category: new Uint32Array(count),
    currency: new Uint32Array(count),
  };
  const strings = new StringTableBuilder();
  let hasInsights = false;
  all.forEach(({ t, account, day }, i) => {
    columns.amount[i] = t.amount;
    columns.day[i] = day;
    columns.pending[i] = t.pending ? 1 : 0;
    columns.account[i] = account;
    columns.id[i] = strings.addNew(t.transaction_id);
    columns.description[i] = strings.add(descriptionOf(t));
    const merchantName = t.merchant_name ?? null;
    const categoryName = categoryOf(t);
    columns.merchant[i] = strings.add(merchantName);
    columns.category[i] = strings.add(categoryName);
    columns.currency[i] = strings.add(t.iso_currency_code ?? t.unofficial_currency_code ?? null);
    if (merchantName !== null || categoryName !== null) hasInsights = true;
  });
  return { count, ...columns, strings: strings.build(), accounts, hasInsights };
}

/** A daily balance row with Plaid's four fields and nothing else, whose date reads back as written. */
function isPlainBalance(row: unknown): row is HistoricalBalance {
  if (typeof row !== 'object' || row === null) return false;
  const { date, current, iso_currency_code: iso, unofficial_currency_code: unofficial } = row as HistoricalBalance;
  return (
    Object.keys(row).length === 4 &&
    typeof current === 'number' &&
    Number.isFinite(current) &&
    typeof date === 'string' &&
    fromDayNumber(dayOf(date)) === date &&
    (iso === null || typeof iso === 'string') &&
    (unofficial === null || typeof unofficial === 'string')
  );
}

/**
 * The head's daily balances as columns, taken out of the head (whose accounts are this view's own copies): an
 * account keeps its balances in the head when any row is not a plain one (see isPlainBalance).
 */
function takeBalanceColumns(head: AssetReportGetResult): {
  balances: BalanceColumnsData;
  balanceCounts: number[];
  balanceCurrencies: string[];
} {
  const balanceCounts: number[] = [];
  const balanceCurrencies: string[] = [];
  const currencyNumbers = new Map<string, number>();
  const currencyOf = (code: string | null): number | null => {
    if (code === null) return NO_CURRENCY;
    const known = currencyNumbers.get(code);
    if (known !== undefined) return known;
    if (balanceCurrencies.length >= NO_CURRENCY) return null;
    currencyNumbers.set(code, balanceCurrencies.length);
    return balanceCurrencies.push(code) - 1;
  };
  const rows: { row: HistoricalBalance; iso: number; unofficial: number }[] = [];
  for (const item of head.report.items) {
    for (const account of item.accounts) {
      const history: unknown = account.historical_balances;
      const taken: typeof rows = [];
      const plain =
        Array.isArray(history) &&
        history.every((row) => {
          if (!isPlainBalance(row)) return false;
          const iso = currencyOf(row.iso_currency_code);
          const unofficial = currencyOf(row.unofficial_currency_code);
          if (iso === null || unofficial === null) return false;
          taken.push({ row, iso, unofficial });
          return true;
        });
      if (!plain) {
        balanceCounts.push(-1);
        continue;
      }
      balanceCounts.push(taken.length);
      rows.push(...taken);
      account.historical_balances = [];
    }
  }
  const count = rows.length;
  const balances: BalanceColumnsData = {
    count,
    current: new Float64Array(count),
    day: new Int32Array(count),
    isoCurrency: new Uint16Array(count),
    unofficialCurrency: new Uint16Array(count),
  };
  rows.forEach(({ row, iso, unofficial }, i) => {
    balances.current[i] = row.current;
    balances.day[i] = dayOf(row.date);
    balances.isoCurrency[i] = iso;
    balances.unofficialCurrency[i] = unofficial;
  });
  return { balances, balanceCounts, balanceCurrencies };
}

/**
 * The view block of a parsed report. `redactHead` sees the head's JSON text before it is stored (the main
 * process masks the borrower's SSN there, as it does in every copy of the report the page gets).
 */
export function encodeReportView(
  content: AssetReportGetResult,
  redactHead: (json: string) => string = (json) => json,
): Uint8Array<ArrayBuffer> {
  const columns = encodeTransactionColumns(content.report);
  const head = withoutTransactions(content);
  const { balances, balanceCounts, balanceCurrencies } = takeBalanceColumns(head);
  const stored: StoredHead = {
    head,
    transactionCount: columns.count,
    withoutInsights: fetchedWithoutInsights(content),
    accounts: columns.accounts,
    hasInsights: columns.hasInsights,
    balanceCounts,
    balanceCurrencies,
  };
  return writeBlock(columns, balances, utf8.encode(redactHead(JSON.stringify(stored))));
}

/** One block of these columns, balances and head (its UTF-8 JSON). */
function writeBlock(
  columns: Omit<TransactionColumnsData, 'accounts' | 'hasInsights'>,
  balances: BalanceColumnsData,
  headBytes: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const stringCount = columns.strings.offsets.length - 1;
  const at = blockLayout({
    count: columns.count,
    stringCount,
    stringBytes: columns.strings.bytes.length,
    headBytes: headBytes.length,
    balanceCount: balances.count,
  });
  const block = new Uint8Array(at.end);
  const header = new DataView(block.buffer, 0, BLOCK_HEADER_BYTES);
  [
    BLOCK_MAGIC,
    REPORT_VIEW_FORMAT,
    columns.count,
    stringCount,
    columns.strings.bytes.length,
    headBytes.length,
    balances.count,
  ].forEach((value, n) => header.setUint32(4 * n, value, true));
  const put = (array: ArrayBufferView, offset: number) =>
    block.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
  put(columns.amount, at.amount);
  put(balances.current, at.balance);
  put(columns.day, at.day);
  put(balances.day, at.balanceDay);
  [columns.id, columns.description, columns.merchant, columns.category, columns.currency].forEach((array, n) =>
    put(array, at.u32 + n * 4 * columns.count),
  );
  put(columns.strings.offsets, at.offsets);
  put(columns.account, at.account);
  put(balances.isoCurrency, at.balanceCurrency);
  put(balances.unofficialCurrency, at.balanceCurrency + 2 * balances.count);
  put(columns.pending, at.pending);
  put(columns.strings.bytes, at.strings);
  put(headBytes, at.head);
  return block;
}

/**
 * The first screen of a view block: the same head (it still counts every transaction) and daily balances, and
 * only the newest `rows` transactions, with just the strings they use. The report screen paints from it while
 * the whole block travels. A view with no more than `rows` transactions is its own first screen.
 */
export function firstScreenOf(block: Uint8Array, rows: number): Uint8Array<ArrayBuffer> {
  const { columns: all, balances, headBytes } = readBlockSections(block);
  if (all.count <= rows) return Uint8Array.from(block);
  const count = rows;
  const renumbered = new Map<number, number>();
  const kept: number[] = [];
  const renumber = (n: number): number => {
    if (n === NO_STRING) return n;
    let next = renumbered.get(n);
    if (next === undefined) {
      next = kept.push(n) - 1;
      renumbered.set(n, next);
    }
    return next;
  };
  const strings = (source: Uint32Array) => Uint32Array.from(source.subarray(0, count), renumber);
  const id = strings(all.id);
  const description = strings(all.description);
  const merchant = strings(all.merchant);
  const category = strings(all.category);
  const currency = strings(all.currency);
  // The kept strings' bytes, copied as they are (no decoding).
  const offsets = new Uint32Array(kept.length + 1);
  kept.forEach((n, i) => (offsets[i + 1] = offsets[i]! + all.strings.offsets[n + 1]! - all.strings.offsets[n]!));
  const bytes = new Uint8Array(offsets[kept.length]!);
  kept.forEach((n, i) =>
    bytes.set(all.strings.bytes.subarray(all.strings.offsets[n], all.strings.offsets[n + 1]), offsets[i]),
  );
  const columns = {
    count,
    amount: all.amount.slice(0, count),
    day: all.day.slice(0, count),
    pending: all.pending.slice(0, count),
    account: all.account.slice(0, count),
    id,
    description,
    merchant,
    category,
    currency,
    strings: { bytes, offsets },
  };
  return writeBlock(columns, balances, headBytes);
}
