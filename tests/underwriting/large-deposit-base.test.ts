import type { AssetReportGetResult } from '../../shared/asset-report';
import { analyzeReport, largeDepositThreshold, underwritingSettings } from '../../shared/underwriting';
import type { LoanInputs } from '../../shared/underwriting';
import { REPORT_DATE, loan, singleItem } from './fixtures';
import type { TransactionSpec } from './fixtures';

/**
 * What a deposit is measured against (half of the qualifying monthly income the officer entered), and a large
 * deposit split into smaller ones. REPORT_DATE 2026-03-30; income 8,000 makes the threshold 4,000.00.
 */
const analyze = (result: AssetReportGetResult, loanOverrides: Partial<LoanInputs> = {}) =>
  analyzeReport(result, loan(loanOverrides), underwritingSettings(), REPORT_DATE);

const checking = (transactions: TransactionSpec[], current = 30000) =>
  singleItem([{ id: 'chk-0000', current, transactions }]);

describe('the large-deposit base when the qualifying income is 0', () => {
  const result = checking([
    { id: 'cash', daysAgo: 5, amount: -600, description: 'CASH DEPOSIT' },
    { id: 'cent', daysAgo: 6, amount: -0.01, description: 'INTEREST PAID' },
    { id: 'spend', daysAgo: 4, amount: 200, description: 'GROCERY' },
  ]);

  it('conservative reading: half of 0 is 0, so every deposit is large (it checked none and counted them all)', () => {
    expect(largeDepositThreshold(0, 0.5)).toBe(0);
    const analysis = analyze(result, { qualifyingMonthlyIncome: 0, fundsToClose: 29000, reservesNeeded: 0 });
    expect(analysis.largeDeposits.threshold).toBe(0);
    expect(analysis.largeDeposits.deposits.map((d) => [d.transactionId, d.amount])).toEqual([
      ['cent', 0.01],
      ['cash', 600],
    ]);
    // 30,000 - 600.01 unsourced = 29,399.99 against 29,000
    expect(analysis.fundsToClose).toMatchObject({ unsourcedDeducted: 600.01, availableFunds: 29399.99 });
    expect(analysis.findings.find((f) => f.id === 'large-deposit:zero-income')).toMatchObject({
      severity: 'info',
      title: 'Qualifying monthly income is $0.00: every deposit counts as large',
    });
    expect(analysis.findings.find((f) => f.id === 'large-deposit:no-income')).toBeUndefined();
  });

  it('a refinance deducts nothing, as with any income', () => {
    const analysis = analyze(result, { purpose: 'refinance', qualifyingMonthlyIncome: 0 });
    expect(analysis.largeDeposits.deposits).toHaveLength(2);
    expect(analysis.fundsToClose.unsourcedDeducted).toBe(0);
  });

  it('an income of 0.01 makes the threshold 0.00 too; 0.02 makes it 0.01', () => {
    expect(largeDepositThreshold(0.01, 0.5)).toBe(0);
    expect(largeDepositThreshold(0.02, 0.5)).toBe(0.01);
  });
});

