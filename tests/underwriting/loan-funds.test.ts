import { analyzeReport, reportFunds, underwritingSettings } from '../../shared/underwriting';
import type { LoanInputs, ReportFunds } from '../../shared/underwriting';
import { ReportHolder } from '../../renderer/src/reports/report-holder';
import { buildCoverPage } from '../../electron/services/cover-page';
import { fundsTile } from '../../electron/services/cover/figures';
import { INK, SEVERITY } from '../../electron/services/cover/layout';
import { pdfPageTexts } from '../helpers/pdf-text';
import { coverInput } from './cover-fixture';
import { albertasReport, janesReport } from './couple-fixture';
import { loan } from './fixtures';

// Two borrowers, each with their own report; both linked their joint checking (••2222): see couple-fixture.
const jane: LoanInputs['applicantName'] = { first: 'Jane', middle: null, last: 'Doe' };
const alberta = albertasReport('report-alberta');
const janes = janesReport('report-jane', { depositId: 'dep-jane' });

describe('funds to close over the loan’s reports, one per borrower', () => {
  const terms = (fundsToClose: number) => loan({ coBorrowerNames: [jane], fundsToClose, reservesNeeded: 5_000 });
  const alone = (result: typeof alberta, fundsToClose: number) =>
    analyzeReport(result, terms(fundsToClose), underwritingSettings(), '2026-04-01');
  const withOther = (result: typeof alberta, other: ReportFunds, fundsToClose: number) =>
    analyzeReport(result, terms(fundsToClose), underwritingSettings(), '2026-04-01', { otherReportFunds: [other] });
  const fundsFinding = (analysis: ReturnType<typeof alone>) => analysis.findings.find((f) => f.id === 'funds-to-close');

  it('each report alone is short; together, the joint account once, they cover it', () => {
    // Alberta alone: 15,000 + 4,000 = 19,000 against 20,000 + 5,000 = 25,000: short 6,000.
    // Jane alone: 4,500 + 14,000 - 5,000 unsourced = 13,500: short 11,500.
    expect(alone(alberta, 20_000).fundsToClose).toMatchObject({ availableFunds: 19_000, shortfall: 6_000, loan: null });
    expect(alone(janes, 20_000).fundsToClose).toMatchObject({ availableFunds: 13_500, shortfall: 11_500 });
    // Together: 15,000 + 4,500 (the joint account once, from the newer report) + 14,000 = 33,500, less 5,000 =
    // 28,500 against 25,000: 3,500 to spare (with the joint account twice it would read 32,500).
    const together = {
      verifiedLiquidAssets: 33_500,
      unsourcedDeducted: 5_000,
      availableFunds: 28_500,
      required: 25_000,
      surplus: 3_500,
      shortfall: 0,
      sharedAccounts: 1,
    };
    const seenFromAlberta = withOther(alberta, reportFunds(alone(janes, 20_000)), 20_000);
    const seenFromJane = withOther(janes, reportFunds(alone(alberta, 20_000)), 20_000);
    expect(seenFromAlberta.fundsToClose.loan).toEqual({ reportIds: ['report-alberta', 'report-jane'], ...together });
    expect(seenFromJane.fundsToClose.loan).toEqual({ reportIds: ['report-jane', 'report-alberta'], ...together });
    // This report's own figures are unchanged: they are its alone.
    expect(seenFromAlberta.fundsToClose).toMatchObject({ availableFunds: 19_000, shortfall: 6_000 });
    // Jane's unsourced 5,000 is not needed: the loan is covered with it subtracted (28,500 against 25,000).
    const janesDeposit = seenFromJane.findings.find((f) => f.id === 'large-deposit:unsourced');
    expect(janesDeposit?.severity).toBe('info');
    expect(janesDeposit?.detail).toContain(
      "this report and the loan's other current report together still cover funds to close and reserves ($3,500.00 to spare)",
    );
  });

  it('the finding says the shortfall is this report’s alone and gives the loan’s figure; not for attention', () => {
    const finding = fundsFinding(withOther(alberta, reportFunds(alone(janes, 20_000)), 20_000));
    expect(finding).toMatchObject({
      severity: 'info',
      title:
        'Short $6,000.00 for funds to close and reserves with this report alone; covered with the loan’s other reports',
    });
    expect(finding?.detail).toMatch(
      /^This report's accounts alone: Cash accounts \$19,000\.00 = \$19,000\.00 available/,
    );
    expect(finding?.detail).toContain(
      "This report and the loan's other current report together, each account counted once (1 account in more than one report, counted once from the newest): $28,500.00 available after $5,000.00 of unsourced large deposits against $25,000.00, covered, $3,500.00 to spare.",
    );
    // Alone, the report's finding reads as before.
    expect(fundsFinding(alone(alberta, 20_000))).toMatchObject({
      severity: 'attention',
      title: 'Short $6,000.00 for funds to close and reserves',
    });
  });

  it('short together too: the finding needs the officer and says by how much the loan is short', () => {
    // 25,000 + 5,000 = 30,000 against 28,500 together: short 1,500.
    const analysis = withOther(janes, reportFunds(alone(alberta, 25_000)), 25_000);
    expect(analysis.fundsToClose.loan).toMatchObject({ availableFunds: 28_500, required: 30_000, shortfall: 1_500 });
    const finding = fundsFinding(analysis);
    expect(finding).toMatchObject({
      severity: 'attention',
      // The loan's shortfall in the title as well: the report's own 16,500 is not what the loan is missing.
      title:
        'Short $16,500.00 for funds to close and reserves with this report alone; short $1,500.00 with the loan’s other reports',
    });
    expect(finding?.detail).toContain('against $30,000.00, short $1,500.00.');
  });

  it('covered alone but short together: the report needs the officer and gives the loan’s shortfall', () => {
    // Jane's savings 2,000 with the unsourced 5,000 in it: the loan has 15,000 + 4,500 (the joint account from her
    // newer report) + 2,000 - 5,000 = 16,500 against 13,000 + 5,000 = 18,000, short 1,500, while Alberta's report
    // alone (15,000 + 4,000 = 19,000) covers it with 1,000 to spare.
    const poorer = janesReport('report-jane-poorer', { savings: 2_000 });
    const analysis = withOther(alberta, reportFunds(alone(poorer, 13_000)), 13_000);
    expect(analysis.fundsToClose).toMatchObject({ availableFunds: 19_000, surplus: 1_000, shortfall: 0 });
    expect(analysis.fundsToClose.loan).toMatchObject({ availableFunds: 16_500, required: 18_000, shortfall: 1_500 });
    expect(fundsFinding(analysis)).toMatchObject({
      severity: 'attention',
      title:
        'Funds to close and reserves covered with this report alone, $1,000.00 to spare; short $1,500.00 with the loan’s other reports',
      amount: 1_500,
    });
  });

  it('a refinance subtracts nothing for unsourced deposits, alone or together', () => {
    const refi = loan({ coBorrowerNames: [jane], purpose: 'refinance', fundsToClose: 20_000, reservesNeeded: 5_000 });
    const other = reportFunds(analyzeReport(janes, refi, underwritingSettings(), '2026-04-01'));
    const analysis = analyzeReport(alberta, refi, underwritingSettings(), '2026-04-01', { otherReportFunds: [other] });
    // 15,000 + 4,500 + 14,000 = 33,500, nothing subtracted: 8,500 to spare.
    expect(analysis.fundsToClose.loan).toMatchObject({ availableFunds: 33_500, unsourcedDeducted: 0, surplus: 8_500 });
  });

  it('the report screen’s analysis adds the other report’s figures it was opened with', () => {
    const input = {
      loan: {
        loanPurpose: 'purchase' as const,
        applicationDate: '2026-03-20',
        expectedNoteDate: null,
        qualifyingMonthlyIncome: 8_000,
        fundsToClose: 20_000,
        reservesNeeded: 5_000,
        borrowers: [
          { firstName: 'Alberta', middleName: 'Bobbeth', lastName: 'Charleson' },
          { firstName: 'Jane', middleName: null, lastName: 'Doe' },
        ],
      },
      now: new Date('2026-04-01T12:00:00'),
    };
    const other = reportFunds(alone(janes, 20_000));
    const holder = ReportHolder.open('r-alberta', JSON.stringify(alberta), '[]', [other]);
    // 15,000 + 4,500 + 14,000 - 5,000 = 28,500 against 25,000, as above.
    expect(holder?.analyze(input).fundsToClose.loan).toMatchObject({ availableFunds: 28_500, surplus: 3_500 });
    // Opened without them (the request failed), the figures are the report's alone.
    expect(ReportHolder.open('r-alberta', JSON.stringify(alberta), '[]')?.analyze(input).fundsToClose.loan).toBeNull();
  });

  it('the cover page gives the report’s shortfall as its alone, with the loan’s surplus', async () => {
    const analysis = withOther(alberta, reportFunds(alone(janes, 20_000)), 20_000);
    const text = (await pdfPageTexts(await buildCoverPage(coverInput(analysis)))).join(' ').replace(/\s+/g, ' ');
    expect(text).toContain("This report alone; with the loan's other reports: $3,500.00 to spare");
    expect(text).toContain('Short $6,000.00 for funds to close and reserves with this report alone');
    // Checking and a joint checking account: no retirement discount applied, none announced.
    expect(text).not.toContain('Retirement at');
    expect(text).toContain('No retirement accounts');
  });

  it('the cover page colours the funds tile by the loan’s figure when the loan has other reports', () => {
    // Alberta's 19,000 covers 13,000 + 5,000 alone, but the loan is short 1,500 (see above): red, as the finding.
    const poorer = janesReport('report-jane-poorer', { savings: 2_000 });
    const coveredAloneShortTogether = withOther(alberta, reportFunds(alone(poorer, 13_000)), 13_000);
    expect(fundsTile(coveredAloneShortTogether.fundsToClose)).toMatchObject({
      label: 'Surplus',
      colour: SEVERITY.attention.colour,
    });
    // Short 6,000 alone, the loan 3,500 to spare: the report's shortfall is not the loan's problem, so not red.
    const shortAloneCoveredTogether = withOther(alberta, reportFunds(alone(janes, 20_000)), 20_000);
    expect(fundsTile(shortAloneCoveredTogether.fundsToClose)).toMatchObject({ label: 'Shortfall', colour: INK });
    // One report on the loan: its own figure decides, as before.
    expect(fundsTile(alone(alberta, 20_000).fundsToClose).colour).toBe(SEVERITY.attention.colour);
    expect(fundsTile(alone(alberta, 10_000).fundsToClose).colour).toBe(SEVERITY.ok.colour);
  });
});
