import {
  accountFullLabel,
  categoriesOf,
  emptyFilters,
  filterTransactions,
  readFilterInputs,
  rowAt,
  sortTransactions,
  readTransactionColumns,
  totalsOf,
  type SortDirection,
  type SortKey,
} from '../../renderer/src/reports/transactions';
import { dayOf, decodeReportView, NO_STRING } from '../../shared/report-view';
import { fromDayNumber } from '../../shared/underwriting/dates';
import { encodeReportView, encodeTransactionColumns } from '../../shared/report-view-encode';
import type { AssetReport, AssetReportGetResult, AssetReportTransaction } from '../../shared/asset-report';

/**
 * The transactions table's model in columns: typed arrays and one table of distinct strings, built in the main
 * process when the report is stored (newest first) and read by the page in place, filtered and sorted there as
 * row numbers. Two banks with the
 * same "Plaid Checking ••0000" must still read apart.
 */

function txn(id: string, accountId: string, date: string, amount: number, extra: Partial<AssetReportTransaction> = {}) {
  return {
    transaction_id: id,
    account_id: accountId,
    date,
    amount,
    iso_currency_code: 'USD',
    unofficial_currency_code: null,
    original_description: `Payment ${id}`,
    pending: false,
    ...extra,
  } as AssetReportTransaction;
}

function account(id: string, transactions: AssetReportTransaction[]) {
  return { account_id: id, name: 'Plaid Checking', mask: '0000', transactions };
}

const report = {
  items: [
    {
      institution_name: 'First Platypus Bank',
      accounts: [
        account('a1', [
          txn('t1', 'a1', '2026-03-01', 50),
          txn('t2', 'a1', '2026-03-02', -1200, { merchant_name: 'Acme Payroll', category: ['Transfer', 'Payroll'] }),
          txn('t3', 'a1', '2026-03-02', 20),
        ]),
      ],
    },
    {
      institution_name: 'Tartan Bank',
      accounts: [account('a2', [txn('t4', 'a2', '2026-03-03', -300), txn('t5', 'a2', '2026-02-28', 900)])],
    },
  ],
} as unknown as AssetReport;

/** The columns of a parsed report as the page reads them (the app's come from the stored view block). */
const buildTransactionColumns = (r: Pick<AssetReport, 'items'>) => readTransactionColumns(encodeTransactionColumns(r));
type Columns = ReturnType<typeof buildTransactionColumns>;
const ids = (columns: Columns, rows: number[]) => rows.map((i) => rowAt(columns, i).id);
/** The row of a transaction, wherever the columns put it. */
const rowOf = (columns: Columns, id: string) => {
  const at = Array.from({ length: columns.count }, (_, i) => i).find((i) => rowAt(columns, i).id === id);
  if (at === undefined) throw new Error(`no transaction ${id}`);
  return rowAt(columns, at);
};

test('every row names its bank, account and full mask, and the two same-named accounts read apart', () => {
  const columns = buildTransactionColumns(report);
  expect(columns.count).toBe(5);
  expect(columns.hasInsights).toBe(true);
  // Stored newest first: the report's order is kept only among same-day transactions.
  expect(ids(columns, [0, 1, 2, 3, 4])).toEqual(['t4', 't2', 't3', 't1', 't5']);
  const first = rowOf(columns, 't1');
  const last = rowOf(columns, 't5');
  expect(`${first.accountName} ${first.accountMask}`).toBe('First Platypus Bank · Plaid Checking ••0000');
  expect(`${last.accountName} ${last.accountMask}`).toBe('Tartan Bank · Plaid Checking ••0000');
  expect(accountFullLabel('Tartan Bank', { name: 'Plaid Checking', mask: '0000' })).toBe(
    'Tartan Bank · Plaid Checking ••0000',
  );
  expect(rowOf(columns, 't2')).toMatchObject({
    merchant: 'Acme Payroll',
    category: 'Transfer › Payroll',
    amount: -1200,
  });
});

