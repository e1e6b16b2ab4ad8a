import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import { REPORT_DATE, loan, singleItem } from './fixtures';

// A purchase documents a large deposit's source only when its money is needed to close: its amount comes off the
// verified funds, and when the rest still covers funds to close and reserves, nothing more is needed.
describe('an unsourced large deposit not needed to close', () => {
  // Income 8,000 a month: a deposit must exceed 4,000. 40,000 in checking, 12,500 of it an unsourced wire.
  const result = singleItem([
    {
      id: 'chk-0000',
      current: 40_000,
      transactions: [{ id: 'wire', daysAgo: 5, amount: -12_500, description: 'WIRE IN FROM J DOE' }],
    },
  ]);
  const analyze = (fundsToClose: number, reservesNeeded: number) =>
    analyzeReport(result, loan({ fundsToClose, reservesNeeded }), underwritingSettings(), REPORT_DATE);
  const wire = (analysis: ReturnType<typeof analyze>) =>
    analysis.findings.find((f) => f.id === 'large-deposit:unsourced');

  it('is subtracted, and worth knowing when what is left covers funds to close and reserves', () => {
    // 40,000 - 12,500 = 27,500 against 20,000 + 5,000 = 25,000: 2,500 to spare without the wire.
    const covered = analyze(20_000, 5_000);
    expect(covered.fundsToClose).toMatchObject({ unsourcedDeducted: 12_500, availableFunds: 27_500, surplus: 2_500 });
    expect(wire(covered)?.severity).toBe('info');
    expect(wire(covered)?.detail).toContain(
      'Not needed to close: with the unsourced large deposits subtracted, verified funds still cover funds to close and reserves ($2,500.00 to spare), so their source need not be documented.',
    );
    expect(covered.counts.attention).toBe(0);
  });

  it('needs the officer when the rest falls short, even by a cent', () => {
    // 27,500 against 22,500.01 + 5,000 = 27,500.01: short 0.01, so the wire's money is needed.
    const short = analyze(22_500.01, 5_000);
    expect(short.fundsToClose.shortfall).toBe(0.01);
    expect(wire(short)?.severity).toBe('attention');
    expect(wire(short)?.detail).not.toContain('Not needed to close');
    // Exactly covered (27,500 against 27,500) is covered.
    expect(wire(analyze(22_500, 5_000))?.severity).toBe('info');
  });

  it('a possible gift or borrowed money still needs the officer, needed or not', () => {
    const gift = singleItem([
      {
        id: 'chk-0000',
        current: 40_000,
        transactions: [{ id: 'gift', daysAgo: 5, amount: -12_500, description: 'GIFT FROM MOM' }],
      },
    ]);
    const analysis = analyzeReport(gift, loan(), underwritingSettings(), REPORT_DATE);
    expect(analysis.fundsToClose.surplus).toBe(2_500);
    expect(analysis.findings.filter((f) => f.rule === 'large_deposit' && f.severity === 'attention')).not.toEqual([]);
  });
});
