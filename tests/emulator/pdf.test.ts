import { renderAssetReportPdf } from '../../electron/emulator/pdf';
import { openPdf, pdfPageTexts as pageTexts } from '../helpers/pdf-text';
import { buildAssetReport } from './pdf-fixture';

describe('renderAssetReportPdf', () => {
  it('renders a multi-page Asset Report with summary, account pages, transactions and footers', async () => {
    const report = buildAssetReport({ accounts: 2, transactionsPerAccount: 80, days: 90 });
    const pdf = await renderAssetReportPdf({ report, warnings: [] });

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const pages = await pageTexts(pdf);
    const total = pages.length;
    expect(total).toBeGreaterThanOrEqual(3);

    const summary = pages[0] ?? '';
    expect(summary).toContain('Asset Report');
    expect(summary).toContain('1f414183-220c-44f5-b0c8-bc0e6d4053bb');
    expect(summary).toContain('loan-2026-0042');
    expect(summary).toContain('Anna B Charleston');
    expect(summary).toContain('First Platypus Bank');
    expect(summary).toContain('Plaid Checking');
    expect(summary).toContain('$2,250.50'); // total of the two depository current balances
    expect(summary).toContain(`Page 1 of ${total}`);

    const all = pages.join('\n');
    expect(all).toContain('Alberta Bobbeth Charleson');
    expect(all).toContain('McDonalds #3322');
    expect(all).toContain('ACH Electronic CreditGUSTO PAY 123456');
    expect(all).toContain('Daily balance history');
    pages.forEach((text, index) => {
      expect(text).toContain('Report 1f414183-220c-44f5-b0c8-bc0e6d4053bb');
      expect(text).toContain(`Page ${index + 1} of ${total}`);
    });
  });

  it('adds pages as transactions grow, continuing the table across pages', async () => {
    const small = await renderAssetReportPdf({
      report: buildAssetReport({ accounts: 1, transactionsPerAccount: 20, days: 30 }),
      warnings: [],
    });
    const large = await renderAssetReportPdf({
      report: buildAssetReport({ accounts: 1, transactionsPerAccount: 600, days: 365 }),
      warnings: [],
    });
    const smallPages = await pageTexts(small);
    const largePages = await pageTexts(large);
    expect(largePages.length).toBeGreaterThan(smallPages.length + 5);
    expect(largePages.at(-1)).toContain('transactions (continued)');
    expect(largePages.at(-1)).toContain('DESCRIPTION');
  });

  it('titles an audit copy and names the auditor', async () => {
    const report = buildAssetReport({ accounts: 1, transactionsPerAccount: 5, days: 10 });
    const pdf = await renderAssetReportPdf({ report, warnings: [], title: 'Audit Copy', auditorId: 'fannie_mae' });
    const pages = await pageTexts(pdf);
    expect(pages[0]).toContain('Audit Copy');
    expect(pages[0]).toContain('fannie_mae');
    expect(pages.at(-1)).toContain('Audit Copy · Report 1f414183-220c-44f5-b0c8-bc0e6d4053bb');
  });

  it('lists report warnings on the summary page', async () => {
    const report = buildAssetReport({ accounts: 1, transactionsPerAccount: 5, days: 10 });
    const warning = {
      warning_type: 'ASSET_REPORT_WARNING',
      warning_code: 'OWNERS_UNAVAILABLE',
      cause: {
        error_type: 'ITEM_ERROR',
        error_code: 'INTERNAL_SERVER_ERROR',
        error_message: '',
        display_message: null,
        item_id: 'itemX',
      },
    };
    const pages = await pageTexts(await renderAssetReportPdf({ report, warnings: [warning] }));
    expect(pages[0]).toContain('OWNERS_UNAVAILABLE');
  });
});

describe('renderAssetReportPdf transactions table', () => {
  it('keeps punctuation, accents and typographic characters of descriptions readable, and right-aligns amounts', async () => {
    const report = buildAssetReport({ accounts: 1, transactionsPerAccount: 3, days: 10 });
    const transactions = report.items[0]!.accounts[0]!.transactions;
    transactions[0]!.original_description = 'Café (refund) \\ 50% — “Müller” €5 ‘ok’';
    transactions[1]!.original_description = 'A'.repeat(80);
    const pdf = await renderAssetReportPdf({ report, warnings: [] });
    const pages = await pageTexts(pdf);
    const all = pages.join('\n');
    expect(all).toContain('Café (refund) \\ 50% — “Müller” €5 ‘ok’');
    expect(all).toContain(`${'A'.repeat(61)}…`);

    // Amount cells end at the column's right edge, whatever their length.
    const loadingTask = openPdf(pdf);
    const document = await loadingTask.promise;
    const page = await document.getPage(2);
    const items = (await page.getTextContent()).items.filter(
      (item): item is Extract<typeof item, { str: string }> =>
        'str' in item && /^-?\+?\$[\d,]+\.\d\d$/.test(item.str) && item.transform[4] > 350,
    );
    expect(items.length).toBeGreaterThanOrEqual(6);
    // The table's two money columns (amount, balance after), each with one right edge (to a rounding of pdf.js's widths).
    const rightEdges = new Set(items.map((item) => Math.round(item.transform[4] + item.width)));
    expect([...rightEdges].sort()).toEqual([468, 560]);
    await loadingTask.destroy();
  });
});
