import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import { REPORT_DATE, loan, singleItem } from './fixtures';

// An account whose owners are named and none of them is a borrower on the loan is someone else's: its fees are not
// the borrower's NSF history and its balances are not the borrower's average (as funds to close leaves it out).
describe("an account owned by someone not on the loan, in the borrower's NSF and average balances", () => {
  const result = singleItem(
    [
      // Alberta's: 1,000 every day, no fees.
      { id: 'chk-0000', current: 1_000 },
      // Robert's: 3,000 now, two overdraft fees (10 and 40 days before the report date).
      {
        id: 'rob-1111',
        name: 'Robert Checking',
        current: 3_000,
        owners: [['Robert Q Public']],
        transactions: [
          { id: 'rob-nsf-10', daysAgo: 10, amount: 35, description: 'NSF FEE' },
          { id: 'rob-od-40', daysAgo: 40, amount: 34, description: 'OVERDRAFT ITEM FEE' },
        ],
      },
    ],
    { daysRequested: 90 },
  );
  const analyze = (confirmed = false) =>
    analyzeReport(
      result,
      loan(),
      underwritingSettings({
        accountConfirmations: confirmed
          ? [{ accountKey: 'ins_109508:1111:checking', kind: 'ownership', note: 'Statement names Alberta' }]
          : [],
      }),
      REPORT_DATE,
    );

  it("counts no NSF fee from Robert's account and names it as left out", () => {
    const analysis = analyze();
    expect(analysis.nsf.windows).toEqual([
      { days: 30, fees: 0, reversed: 0, net: 0 },
      { days: 60, fees: 0, reversed: 0, net: 0 },
      { days: 90, fees: 0, reversed: 0, net: 0 },
    ]);
    expect(analysis.nsf.daysSinceLast).toBeNull();
    const nsf = analysis.findings.find((f) => f.id === 'nsf');
    expect(nsf).toMatchObject({ severity: 'ok', title: 'No NSF or overdraft fees in 90 days' });
    expect(nsf?.detail).toContain(
      'Not counted: Robert Checking ••1111, owned by someone not on the loan (Robert Q Public).',
    );
  });

  it("averages Alberta's account alone: 1,000 over every window", () => {
    const analysis = analyze();
    expect(analysis.averageBalances.totals).toEqual({ days30: 1_000, days60: 1_000, days90: 1_000 });
    // Robert's own averages stay on his account's card.
    expect(analysis.averageBalances.accounts.map((a) => a.accountId)).toEqual(['chk-0000', 'rob-1111']);
    expect(analysis.findings.find((f) => f.id === 'average-balance')?.detail).toContain(
      'Not counted: Robert Checking ••1111, owned by someone not on the loan (Robert Q Public).',
    );
  });

  it("counts them once the officer confirms the borrower owns Robert's account", () => {
    const analysis = analyze(true);
    // Fees 10 days ago (in 30, 60, 90) and 40 days ago (in 60, 90).
    expect(analysis.nsf.windows.map((w) => w.net)).toEqual([1, 2, 2]);
    // Robert's 60 days, each fee undone going back: 3,000 at the end of days 1-10 before the report, 3,035 for days
    // 11-40, 3,069 for days 41-60: (10 × 3,000 + 30 × 3,035 + 20 × 3,069) / 60 = 182,430 / 60 = 3,040.50; plus 1,000.
    expect(analysis.averageBalances.totals.days60).toBe(4_040.5);
  });
});
