import { COVER_PAGE_HEADING, buildCoverPage, prependCoverPage } from '../../electron/services/cover-page';
import { renderAssetReportPdf } from '../../electron/emulator/pdf';
import { buildAssetReport } from '../emulator/pdf-fixture';
import { pdfPageTexts as pageTexts } from '../helpers/pdf-text';
import { analyzeReport, underwritingSettings } from '../../shared/underwriting';
import { busyAnalysis, coverInput } from './cover-fixture';
import { REPORT_DATE, loan, report } from './fixtures';

describe('underwriter cover page', () => {
  it("is headed as AssetDesk's analysis and carries every finding that needs the officer, with citations", async () => {
    const analysis = busyAnalysis();
    const pages = await pageTexts(await buildCoverPage(coverInput(analysis)));
    expect(pages.length).toBeGreaterThanOrEqual(1);
    expect(pages.length).toBeLessThanOrEqual(2);
    const first = pages[0] ?? '';
    expect(first).toContain(COVER_PAGE_HEADING);
    expect(first).toContain('not produced, reviewed or endorsed by Plaid');
    expect(first).toContain('LN-2026-0042');
    expect(first).toContain(analysis.reportId);
    expect(first).toContain('Large deposit of $15,000.00 into Plaid Checking ••0000 on 2026-03-24');
    expect(first).toContain('Rule: Fannie Mae B3-4.2-02');
    expect(first).toContain('Short $11,600.00 for funds to close and reserves');
    const all = pages.join(' ');
    for (const finding of analysis.findings) expect(all, finding.id).toContain(finding.title);
    for (const page of pages) expect(page).toContain("AssetDesk analysis, not part of Plaid's Asset Report");
  });

  it('says which accounts are not counted in funds to close, why, and what counts them', async () => {
    const text = (await pageTexts(await buildCoverPage(coverInput()))).join(' ');
    expect(text).toContain('Not counted in funds to close (1)');
    expect(text).toContain(
      "$5,000.00 — the borrower is not among its owners; it is a business account. Confirm ownership with a note (a statement naming the borrower). Count it only after the lender's business-asset review; record the review.",
    );
    expect(text).toContain('Freddie Mac 120 days');
  });

  it('follows the officer sourcing a deposit', async () => {
    const sourced = busyAnalysis([{ transactionId: 'txn-wire-15000', note: 'Gift from parents, letter on file' }]);
    const text = (await pageTexts(await buildCoverPage(coverInput(sourced)))).join(' ');
    expect(text).toContain('Sourced large deposit of $15,000.00');
    expect(text).not.toContain('Short $');
    expect(text).toContain('Funds to close and reserves covered, $3,400.00 to spare');
  });

  it("goes in front of Plaid's PDF: cover pages first, then every Plaid page unchanged", async () => {
    const plaidPdf = await renderAssetReportPdf({
      report: buildAssetReport({ accounts: 2, transactionsPerAccount: 60, days: 90 }),
      warnings: [],
    });
    const plaidPages = await pageTexts(plaidPdf);
    const cover = await buildCoverPage(coverInput());
    const coverPages = await pageTexts(cover);

    const combined = await prependCoverPage(new Uint8Array(plaidPdf), cover);
    const pages = await pageTexts(combined);
    expect(pages).toHaveLength(coverPages.length + plaidPages.length);
    expect(pages[0]).toContain(COVER_PAGE_HEADING);
    expect(pages[0]).toContain('Large deposit of $15,000.00');
    expect(pages.slice(coverPages.length)).toEqual(plaidPages);
    expect(pages.slice(coverPages.length).some((page) => page.includes(COVER_PAGE_HEADING))).toBe(false);
  });

  it.each([
    ['purchase', 'Purchase'],
    ['refinance', 'Refinance'],
    ['cash_out_refinance', 'Cash-out refinance'],
  ] as const)('names the loan purpose as the loan file does (%s → %s)', async (purpose, label) => {
    const analysis = analyzeReport(
      report({ id: 'purpose-report', items: [{ itemId: 'item-1', accounts: [{ id: 'chk', current: 5000 }] }] }),
      loan({ purpose }),
      underwritingSettings(),
      REPORT_DATE,
    );
    const [first] = await pageTexts(await buildCoverPage(coverInput(analysis)));
    expect(first).toMatch(new RegExp(`LOAN PURPOSE .*${label} `));
    if (purpose === 'cash_out_refinance') expect(first).not.toMatch(/ Refinance /);
  });

  it('on a refinance the unsourced total is shown for the record, and said not deducted', async () => {
    const [purchase] = await pageTexts(await buildCoverPage(coverInput(busyAnalysis())));
    expect(purchase).toMatch(/UNSOURCED DEPOSITS \$15,000\.00 Above \$4,000\.00 each/);
    const refinance = busyAnalysis([], 'refinance');
    expect(refinance.fundsToClose.unsourcedDeducted).toBe(0);
    const [first] = await pageTexts(await buildCoverPage(coverInput(refinance)));
    expect(first).toMatch(/UNSOURCED DEPOSITS \$15,000\.00 Not deducted on a refinance/);
  });

  it('a clean file fits on one page and says nothing needs attention', async () => {
    const analysis = busyAnalysis();
    const clean = {
      ...analysis,
      findings: analysis.findings.filter((f) => f.severity === 'ok'),
      counts: { attention: 0, info: 0 },
    };
    const pages = await pageTexts(await buildCoverPage(coverInput(clean)));
    expect(pages).toHaveLength(1);
    expect(pages[0]).toContain('Nothing needs attention.');
  });
});
