import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import { REPORT_DATE, loan, report, singleItem } from './fixtures';

// Income 8,000 a month: a deposit must exceed 4,000 to be large.
const settings = underwritingSettings();

function analyze(result = singleItem([]), overrides = {}, loanOverrides = {}) {
  return analyzeReport(result, loan(loanOverrides), underwritingSettings(overrides), REPORT_DATE);
}

describe('large deposits (Fannie Mae B3-4.2-02)', () => {
  const checking = {
    id: 'chk-0000',
    current: 30000,
    transactions: [
      { id: 'dep-at-threshold', daysAgo: 10, amount: -4000, description: 'MOBILE DEPOSIT' },
      { id: 'dep-above', daysAgo: 8, amount: -4000.01, description: 'MOBILE DEPOSIT' },
      { id: 'dep-large', daysAgo: 5, amount: -12500, description: 'WIRE IN FROM J DOE' },
      { id: 'spend', daysAgo: 4, amount: 9000, description: 'TESLA PAYMENT' },
    ],
  };

  it('flags deposits exceeding the threshold, not those equal to it', () => {
    const analysis = analyze(singleItem([checking]));
    expect(analysis.largeDeposits.threshold).toBe(4000);
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['dep-above', 'dep-large']);
    expect(analysis.largeDeposits.totalUnsourced).toBe(16500.01);
    // one finding for the cause (unsourced), listing both deposits: 4,000.01 + 12,500 = 16,500.01
    const finding = analysis.findings.find((f) => f.id === 'large-deposit:unsourced');
    expect(finding).toMatchObject({
      rule: 'large_deposit',
      severity: 'attention',
      citation: 'Fannie Mae B3-4.2-02',
      accountId: 'chk-0000',
      accountIds: ['chk-0000'],
      transactionIds: ['dep-above', 'dep-large'],
      dates: ['2026-03-22', '2026-03-25'],
      amount: 16500.01,
    });
    expect(finding?.title).toBe('2 large deposits to source');
    expect(finding?.detail).toContain('$12,500.00 on 2026-03-25 into');
    expect(analysis.findings.filter((f) => f.transactionIds.includes('dep-at-threshold'))).toEqual([]);
  });

  it('one finding per cause, listing its accounts and every deposit, with the same totals', () => {
    const analysis = analyze(
      singleItem([
        checking,
        {
          id: 'sav-1111',
          subtype: 'savings',
          name: 'Plaid Saving',
          current: 20000,
          transactions: [{ id: 'sav-dep', daysAgo: 3, amount: -5000, description: 'BRANCH DEPOSIT' }],
        },
      ]),
    );
    // 4,000.01 + 12,500 + 5,000 = 21,500.01, unchanged from the deposits' own total
    expect(analysis.largeDeposits.totalUnsourced).toBe(21500.01);
    const toSource = analysis.findings.filter((f) => f.rule === 'large_deposit');
    expect(toSource).toHaveLength(1);
    expect(toSource[0]).toMatchObject({
      id: 'large-deposit:unsourced',
      title: '3 large deposits to source',
      amount: 21500.01,
      accountIds: ['chk-0000', 'sav-1111'],
      transactionIds: ['dep-above', 'dep-large', 'sav-dep'],
    });
    expect(toSource[0]?.accountId).toBeUndefined();
    expect(toSource[0]?.detail).toContain(
      '3 deposits into Account chk-0000 ••0000, Plaid Saving ••1111, $21,500.01 in total',
    );
    for (const text of ['$4,000.01 on', '$12,500.00 on', '$5,000.00 on 2026-03-27 into Plaid Saving ••1111'])
      expect(toSource[0]?.detail).toContain(text);
  });

  it('uses the configured share of income', () => {
    const analysis = analyze(singleItem([checking]), { largeDepositShare: 0.25 });
    expect(analysis.largeDeposits.threshold).toBe(2000);
    expect(analysis.largeDeposits.deposits).toHaveLength(3);
  });

  it('a sourced deposit keeps its note and leaves the unsourced total', () => {
    const analysis = analyze(singleItem([checking]), {
      sourcedDeposits: [{ transactionId: 'dep-large', note: 'Gift from mother, letter on file' }],
    });
    const sourced = analysis.largeDeposits.deposits.find((d) => d.transactionId === 'dep-large');
    expect(sourced).toMatchObject({ sourced: true, note: 'Gift from mother, letter on file' });
    expect(analysis.largeDeposits.totalUnsourced).toBe(4000.01);
    expect(analysis.largeDeposits.totalSourced).toBe(12500);
    // the sourced deposit moves to its own finding; the other stays to source, alone under its own title
    expect(analysis.findings.find((f) => f.id === 'large-deposit:sourced')).toMatchObject({
      severity: 'ok',
      transactionIds: ['dep-large'],
    });
    expect(analysis.findings.find((f) => f.id === 'large-deposit:unsourced')?.title).toContain(
      'Large deposit of $4,000.01',
    );
    expect(analysis.fundsToClose.unsourcedDeducted).toBe(4000.01);
  });

  it('is attention on a purchase and only info on a refinance, which deducts nothing', () => {
    const purchase = analyze(singleItem([checking]));
    const refinance = analyze(singleItem([checking]), {}, { purpose: 'refinance' });
    expect(purchase.findings.filter((f) => f.rule === 'large_deposit').map((f) => f.severity)).toEqual(['attention']);
    expect(refinance.findings.filter((f) => f.rule === 'large_deposit').map((f) => f.severity)).toEqual(['info']);
    expect(refinance.findings.find((f) => f.id === 'large-deposit:unsourced')?.detail).toContain(
      'A refinance needs no documentation',
    );
    expect(purchase.fundsToClose.unsourcedDeducted).toBe(16500.01);
    expect(refinance.fundsToClose.unsourcedDeducted).toBe(0);
    expect(refinance.largeDeposits.totalUnsourced).toBe(16500.01);
  });

  it("does not count a transfer between the applicant's own accounts (matching withdrawal)", () => {
    const result = report({
      items: [
        {
          itemId: 'item-a',
          accounts: [
            {
              id: 'chk-0000',
              current: 20000,
              transactions: [{ id: 'in-from-savings', daysAgo: 6, amount: -10000, description: 'ONLINE TRANSFER' }],
            },
          ],
        },
        {
          itemId: 'item-b',
          institutionName: 'Tartan Bank',
          accounts: [
            {
              id: 'sav-1111',
              subtype: 'savings',
              current: 5000,
              transactions: [{ id: 'out-to-checking', daysAgo: 7, amount: 10000, description: 'ONLINE TRANSFER' }],
            },
          ],
        },
      ],
    });
    const analysis = analyze(result);
    expect(analysis.largeDeposits.deposits).toEqual([]);
    expect(analysis.largeDeposits.excluded).toMatchObject([
      { transactionId: 'in-from-savings', reason: 'own_transfer', matchedTransactionId: 'out-to-checking' },
    ]);
    expect(analysis.findings.find((f) => f.id === 'large-deposit:own-transfer')).toMatchObject({
      severity: 'ok',
      transactionIds: ['in-from-savings', 'out-to-checking'],
    });
  });

  it('a withdrawal explains one deposit only, and not one days away', () => {
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 50000,
        transactions: [
          { id: 'in-1', daysAgo: 6, amount: -10000, description: 'DEPOSIT' },
          { id: 'in-2', daysAgo: 6, amount: -10000, description: 'DEPOSIT' },
          { id: 'in-3', daysAgo: 20, amount: -10000, description: 'DEPOSIT' },
        ],
      },
      {
        id: 'sav-1111',
        subtype: 'savings',
        current: 1000,
        transactions: [{ id: 'out', daysAgo: 5, amount: 10000, description: 'WITHDRAWAL' }],
      },
    ]);
    const analysis = analyze(result);
    expect(analysis.largeDeposits.excluded.map((d) => d.transactionId)).toEqual(['in-1']);
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['in-3', 'in-2']);
  });

  it("a description naming another of the applicant's masks is no proof without the matching withdrawal", () => {
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 20000,
        transactions: [
          { id: 'named', daysAgo: 3, amount: -6000, description: 'TRANSFER FROM SAV XXXXXX1111' },
          { id: 'stranger', daysAgo: 3, amount: -6000, description: 'TRANSFER FROM CHK XXXXXX9876' },
        ],
      },
      { id: 'sav-1111', subtype: 'savings', current: 1000 },
    ]);
    const analysis = analyze(result);
    expect(analysis.largeDeposits.excluded).toEqual([]);
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['named', 'stranger']);
  });

  it('payroll words alone are not payroll: one-off "PAYROLL"/"DIRECT DEP" deposits and P2P payments are large', () => {
    const result = singleItem([
      {
        id: 'chk-0000',
        current: 40000,
        transactions: [
          { id: 'gusto', daysAgo: 1, amount: -5850, description: 'ACH Electronic CreditGUSTO PAY 123456' },
          { id: 'dd', daysAgo: 15, amount: -5850, description: 'ACME CORP DIRECT DEP' },
          { id: 'adp', daysAgo: 30, amount: -5850, description: 'ADP PAYROLL FEES' },
          { id: 'zelle', daysAgo: 2, amount: -7000, description: 'ZELLE PAY FROM JOHN DOE' },
        ],
      },
    ]);
    const analysis = analyze(result);
    expect(analysis.largeDeposits.excluded).toEqual([]);
    expect(analysis.largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['adp', 'dd', 'zelle', 'gusto']);
  });

  it('leaves out pending deposits: the current balance does not include them yet', () => {
    const analysis = analyze(
      singleItem([
        {
          id: 'chk-0000',
          current: 1000,
          transactions: [
            { id: 'pending-dep', daysAgo: 0, amount: -9000, description: 'MOBILE DEPOSIT', pending: true },
            { id: 'pending-gift', daysAgo: 0, amount: -500, description: 'BIRTHDAY GIFT FROM MOM', pending: true },
          ],
        },
      ]),
      {},
      { fundsToClose: 0, reservesNeeded: 0 },
    );
    expect(analysis.largeDeposits.deposits).toEqual([]);
    expect(analysis.largeDeposits.possibleGifts).toEqual([]);
    // 1,000 verified, nothing deducted: 1,000 available (it read 1,000 - 9,000 = -8,000).
    expect(analysis.fundsToClose).toMatchObject({
      verifiedLiquidAssets: 1000,
      unsourcedDeducted: 0,
      availableFunds: 1000,
    });
  });

  it('a note on a pending deposit still sources it once it posts under a new id', () => {
    const posted = singleItem([
      {
        id: 'chk-0000',
        current: 10000,
        transactions: [
          {
            id: 'posted-dep',
            daysAgo: 2,
            amount: -9000,
            description: 'MOBILE DEPOSIT',
            pendingTransactionId: 'pending-dep',
          },
        ],
      },
    ]);
    const analysis = analyze(posted, {
      sourcedDeposits: [{ transactionId: 'pending-dep', note: 'Sale of car, bill of sale on file' }],
    });
    expect(analysis.largeDeposits.deposits).toMatchObject([
      {
        transactionId: 'posted-dep',
        sourced: true,
        note: 'Sale of car, bill of sale on file',
        // where the note is recorded, so withdrawing it from the posted deposit reaches it
        noteTransactionId: 'pending-dep',
      },
    ]);
    // Sourced: 9,000 no longer deducted (it was, the note being on the pending id).
    expect(analysis.largeDeposits).toMatchObject({ totalUnsourced: 0, totalSourced: 9000 });
    expect(analysis.fundsToClose.unsourcedDeducted).toBe(0);
  });

  it('ignores money into credit and loan accounts, outflows, and deposits older than the lookback', () => {
    const result = singleItem(
      [
        {
          id: 'card-3333',
          type: 'credit',
          subtype: 'credit card',
          current: 400,
          transactions: [{ id: 'card-payment', daysAgo: 3, amount: -9000, description: 'PAYMENT THANK YOU' }],
        },
        {
          id: 'chk-0000',
          current: 1000,
          transactions: [
            { id: 'old', daysAgo: 91, amount: -9000, description: 'DEPOSIT' },
            { id: 'edge', daysAgo: 90, amount: -9000, description: 'DEPOSIT' },
          ],
        },
      ],
      { daysRequested: 120 },
    );
    expect(analyze(result).largeDeposits.deposits.map((d) => d.transactionId)).toEqual(['edge']);
    expect(
      analyze(result, { largeDepositLookbackDays: null }).largeDeposits.deposits.map((d) => d.transactionId),
    ).toEqual(['old', 'edge']);
  });

  it('without a usable income figure (not a number) the rule says so instead of flagging every deposit', () => {
    const analysis = analyze(singleItem([checking]), {}, { qualifyingMonthlyIncome: Number.NaN });
    expect(analysis.largeDeposits.threshold).toBeNull();
    expect(analysis.largeDeposits.deposits).toEqual([]);
    expect(analysis.findings.find((f) => f.rule === 'large_deposit')).toMatchObject({
      id: 'large-deposit:no-income',
      severity: 'info',
    });
  });

  it('default settings are the documented ones', () => {
    expect(settings).toMatchObject({
      largeDepositShare: 0.5,
      coverageDays: { purchase: 60, refinance: 30 },
      newAccountDays: 90,
      documentAgeRule: 'both_agencies',
      transferMatchBusinessDays: 3,
      retirementDiscount: 0.6,
      brokerageShare: 1,
      hsaTreatment: 'excluded',
      sourcedDeposits: [],
      accountConfirmations: [],
    });
  });
});
