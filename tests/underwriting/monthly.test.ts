import type {
  AssetReport,
  AssetReportAccount,
  AssetReportItem,
  AssetReportTransaction,
} from '../../shared/asset-report';
import { summarizeMonths, type AccountMonths } from '../../shared/underwriting/monthly';
import { buildAssetReport } from '../store/fixtures/asset-report';

/**
 * Hand-made reports whose month figures were worked out on paper (the arithmetic is in the comments), not
 * with the code under test. Plaid's sign: an amount > 0 is money OUT of the account, < 0 money IN.
 * The report is generated on Nov 3, 2026; the bank's daily rows run up to Nov 2.
 */

const GENERATED = '2026-11-03T14:00:00Z';

function txn(
  id: string,
  date: string,
  amount: number,
  extra: Partial<AssetReportTransaction> = {},
): AssetReportTransaction {
  return {
    account_id: 'set-by-account',
    transaction_id: id,
    amount,
    date,
    iso_currency_code: 'USD',
    unofficial_currency_code: null,
    original_description: id.toUpperCase(),
    pending: false,
    ...extra,
  };
}

function account(
  spec: Pick<AssetReportAccount, 'account_id' | 'name' | 'mask'> & {
    current: number | null;
    currency?: string;
    type?: AssetReportAccount['type'];
    subtype?: string;
    daysAvailable?: number;
    rows?: [string, number][];
    transactions?: AssetReportTransaction[];
  },
): AssetReportAccount {
  const currency = spec.currency ?? 'USD';
  return {
    account_id: spec.account_id,
    balances: {
      available: spec.current,
      current: spec.current,
      limit: null,
      margin_loan_amount: null,
      iso_currency_code: currency,
      unofficial_currency_code: null,
    },
    days_available: spec.daysAvailable ?? spec.rows?.length ?? 0,
    historical_balances: (spec.rows ?? []).map(([date, current]) => ({
      date,
      current,
      iso_currency_code: currency,
      unofficial_currency_code: null,
    })),
    mask: spec.mask,
    name: spec.name,
    official_name: null,
    owners: [],
    type: spec.type ?? 'depository',
    subtype: spec.subtype ?? 'checking',
    transactions: (spec.transactions ?? []).map((t) => ({ ...t, account_id: spec.account_id })),
  };
}

function report(
  items: { bank: string; accounts: AssetReportAccount[] }[],
): Pick<AssetReport, 'date_generated' | 'items'> {
  return {
    date_generated: GENERATED,
    items: items.map((item, i): AssetReportItem => ({
      item_id: `item-${i}`,
      institution_id: `ins_${i}`,
      institution_name: item.bank,
      date_last_updated: GENERATED,
      accounts: item.accounts,
    })),
  };
}

/*
 * Chase checking, current balance $15,000.00 (after everything posted, the Nov 3 ATM withdrawal included).
 * Walking back (balance at the end of D = balance at the end of D+1 + money out on D+1 - money in on D+1):
 *   Nov 3 15,000.00 · Nov 2 15,100.00 (+100 ATM) · Nov 1 15,400.00 (+300) · Oct 31 15,400.00 · Oct 30 14,200.00
 *   (-1,200 payroll on Oct 31) · Oct 15 14,200.00 · Oct 14 16,214.25 (+2,000 rent +14.25 coffee) · Oct 7 16,214.25 ·
 *   Oct 6 8,864.25 (-7,350 deposit) · Sep 30 8,864.25 · Sep 29 8,909.75 (+45.50) · Sep 28 10,109.75 (-1,200).
 * The bank sent rows for Sep 28, Sep 30, Oct 20 and Nov 2 only; Oct 31 has none.
 */
const checking = account({
  account_id: 'chase-chk',
  name: 'Plaid Checking',
  mask: '0000',
  current: 15_000,
  daysAvailable: 36,
  rows: [
    ['2026-11-02', 15_100],
    ['2026-10-20', 14_200],
    ['2026-09-30', 8_864.25],
    ['2026-09-28', 10_109.75],
  ],
  transactions: [
    txn('atm', '2026-11-03', 100),
    txn('pending-coffee', '2026-11-03', 20, { pending: true }),
    txn('transfer-out', '2026-11-02', 300),
    txn('payroll-oct', '2026-10-31', -1_200),
    txn('rent', '2026-10-15', 2_000),
    txn('coffee', '2026-10-15', 14.25),
    txn('deposit-7350', '2026-10-07', -7_350),
    txn('groceries', '2026-09-30', 45.5),
    txn('payroll-sep', '2026-09-29', -1_200),
  ],
});

