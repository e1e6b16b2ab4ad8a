import type { AssetReport, AssetReportGetResult, AssetReportTransaction } from '../../../shared/asset-report';

/**
 * A report's transactions as columns of typed arrays, built where the report is parsed (the analysis worker)
 * and moved to the page by transfer, not copied: the page never holds 50,000 transaction objects. Text fields
 * are numbers into one table of distinct strings stored as UTF-8, so a repeated description is stored once.
 */
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
  /** Each transaction's place in date order, ties by id (the table's default order, worked out once). */
  dateRank: Uint32Array;
  /** Each transaction's place in description order (equal descriptions share a rank). */
  descriptionRank: Uint32Array;
  strings: StringTableData;
  accounts: TransactionAccount[];
  /** Whether any transaction carries Plaid's insights (merchant or category). */
  hasInsights: boolean;
}

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

/** The string number of a missing (null) text field. */
export const NO_STRING = 0xffffffff;

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
export const descriptionOf = (t: AssetReportTransaction): string => t.original_description ?? t.name ?? '';
const categoryOf = (t: AssetReportTransaction): string | null =>
  t.category && t.category.length > 0 ? t.category.join(' › ') : null;

class StringTableBuilder {
  private readonly numbers = new Map<string, number>();
  private readonly encoder = new TextEncoder();
  private bytes = new Uint8Array(1 << 16);
  private length = 0;
  private readonly offsets: number[] = [0];
  readonly strings: string[] = [];

  add(text: string | null): number {
    if (text === null) return NO_STRING;
    const known = this.numbers.get(text);
    if (known !== undefined) return known;
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const need = this.length + text.length * 3;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown;
    }
    this.length += this.encoder.encodeInto(text, this.bytes.subarray(this.length)).written;
    const n = this.strings.length;
    this.strings.push(text);
    this.offsets.push(this.length);
    this.numbers.set(text, n);
    return n;
  }

  build(): StringTableData {
    return { bytes: this.bytes.slice(0, this.length), offsets: Uint32Array.from(this.offsets) };
  }
}

// The default locale's collation for ids (as the table always sorted them), and descriptions without case.
const idOrder = new Intl.Collator();
const descriptionOrder = new Intl.Collator('en-US', { sensitivity: 'base' });

/** Every transaction of the report, in report order (item, account, Plaid's order), as columns. */
export function encodeTransactionColumns(report: Pick<AssetReport, 'items'>): TransactionColumnsData {
  let count = 0;
  for (const item of report.items) for (const a of item.accounts) count += a.transactions?.length ?? 0;
  const amount = new Float64Array(count);
  const day = new Int32Array(count);
  const pending = new Uint8Array(count);
  const account = new Uint16Array(count);
  const id = new Uint32Array(count);
  const description = new Uint32Array(count);
  const merchant = new Uint32Array(count);
  const category = new Uint32Array(count);
  const currency = new Uint32Array(count);
  const strings = new StringTableBuilder();
  const accounts: TransactionAccount[] = [];
  let hasInsights = false;
  let i = 0;
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
        amount[i] = t.amount;
        day[i] = dayOf(t.date);
        pending[i] = t.pending ? 1 : 0;
        account[i] = index;
        id[i] = strings.add(t.transaction_id);
        description[i] = strings.add(descriptionOf(t));
        const merchantName = t.merchant_name ?? null;
        const categoryName = categoryOf(t);
        merchant[i] = strings.add(merchantName);
        category[i] = strings.add(categoryName);
        currency[i] = strings.add(t.iso_currency_code ?? t.unofficial_currency_code ?? null);
        if (merchantName !== null || categoryName !== null) hasInsights = true;
        i++;
      }
    }
  }
  const text = strings.strings;

  const byDate = Uint32Array.from({ length: count }, (_, n) => n).sort(
    (a, b) => day[a]! - day[b]! || idOrder.compare(text[id[a]!]!, text[id[b]!]!),
  );
  const dateRank = new Uint32Array(count);
  for (let r = 0; r < count; r++) dateRank[byDate[r]!] = r;

  // Ranks of the distinct descriptions, then per transaction: a sort of a few thousand strings, not 50,000.
  const distinct = [...new Set(description)].sort((a, b) => descriptionOrder.compare(text[a]!, text[b]!));
  const rankOfString = new Map<number, number>();
  let rank = 0;
  distinct.forEach((n, k) => {
    if (k > 0 && descriptionOrder.compare(text[distinct[k - 1]!]!, text[n]!) !== 0) rank = k;
    rankOfString.set(n, rank);
  });
  const descriptionRank = Uint32Array.from(description, (n) => rankOfString.get(n)!);

  return {
    count,
    amount,
    day,
    pending,
    account,
    id,
    description,
    merchant,
    category,
    currency,
    dateRank,
    descriptionRank,
    strings: strings.build(),
    accounts,
    hasInsights,
  };
}

/** The buffers to hand over in postMessage's transfer list (they become unusable on the sending side). */
export function columnBuffers(data: TransactionColumnsData): ArrayBuffer[] {
  return [
    data.amount,
    data.day,
    data.pending,
    data.account,
    data.id,
    data.description,
    data.merchant,
    data.category,
    data.currency,
    data.dateRank,
    data.descriptionRank,
    data.strings.bytes,
    data.strings.offsets,
  ].map((array) => array.buffer as ArrayBuffer);
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

/** Reads the string table on the page: each string decoded the first time it is asked for, then kept. */
export class StringTable {
  private readonly decoded: (string | undefined)[];
  private readonly decoder = new TextDecoder();

  constructor(private readonly data: StringTableData) {
    this.decoded = new Array<string | undefined>(Math.max(0, data.offsets.length - 1));
  }

  get size(): number {
    return this.decoded.length;
  }

  get(n: number): string | null {
    if (n === NO_STRING) return null;
    let text = this.decoded[n];
    if (text === undefined) {
      text = this.decoder.decode(this.data.bytes.subarray(this.data.offsets[n], this.data.offsets[n + 1]));
      this.decoded[n] = text;
    }
    return text;
  }
}
