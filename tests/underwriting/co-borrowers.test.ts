import { analyzeReport, buildAnalysisContext, analyzeInContext, underwritingSettings } from '../../shared/underwriting';
import { loanInputsFromLoan } from '../../shared/underwriting/inputs';
import type { LoanInputs } from '../../shared/underwriting';
import { REPORT_DATE, loan, report, singleItem } from './fixtures';

/** A loan file with two borrowers: Alberta (primary) and her co-borrower Jane Doe. */
const jane: LoanInputs['applicantName'] = { first: 'Jane', middle: null, last: 'Doe' };
const twoBorrowers = (overrides: Partial<LoanInputs> = {}) => loan({ coBorrowerNames: [jane], ...overrides });

// Alberta's checking, Jane's savings at another bank, a joint account of both, and one of a stranger.
const result = report({
  items: [
    {
      itemId: 'item-alberta',
      accounts: [{ id: 'chk-0000', current: 15_000 }],
    },
    {
      itemId: 'item-jane',
      institutionId: 'ins_109509',
      institutionName: 'First Gingham Credit Union',
      accounts: [
        { id: 'sav-1111', subtype: 'savings', current: 9_000, owners: [['Jane Doe']] },
        { id: 'joint-2222', current: 4_000, owners: [['Jane Doe', 'Alberta Charleson']] },
        { id: 'other-3333', current: 50_000, owners: [['Robert Roe']] },
      ],
    },
  ],
});

describe('underwriting a loan file with two borrowers', () => {
  it('an account in the co-borrower’s name is owned; a joint account naming her counts; a stranger’s does not', () => {
    const alone = analyzeReport(result, loan(), underwritingSettings(), REPORT_DATE);
    const both = analyzeReport(result, twoBorrowers(), underwritingSettings(), REPORT_DATE);
    const owned = (analysis: typeof both) =>
      Object.fromEntries(analysis.ownership.map((o) => [o.accountId, [o.owned, o.matchedName]]));
    // Without the co-borrower on the loan, Jane's savings is somebody else's money.
    expect(owned(alone)['sav-1111']).toEqual([false, null]);
    expect(owned(both)).toMatchObject({
      'chk-0000': [true, 'Alberta Bobbeth Charleson'],
      'sav-1111': [true, 'Jane Doe'],
      'joint-2222': [true, expect.any(String)],
      'other-3333': [false, null],
    });
    expect(both.ownership.find((o) => o.accountId === 'joint-2222')?.badges).toEqual(['joint']);
    const mismatch = both.findings.find((f) => f.id === 'ownership:name_mismatch');
    expect(mismatch?.accountIds).toEqual(['other-3333']);
    // The finding names both borrowers as the people the accounts were checked against.
    expect(mismatch?.detail).toMatch(/Alberta B(obbeth|\.?) Charleson or Jane Doe/);
  });

  it('a joint account of the co-borrower and a non-borrower is hers, badged joint for the other owner’s consent', () => {
    const joint = singleItem([{ id: 'joint-4444', current: 6_000, owners: [['Jane Doe', 'John Doe']] }]);
    const analysis = analyzeReport(joint, twoBorrowers(), underwritingSettings(), REPORT_DATE);
    expect(analysis.ownership[0]).toMatchObject({ owned: true, matchedName: 'Jane Doe', badges: ['joint'] });
    expect(analysis.fundsToClose.verifiedLiquidAssets).toBe(6_000);
  });

  it('funds to close adds the accounts of either borrower (and nobody else’s)', () => {
    const alone = analyzeReport(
      result,
      loan({ fundsToClose: 20_000, reservesNeeded: 5_000 }),
      underwritingSettings(),
      REPORT_DATE,
    );
    const both = analyzeReport(
      result,
      twoBorrowers({ fundsToClose: 20_000, reservesNeeded: 5_000 }),
      underwritingSettings(),
      REPORT_DATE,
    );
    // Alberta alone: her checking and the joint account (it names her) = 19,000, short of 25,000.
    expect(alone.fundsToClose).toMatchObject({ verifiedLiquidAssets: 19_000, required: 25_000, shortfall: 6_000 });
    // With Jane on the loan her savings counts too: 28,000; the stranger's 50,000 never does.
    expect(both.fundsToClose).toMatchObject({ verifiedLiquidAssets: 28_000, shortfall: 0, surplus: 3_000 });
    expect(both.fundsToClose.counted.map((a) => a.accountId).sort()).toEqual(['chk-0000', 'joint-2222', 'sav-1111']);
    expect(both.fundsToClose.notCounted.map((a) => a.accountId)).toEqual(['other-3333']);
  });

  it('the loan file’s borrowers reach the analysis in order through loanInputsFromLoan and the context', () => {
    const file = {
      loanPurpose: 'purchase' as const,
      applicationDate: '2026-03-15',
      expectedNoteDate: '2026-05-01',
      qualifyingMonthlyIncome: 8000,
      fundsToClose: 20_000,
      reservesNeeded: 5_000,
      borrowers: [
        { firstName: 'Alberta', middleName: 'B', lastName: 'Charleson' },
        { firstName: 'Jane', middleName: null, lastName: 'Doe' },
      ],
    };
    expect(loanInputsFromLoan(file)).toMatchObject({
      applicantName: { first: 'Alberta', middle: 'B', last: 'Charleson' },
      coBorrowerNames: [{ first: 'Jane', middle: null, last: 'Doe' }],
      expectedNoteDate: '2026-05-01',
    });
    const analysis = analyzeInContext(
      result,
      buildAnalysisContext({ loan: file, now: new Date('2026-03-30T12:00:00') }),
    );
    expect(analysis.fundsToClose.verifiedLiquidAssets).toBe(28_000);
  });
});