/*
 * Chase savings, current $2,500.00, 65 days of history (Aug 30 to Nov 2); rows for Aug 30, Sep 30 and Nov 2.
 * In: $500 on Aug 31, $100 on Oct 5; nothing at all in September.
 *   Nov 2 2,500 (row) · Oct 31 2,500 (nothing on Nov 1-2) · Sep 30 2,400 (row) · Aug 31 2,400 (nothing in Sep) ·
 *   Aug 30 1,900 (row).
 */
const savings = account({
  account_id: 'chase-sav',
  name: 'Plaid Saving',
  mask: '1111',
  subtype: 'savings',
  current: 2_500,
  daysAvailable: 65,
  rows: [
    ['2026-11-02', 2_500],
    ['2026-09-30', 2_400],
    ['2026-08-30', 1_900],
  ],
  transactions: [txn('interest-ish', '2026-10-05', -100), txn('opening-top-up', '2026-08-31', -500)],
});

/*
 * A euro account, no daily rows: current €3,000.00. In €1,000 on Oct 10; out €250 on Oct 20 and €50 on Nov 1; and a
 * $99.99 card payment on Nov 1 that the bank left in US dollars. The dollars are never added to euros, and the
 * Oct 31 balance would have to be walked back across them: it is not given. Nov 1 ends at the current balance.
 */
const euros = account({
  account_id: 'santander-eur',
  name: 'Cuenta Corriente',
  mask: '9876',
  currency: 'EUR',
  current: 3_000,
  daysAvailable: 0,
  transactions: [
    txn('eur-in', '2026-10-10', -1_000, { iso_currency_code: 'EUR' }),
    txn('eur-out', '2026-10-20', 250, { iso_currency_code: 'EUR' }),
    txn('eur-out-2', '2026-11-01', 50, { iso_currency_code: 'EUR' }),
    txn('usd-card', '2026-11-01', 99.99, { iso_currency_code: 'USD' }),
  ],
});

/** No balance at all from the bank (current null, no rows), 40 days available: Sep 24 to Nov 2. */
const noBalance = account({
  account_id: 'mm-none',
  name: 'Plaid Money Market',
  mask: '4444',
  subtype: 'money market',
  current: null,
  daysAvailable: 40,
  transactions: [txn('mm-in', '2026-10-01', -200)],
});

/*
 * A credit card owes $500.00 now; the Nov 2 row says $500.00 owed. A $200 charge Oct 20, a $300 payment Oct 25, a
 * $40 charge Nov 1. Owed at the end of Oct 31 = 500 - 40 (the Nov 1 charge was not yet owed) = $460.00: a deposit
 * account's rule would wrongly give 540.
 */
const card = account({
  account_id: 'card',
  name: 'Plaid Credit Card',
  mask: '3333',
  type: 'credit',
  subtype: 'credit card',
  current: 500,
  daysAvailable: 1,
  rows: [['2026-11-02', 500]],
  transactions: [
    txn('charge-1', '2026-10-20', 200),
    txn('payment', '2026-10-25', -300),
    txn('charge-2', '2026-11-01', 40),
  ],
});

const retirement = account({
  account_id: 'ira',
  name: 'Plaid IRA',
  mask: '5555',
  type: 'investment',
  subtype: 'ira',
  current: 42_000,
});

const summary = summarizeMonths(
  report([
    { bank: 'Chase', accounts: [checking, savings, card] },
    { bank: 'Banco Santander', accounts: [euros, noBalance, retirement] },
  ]),
);
const byId = (id: string): AccountMonths => {
  const found = summary.accounts.find((a) => a.accountId === id);
  if (!found) throw new Error(`no summary for ${id}`);
  return found;
};

