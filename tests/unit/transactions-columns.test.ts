import {
  accountFullLabel,
  buildTransactionColumns,
  categoriesOf,
  emptyFilters,
  filterTransactions,
  readFilterInputs,
  rowAt,
  sortTransactions,
  totalsOf,
} from '../../renderer/src/reports/transactions';
import type { AssetReport, AssetReportTransaction } from '../../shared/asset-report';

/**
 * The transactions table's model in columns: Plaid's own objects plus an account index, filtered and
 * sorted as row numbers. Two banks with the same "Plaid Checking ••0000" must still read apart.
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

const ids = (columns: ReturnType<typeof buildTransactionColumns>, rows: number[]) =>
  rows.map((i) => rowAt(columns, i).id);

test('every row names its bank, account and full mask, and the two same-named accounts read apart', () => {
  const columns = buildTransactionColumns(report);
  expect(columns.count).toBe(5);
  expect(columns.hasInsights).toBe(true);
  const first = rowAt(columns, 0);
  const last = rowAt(columns, 4);
  expect(`${first.accountName} ${first.accountMask}`).toBe('First Platypus Bank · Plaid Checking ••0000');
  expect(`${last.accountName} ${last.accountMask}`).toBe('Tartan Bank · Plaid Checking ••0000');
  expect(accountFullLabel('Tartan Bank', { name: 'Plaid Checking', mask: '0000' })).toBe(
    'Tartan Bank · Plaid Checking ••0000',
  );
  expect(rowAt(columns, 1)).toMatchObject({ merchant: 'Acme Payroll', category: 'Transfer › Payroll', amount: -1200 });
});

test('amounts sort as the screen shows them: descending puts the largest deposit first, the largest withdrawal last', () => {
  const columns = buildTransactionColumns(report);
  const all = () => filterTransactions(columns, emptyFilters);
  expect(ids(columns, sortTransactions(columns, all(), 'amount', 'desc'))).toEqual(['t2', 't4', 't3', 't1', 't5']);
  expect(ids(columns, sortTransactions(columns, all(), 'amount', 'asc'))).toEqual(['t5', 't1', 't3', 't4', 't2']);
  // Date descending, same-day ties by id (ascending either way, as before).
  expect(ids(columns, sortTransactions(columns, all(), 'date', 'desc'))).toEqual(['t4', 't2', 't3', 't1', 't5']);
});

test('filters narrow the row numbers; search text is built on the first search and matches case-insensitively', () => {
  const columns = buildTransactionColumns(report);
  const only = (f: Partial<typeof emptyFilters>) =>
    ids(columns, filterTransactions(columns, { ...emptyFilters, ...f }));
  expect(only({ direction: 'in' })).toEqual(['t2', 't4']);
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
