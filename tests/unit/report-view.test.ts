import {
  decodeReportView,
  NO_STRING,
  REPORT_VIEW_FORMAT,
  reportViewFormat,
  ReportViewFormatError,
} from '../../shared/report-view';
import {
  encodeReportView,
  fetchedWithoutInsights,
  firstScreenOf,
  withoutTransactions,
} from '../../shared/report-view-encode';
import type { AssetReportGetResult } from '../../shared/asset-report';
import { buildReportViews } from '../../electron/services/reports/report-view';
import { readReportView } from '../../renderer/src/reports/report-analysis';
import { readTransactionColumns, rowAt } from '../../renderer/src/reports/transactions';
import { reportWithTransactions } from '../bench/renderer-seed';

/**
 * The report view block: what the main process stores when a report is ready and the page reads in place.
 * It must carry everything the screen shows (head, every transaction's fields) and refuse what it cannot read.
 */
const content = {
  report: reportWithTransactions(3, 700, 200),
  warnings: [],
} as unknown as AssetReportGetResult;
const transactions = content.report.items.flatMap((item) => item.accounts.flatMap((a) => a.transactions));

test('the block gives back the report without transactions and every transaction, newest first', () => {
  const view = decodeReportView(encodeReportView(content));
  expect(view.head).toStrictEqual(withoutTransactions(content));
  expect(view.transactionCount).toBe(transactions.length);
  expect(view.withoutInsights).toBe(fetchedWithoutInsights(content));
  const { columns } = view;
  expect(columns.count).toBe(transactions.length);
  for (let i = 1; i < columns.count; i++) expect(columns.day[i]!).toBeLessThanOrEqual(columns.day[i - 1]!);
  // Every transaction once, with its amount and account, whatever the order.
  const text = (n: number) =>
    n === NO_STRING
      ? null
      : new TextDecoder().decode(
          columns.strings.bytes.subarray(columns.strings.offsets[n], columns.strings.offsets[n + 1]),
        );
  const read = new Map<string, { amount: number; account: string; pending: boolean }>();
  for (let i = 0; i < columns.count; i++)
    read.set(text(columns.id[i]!)!, {
      amount: columns.amount[i]!,
      account: columns.accounts[columns.account[i]!]!.id,
      pending: columns.pending[i] === 1,
    });
  expect(read.size).toBe(transactions.length);
  for (const t of transactions)
    expect(read.get(t.transaction_id)).toStrictEqual({ amount: t.amount, account: t.account_id, pending: t.pending });
});

test('the page reads a block that IPC copied, and one that does not start on an 8-byte boundary', () => {
  const block = encodeReportView(content);
  expect(readReportView(structuredClone(block)).columns.count).toBe(transactions.length);
  const shifted = new Uint8Array(block.length + 3);
  shifted.set(block, 3);
  const view = readReportView(shifted.subarray(3));
  expect(view.columns.amount).toStrictEqual(decodeReportView(block).columns.amount);
  expect(view.head).toStrictEqual(withoutTransactions(content));
});

test('the main process masks the borrower’s SSN in the head, as in every other copy the page gets', () => {
  const withSsn = {
    ...content,
    report: { ...content.report, user: { ...content.report.user, ssn: '123-45-6789' } },
  } as AssetReportGetResult;
  for (const block of Object.values(buildReportViews(withSsn))) {
    expect(Buffer.from(block).includes('123-45-6789')).toBe(false);
    expect(decodeReportView(block).head.report.user.ssn).toBe('***-**-6789');
  }
});

test('a first screen holds the newest rows exactly as the whole view has them, and counts every transaction', () => {
  // A non-ASCII description among the newest rows: its bytes are copied into the first screen's own table.
  const report = reportWithTransactions(2, 400, 120);
  const newest = report.items[0]!.accounts[0]!.transactions.reduce((a, b) => (a.date >= b.date ? a : b));
  newest.original_description = 'Café Ünïcode ☕ 𝄞';
  const sample = { report, warnings: [] } as unknown as AssetReportGetResult;
  const whole = encodeReportView(sample);
  const first = firstScreenOf(whole, 50);
  expect(reportViewFormat(first)).toBe(REPORT_VIEW_FORMAT);
  const all = decodeReportView(whole);
  const screen = decodeReportView(first);
  expect(screen.transactionCount).toBe(all.columns.count);
  expect(all.columns.count).toBeGreaterThan(800);
  expect(screen.columns.count).toBe(50);
  expect(screen.head).toStrictEqual(all.head);
  expect(screen.withoutInsights).toBe(all.withoutInsights);
  expect(screen.columns.accounts).toStrictEqual(all.columns.accounts);
  expect(screen.columns.hasInsights).toBe(all.columns.hasInsights);
  const wholeRows = readTransactionColumns(all.columns);
  const screenRows = readTransactionColumns(screen.columns);
  for (let i = 0; i < 50; i++) expect(rowAt(screenRows, i)).toStrictEqual(rowAt(wholeRows, i));
  expect(Array.from({ length: 50 }, (_, i) => rowAt(screenRows, i).description)).toContain('Café Ünïcode ☕ 𝄞');
  // Only the strings its rows use.
  expect(screen.columns.strings.offsets.length - 1).toBeLessThanOrEqual(50 * 5);
  expect(screen.columns.strings.bytes.length).toBeLessThan(all.columns.strings.bytes.length / 8);
});

