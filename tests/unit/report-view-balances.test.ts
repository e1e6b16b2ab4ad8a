import { BLOCK_HEADER_BYTES, blockLayout, decodeReportView, NO_CURRENCY } from '../../shared/report-view';
import { balanceHistorySpan } from '../../shared/report-view-balances';
import { encodeReportView, withoutTransactions } from '../../shared/report-view-encode';
import type { AssetReportAccount, AssetReportGetResult } from '../../shared/asset-report';
import { reportWithTransactions } from '../bench/renderer-seed';

/**
 * A decoded head's daily balances stay the block's columns until something reads them: the report's first frame
 * shows none of them. Whoever reads them gets Plaid's rows; a damaged block still fails when it is read.
 */
const content = { report: reportWithTransactions(3, 40, 400), warnings: [] } as unknown as AssetReportGetResult;
const accountsOf = (result: AssetReportGetResult) => result.report.items.flatMap((item) => item.accounts);
const isUnread = (account: AssetReportAccount) =>
  Object.getOwnPropertyDescriptor(account, 'historical_balances')?.get !== undefined;

/** The span as the balance card worked it out before: from the rows, first of equals kept. */
function spanFromRows(account: AssetReportAccount) {
  const rows = account.historical_balances;
  if (rows.length === 0) return null;
  const byDate = [...rows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const newest = rows.find((row) => row.date === byDate.at(-1)!.date)!;
  const currents = rows.map((row) => row.current);
  return {
    rows: rows.length,
    oldest: byDate[0]!.date,
    newest: newest.date,
    lowest: Math.min(...currents),
    highest: Math.max(...currents),
    latest: newest.current,
  };
}

test('each account’s balances become rows when first read, as Plaid sent them, and stay plain rows after', () => {
  const head = decodeReportView(encodeReportView(content)).head;
  const accounts = accountsOf(head);
  expect(accounts.every(isUnread)).toBe(true);
  const first = accounts[0]!;
  expect(first.historical_balances).toStrictEqual(accountsOf(content)[0]!.historical_balances);
  expect(isUnread(first)).toBe(false);
  expect(first.historical_balances).toBe(first.historical_balances); // read once, the same rows every time
  expect(accounts.slice(1).every(isUnread)).toBe(true);
  // A copy (JSON, structured clone) reads them too: the report whole, as it was.
  expect(JSON.parse(JSON.stringify(decodeReportView(encodeReportView(content)).head))).toStrictEqual(
    withoutTransactions(content),
  );
  expect(structuredClone(decodeReportView(encodeReportView(content)).head)).toStrictEqual(withoutTransactions(content));
  // Replaced before being read, the new rows are what the account holds.
  const second = accounts[1]!;
  second.historical_balances = [];
  expect(second.historical_balances).toEqual([]);
  expect(isUnread(second)).toBe(false);
});

test('the balance card’s span is the same read from the columns or from the rows, and null without rows', () => {
  const original = accountsOf(content);
  // Equal balances and a repeated day: the first row of equals is the one kept, either way.
  original[0]!.historical_balances[5] = { ...original[0]!.historical_balances[5]!, current: 1234.5 };
  original[0]!.historical_balances[9] = { ...original[0]!.historical_balances[9]!, current: 1234.5 };
  original[2]!.historical_balances = [];
  const head = decodeReportView(encodeReportView(content)).head;
  accountsOf(head).forEach((account, n) => {
    const expected = spanFromRows(original[n]!);
    expect(balanceHistorySpan(account)).toStrictEqual(expected);
    expect(isUnread(account)).toBe(true); // the span made no rows
    void account.historical_balances;
    expect(balanceHistorySpan(account)).toStrictEqual(expected);
  });
  expect(balanceHistorySpan(accountsOf(head)[2]!)).toBeNull();
});

test('a balance row naming a currency the head does not have fails the read of the block, not a later read', () => {
  const block = encodeReportView(content);
  const header = new DataView(block.buffer, block.byteOffset, BLOCK_HEADER_BYTES);
  const [count, stringCount, stringBytes, headBytes, balanceCount] = [2, 3, 4, 5, 6].map((n) =>
    header.getUint32(4 * n, true),
  ) as [number, number, number, number, number];
  const at = blockLayout({ count, stringCount, stringBytes, headBytes, balanceCount });
  const column = (offset: number) => new Uint16Array(block.buffer, block.byteOffset + offset, balanceCount);
  expect(decodeReportView(block.slice()).head).toStrictEqual(withoutTransactions(content));
  for (const offset of [at.balanceCurrency, at.balanceCurrency + 2 * balanceCount]) {
    const damaged = block.slice();
    const codes = column(offset).slice();
    expect(codes.every((n) => n === 0 || n === NO_CURRENCY)).toBe(true); // every row in USD, or none
    new Uint16Array(damaged.buffer, offset, balanceCount)[balanceCount - 1] = 7; // the head names one currency
    expect(() => decodeReportView(damaged)).toThrow(/damaged head/);
  }
});