describe('a joint account both borrowers linked', () => {
  // The same joint checking (First Platypus Bank, ••2222, checking) through Alberta's Item and through Jane's:
  // Plaid gives each copy its own account and transaction ids. Jane's copy has the longer history.
  const copy = (id: string, daysAvailable: number) => ({
    id,
    mask: '2222',
    current: 30_000,
    daysAvailable,
    owners: [['Jane Doe', 'Alberta Charleson']],
    transactions: [{ id: `${id}-wire`, daysAgo: 10, amount: -9_000, description: 'WIRE IN FROM J SMITH' }],
  });
  const linkedTwice = report({
    items: [
      { itemId: 'item-alberta', accounts: [copy('joint-a', 60)] },
      { itemId: 'item-jane', accounts: [copy('joint-j', 90)] },
    ],
  });
  const analysis = analyzeReport(
    linkedTwice,
    twoBorrowers({ fundsToClose: 20_000, reservesNeeded: 5_000 }),
    underwritingSettings(),
    REPORT_DATE,
  );

  it('counts its balance, deposits and averages once, from the copy with the most history', () => {
    // Once: 30,000 - the 9,000 wire unsourced = 21,000 against 25,000, short 4,000 (twice it read 60,000 - 18,000).
    expect(analysis.fundsToClose).toMatchObject({
      verifiedLiquidAssets: 30_000,
      unsourcedDeducted: 9_000,
      availableFunds: 21_000,
      shortfall: 4_000,
    });
    expect(analysis.fundsToClose.counted.map((a) => a.accountId)).toEqual(['joint-j']);
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['joint-j-wire']);
    // 10 days at 30,000 and 50 at 21,000: 22,500 (45,000 when added twice).
    expect(analysis.averageBalances.totals.days60).toBe(22_500);
    // The shorter copy is not a new account: it is not read at all.
    expect(analysis.newAccounts).toEqual([]);
    expect(analysis.ownership.map((o) => o.accountId)).toEqual(['joint-j']);
  });

  it('tells the officer it was linked twice and counted once', () => {
    const note = analysis.findings.find((f) => f.id === 'ownership:linked-twice');
    expect(note).toMatchObject({
      rule: 'ownership',
      severity: 'info',
      title: 'Linked twice, counted once: 1 account',
      accountIds: ['joint-j', 'joint-a'],
    });
    expect(note?.detail).toContain('Account joint-j ••2222 at First Platypus Bank');
    expect(note?.detail).toContain('the copy with 90 days of history');
  });

  it('keeps the first copy when both have the same history, and never merges accounts of one Item', () => {
    const tie = report({
      items: [
        { itemId: 'item-alberta', accounts: [copy('joint-a', 90)] },
        { itemId: 'item-jane', accounts: [copy('joint-j', 90)] },
      ],
    });
    expect(
      analyzeReport(tie, twoBorrowers(), underwritingSettings(), REPORT_DATE).fundsToClose.counted.map(
        (a) => a.accountId,
      ),
    ).toEqual(['joint-a']);
    // Two accounts of one Item sharing a mask and subtype are two accounts (some banks repeat a mask on CDs).
    const oneItem = singleItem([copy('cd-1', 90), copy('cd-2', 90)]);
    const both = analyzeReport(oneItem, twoBorrowers(), underwritingSettings(), REPORT_DATE);
    expect(both.fundsToClose.verifiedLiquidAssets).toBe(60_000);
    expect(both.findings.find((f) => f.id === 'ownership:linked-twice')).toBeUndefined();
  });
});