describe('a large deposit split into smaller ones', () => {
  const split = (days: number[], amounts: number[], description = 'CASH DEPOSIT') =>
    days.map((daysAgo, i) => ({ id: `s${i + 1}`, daysAgo, amount: -(amounts[i] ?? 0), description }));
  const group = (analysis: ReturnType<typeof analyze>) => analysis.findings.find((f) => f.id === 'large-deposit:split');

  it('three cash deposits of 1,500 in three days are 4,500 above 4,000: flagged, nothing deducted', () => {
    const analysis = analyze(checking(split([10, 9, 8], [1500, 1500, 1500])));
    expect(analysis.largeDeposits.deposits).toEqual([]);
    expect(analysis.largeDeposits.splitDeposits).toMatchObject([
      {
        accountId: 'chk-0000',
        payer: 'CASH DEPOSIT',
        transactionIds: ['s1', 's2', 's3'],
        dates: ['2026-03-20', '2026-03-21', '2026-03-22'],
        total: 4500,
        sourced: false,
      },
    ]);
    expect(analysis.fundsToClose.unsourcedDeducted).toBe(0);
    expect(group(analysis)).toMatchObject({ severity: 'attention', amount: 4500, transactionIds: ['s1', 's2', 's3'] });
    expect(group(analysis)?.title).toBe(
      '1 group of smaller deposits from one payer within a week, together above $4,000.00',
    );
  });

  it('at the boundary: 2,000 + 2,000 is not above 4,000; 2,000 + 2,000.01 is', () => {
    expect(analyze(checking(split([10, 9], [2000, 2000]))).largeDeposits.splitDeposits).toEqual([]);
    expect(analyze(checking(split([10, 9], [2000, 2000.01]))).largeDeposits.splitDeposits).toHaveLength(1);
  });

  it('within a week: 6 days apart are read together, 7 days apart are not', () => {
    expect(analyze(checking(split([10, 4], [2500, 2500]))).largeDeposits.splitDeposits).toHaveLength(1);
    expect(analyze(checking(split([10, 3], [2500, 2500]))).largeDeposits.splitDeposits).toEqual([]);
  });

  it('different payers are not one deposit; payroll and transfers from own accounts are never split deposits', () => {
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 30000,
        transactions: [
          { id: 'a', daysAgo: 10, amount: -2500, description: 'ZELLE FROM JANE DOE' },
          { id: 'b', daysAgo: 9, amount: -2500, description: 'ZELLE FROM JOHN ROE' },
          { id: 'p1', daysAgo: 10, amount: -2500, description: 'ACME PAYROLL', category: ['Transfer', 'Payroll'] },
          { id: 'p2', daysAgo: 9, amount: -2500, description: 'ACME PAYROLL', category: ['Transfer', 'Payroll'] },
          { id: 't1', daysAgo: 10, amount: -2600, description: 'TRANSFER FROM SAVINGS' },
          { id: 't2', daysAgo: 9, amount: -2600, description: 'TRANSFER FROM SAVINGS' },
        ],
      },
      {
        id: 'sav-1111',
        subtype: 'savings',
        current: 20000,
        transactions: [
          { id: 'o1', daysAgo: 10, amount: 2600, description: 'TRANSFER TO CHECKING' },
          { id: 'o2', daysAgo: 9, amount: 2600, description: 'TRANSFER TO CHECKING' },
        ],
      },
    ]);
    expect(analyze(result).largeDeposits.splitDeposits).toEqual([]);
  });

  it('a payer depositing week after week is a stream, not a split: daily sales payouts over 4 weeks are not flagged', () => {
    // 1,000 every weekday for four weeks: 5,000 a week from "STRIPE TRANSFER", in 4 different weeks
    const days = [...Array(20).keys()].map((i) => 2 + Math.floor(i / 5) * 7 + (i % 5));
    const payouts = days.map((daysAgo, i) => ({
      id: `st${i}`,
      daysAgo,
      amount: -1000,
      description: `STRIPE TRANSFER ST-${1000 + i}`,
    }));
    expect(analyze(checking(payouts)).largeDeposits.splitDeposits).toEqual([]);
    // The same in three weeks is still read as split sums.
    expect(analyze(checking(payouts.slice(5))).largeDeposits.splitDeposits).toHaveLength(3);
  });

  it('only in accounts that count: deposits into a business account before its review add nothing to funds', () => {
    const result = singleItem([
      {
        id: 'biz-0000',
        name: 'Plaid Business Checking',
        current: 30000,
        transactions: split([10, 9, 8], [1500, 1500, 1500]),
      },
    ]);
    expect(analyze(result).largeDeposits.splitDeposits).toEqual([]);
  });

  it('on a refinance it is worth knowing only; sourced deposits settle it', () => {
    const result = checking(split([10, 9], [2500, 2500]));
    expect(group(analyze(result, { purpose: 'refinance' }))?.severity).toBe('info');
    const sourced = analyzeReport(
      result,
      loan(),
      underwritingSettings({
        sourcedDeposits: [
          { transactionId: 's1', note: 'Sale of a car, bill of sale on file' },
          { transactionId: 's2', note: 'Sale of a car, bill of sale on file' },
        ],
      }),
      REPORT_DATE,
    );
    expect(sourced.largeDeposits.splitDeposits[0]?.sourced).toBe(true);
    expect(group(sourced)?.severity).toBe('ok');
  });
});
