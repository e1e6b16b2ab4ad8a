import {
  decodeReportView,
  encodeReportView,
  fetchedWithoutInsights,
  NO_STRING,
  REPORT_VIEW_FORMAT,
  reportViewFormat,
  ReportViewFormatError,
  withoutTransactions,
} from '../../shared/report-view';
import type { AssetReportGetResult } from '../../shared/asset-report';
import { buildReportView } from '../../electron/services/reports/report-view';
import { readReportView } from '../../renderer/src/reports/report-analysis';
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
  const block = buildReportView(withSsn);
  expect(Buffer.from(block).includes('123-45-6789')).toBe(false);
  expect(decodeReportView(block).head.report.user.ssn).toBe('***-**-6789');
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