describe('month-by-month summary per account', () => {
  it('names every account with its bank, name and mask, in report order', () => {
    expect(summary.reportDate).toBe('2026-11-03');
    expect(summary.accounts.map((a) => [a.institutionName, a.name, a.mask])).toEqual([
      ['Chase', 'Plaid Checking', '0000'],
      ['Chase', 'Plaid Saving', '1111'],
      ['Chase', 'Plaid Credit Card', '3333'],
      ['Banco Santander', 'Cuenta Corriente', '9876'],
      ['Banco Santander', 'Plaid Money Market', '4444'],
      ['Banco Santander', 'Plaid IRA', '5555'],
    ]);
  });

  it('adds money in and money out per calendar month, with the bank’s balance or one walked back to it', () => {
    const chk = byId('chase-chk');
    expect(chk).toMatchObject({ from: '2026-09-28', to: '2026-11-03', currency: 'USD', debt: false });
    expect(chk.months).toEqual([
      {
        month: '2026-09',
        from: '2026-09-28',
        to: '2026-09-30',
        partial: true,
        deposits: 1_200,
        withdrawals: 45.5,
        transactionCount: 2,
        otherCurrencyCount: 0,
        endingBalance: 8_864.25,
        endingBalanceFrom: 'history',
      },
      {
        month: '2026-10',
        from: '2026-10-01',
        to: '2026-10-31',
        partial: false,
        // 7,350 + 1,200 in; 2,000 + 14.25 out.
        deposits: 8_550,
        withdrawals: 2_014.25,
        transactionCount: 4,
        otherCurrencyCount: 0,
        // No Oct 31 row: the Nov 2 row (15,100) plus the $300 that left on Nov 2.
        endingBalance: 15_400,
        endingBalanceFrom: 'rebuilt',
      },
      {
        month: '2026-11',
        from: '2026-11-01',
        to: '2026-11-03',
        partial: true,
        deposits: 0,
        // 300 + 100; the $20 pending coffee is left out.
        withdrawals: 400,
        transactionCount: 2,
        otherCurrencyCount: 0,
        endingBalance: 15_000,
        endingBalanceFrom: 'current',
      },
    ]);
    expect(chk.pendingLeftOut).toBe(1);
    expect(chk.balanceGap).toBeNull();
  });

  it('follows Plaid’s sign: a negative amount is a deposit, a positive one a withdrawal', () => {
    const oct = byId('chase-chk').months.find((m) => m.month === '2026-10')!;
    // The -7,350 is in deposits, never in withdrawals; the +2,000 rent the other way round.
    expect(oct.deposits).toBeGreaterThanOrEqual(7_350);
    expect(oct.withdrawals).toBeLessThan(7_350);
    expect(oct.withdrawals).toBeGreaterThanOrEqual(2_000);
    expect(oct.deposits - 7_350).toBe(1_200);
  });

  it('keeps a month with no transactions, at zero, with its month-end balance', () => {
    const sav = byId('chase-sav');
    expect(sav.months.map((m) => [m.month, m.partial, m.deposits, m.withdrawals, m.transactionCount])).toEqual([
      ['2026-08', true, 500, 0, 1],
      ['2026-09', false, 0, 0, 0],
      ['2026-10', false, 100, 0, 1],
      ['2026-11', true, 0, 0, 0],
    ]);
    expect(sav.months.map((m) => [m.from, m.to, m.endingBalance, m.endingBalanceFrom])).toEqual([
      ['2026-08-30', '2026-08-31', 2_400, 'rebuilt'],
      ['2026-09-01', '2026-09-30', 2_400, 'history'],
      ['2026-10-01', '2026-10-31', 2_500, 'rebuilt'],
      ['2026-11-01', '2026-11-02', 2_500, 'history'],
    ]);
  });

  it('prefers the bank’s own row to a balance worked out from the transactions', () => {
    // The bank says 9,000.00 at the end of Sep 30, though the transactions would give 8,864.25.
    const odd = account({
      account_id: 'odd',
      name: 'Odd',
      mask: '7777',
      current: 15_000,
      rows: [['2026-09-30', 9_000]],
      transactions: [txn('x', '2026-09-30', 10)],
    });
    expect(summarizeMonths(report([{ bank: 'Chase', accounts: [odd] }])).accounts[0]!.months[0]).toMatchObject({
      endingBalance: 9_000,
      endingBalanceFrom: 'history',
    });
  });

  it('sums an account in its own currency, never adds another currency in, and gives no balance it cannot know', () => {
    const eur = byId('santander-eur');
    expect(eur).toMatchObject({ currency: 'EUR', from: '2026-10-10', to: '2026-11-01', balanceGap: 'other_currency' });
    expect(eur.months).toEqual([
      {
        month: '2026-10',
        from: '2026-10-10',
        to: '2026-10-31',
        partial: true,
        deposits: 1_000,
        withdrawals: 250,
        transactionCount: 2,
        otherCurrencyCount: 0,
        endingBalance: null,
        endingBalanceFrom: null,
      },
      {
        month: '2026-11',
        from: '2026-11-01',
        to: '2026-11-01',
        partial: true,
        deposits: 0,
        // €50 only: the $99.99 is counted apart.
        withdrawals: 50,
        transactionCount: 1,
        otherCurrencyCount: 1,
        endingBalance: 3_000,
        endingBalanceFrom: 'current',
      },
    ]);
  });

  it('says when the bank sent no balance at all, and still sums the money in and out', () => {
    const mm = byId('mm-none');
    expect(mm).toMatchObject({ from: '2026-09-24', to: '2026-11-02', balanceGap: 'no_balance' });
    expect(mm.months.map((m) => [m.month, m.partial, m.deposits, m.endingBalance])).toEqual([
      ['2026-09', true, 0, null],
      ['2026-10', false, 200, null],
      ['2026-11', true, 0, null],
    ]);
  });

  it('gives no month-end after the last daily row when the bank sent no current balance', () => {
    // Rows to Oct 30 only, then $25 out on Nov 2: Oct 31 and Nov 2 cannot be known without a current balance.
    const partial = account({
      account_id: 'p',
      name: 'P',
      mask: '6666',
      current: null,
      rows: [
        ['2026-10-30', 800],
        ['2026-10-29', 800],
      ],
      transactions: [txn('late', '2026-11-02', 25)],
    });
    const got = summarizeMonths(report([{ bank: 'Chase', accounts: [partial] }])).accounts[0]!;
    expect(got.balanceGap).toBe('no_current_balance');
    expect(got.months.map((m) => [m.month, m.to, m.endingBalance])).toEqual([
      ['2026-10', '2026-10-31', null],
      ['2026-11', '2026-11-02', null],
    ]);
  });

  it('walks a card’s amount owed back the other way', () => {
    const cc = byId('card');
    expect(cc.debt).toBe(true);
    expect(cc.months.map((m) => [m.month, m.deposits, m.withdrawals, m.endingBalance, m.endingBalanceFrom])).toEqual([
      ['2026-10', 300, 200, 460, 'rebuilt'],
      ['2026-11', 0, 40, 500, 'history'],
    ]);
  });

  it('gives an account without any history no months', () => {
    expect(byId('ira')).toMatchObject({ from: null, to: null, months: [], balanceGap: null });
  });

  it('crosses a year end', () => {
    const winter = account({
      account_id: 'w',
      name: 'W',
      mask: '8888',
      current: 100,
      rows: [['2025-12-15', 50]],
      transactions: [txn('jan', '2026-01-02', -50)],
    });
    const got = summarizeMonths(report([{ bank: 'B', accounts: [winter] }])).accounts[0]!;
    expect(got.months.map((m) => m.month)).toEqual(['2025-12', '2026-01']);
    // Dec 31: nothing posted between it and Jan 2, when 50 came in: 100 - 50.
    expect(got.months[0]).toMatchObject({ from: '2025-12-15', to: '2025-12-31', endingBalance: 50 });
  });
});

