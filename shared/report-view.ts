import type { AssetReport, AssetReportGetResult, AssetReportTransaction } from './asset-report';
import { utf8 } from './utf8';

/**
 * The report as the viewer paints it, prepared once when the report is stored rather than on every open:
 * the report without its transactions (a small JSON "head"), and the transactions as typed-array columns in
 * one binary block. The page reads the columns in place (typed arrays over the block), so opening a
 * 50,000-transaction report parses a few KB of JSON, not tens of MB.
 *
 * Transactions are stored newest first (same-day ones in the report's own order): the table's first sort
 * is then already done, and a stable sort on any key keeps the report's order among equals.
 *
 * A first-screen block is the same format holding only the newest rows (see firstScreenOf): its head still
 * counts every transaction, so the page can show the report and its first rows while the rest is on its way.
 *
 * Block layout, little-endian (every machine AssetDesk runs on), each section aligned for its array type:
 *   header  magic "ADRV", format version, count, string count, string bytes, head bytes (u32 each) + 16 spare
 *   amount f64[count] | day i32[count] | id, description, merchant, category, currency u32[count] each |
 *   string offsets u32[strings + 1] | account u16[count] | pending u8[count] | string bytes | head JSON (UTF-8)
 */
export const REPORT_VIEW_FORMAT = 1;
const MAGIC = 0x56524441; // "ADRV" read as a little-endian u32
const HEADER_BYTES = 40;

/** The string number of a missing (null) text field. */
export const NO_STRING = 0xffffffff;

