import type { AssetReportGetResult } from '../../shared/asset-report';
import { analyzeReport, formatShare, underwritingSettings } from '../../shared/underwriting';
import type { LoanInputs, UnderwritingSettings } from '../../shared/underwriting';
import { REPORT_DATE, loan, singleItem } from './fixtures';

/**
 * Funds to close and reserves as an underwriter adds them up: what a borrower owes against an account comes off it,
 * money that cannot be brought to closing is not counted, and closing is paid from cash before anything is sold.
 */
const analyze = (
  result: AssetReportGetResult,
  loanOverrides: Partial<LoanInputs> = {},
  settings: Partial<UnderwritingSettings> = {},
) => analyzeReport(result, loan(loanOverrides), underwritingSettings(settings), REPORT_DATE);

function withBorrowed(result: AssetReportGetResult, amounts: Record<string, number>): AssetReportGetResult {
  for (const item of result.report.items)
    for (const account of item.accounts)
      if (account.account_id in amounts) account.balances.margin_loan_amount = amounts[account.account_id] ?? null;
  return result;
}

describe('money borrowed against an investment account is not the borrower’s', () => {
  const result = () =>
    withBorrowed(
      singleItem([
        { id: 'chk-0000', current: 1000 },
        { id: 'brk-3333', type: 'investment', subtype: 'brokerage', current: 50000 },
        { id: '401k-6666', type: 'investment', subtype: '401k', current: 100000 },
        { id: 'brk-4444', type: 'investment', subtype: 'brokerage', current: 5000 },
      ]),
      { 'brk-3333': 20000, '401k-6666': 10000, 'brk-4444': 8000 },
    );

  it('a 20,000 margin loan on 50,000 of stock counts 30,000; a 10,000 plan loan on a 100,000 401(k) counts 60% of 90,000', () => {
    const { fundsToClose: f } = analyze(result(), { fundsToClose: 0, reservesNeeded: 0 });
    // brokerage 50,000 - 20,000 = 30,000, and 5,000 - 8,000 is nothing (never below zero); retirement 60% × 90,000
    expect(f).toMatchObject({
      depositoryAssets: 1000,
      brokerageAssets: 30000,
      retirementAssetsGross: 90000,
      retirementAssets: 54000,
      verifiedLiquidAssets: 85000,
    });
    expect(f.counted.find((a) => a.accountId === 'brk-3333')).toMatchObject({
      balance: 50000,
      borrowedAgainst: 20000,
      counted: 30000,
    });
    expect(analyze(result()).findings.find((x) => x.id === 'funds-to-close')?.detail).toContain(
      'Counted net of $38,000.00 borrowed against investment accounts (margin or plan loans): Account brk-3333 ••3333 $50,000.00 less $20,000.00',
    );
  });

  it('without a loan Plaid sends null and the whole value counts', () => {
    const plain = singleItem([{ id: 'brk-3333', type: 'investment', subtype: 'brokerage', current: 50000 }]);
    expect(analyze(plain).fundsToClose.brokerageAssets).toBe(50000);
  });
});

describe('an overdrawn account owes what it is below zero', () => {
  const result = singleItem([
    { id: 'chk-0000', current: 10000 },
    { id: 'od-1111', current: -2500 },
  ]);

  it('conservative reading: 10,000 and an account 2,500 overdrawn are 7,500 of cash, short 1,500 of 9,000 (it counted 10,000)', () => {
    const { fundsToClose: f, findings } = analyze(result, { fundsToClose: 9000, reservesNeeded: 0 });
    expect(f).toMatchObject({ depositoryAssets: 7500, verifiedLiquidAssets: 7500, shortfall: 1500, surplus: -1500 });
    expect(f.counted.find((a) => a.accountId === 'od-1111')).toMatchObject({ balance: -2500, counted: -2500 });
    expect(findings.find((x) => x.id === 'funds-to-close')?.detail).toContain(
      'Overdrawn, and taken off the cash: Account od-1111 ••1111 -$2,500.00.',
    );
  });
});

describe('accounts whose money cannot be brought to closing', () => {
  it('EBT benefits, limited-purpose checking and a kind Plaid calls other are held back; the checking counts', () => {
    const result = singleItem([
      { id: 'chk-0000', current: 10000 },
      { id: 'ebt-1111', subtype: 'ebt', current: 1200 },
      { id: 'lpc-2222', subtype: 'limited purpose checking', current: 3000 },
      { id: 'oth-3333', type: 'other', subtype: null, current: 1000 },
    ]);
    const { fundsToClose: f, findings } = analyze(result);
    expect(f).toMatchObject({ depositoryAssets: 10000, verifiedLiquidAssets: 10000 });
    expect(f.notCounted.map((a) => [a.accountId, a.reasons])).toEqual([
      ['ebt-1111', ['limited_use']],
      ['lpc-2222', ['limited_use']],
      ['oth-3333', ['limited_use']],
    ]);
    expect(findings.find((x) => x.id === 'funds-not-counted:limited_use')).toMatchObject({
      severity: 'attention',
      accountIds: ['ebt-1111', 'lpc-2222', 'oth-3333'],
    });
  });
});