describe('on the 50,000-transaction report', () => {
  const big = buildAssetReport({ transactions: 50_000, accounts: 8, daysRequested: 730 });

  it('adds every transaction exactly once and takes each month-end from the bank’s rows', () => {
    const result = summarizeMonths(big.report);
    for (const item of big.report.items) {
      for (const a of item.accounts) {
        const got = result.accounts.find((s) => s.accountId === a.account_id)!;
        const posted = a.transactions.filter((t) => !t.pending);
        const cents = (n: number) => Math.round(n * 100);
        const inCents = posted.filter((t) => t.amount < 0).reduce((s, t) => s - cents(t.amount), 0);
        const outCents = posted.filter((t) => t.amount > 0).reduce((s, t) => s + cents(t.amount), 0);
        expect(Math.round(got.months.reduce((s, m) => s + m.deposits, 0) * 100)).toBe(inCents);
        expect(Math.round(got.months.reduce((s, m) => s + m.withdrawals, 0) * 100)).toBe(outCents);
        expect(got.months.reduce((s, m) => s + m.transactionCount, 0)).toBe(posted.length);
        const rows = new Map(a.historical_balances.map((r) => [r.date, r.current]));
        for (const m of got.months) if (rows.has(m.to)) expect(m.endingBalance).toBe(rows.get(m.to));
      }
    }
  });
});
