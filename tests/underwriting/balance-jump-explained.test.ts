import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import type { AccountSpec } from './fixtures';
import { REPORT_DATE, loan, singleItem } from './fixtures';

// Income 8,000 a month: a deposit must exceed 4,000 to be large. Checking held 10,000 until a 30,000 wire 5 days
// before the report: 40,000 now. 60-day average: 5 days at 40,000 and 55 at 10,000 = 750,000 / 60 = 12,500, so the
// balance is 3.2× it, 27,500 above: a jump, all of it the wire.
const wire = { id: 'wire', daysAgo: 5, amount: -30_000, description: 'WIRE IN REF 88812' };
const checking = (extra: AccountSpec['transactions'] = [], current = 40_000): AccountSpec => ({
  id: 'chk-0000',
  current,
  transactions: [wire, ...extra],
});
const jumpOf = (analysis: ReturnType<typeof analyzeReport>) =>
  analysis.findings.find((f) => f.id === 'balance-jump:chk-0000');

describe('a balance jump made by a deposit the large-deposit rule already settles', () => {
  it('an unsourced wire not needed to close is subtracted: the jump it made asks for nothing either', () => {
    // 40,000 - 30,000 = 10,000 available against 5,000 + 2,000: covered without the wire, 3,000 to spare.
    const analysis = analyzeReport(
      singleItem([checking()]),
      loan({ fundsToClose: 5_000, reservesNeeded: 2_000 }),
      underwritingSettings(),
      REPORT_DATE,
    );
    expect(analysis.fundsToClose).toMatchObject({ unsourcedDeducted: 30_000, availableFunds: 10_000, surplus: 3_000 });
    expect(analysis.findings.find((f) => f.id === 'large-deposit:unsourced')?.severity).toBe('info');
    expect(analysis.balanceJumps).toMatchObject([
      { current: 40_000, average60: 12_500, factor: 3.2, explainedBySourcedDeposits: false, explained: true },
    ]);
    expect(jumpOf(analysis)).toMatchObject({ severity: 'info', amount: 27_500 });
    expect(jumpOf(analysis)?.detail).toContain(
      'Explained by an unsourced large deposit of $30,000.00, subtracted from verified funds and not needed to close: nothing to document.',
    );
    expect(jumpOf(analysis)?.detail).not.toContain('Document the source');
    expect(analysis.counts.attention).toBe(0);
  });

  it('the same wire needed to close: both findings ask for its source', () => {
    // 10,000 available against 10,000 + 2,000: short 2,000, so the wire's money is needed.
    const analysis = analyzeReport(
      singleItem([checking()]),
      loan({ fundsToClose: 10_000, reservesNeeded: 2_000 }),
      underwritingSettings(),
      REPORT_DATE,
    );
    expect(analysis.fundsToClose.shortfall).toBe(2_000);
    expect(analysis.findings.find((f) => f.id === 'large-deposit:unsourced')?.severity).toBe('attention');
    expect(analysis.balanceJumps[0]?.explained).toBe(false);
    expect(jumpOf(analysis)?.severity).toBe('attention');
    expect(jumpOf(analysis)?.detail).toContain('Document the source of the increase.');
  });

  it('what the subtracted wire does not cover is still to document', () => {
    // A 3,900 cash deposit (not large) 3 days before the report too: 43,900 now. Average: 3 days at 43,900, 2 at
    // 40,000, 55 at 10,000 = 761,700 / 60 = 12,695; the increase is 31,205, the wire covers 30,000 of it.
    const analysis = analyzeReport(
      singleItem([checking([{ id: 'cash', daysAgo: 3, amount: -3_900, description: 'CASH DEPOSIT' }], 43_900)]),
      loan({ fundsToClose: 5_000, reservesNeeded: 2_000 }),
      underwritingSettings(),
      REPORT_DATE,
    );
    expect(analysis.fundsToClose.surplus).toBe(6_900);
    expect(analysis.balanceJumps).toMatchObject([{ average60: 12_695, explained: false }]);
    expect(jumpOf(analysis)).toMatchObject({ severity: 'attention', amount: 31_205 });
    expect(jumpOf(analysis)?.detail).toContain(
      '$30,000.00 of the increase is explained by an unsourced large deposit, subtracted from verified funds and not needed to close. Document the source of the rest ($1,205.00).',
    );
  });

  it('a transfer from the borrower’s own savings needs no sourcing: nor does the jump it made', () => {
    // Savings 50,000 → 20,000 the same day: the 30,000 is the borrower's own money, shown in the report.
    const analysis = analyzeReport(
      singleItem([
        { ...checking(), transactions: [{ ...wire, description: 'ONLINE TRANSFER FROM SAV 1111' }] },
        {
          id: 'sav-1111',
          subtype: 'savings',
          current: 20_000,
          transactions: [{ id: 'out', daysAgo: 5, amount: 30_000, description: 'ONLINE TRANSFER TO CHK 0000' }],
        },
      ]),
      loan({ fundsToClose: 40_000, reservesNeeded: 5_000 }),
      underwritingSettings(),
      REPORT_DATE,
    );
    expect(analysis.largeDeposits.excluded).toMatchObject([{ transactionId: 'wire', reason: 'own_transfer' }]);
    expect(analysis.balanceJumps).toMatchObject([{ accountId: 'chk-0000', average60: 12_500, explained: true }]);
    expect(jumpOf(analysis)?.severity).toBe('ok');
    expect(jumpOf(analysis)?.detail).toContain(
      "Explained by a transfer of $30,000.00 from the borrower's own accounts: nothing to document.",
    );
    expect(analysis.counts.attention).toBe(0);
  });
});
