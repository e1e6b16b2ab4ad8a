import { analyzeReport, averageDailyBalance, dailyBalances, underwritingSettings } from '../../shared/underwriting';
import { REPORT_DATE, loan, singleItem } from './fixtures';

const analyze = (result: ReturnType<typeof singleItem>, overrides = {}) =>
  analyzeReport(result, loan(), underwritingSettings(overrides), REPORT_DATE);

// 5,000 now; a 3,000 deposit 10 days ago: 5,000 for days 1-10 before the report, 2,000 for days 11-90.
const grown = {
  id: 'chk-0000',
  current: 5000,
  transactions: [{ id: 'dep-3000', daysAgo: 10, amount: -3000, description: 'MOBILE DEPOSIT' }],
};

describe('average daily balances', () => {
  it('averages the daily history over 30/60/90 days before the report date', () => {
    const analysis = analyze(singleItem([grown]));
    expect(analysis.averageBalances.accounts[0]).toMatchObject({
      accountId: 'chk-0000',
      current: 5000,
      historyDays: 90,
      days30: 3000,
      days60: 2500,
      days90: 2333.33,
    });
    expect(analysis.averageBalances.totals).toEqual({ days30: 3000, days60: 2500, days90: 2333.33 });
    expect(analysis.findings.find((f) => f.id === 'average-balance')).toMatchObject({
      severity: 'ok',
      citation: 'Fannie Mae B3-4.2-01 (VOD average balance)',
    });
  });

  it('gives null where the history is missing or too short, and says so', () => {
    const result = singleItem([
      grown,
      { id: 'sav-1111', subtype: 'savings', current: 800, historyDays: 0 },
      { id: 'mm-4444', subtype: 'money market', current: 1000, historyDays: 45, daysAvailable: 45 },
    ]);
    const analysis = analyze(result);
    const byId = Object.fromEntries(analysis.averageBalances.accounts.map((a) => [a.accountId, a]));
    expect(byId['sav-1111']).toMatchObject({ historyDays: 0, days30: null, days60: null, days90: null });
    expect(byId['mm-4444']).toMatchObject({ historyDays: 45, days30: 1000, days60: null, days90: null });
    expect(analysis.averageBalances.accountsWithoutHistory).toEqual(['sav-1111']);
    expect(analysis.averageBalances.totals).toEqual({ days30: 4000, days60: 2500, days90: 2333.33 });
    expect(analysis.findings.find((f) => f.id === 'average-balance:sav-1111')).toMatchObject({
      severity: 'info',
      accountId: 'sav-1111',
    });
  });

  it('rebuilds a day without a row from the next day and its transactions, not by carrying the older row', () => {
    const row = (date: string, current: number) => ({
      date,
      current,
      iso_currency_code: 'USD',
      unofficial_currency_code: null,
    });
    const spent = (date: string, amount: number) => ({
      account_id: 'chk',
      transaction_id: `${date}-${amount}`,
      amount,
      date,
      iso_currency_code: 'USD',
      unofficial_currency_code: null,
      original_description: 'x',
      pending: false,
    });
    // Rows on 03-29 (100) and 03-25 (10). 03-28 = 100 + (-60 in on 03-29) = 40; 03-27 = 40 + 25 out on 03-28 = 65;
    // 03-26 = 65 + (-5 in on 03-27) = 60; 03-25 is a row. Carrying forward would have said 100, 10, 10, 10, 10.
    const account = {
      historical_balances: [row('2026-03-29', 100), row('2026-03-25', 10)],
      transactions: [
        spent('2026-03-29', -60),
        spent('2026-03-28', 25),
        spent('2026-03-27', -5),
        spent('2026-03-26', 30),
      ],
    };
    expect(dailyBalances(account, REPORT_DATE, 5)).toEqual([100, 40, 65, 60, 10]);
    expect(dailyBalances(account, REPORT_DATE, 6)).toBeNull();
    // (100 + 40 + 65 + 60 + 10) / 5 = 55
    expect(averageDailyBalance(account, REPORT_DATE, 5)).toBe(55);
    // The day before the report date rebuilds from the current balance: 120 now, 20.50 out on the report date → 140.50.
    const noRows = {
      historical_balances: [row('2026-03-28', 90)],
      transactions: [spent(REPORT_DATE, 20.5)],
      balances: {
        current: 120,
        available: 120,
        limit: null,
        margin_loan_amount: null,
        iso_currency_code: 'USD',
        unofficial_currency_code: null,
      },
    };
    expect(dailyBalances(noRows, REPORT_DATE, 2)).toEqual([140.5, 90]);
  });

  it('leaves investment, credit and loan accounts out of the averages', () => {
    const analysis = analyze(
      singleItem([
        grown,
        { id: 'card-3333', type: 'credit', subtype: 'credit card', current: 410 },
        { id: 'ira-5555', type: 'investment', subtype: 'ira', current: 320.76 },
        { id: 'loan-7777', type: 'loan', subtype: 'student', current: 65262 },
      ]),
    );
    expect(analysis.averageBalances.accounts.map((a) => a.accountId)).toEqual(['chk-0000']);
  });
});

