import type { AssetReportGetResult } from './asset-report';
import { dayNumber } from './underwriting/dates';
import { restoreBalances } from './report-view-balances';
import { damagedHead, ReportViewFormatError } from './report-view-error';
import { utf8 } from './utf8';

export { NO_CURRENCY } from './report-view-balances';
export { ReportViewFormatError } from './report-view-error';

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
 * The accounts' daily balances (Plaid's `historical_balances`, most of a 730-day report's head as JSON) travel
 * as columns too; the reader puts them back into the head (each account's rows as objects when first read, see
 * report-view-balances), so its readers see the report as Plaid sent it. An account whose balances carry more than
 * Plaid's four fields keeps them in the head's JSON.
 *
 * Block layout, little-endian (every machine AssetDesk runs on), each section aligned for its array type; n is
 * the transactions' count, b the balance rows':
 *   header  magic "ADRV", format version, n, string count, string bytes, head bytes, b (u32 each) + 12 spare
 *   amount f64[n] | balance f64[b] | day i32[n] | balance day i32[b] | id, description, merchant, category,
 *   currency u32[n] each | string offsets u32[strings + 1] | account u16[n] | balance currency, balance
 *   unofficial currency u16[b] each | pending u8[n] | string bytes | head JSON (UTF-8)
 *
 * Format 2 added the balance columns; a stored block of another format is made again from the report's JSON.
 */
export const REPORT_VIEW_FORMAT = 2;
export const BLOCK_MAGIC = 0x56524441; // "ADRV" read as a little-endian u32
export const BLOCK_HEADER_BYTES = 40;

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

/**
 * Plaid's `YYYY-MM-DD` as a day number (see underwriting/dates' dayNumber), read leniently: an unreadable date
 * reads as day 0, so one damaged row never keeps a report's view from being made.
 */
export function dayOf(isoDate: string): number {
  try {
    return dayNumber(isoDate);
  } catch {
    return 0;
  }
}

export function accountLabel(account: { name: string; mask: string | null }): string {
  return account.mask ? `${account.name} ••${account.mask}` : account.name;
}

/** The accounts' daily balances as columns, every account's rows one after another (see StoredHead). */
export interface BalanceColumnsData {
  count: number;
  current: Float64Array;
  day: Int32Array;
  /** Numbers into StoredHead.balanceCurrencies (NO_CURRENCY for null). */
  isoCurrency: Uint16Array;
  unofficialCurrency: Uint16Array;
}

/** The head as stored: the report without transactions, and what the columns' readers need beside them. */
export interface StoredHead extends ReportHeadData {
  accounts: TransactionAccount[];
  hasInsights: boolean;
  /**
   * Per account of the head (items in order, their accounts in order): how many of the balance rows are its
   * daily balances, or -1 when they stayed in the head's JSON.
   */
  balanceCounts: number[];
  /** The balance rows' currency codes, each once. */
  balanceCurrencies: string[];
}

/** Where each section of a block with these sizes starts; `end` is the block's length. */
export function blockLayout(sizes: {
  count: number;
  stringCount: number;
  stringBytes: number;
  headBytes: number;
  balanceCount: number;
}) {
  const { count, stringCount, stringBytes, headBytes, balanceCount } = sizes;
  const amount = BLOCK_HEADER_BYTES;
  const balance = amount + 8 * count;
  const day = balance + 8 * balanceCount;
  const balanceDay = day + 4 * count;
  const u32 = balanceDay + 4 * balanceCount; // id, description, merchant, category, currency
  const offsets = u32 + 5 * 4 * count;
  const account = offsets + 4 * (stringCount + 1);
  const balanceCurrency = account + 2 * count; // then the unofficial currency
  const pending = balanceCurrency + 2 * 2 * balanceCount;
  const strings = pending + count;
  const head = strings + stringBytes;
  return {
    amount,
    balance,
    day,
    balanceDay,
    u32,
    offsets,
    account,
    balanceCurrency,
    pending,
    strings,
    head,
    end: head + headBytes,
  };
}