test('amounts sort as the screen shows them: descending puts the largest deposit first, the largest withdrawal last', () => {
  const columns = buildTransactionColumns(report);
  const all = () => filterTransactions(columns, emptyFilters);
  expect(ids(columns, sortTransactions(columns, all(), 'amount', 'desc'))).toEqual(['t2', 't4', 't3', 't1', 't5']);
  expect(ids(columns, sortTransactions(columns, all(), 'amount', 'asc'))).toEqual(['t5', 't1', 't3', 't4', 't2']);
  // Date descending, same-day transactions in the report's order.
  expect(ids(columns, sortTransactions(columns, all(), 'date', 'desc'))).toEqual(['t4', 't2', 't3', 't1', 't5']);
});

test('filters narrow the row numbers; search text is built on the first search and matches case-insensitively', () => {
  const columns = buildTransactionColumns(report);
  const only = (f: Partial<typeof emptyFilters>) =>
    ids(columns, filterTransactions(columns, { ...emptyFilters, ...f }));
  expect(only({ direction: 'in' })).toEqual(['t4', 't2']);
  expect(only({ accountId: 'a2' })).toEqual(['t4', 't5']);
  expect(only({ query: 'ACME' })).toEqual(['t2']);
  expect(only({ query: '1200.00' })).toEqual(['t2']);
  expect(only({ query: '1,200.00' })).toEqual(['t2']);
  expect(only({ category: 'Transfer › Payroll' })).toEqual(['t2']);
  expect(only({ minAmount: 100, maxAmount: 1000 })).toEqual(['t4', 't5']);
  expect(only({ ids: new Set(['t5', 't1']) })).toEqual(['t1', 't5']);
  expect(categoriesOf(columns)).toEqual(['Transfer › Payroll']);
  expect(totalsOf(columns, filterTransactions(columns, emptyFilters))).toEqual({ moneyIn: 1500, moneyOut: 970 });
});

test('an amount in the search box matches in any common format, as the reports search reads it', () => {
  const columns = buildTransactionColumns(report);
  const search = (query: string) => ids(columns, filterTransactions(columns, { ...emptyFilters, query }));
  for (const query of ['1,200.00', '$1,200', '1200', '1200.00', '-1,200.00', '(1,200.00)', '$1200 acme'])
    expect(search(query)).toEqual(['t2']);
  // An amount is matched whole, not as digits inside another amount; words still match the text.
  expect(search('200')).toEqual([]);
  expect(search('20')).toEqual(['t3']);
  expect(search('payment t3')).toEqual(['t3']);
});

test('filter boxes that cannot be read are reported and left out, never applied as something else', () => {
  const blank = { from: '', to: '', minAmount: '', maxAmount: '' };
  expect(readFilterInputs(blank)).toEqual({ from: null, to: null, minAmount: null, maxAmount: null, errors: {} });
  expect(readFilterInputs({ ...blank, minAmount: '$1,250.50', maxAmount: '2000' })).toMatchObject({
    minAmount: 1250.5,
    maxAmount: 2000,
    errors: {},
  });

  const letters = readFilterInputs({ ...blank, minAmount: 'abc', maxAmount: '500' });
  expect(letters.minAmount).toBeNull();
  expect(letters.maxAmount).toBe(500);
  expect(letters.errors.minAmount).toBe('Min $ “abc” is not an amount: type dollars, like 250 or 1,250.00.');

  expect(readFilterInputs({ ...blank, maxAmount: '-5' }).errors.maxAmount).toMatch(/^Max \$ is the size .*minus sign/);

  const reversedAmounts = readFilterInputs({ ...blank, minAmount: '900', maxAmount: '100' });
  expect(reversedAmounts).toMatchObject({ minAmount: null, maxAmount: null });
  expect(reversedAmounts.errors.maxAmount).toBe('Max $ is less than Min $: the amount range is not applied.');

  const reversedDates = readFilterInputs({ ...blank, from: '2026-11-07', to: '2026-11-01' });
  expect(reversedDates).toMatchObject({ from: null, to: null });
  expect(reversedDates.errors.from).toBe(
    'From (Nov 7, 2026) is after To (Nov 1, 2026): the date range is not applied. Pick a From date on or before To.',
  );
  expect(readFilterInputs({ ...blank, from: '2026-11-01', to: '2026-11-01' })).toMatchObject({
    from: '2026-11-01',
    to: '2026-11-01',
    errors: {},
  });
});