describe('new accounts and balance jumps (Freddie Mac)', () => {
  it('flags accounts with less history than 90 days and than requested', () => {
    const result = singleItem(
      [
        { id: 'new-0001', current: 100, daysAvailable: 40 },
        { id: 'edge-0002', current: 100, daysAvailable: 89 },
        { id: 'old-0003', current: 100, daysAvailable: 90 },
        { id: 'card-3333', type: 'credit', subtype: 'credit card', current: 10, daysAvailable: 10 },
      ],
      { daysRequested: 120 },
    );
    const analysis = analyze(result);
    expect(analysis.newAccounts.map((a) => [a.accountId, a.daysAvailable])).toEqual([
      ['new-0001', 40],
      ['edge-0002', 89],
    ]);
    expect(analysis.newAccounts[0]?.earliestDate).toBe('2026-02-18');
    expect(analysis.findings.find((f) => f.id === 'new-account:new-0001')).toMatchObject({
      rule: 'new_account',
      severity: 'attention',
      citation: 'Freddie Mac Guide 5501.2',
    });
  });

  it('does not call every account new when the report asked for fewer than 90 days', () => {
    const analysis = analyze(singleItem([{ id: 'chk-0000', current: 100 }], { daysRequested: 61 }));
    expect(analysis.newAccounts).toEqual([]);
  });

  it('flags a current balance far above the 60-day average, linking the deposits behind it', () => {
    const analysis = analyze(singleItem([grown]));
    expect(analysis.balanceJumps).toMatchObject([
      { accountId: 'chk-0000', current: 5000, average60: 2500, factor: 2, explainedBySourcedDeposits: false },
    ]);
    expect(analysis.findings.find((f) => f.id === 'balance-jump:chk-0000')).toMatchObject({
      severity: 'attention',
      transactionIds: ['dep-3000'],
      amount: 2500,
    });
    // 2× is not above a 2.5× factor; nor is a rise smaller than the minimum
    expect(analyze(singleItem([grown]), { jumpFactor: 2.5 }).balanceJumps).toEqual([]);
    expect(analyze(singleItem([grown]), { jumpMinimumIncrease: 2501 }).balanceJumps).toEqual([]);
  });

  it('sourced deposits that cover the increase explain the jump', () => {
    // income 4,000 makes the 3,000 deposit large (threshold 2,000); sourcing it covers the 2,500 increase
    const low = { qualifyingMonthlyIncome: 4000 };
    const sourced = analyzeReport(
      singleItem([grown]),
      loan(low),
      underwritingSettings({ sourcedDeposits: [{ transactionId: 'dep-3000', note: 'Tax refund' }] }),
      REPORT_DATE,
    );
    expect(sourced.balanceJumps[0]?.explainedBySourcedDeposits).toBe(true);
    expect(sourced.findings.find((f) => f.id === 'balance-jump:chk-0000')?.severity).toBe('ok');
    const unsourced = analyzeReport(singleItem([grown]), loan(low), underwritingSettings(), REPORT_DATE);
    expect(unsourced.findings.find((f) => f.id === 'balance-jump:chk-0000')?.severity).toBe('attention');
  });

  it('a balance exactly at the factor is not a jump', () => {
    // 3,000 now, 2,000 for days 31-60 and 3,000 for days 1-30 → average 2,500; factor 1.2 → 3,000 is not above 3,000
    const steady = {
      id: 'chk-0000',
      current: 3000,
      transactions: [{ id: 'd', daysAgo: 30, amount: -1000, description: 'DEPOSIT' }],
    };
    const analysis = analyze(singleItem([steady]), { jumpFactor: 1.2, jumpMinimumIncrease: 0 });
    expect(analysis.averageBalances.accounts[0]?.days60).toBe(2500);
    expect(analysis.balanceJumps).toEqual([]);
    expect(analyze(singleItem([steady]), { jumpFactor: 1.19, jumpMinimumIncrease: 0 }).balanceJumps).toHaveLength(1);
  });
});
