import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import { withBankNames } from '../../renderer/src/reports/analysis-names';
import { REPORT_DATE, loan, singleItem } from './fixtures';

// The report screen shows the lens's own dates as every other date on screen ("Mar 25, 2026"); the officer's note
// and the bank's words are quoted, so they are shown exactly as written, dates and all.
describe("the officer's and the bank's words in a finding are shown as written", () => {
  const note = 'Gift letter dated 2026-03-04 from J Doe, wire confirmation 2026-03-25 on file';
  const description = 'WIRE IN REF 2026-03-20 J DOE';
  const result = singleItem([
    {
      id: 'chk-0000',
      name: 'Checking since 2019-06-01',
      current: 30000,
      // Income 8,000 a month: 12,500 is a large deposit, on 2026-03-25 (5 days before 2026-03-30).
      transactions: [{ id: 'dep-large', daysAgo: 5, amount: -12500, description }],
    },
  ]);
  const onScreen = (sourcedDeposits: { transactionId: string; note: string }[]) =>
    withBankNames(analyzeReport(result, loan(), underwritingSettings({ sourcedDeposits }), REPORT_DATE), result.report);

  it('a sourced note keeps its dates; the deposit date the lens wrote is formatted', () => {
    const sourced = onScreen([{ transactionId: 'dep-large', note }]).findings.find((f) => f.rule === 'large_deposit');
    expect(sourced?.title).toBe(
      'Sourced large deposit of $12,500.00 into First Platypus Bank · Checking since 2019-06-01 ••0000 on Mar 25, 2026',
    );
    expect(sourced?.detail).toContain(`"${description}"`);
    expect(sourced?.detail).toContain(`Sourced: ${note}`);
    expect(sourced?.detail).not.toContain('Mar 4, 2026');
  });

  it('an unsourced deposit: the bank description and account name keep their dates', () => {
    const unsourced = onScreen([]).findings.find((f) => f.id === 'large-deposit:unsourced');
    expect(unsourced?.detail).toContain(`"${description}"`);
    expect(unsourced?.title).toBe(
      'Large deposit of $12,500.00 into First Platypus Bank · Checking since 2019-06-01 ••0000 on Mar 25, 2026',
    );
  });

  it('the document-age finding, all the lens own words, shows every date formatted', () => {
    const age = onScreen([]).findings.find((f) => f.id === 'document-age');
    expect(age?.detail).toContain('Report dated Mar 30, 2026.');
    expect(age?.detail).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });
});
