import { buildCoverPage } from '../../electron/services/cover-page';
import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import { collisions, inside, pageLayouts, type PageLayout } from '../helpers/pdf-layout';
import { pdfPageTexts } from '../helpers/pdf-text';
import { busyAnalysis, coverInput } from './cover-fixture';
import { REPORT_DATE, loan, report } from './fixtures';

/**
 * The cover page as an underwriter sees it, measured with pdf.js: no text drawn over other text, nothing past the
 * margins or into the footer, every figure inside its tile, and nothing the officer entered cut off. Long names,
 * a long loan number, many accounts and seven-figure balances are what a real loan file can bring.
 */
const MARGIN = 44;
const PANEL = '#f6f5f9';

const NAMES =
  'Maximiliano Alejandro Bartholomew Wolfeschlegelsteinhausenbergerdorff-Fitzgerald & ' +
  "Anastasia Konstantinovna Vasquez-Rodriguez de los Santos & Christopher O'Shaughnessy-Montgomery & " +
  'Guadalupe Hernández-Zúñiga Castañeda';
const LOAN_NUMBER = 'LN-2026-000000000000000000000000000042';

function crowdedAnalysis(accounts: number) {
  const result = report({
    id: 'e127b7b6-ea59-4f25-9349-53f18a680f26',
    items: [
      {
        itemId: 'item-1',
        institutionName: 'Navy Federal Credit Union - Business and Personal Banking Services',
        accounts: Array.from({ length: accounts }, (_, n) => ({
          id: `acct-${1000 + n}`,
          name: `Premier Relationship Interest ${n % 2 ? 'Savings' : 'Checking'} Account for Business Operations ${n}`,
          current: 1_234_567.89 + n,
          // Not the borrowers': every one is held out of funds to close, with its reasons.
          owners: [['Robert Q Public Holdings International LLC']],
          transactions: [{ id: `wire-${n}`, daysAgo: 20, amount: -987_654.32, description: 'WIRE IN ESCROW' }],
        })),
      },
    ],
  });
  return analyzeReport(
    result,
    loan({ fundsToClose: 1_250_000, reservesNeeded: 98_765.43, qualifyingMonthlyIncome: 4000 }),
    underwritingSettings(),
    REPORT_DATE,
  );
}

function problems(pages: PageLayout[]): string[] {
  const found = collisions(pages);
  pages.forEach((page, index) => {
    const footerTop = 32 + 8; // the footer line sits 32 points above the page's bottom edge
    for (const text of page.texts) {
      if (text.x0 < MARGIN - 0.5 || text.x1 > page.width - MARGIN + 0.5)
        found.push(
          `page ${index + 1}: "${text.text}" runs past the margins (${text.x0.toFixed(1)}–${text.x1.toFixed(1)})`,
        );
      const inFooter = text.y1 < footerTop;
      if (!inFooter && text.y0 < footerTop + 2) found.push(`page ${index + 1}: "${text.text}" runs into the footer`);
    }
    for (const tile of page.fills.filter((fill) => fill.colour === PANEL))
      for (const text of page.texts) {
        const starts = text.x0 >= tile.x0 && text.x0 <= tile.x1 && text.y1 <= tile.y1 + 1 && text.y1 >= tile.y0;
        if (starts && !inside(text, tile)) found.push(`page ${index + 1}: "${text.text}" spills out of its tile`);
      }
  });
  return found;
}

describe('cover page layout', () => {
  it('the usual file: nothing overlaps, nothing spills', async () => {
    expect(problems(await pageLayouts(await buildCoverPage(coverInput(busyAnalysis()))))).toEqual([]);
  });

  it.each([4, 40])(
    'four borrowers with long names, a long loan number, %i accounts with long names and seven-figure balances',
    async (accounts) => {
      const pdf = await buildCoverPage({
        ...coverInput(crowdedAnalysis(accounts)),
        applicantName: NAMES,
        loanNumber: LOAN_NUMBER,
      });
      const pages = await pageLayouts(pdf);
      expect(pages.length).toBeLessThanOrEqual(2);
      expect(problems(pages)).toEqual([]);
      // The names and the loan number are there whole (wrapped where they must be), not cut.
      const first = (await pdfPageTexts(pdf))[0]!.replace(/\s+/g, '');
      expect(first).toContain(NAMES.replace(/\s+/g, ''));
      expect(first).toContain(LOAN_NUMBER);
    },
  );
});