describe('debts are what is owed', () => {
  it('a card paid 500 beyond its balance owes nothing: 410 on a card and 1,000 on a loan are 1,410 of debts (it said 1,910)', () => {
    const result = singleItem([
      { id: 'chk-0000', current: 10000 },
      { id: 'card-1111', type: 'credit', subtype: 'credit card', current: -500 },
      { id: 'card-2222', type: 'credit', subtype: 'credit card', current: 410 },
      { id: 'loan-3333', type: 'loan', subtype: 'student', current: 1000 },
    ]);
    const { fundsToClose: f, findings } = analyze(result);
    expect(f).toMatchObject({ debtsExcluded: 1410, verifiedLiquidAssets: 10000 });
    expect(findings.find((x) => x.id === 'funds-to-close')?.detail).toContain(
      'Credit and loan balances ($1,410.00) are debts and not counted.',
    );
  });
});

describe('funds to close come from cash; retirement and investments reach closing only once withdrawn', () => {
  const result = (cash: number) =>
    singleItem([
      {
        id: 'chk-0000',
        current: cash,
        transactions: [{ id: 'big', daysAgo: 5, amount: -6000, description: 'MOBILE CHECK DEPOSIT' }],
      },
      { id: '401k-6666', type: 'investment', subtype: '401k', current: 100000 },
    ]);
  const other = (analysis: ReturnType<typeof analyze>) =>
    analysis.findings.find((x) => x.id === 'funds-to-close:from-other-assets');

  it('10,000 of cash less a 6,000 unsourced deposit leaves 4,000 for 20,000 to close: 16,000 must be withdrawn from the 401(k)', () => {
    const analysis = analyze(result(10000), { fundsToClose: 20000, reservesNeeded: 5000 });
    // total: 10,000 + 60% × 100,000 - 6,000 = 64,000 against 25,000: covered, as before
    expect(analysis.fundsToClose).toMatchObject({
      availableFunds: 64000,
      required: 25000,
      surplus: 39000,
      cashForClosing: 4000,
      neededFromOtherAssets: 16000,
    });
    expect(other(analysis)).toMatchObject({
      severity: 'attention',
      title: '$16,000.00 of funds to close must come from investment or retirement accounts',
      accountIds: ['401k-6666'],
      amount: 16000,
    });
    expect(other(analysis)?.detail).toContain('document the withdrawal or sale');
  });

  it('on a refinance nothing is deducted: 10,000 of cash for 20,000 to close leaves 10,000 to withdraw', () => {
    const analysis = analyze(result(10000), { purpose: 'refinance', fundsToClose: 20000 });
    expect(analysis.fundsToClose).toMatchObject({ cashForClosing: 10000, neededFromOtherAssets: 10000 });
  });

  it('at the boundary: cash of exactly funds to close needs nothing withdrawn, a cent less needs a cent', () => {
    const exact = analyze(result(26000), { fundsToClose: 20000 });
    expect(exact.fundsToClose).toMatchObject({ cashForClosing: 20000, neededFromOtherAssets: 0 });
    expect(other(exact)).toBeUndefined();
    const short = analyze(result(25999.99), { fundsToClose: 20000 });
    expect(short.fundsToClose).toMatchObject({ cashForClosing: 19999.99, neededFromOtherAssets: 0.01 });
    expect(other(short)?.title).toBe('$0.01 of funds to close must come from investment or retirement accounts');
  });

  it('never more than the other accounts count: the rest is the shortfall', () => {
    const analysis = analyze(result(6000), { fundsToClose: 80000, reservesNeeded: 0 });
    expect(analysis.fundsToClose).toMatchObject({ cashForClosing: 0, neededFromOtherAssets: 60000, shortfall: 20000 });
  });
});

describe('a share is shown as the percent it is', () => {
  it('67.5% of 10,000 of retirement is 6,750.00, said "67.5% of $10,000.00" (it said 68%)', () => {
    const result = singleItem([
      { id: 'chk-0000', current: 1000 },
      { id: 'ira-5555', type: 'investment', subtype: 'ira', current: 10000 },
    ]);
    const analysis = analyze(result, {}, { retirementDiscount: 0.675 });
    expect(analysis.fundsToClose).toMatchObject({ retirementAssets: 6750, retirementAssetsGross: 10000 });
    expect(analysis.findings.find((x) => x.id === 'funds-to-close')?.detail).toContain(
      'retirement $6,750.00 (67.5% of $10,000.00)',
    );
    expect(formatShare(0.675)).toBe('67.5%');
    expect(formatShare(0.6)).toBe('60%');
    expect(formatShare(0.1235)).toBe('12.35%');
  });
});
