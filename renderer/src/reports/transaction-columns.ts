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
    const encoder = new TextEncoder();
    const joined = strings.join('');
    // Plain ASCII (the usual case): one encoding call, and each string's byte length is its length.
    if (!/[\u0080-\uffff]/.test(joined)) {
      for (let n = 0, at = 0; n < strings.length; n++) offsets[n + 1] = at += strings[n]!.length;
      return { bytes: encoder.encode(joined), offsets };
    }
    // UTF-8 takes at most 3 bytes per UTF-16 code unit; each string on its own (a lone surrogate stays its own).
    const bytes = new Uint8Array(joined.length * 3);
    let length = 0;
    for (let n = 0; n < strings.length; n++) {
      length += encoder.encodeInto(strings[n]!, bytes.subarray(length)).written;
      offsets[n + 1] = length;
    }
    return { bytes: bytes.slice(0, length), offsets };
  }
}

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
  const days = new Map<string, number>(); // a few hundred distinct dates among 50,000 transactions
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
        let dayNumber = days.get(t.date);
        if (dayNumber === undefined) days.set(t.date, (dayNumber = dayOf(t.date)));
        day[i] = dayNumber;
        pending[i] = t.pending ? 1 : 0;
        account[i] = index;
        id[i] = strings.addNew(t.transaction_id);
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