describe('columns read by the page from the report view block', () => {
  // Every field the table shows, with the awkward cases: non-ASCII text, empty strings, nulls, pending,
  // ISO, unofficial and missing currencies, Plaid's `name` when the bank sent no description.
  const awkward = [
    txn('ü-1', 'a1', '2026-01-31', 12.34, {
      original_description: 'Café Zürich — 東京 🍣',
      merchant_name: 'Ñandú Ltd',
      category: ['Food and Drink', 'Restaurants'],
      pending: true,
    }),
    txn('e-2', 'a1', '2024-02-29', -0.01, {
      original_description: '',
      merchant_name: '',
      category: [],
      iso_currency_code: null,
      unofficial_currency_code: 'BTC',
    }),
    txn('n-3', 'a1', '1999-12-31', 1e9, {
      original_description: null,
      name: 'PLAID NAME ONLY',
      merchant_name: null,
      category: null,
      iso_currency_code: null,
      unofficial_currency_code: null,
    }),
    txn('c-4', 'a1', '2026-03-01', -2500.5, {
      iso_currency_code: 'CAD',
      original_description: 'café zürich — 東京 🍣',
    }),
  ];
  const awkwardReport = {
    items: [{ institution_name: 'Bänk Ø', accounts: [{ ...account('a1', awkward), mask: null, name: 'Épargne' }] }],
  } as unknown as AssetReport;

  function transferred() {
    const content = { report: awkwardReport, warnings: [] } as unknown as AssetReportGetResult;
    // What IPC does with the block: a structured clone; the page then reads it in place.
    const block = structuredClone(encodeReportView(content));
    return readTransactionColumns(decodeReportView(block).columns);
  }

  test('every field the table shows reads back as Plaid sent it', () => {
    const columns = transferred();
    expect(columns.count).toBe(4);
    expect(columns.hasInsights).toBe(true);
    const rows = ['ü-1', 'e-2', 'n-3', 'c-4'].map((id) => rowOf(columns, id));
    expect(rows[0]).toStrictEqual({
      id: 'ü-1',
      accountId: 'a1',
      accountName: 'Bänk Ø · Épargne',
      accountMask: '',
      date: '2026-01-31',
      amount: 12.34,
      currency: 'USD',
      description: 'Café Zürich — 東京 🍣',
      merchant: 'Ñandú Ltd',
      category: 'Food and Drink › Restaurants',
      pending: true,
    });
    expect(rows[1]).toMatchObject({
      date: '2024-02-29',
      amount: -0.01,
      currency: 'BTC',
      description: '',
      merchant: '',
      category: null,
      pending: false,
    });
    expect(rows[2]).toMatchObject({
      date: '1999-12-31',
      amount: 1e9,
      currency: null,
      description: 'PLAID NAME ONLY',
      merchant: null,
      category: null,
    });
    expect(rows[3]).toMatchObject({ currency: 'CAD', amount: -2500.5, date: '2026-03-01' });
  });

  test('repeated text is stored once', () => {
    const data = encodeTransactionColumns(report);
    const distinct = new Set([...data.id, ...data.description, ...data.merchant, ...data.category, ...data.currency]);
    distinct.delete(NO_STRING);
    expect(data.strings.offsets.length - 1).toBe(distinct.size);
    // 'USD' once for five transactions.
    expect(new Set(data.currency).size).toBe(1);
  });

  test('search, filters and sorting read the transferred columns, non-ASCII text included', () => {
    const columns = transferred();
    const only = (f: Partial<typeof emptyFilters>) =>
      ids(columns, filterTransactions(columns, { ...emptyFilters, ...f }));
    expect(only({ query: 'zürich' })).toEqual(['c-4', 'ü-1']);
    expect(only({ query: '東京 ñandú' })).toEqual(['ü-1']);
    expect(only({ query: 'épargne' })).toEqual(['c-4', 'ü-1', 'e-2', 'n-3']);
    expect(only({ query: 'plaid name' })).toEqual(['n-3']);
    expect(only({ query: '2,500.50' })).toEqual(['c-4']);
    expect(only({ query: '$0.01' })).toEqual(['e-2']);
    expect(only({ from: '2024-02-29', to: '2026-01-31' })).toEqual(['ü-1', 'e-2']);
    expect(only({ from: '2026-02-01' })).toEqual(['c-4']);
    expect(only({ category: 'Food and Drink › Restaurants' })).toEqual(['ü-1']);
    expect(only({ ids: new Set(['n-3']) })).toEqual(['n-3']);
    expect(only({ direction: 'out', minAmount: 10, maxAmount: 20 })).toEqual(['ü-1']);
    expect(categoriesOf(columns)).toEqual(['Food and Drink › Restaurants']);

    const sorted = (key: SortKey, direction: SortDirection) =>
      ids(columns, sortTransactions(columns, filterTransactions(columns, emptyFilters), key, direction));
    expect(sorted('date', 'asc')).toEqual(['n-3', 'e-2', 'ü-1', 'c-4']);
    expect(sorted('date', 'desc')).toEqual(['c-4', 'ü-1', 'e-2', 'n-3']);
    expect(sorted('amount', 'desc')).toEqual(['c-4', 'e-2', 'ü-1', 'n-3']);
    // Descriptions sort without regard to case or accents ('' first); equal ones newest first.
    expect(sorted('description', 'asc')).toEqual(['e-2', 'c-4', 'ü-1', 'n-3']);
    expect(sorted('description', 'desc')).toEqual(['n-3', 'c-4', 'ü-1', 'e-2']);
  });

  test('same-day transactions keep the report’s order in both date directions; a damaged date reads as day 0', () => {
    const sameDay = buildTransactionColumns({
      items: [
        {
          institution_name: 'B',
          accounts: [
            account('a1', [
              txn('t-b', 'a1', '2026-05-05', 1),
              txn('t-a', 'a1', '2026-05-05', 2),
              txn('t-c', 'a1', '2026-05-04', 3),
            ]),
          ],
        },
      ],
    } as unknown as AssetReport);
    const all = () => filterTransactions(sameDay, emptyFilters);
    expect(ids(sameDay, sortTransactions(sameDay, all(), 'date', 'desc'))).toEqual(['t-b', 't-a', 't-c']);
    expect(ids(sameDay, sortTransactions(sameDay, all(), 'date', 'asc'))).toEqual(['t-c', 't-b', 't-a']);
    expect(fromDayNumber(dayOf('2026-05-05'))).toBe('2026-05-05');
    expect(dayOf('garbage')).toBe(0);
  });
});

test('a day number reads as the date Date would give it (fromDayNumber), across leap years, centuries and the year 0', () => {
  const byDate = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
  // 1600-01-01 … 2400-12-31 every day, then every 97th day from the year 0 to the year 9999.
  for (let day = dayOf('1600-01-01'); day <= dayOf('2400-12-31'); day++) {
    if (fromDayNumber(day) !== byDate(day)) expect(fromDayNumber(day)).toBe(byDate(day));
  }
  for (let day = -719_528; day <= 2_932_896; day += 97) {
    if (fromDayNumber(day) !== byDate(day)) expect(fromDayNumber(day)).toBe(byDate(day));
  }
  expect(fromDayNumber(-719_528)).toBe('0000-01-01');
  expect(fromDayNumber(2_932_896)).toBe('9999-12-31');
  for (const date of ['1900-02-28', '1900-03-01', '2000-02-29', '2024-02-29', '2100-03-01'])
    expect(fromDayNumber(dayOf(date))).toBe(date);
});