/** The format version a block says it has; null when it is not a report view block at all. */
export function reportViewFormat(block: Uint8Array): number | null {
  if (block.byteLength < BLOCK_HEADER_BYTES) return null;
  const header = new DataView(block.buffer, block.byteOffset, BLOCK_HEADER_BYTES);
  return header.getUint32(0, true) === BLOCK_MAGIC ? header.getUint32(4, true) : null;
}

/** A block's sections as stored: typed arrays over its memory, and its head as parsed (balances not yet put back). */
export interface BlockSections {
  stored: StoredHead;
  /** The head's UTF-8 JSON as stored. */
  headBytes: Uint8Array;
  columns: TransactionColumnsData;
  balances: BalanceColumnsData;
}

/**
 * Reads a block's sections in place (copied once only when the block does not start on an 8-byte boundary,
 * which a Float64Array needs), checking its header, its length and its head.
 */
export function readBlockSections(input: Uint8Array): BlockSections {
  if (input.byteLength < BLOCK_HEADER_BYTES) throw new ReportViewFormatError('the report view is cut short');
  const block = input.byteOffset % 8 === 0 ? input : input.slice();
  const header = new DataView(block.buffer, block.byteOffset, BLOCK_HEADER_BYTES);
  const [magic, format, count, stringCount, stringBytes, headBytes, balanceCount] = [0, 1, 2, 3, 4, 5, 6].map((n) =>
    header.getUint32(4 * n, true),
  ) as [number, number, number, number, number, number, number];
  if (magic !== BLOCK_MAGIC) throw new ReportViewFormatError('the report view is not in a format AssetDesk knows');
  if (format !== REPORT_VIEW_FORMAT)
    throw new ReportViewFormatError(`the report view has format ${format}; this AssetDesk reads ${REPORT_VIEW_FORMAT}`);
  const at = blockLayout({ count, stringCount, stringBytes, headBytes, balanceCount });
  if (at.end !== block.byteLength) throw new ReportViewFormatError('the report view has the wrong length');
  const base = block.byteOffset;
  const u32 = (n: number) => new Uint32Array(block.buffer, base + at.u32 + n * 4 * count, count);
  const offsets = new Uint32Array(block.buffer, base + at.offsets, stringCount + 1);
  if (offsets[stringCount] !== stringBytes)
    throw new ReportViewFormatError('the report view has a damaged string table');
  const headUtf8 = block.subarray(at.head, at.end);
  let stored: StoredHead;
  try {
    stored = JSON.parse(utf8.decode(headUtf8)) as StoredHead;
  } catch {
    throw damagedHead();
  }
  // A first screen holds fewer transactions than its head counts; never more.
  if (
    !Array.isArray(stored?.head?.report?.items) ||
    !Number.isInteger(stored.transactionCount) ||
    stored.transactionCount < count ||
    !Array.isArray(stored.balanceCounts) ||
    !Array.isArray(stored.balanceCurrencies)
  )
    throw damagedHead();
  return {
    stored,
    headBytes: headUtf8,
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
    balances: {
      count: balanceCount,
      current: new Float64Array(block.buffer, base + at.balance, balanceCount),
      day: new Int32Array(block.buffer, base + at.balanceDay, balanceCount),
      isoCurrency: new Uint16Array(block.buffer, base + at.balanceCurrency, balanceCount),
      unofficialCurrency: new Uint16Array(block.buffer, base + at.balanceCurrency + 2 * balanceCount, balanceCount),
    },
  };
}

/**
 * Reads a view block: the columns are typed arrays over the block's own memory; the head is the report without
 * its transactions, daily balances included.
 */
export function decodeReportView(input: Uint8Array): ReportViewData {
  const { stored, columns, balances } = readBlockSections(input);
  restoreBalances(stored, balances);
  return {
    head: stored.head,
    transactionCount: stored.transactionCount,
    withoutInsights: stored.withoutInsights,
    columns,
  };
}

/**
 * Only a block's transactions, for a reader that has its head already (the page, when the whole view follows
 * the first screen): the daily balances are not put back again.
 */
export function decodeTransactionColumns(input: Uint8Array): TransactionColumnsData {
  return readBlockSections(input).columns;
}