test('a view with no more rows than a first screen is its own first screen', () => {
  const small = { report: reportWithTransactions(1, 10, 30), warnings: [] } as unknown as AssetReportGetResult;
  const whole = encodeReportView(small);
  expect(firstScreenOf(whole, 200)).toStrictEqual(whole);
  expect(firstScreenOf(whole, 200).buffer).not.toBe(whole.buffer);
  expect(decodeReportView(firstScreenOf(whole, 11)).columns.count).toBe(11);
});

test('an empty report and a report without accounts still make a block', () => {
  const empty = { report: { ...content.report, items: [] }, warnings: [] } as unknown as AssetReportGetResult;
  const view = decodeReportView(encodeReportView(empty));
  expect(view.columns.count).toBe(0);
  expect(view.head.report.items).toEqual([]);
  expect(view.withoutInsights).toBe(false);
});

test('a block this version cannot read is refused with a reason, never read as something else', () => {
  const block = encodeReportView(content);
  expect(reportViewFormat(block)).toBe(REPORT_VIEW_FORMAT);
  const refused = (bytes: Uint8Array, reason: RegExp) => {
    expect(() => decodeReportView(bytes)).toThrow(ReportViewFormatError);
    expect(() => decodeReportView(bytes)).toThrow(reason);
  };
  refused(block.subarray(0, 10), /cut short/);
  refused(block.subarray(0, block.length - 1), /wrong length/);
  const foreign = block.slice();
  foreign[0] = 0x7b; // "{": a JSON report is not a view block
  expect(reportViewFormat(foreign)).toBeNull();
  refused(foreign, /not in a format/);
  const newer = block.slice();
  new DataView(newer.buffer).setUint32(4, REPORT_VIEW_FORMAT + 1, true);
  expect(reportViewFormat(newer)).toBe(REPORT_VIEW_FORMAT + 1);
  refused(newer, new RegExp(`format ${REPORT_VIEW_FORMAT + 1}`));
  const damagedHead = block.slice();
  damagedHead[damagedHead.length - 1] = 0x00;
  refused(damagedHead, /damaged head/);
});

test('daily balances travel as columns, out of the head’s JSON, and come back as Plaid sent them', () => {
  const report = reportWithTransactions(2, 50, 400);
  const sample = { report, warnings: [] } as unknown as AssetReportGetResult;
  const block = encodeReportView(sample);
  const rows = report.items.flatMap((item) => item.accounts.flatMap((a) => a.historical_balances));
  expect(rows.length).toBeGreaterThan(700);
  // Not one balance date in the head's JSON: they are in the columns.
  expect(Buffer.from(block).includes(`"date":"${rows[0]!.date}"`)).toBe(false);
  const view = decodeReportView(block);
  expect(view.head).toStrictEqual(withoutTransactions(sample));
  // The first screen carries them too: the summary shows them before the whole view arrives.
  expect(decodeReportView(firstScreenOf(block, 10)).head).toStrictEqual(withoutTransactions(sample));
  // A non-USD and a null currency keep their codes.
  const account = report.items[0]!.accounts[0]!;
  account.historical_balances[0] = {
    ...account.historical_balances[0]!,
    iso_currency_code: null,
    unofficial_currency_code: 'BTC',
  };
  account.historical_balances[1] = { ...account.historical_balances[1]!, iso_currency_code: 'CAD' };
  expect(decodeReportView(encodeReportView(sample)).head).toStrictEqual(withoutTransactions(sample));
});

test('an account whose balances carry more than Plaid’s four fields keeps them in the head, field for field', () => {
  const report = reportWithTransactions(2, 20, 60);
  const odd = report.items[0]!.accounts[1]!;
  (odd.historical_balances[3] as unknown as Record<string, unknown>).available = 12.5;
  const unusual = report.items[0]!.accounts[0]!;
  unusual.historical_balances[0]!.date = '2026-02-30'; // not a date a day number gives back
  const sample = { report, warnings: [] } as unknown as AssetReportGetResult;
  const block = encodeReportView(sample);
  expect(Buffer.from(block).includes('"available":12.5')).toBe(true);
  expect(Buffer.from(block).includes('"date":"2026-02-30"')).toBe(true);
  expect(decodeReportView(block).head).toStrictEqual(withoutTransactions(sample));
});

test('balance counts that do not add up to the balance columns are refused, never read short or long', () => {
  const block = encodeReportView(content);
  const text = Buffer.from(block).toString('latin1');
  const at = text.indexOf('"balanceCounts":[') + '"balanceCounts":['.length;
  expect(at).toBeGreaterThan(20);
  const counts = text.slice(at, text.indexOf(']', at));
  const [first, ...rest] = counts.split(',').map(Number);
  expect(first).toBeGreaterThan(100);
  // The head's JSON edited in place (same length, so the block's sections stay where they are).
  const withCounts = (edited: number[]) => {
    const replaced = edited.join(',').padEnd(counts.length, ' ');
    expect(replaced.length).toBe(counts.length);
    return new Uint8Array(Buffer.from(text.slice(0, at) + replaced + text.slice(at + counts.length), 'latin1'));
  };
  expect(decodeReportView(withCounts([first!, ...rest])).head).toStrictEqual(withoutTransactions(content));
  expect(() => decodeReportView(withCounts([first! + 1, ...rest]))).toThrow(/damaged head/);
  expect(() => decodeReportView(withCounts([first! - 1, ...rest]))).toThrow(/damaged head/);
  expect(() => decodeReportView(withCounts([-2, ...rest]))).toThrow(/damaged head/);
  expect(() => decodeReportView(withCounts(rest))).toThrow(/damaged head/);
});
