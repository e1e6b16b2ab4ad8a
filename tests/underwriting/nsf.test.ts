import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import { REPORT_DATE, loan, report, singleItem } from './fixtures';

const analyze = (accounts: Parameters<typeof singleItem>[0]) =>
  analyzeReport(singleItem(accounts, { daysRequested: 120 }), loan(), underwritingSettings(), REPORT_DATE);

describe('NSF and overdraft fees', () => {
  it('counts fees over 30/60/90 days net of reversed fees, with days since the last', () => {
    const analysis = analyze([
      {
        id: 'chk-0000',
        current: 500,
        transactions: [
          { id: 'nsf-10', daysAgo: 10, amount: 35, description: 'NSF FEE ITEM 1234' },
          { id: 'od-45', daysAgo: 45, amount: 34, description: 'OVERDRAFT ITEM FEE' },
          { id: 'od-30', daysAgo: 30, amount: 34, description: 'OD FEE' },
          // reversed: the fee 20 days ago, reversal 18 days ago (both in every window)
          { id: 'nsf-20', daysAgo: 20, amount: 35, description: 'INSUFFICIENT FUNDS FEE' },
          { id: 'rev-18', daysAgo: 18, amount: -35, description: 'NSF FEE REVERSAL' },
          // reversed across the 30-day edge: fee 32 days ago, reversal 28 days ago
          { id: 'nsf-32', daysAgo: 32, amount: 35, description: 'RETURNED ITEM FEE' },
          { id: 'rev-28', daysAgo: 28, amount: -35, description: 'RETURNED ITEM FEE REFUND' },
          { id: 'nsf-100', daysAgo: 100, amount: 35, description: 'NSF FEE' },
          { id: 'not-fee', daysAgo: 5, amount: 200, description: 'OVERDRAFT PROTECTION TRANSFER TO CHK' },
          { id: 'coffee', daysAgo: 3, amount: 4.33, description: 'Starbucks' },
        ],
      },
    ]);
    expect(analysis.nsf.windows).toEqual([
      { days: 30, fees: 3, reversed: 1, net: 2 },
      { days: 60, fees: 5, reversed: 2, net: 3 },
      { days: 90, fees: 5, reversed: 2, net: 3 },
    ]);
    expect(analysis.nsf.events.map((e) => [e.transactionId, e.reversedBy])).toEqual([
      ['nsf-10', null],
      ['nsf-20', 'rev-18'],
      ['od-30', null],
      ['nsf-32', 'rev-28'],
      ['od-45', null],
      ['nsf-100', null],
    ]);
    expect(analysis.nsf.daysSinceLast).toBe(10);
    expect(analysis.nsf.lastDate).toBe('2026-03-20');
    const finding = analysis.findings.find((f) => f.rule === 'nsf');
    expect(finding).toMatchObject({
      id: 'nsf',
      severity: 'attention',
      citation: 'Lender overlay (no agency threshold)',
    });
    expect(finding?.title).toBe('3 NSF/overdraft fees in 90 days (2 in 30, 3 in 60)');
    expect(finding?.transactionIds).toEqual(expect.arrayContaining(['nsf-10', 'od-30', 'od-45', 'rev-18', 'rev-28']));
    expect(finding?.transactionIds).not.toContain('nsf-100');
  });

  it('leaves out pending fees: the current balance does not include them yet, and they may still drop', () => {
    const analysis = analyze([
      {
        id: 'chk-0000',
        current: 500,
        transactions: [
          { id: 'nsf-10', daysAgo: 10, amount: 35, description: 'NSF FEE' },
          { id: 'od-pending', daysAgo: 0, amount: 34, description: 'OVERDRAFT FEE', pending: true },
        ],
      },
    ]);
    // One posted fee, 10 days before the report (the pending one made it 2, the last one 0 days ago).
    expect(analysis.nsf.windows.map((w) => [w.days, w.fees])).toEqual([
      [30, 1],
      [60, 1],
      [90, 1],
    ]);
    expect(analysis.nsf.events.map((e) => e.transactionId)).toEqual(['nsf-10']);
    expect(analysis.nsf).toMatchObject({ daysSinceLast: 10, lastDate: '2026-03-20' });
    expect(analysis.findings.find((f) => f.rule === 'nsf')?.title).toBe(
      '1 NSF/overdraft fee in 90 days (1 in 30, 1 in 60)',
    );
  });

  it('a reversal cancels the fee it belongs to, not a later unreversed one', () => {
    const analysis = analyze([
      {
        id: 'chk-0000',
        current: 500,
        transactions: [
          { id: 'fee-a', daysAgo: 40, amount: 35, description: 'NSF FEE' },
          { id: 'rev-a', daysAgo: 25, amount: -35, description: 'NSF FEE REVERSED' },
          { id: 'fee-b', daysAgo: 20, amount: 35, description: 'NSF FEE' },
        ],
      },
    ]);
    // the 30-day window holds fee-b (unreversed) and rev-a (whose fee is outside): one fee counts
    expect(analysis.nsf.windows[0]).toEqual({ days: 30, fees: 1, reversed: 0, net: 1 });
    expect(analysis.nsf.windows[1]).toEqual({ days: 60, fees: 2, reversed: 1, net: 1 });
    expect(analysis.nsf.daysSinceLast).toBe(20);
  });

  it('a fee exactly 30 days before the report date is in the 30-day window', () => {
    const analysis = analyze([
      { id: 'chk-0000', current: 1, transactions: [{ id: 'f', daysAgo: 30, amount: 35, description: 'NSF FEE' }] },
    ]);
    expect(analysis.nsf.windows.map((w) => w.net)).toEqual([1, 1, 1]);
    const later = analyze([
      { id: 'chk-0000', current: 1, transactions: [{ id: 'f', daysAgo: 31, amount: 35, description: 'NSF FEE' }] },
    ]);
    expect(later.nsf.windows.map((w) => w.net)).toEqual([0, 1, 1]);
  });

  it('recognises Plaid categories and ignores fees on credit cards', () => {
    const analysis = analyze([
      {
        id: 'chk-0000',
        current: 1,
        transactions: [
          {
            id: 'cat',
            daysAgo: 3,
            amount: 30,
            description: 'SERVICE CHARGE',
            category: ['Bank Fees', 'Insufficient Funds'],
          },
        ],
      },
      {
        id: 'card-3333',
        type: 'credit',
        subtype: 'credit card',
        current: 1,
        transactions: [{ id: 'card-fee', daysAgo: 3, amount: 30, description: 'OVERDRAFT FEE' }],
      },
    ]);
    expect(analysis.nsf.events.map((e) => e.transactionId)).toEqual(['cat']);
  });

  it('no fees: an ok finding and no days-since', () => {
    const analysis = analyze([
      { id: 'chk-0000', current: 100, transactions: [{ id: 'x', daysAgo: 1, amount: 5, description: 'Uber' }] },
    ]);
    expect(analysis.nsf.daysSinceLast).toBeNull();
    expect(analysis.findings.find((f) => f.rule === 'nsf')).toMatchObject({
      severity: 'ok',
      title: 'No NSF or overdraft fees in 90 days',
    });
  });
});