export interface StringTableData {
  /** Every distinct string, UTF-8, one after another. */
  bytes: Uint8Array;
  /** String n is bytes[offsets[n], offsets[n + 1]). */
  offsets: Uint32Array;
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

export interface TransactionColumnsData {
  count: number;
  /** Plaid's sign: > 0 money out, < 0 money in. */
  amount: Float64Array;
  /** Days since 1970-01-01 (UTC) of Plaid's `date`. */
  day: Int32Array;
  /** 1 when Plaid marks the transaction pending. */
  pending: Uint8Array;
  /** Per transaction, its index in `accounts`. */
  account: Uint16Array;
  /** String numbers into `strings` (NO_STRING for null). */
  id: Uint32Array;
  description: Uint32Array;
  merchant: Uint32Array;
  category: Uint32Array;
  currency: Uint32Array;
  strings: StringTableData;
  accounts: TransactionAccount[];
  /** Whether any transaction carries Plaid's insights (merchant or category). */
  hasInsights: boolean;
}

/** What the report screen paints first: the report without its transactions (their columns come with it). */
export interface ReportHeadData {
  /** Every field of Plaid's report but the transactions (each account's `transactions` is empty). */
  head: AssetReportGetResult;
  /** Every transaction of the report, whether or not this block holds them all. */
  transactionCount: number;
  /** Plaid sent the report without its insights (see fetchedWithoutInsights). */
  withoutInsights: boolean;
}

export interface ReportViewData extends ReportHeadData {
  /** The newest `columns.count` transactions: all of them, or a first screen's (see firstScreenOf). */
  columns: TransactionColumnsData;
}

/** Whether a view holds every transaction of its report (a first-screen block holds only the newest ones). */
export function isCompleteView(view: { transactionCount: number; columns: { count: number } }): boolean {
  return view.columns.count === view.transactionCount;
}

const DAY_MS = 86_400_000;

/** Plaid's `YYYY-MM-DD` as a day number (NaN-free: an unreadable date reads as day 0). */
export function dayOf(isoDate: string): number {
  const day = Date.UTC(Number(isoDate.slice(0, 4)), Number(isoDate.slice(5, 7)) - 1, Number(isoDate.slice(8, 10)));
  return Number.isFinite(day) ? Math.round(day / DAY_MS) : 0;
}

export function isoDateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function accountLabel(account: { name: string; mask: string | null }): string {
  return account.mask ? `${account.name} ••${account.mask}` : account.name;
}

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

/** The head as stored: the report without transactions, and what the columns' readers need beside them. */
interface StoredHead extends ReportHeadData {
  accounts: TransactionAccount[];
  hasInsights: boolean;
}

/** Where each section of a block with these sizes starts; `end` is the block's length. */
function layout(count: number, stringCount: number, stringBytes: number, headBytes: number) {
  const amount = HEADER_BYTES;
  const day = amount + 8 * count;
  const u32 = day + 4 * count; // id, description, merchant, category, currency
  const offsets = u32 + 5 * 4 * count;
  const account = offsets + 4 * (stringCount + 1);
  const pending = account + 2 * count;
  const strings = pending + count;
  const head = strings + stringBytes;
  return { amount, day, u32, offsets, account, pending, strings, head, end: head + headBytes };
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
  const stored: StoredHead = {
    head: withoutTransactions(content),
    transactionCount: columns.count,
    withoutInsights: fetchedWithoutInsights(content),
    accounts: columns.accounts,
    hasInsights: columns.hasInsights,
  };
  return writeBlock(columns, utf8.encode(redactHead(JSON.stringify(stored))));
}

/** One block of these columns and this head (its UTF-8 JSON). */
function writeBlock(
  columns: Omit<TransactionColumnsData, 'accounts' | 'hasInsights'>,
  headBytes: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const stringCount = columns.strings.offsets.length - 1;
  const at = layout(columns.count, stringCount, columns.strings.bytes.length, headBytes.length);
  const block = new Uint8Array(at.end);
  const header = new DataView(block.buffer);
  [MAGIC, REPORT_VIEW_FORMAT, columns.count, stringCount, columns.strings.bytes.length, headBytes.length].forEach(
    (value, n) => header.setUint32(4 * n, value, true),
  );
  const put = (array: ArrayBufferView, offset: number) =>
    block.set(new Uint8Array(array.buffer, array.byteOffset, array.byteLength), offset);
  put(columns.amount, at.amount);
  put(columns.day, at.day);
  [columns.id, columns.description, columns.merchant, columns.category, columns.currency].forEach((array, n) =>
    put(array, at.u32 + n * 4 * columns.count),
  );
  put(columns.strings.offsets, at.offsets);
  put(columns.account, at.account);
  put(columns.pending, at.pending);
  put(columns.strings.bytes, at.strings);
  put(headBytes, at.head);
  return block;
}

/**
 * The first screen of a view block: the same head (it still counts every transaction) and only the newest
 * `rows` transactions, with just the strings they use. The report screen paints from it while the whole
 * block travels. A view with no more than `rows` transactions is its own first screen.
 */
export function firstScreenOf(block: Uint8Array, rows: number): Uint8Array<ArrayBuffer> {
  const view = decodeReportView(block);
  const all = view.columns;
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
  return writeBlock(columns, headBytesOf(block));
}

/** The head's UTF-8 JSON, as stored at the end of a block decodeReportView has accepted. */
function headBytesOf(block: Uint8Array): Uint8Array {
  const header = new DataView(block.buffer, block.byteOffset, HEADER_BYTES);
  const headBytes = header.getUint32(20, true);
  return block.subarray(block.byteLength - headBytes);
}

/** The format version a block says it has; null when it is not a report view block at all. */
export function reportViewFormat(block: Uint8Array): number | null {
  if (block.byteLength < HEADER_BYTES) return null;
  const header = new DataView(block.buffer, block.byteOffset, HEADER_BYTES);
  return header.getUint32(0, true) === MAGIC ? header.getUint32(4, true) : null;
}

/** A block that is not a report view this version can read (damaged, cut short, or from a newer AssetDesk). */
export class ReportViewFormatError extends Error {}

/**
 * Reads a view block in place: the columns are typed arrays over the block's own memory (copied once only
 * when the block does not start on an 8-byte boundary, which a Float64Array needs).
 */
export function decodeReportView(input: Uint8Array): ReportViewData {
  if (input.byteLength < HEADER_BYTES) throw new ReportViewFormatError('the report view is cut short');
  const block = input.byteOffset % 8 === 0 ? input : input.slice();
  const header = new DataView(block.buffer, block.byteOffset, HEADER_BYTES);
  const [magic, format, count, stringCount, stringBytes, headBytes] = [0, 1, 2, 3, 4, 5].map((n) =>
    header.getUint32(4 * n, true),
  ) as [number, number, number, number, number, number];
  if (magic !== MAGIC) throw new ReportViewFormatError('the report view is not in a format AssetDesk knows');
  if (format !== REPORT_VIEW_FORMAT)
    throw new ReportViewFormatError(`the report view has format ${format}; this AssetDesk reads ${REPORT_VIEW_FORMAT}`);
  const at = layout(count, stringCount, stringBytes, headBytes);
  if (at.end !== block.byteLength) throw new ReportViewFormatError('the report view has the wrong length');
  const base = block.byteOffset;
  const u32 = (n: number) => new Uint32Array(block.buffer, base + at.u32 + n * 4 * count, count);
  const offsets = new Uint32Array(block.buffer, base + at.offsets, stringCount + 1);
  if (offsets[stringCount] !== stringBytes)
    throw new ReportViewFormatError('the report view has a damaged string table');
  let stored: StoredHead;
  try {
    stored = JSON.parse(utf8.decode(block.subarray(at.head, at.end))) as StoredHead;
  } catch {
    throw new ReportViewFormatError('the report view has a damaged head');
  }
  // A first screen holds fewer transactions than its head counts; never more.
  if (
    !Array.isArray(stored?.head?.report?.items) ||
    !Number.isInteger(stored.transactionCount) ||
    stored.transactionCount < count
  )
    throw new ReportViewFormatError('the report view has a damaged head');
  return {
    head: stored.head,
    transactionCount: stored.transactionCount,
    withoutInsights: stored.withoutInsights,
    columns: {
      count,
      amount: new Float64Array(block.buffer, base + at.amount, count),
      day: new Int32Array(block.buffer, base + at.day, count),
      id: u32(0),
      description: u32(1),
      merchant: u32(2),
      category: u32(3),
      currency: u32(4),
      account: new Uint16Array(block.buffer, base + at.account, count),
      pending: new Uint8Array(block.buffer, base + at.pending, count),
      strings: { bytes: block.subarray(at.strings, at.head), offsets },
      accounts: stored.accounts,
      hasInsights: stored.hasInsights,
    },
  };
}