describe('a cash-out refinance', () => {
  const deposits = singleItem(
    [
      {
        id: 'chk-0000',
        current: 30_000,
        daysAvailable: 45,
        transactions: [{ id: 'dep-large', daysAgo: 5, amount: -12_500, description: 'WIRE IN FROM J DOE' }],
      },
    ],
    { daysRequested: 61 },
  );
  const analyze = (purpose: LoanInputs['purpose']) =>
    analyzeReport(deposits, loan({ purpose }), underwritingSettings(), REPORT_DATE);

  it('needs 30 days of history, as a refinance does (a purchase needs 60)', () => {
    const cashOut = analyze('cash_out_refinance');
    expect(cashOut.purpose).toBe('cash_out_refinance');
    expect(cashOut.coverage.map((c) => c.status)).toEqual(['met']);
    expect(analyze('refinance').coverage.map((c) => c.status)).toEqual(['met']);
    expect(analyze('purchase').coverage.map((c) => c.status)).toEqual(['short']);
    expect(underwritingSettings().coverageDays.cash_out_refinance).toBe(30);
  });

  it('large deposits need no sourcing and nothing is deducted, as on a refinance', () => {
    const cashOut = analyze('cash_out_refinance');
    expect(cashOut.largeDeposits.totalUnsourced).toBe(12_500);
    expect(cashOut.findings.filter((f) => f.rule === 'large_deposit').map((f) => f.severity)).toEqual(['info']);
    expect(cashOut.fundsToClose.unsourcedDeducted).toBe(0);
    expect(analyze('purchase').fundsToClose.unsourcedDeducted).toBe(12_500);
  });

  it('its findings say "cash-out refinance", never the code name', () => {
    const cashOut = analyze('cash_out_refinance');
    const coverage = cashOut.findings.find((f) => f.id === 'coverage:met');
    expect(coverage?.detail).toContain('a cash-out refinance needs');
    const short = analyzeReport(
      singleItem([{ id: 'chk-0000', current: 100, daysAvailable: 20 }], { daysRequested: 61 }),
      loan({ purpose: 'cash_out_refinance' }),
      underwritingSettings(),
      REPORT_DATE,
    ).findings.find((f) => f.id === 'coverage:short');
    expect(short?.detail).toMatch(/^A cash-out refinance needs 30 days of account history/);
    for (const finding of cashOut.findings) expect(`${finding.title} ${finding.detail}`).not.toContain('cash_out');
  });
});