describe('days below zero', () => {
  it('names each overdrawn account with its bank, and says the counts plainly', () => {
    // Two banks, each with a "Plaid Checking ••0000": always overdrawn at Tartan, on the 5 newest days at Houndstooth.
    const checking = (id: string, transactions: Parameters<typeof singleItem>[0][number]['transactions']) => ({
      id,
      name: 'Plaid Checking',
      mask: '0000',
      current: transactions?.length ? -50 : -20,
      transactions,
    });
    const result = report({
      daysRequested: 120,
      items: [
        {
          itemId: 'item-tartan',
          institutionId: 'ins_tartan',
          institutionName: 'Tartan Bank',
          accounts: [checking('chk-t', [])],
        },
        {
          itemId: 'item-houndstooth',
          institutionId: 'ins_houndstooth',
          institutionName: 'Houndstooth Bank',
          accounts: [checking('chk-h', [{ id: 'out', daysAgo: 5, amount: 100, description: 'RENT' }])],
        },
      ],
    });
    const finding = analyzeReport(result, loan(), underwritingSettings(), REPORT_DATE).findings.find(
      (f) => f.rule === 'negative_balance',
    );
    expect(finding?.title).toBe('2 accounts overdrawn, on up to 90 of the last 90 days (30 of 30, 60 of 60)');
    expect(finding?.detail).toContain(
      'Plaid Checking ••0000 at Tartan Bank: 30 of the last 30 days, 60 of 60, 90 of 90',
    );
    expect(finding?.detail).toContain(
      'Plaid Checking ••0000 at Houndstooth Bank: 5 of the last 30 days, 5 of 60, 5 of 90',
    );
  });

  it('one account: "Overdrawn on N of the last 90 days"', () => {
    const finding = analyze([{ id: 'chk-0000', current: -20 }]).findings.find((f) => f.rule === 'negative_balance');
    expect(finding?.title).toBe('Overdrawn on 90 of the last 90 days (30 of 30, 60 of 60)');
  });
});
