import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import type { Page } from 'playwright';
import type { WebBridge } from '../../electron/dev/web-bridge';
import { renderPdf, reportWithTransactions, seedApplicant, storeReadyReport } from '../bench/renderer-seed';
import { formatDate, formatMoney } from '../../renderer/src/reports/format';
import { accountFullLabel } from '../../renderer/src/reports/transactions';
import { seriousViolations } from './support/desk';
import { openSeededPage, type SeededPage } from './support/seeded-page';

/**
 * The report viewer in Chromium through the web bridge to the real services, over a store seeded
 * with a ready report: findings first, marking a large deposit as sourced, the transactions table,
 * the pdf.js viewer and the PDF export. (Refresh, filter, audit copies and removal need Plaid's
 * report token: the lead's whole-story test drives them through the emulator.)
 */

const SCREENSHOTS = 'test-results/screenshots';
let bridge: WebBridge;
let page: Page;
let desk: SeededPage | undefined;
let pageErrors: string[] = [];
let reportId: string;
let heavyId: string;
let seeded: ReturnType<typeof reportWithTransactions>;

beforeAll(async () => {
  desk = await openSeededPage('reports', async (store) => {
    // 3 accounts × 60 transactions + one $12,500 wire: above 50% of the $8,000 monthly income.
    const report = (seeded = reportWithTransactions(3, 60, 90));
    const pdf = await renderPdf(report);
    reportId = await storeReadyReport(store, await seedApplicant(store), { report, warnings: [] }, pdf);
    // A heavier report with a few hundred large deposits, for another applicant (its PDF tab is not opened).
    const heavy = reportWithTransactions(4, 2_500, 365);
    heavyId = await storeReadyReport(
      store,
      await seedApplicant(store, 1),
      { report: heavy, warnings: [] },
      pdf,
      'heavy-report',
    );
  });
  ({ bridge, page, pageErrors } = desk);
  mkdirSync(SCREENSHOTS, { recursive: true });
});

afterAll(() => desk?.close());

const unsourced = () => page.getByTestId('unsourced-total').textContent();

test('opens with the findings first and flags the unexplained wire as a large deposit', async () => {
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), reportId);
  const findings = page.getByTestId('findings-panel');
  await findings.waitFor();
  // The findings panel is the first thing in the viewer's summary, before the accounts.
  const order = await page.evaluate(() => {
    const panel = document.querySelector('[data-testid=findings-panel]')!;
    const totals = document.querySelector('[data-testid=asset-totals]')!;
    return panel.compareDocumentPosition(totals) & Node.DOCUMENT_POSITION_FOLLOWING;
  });
  expect(order).toBeTruthy();
  expect(await page.getByTestId('report-id').textContent()).toBe('1f414183-220c-44f5-b0c8-bc0e6d4053bb');
  const deposit = page.getByTestId('large-deposit');
  expect(await deposit.count()).toBe(1);
  expect(await deposit.textContent()).toContain('INCOMING WIRE REF 88231');
  expect(await unsourced()).toBe('$12,500.00');
  const rules = await page.getByTestId('finding').evaluateAll((els) => els.map((e) => e.getAttribute('data-rule')));
  expect(rules).toContain('large_deposit');
  expect(await page.locator('[data-rule=large_deposit] cite').first().textContent()).toBe('Fannie Mae B3-4.2-02');
  expect(await page.getByTestId('account-card').count()).toBe(3);
  // Findings that name an account name its bank too (two banks can both have "Plaid Checking ••0000").
  const named = (await page.locator('.rp-finding-title').allTextContents()).filter((t) => t.includes('••'));
  expect(named.length).toBeGreaterThan(0);
  for (const title of named) expect(title).toMatch(/First Platypus Bank · [^•]+••\d{4}/);
  // Charts load when their account scrolls into view.
  await page.getByTestId('account-card').first().scrollIntoViewIfNeeded();
  await page.getByTestId('balance-chart').first().waitFor();
  expect(await page.locator('[data-testid=balance-chart] canvas').count()).toBeGreaterThan(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/report-summary.png`, fullPage: true });
});

test('each account card says its daily balances’ span in words before its chart, which is drawn once in view', async () => {
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), reportId);
  const captions = page.locator('.rp-chart figcaption');
  await captions.first().waitFor();
  const accounts = seeded.items.flatMap((item) => item.accounts.map((account) => ({ item, account })));
  expect(await captions.count()).toBe(accounts.length);
  for (const [n, { item, account }] of accounts.entries()) {
    const rows = account.historical_balances;
    const byDate = [...rows].sort((a, b) => a.date.localeCompare(b.date));
    const newest = byDate.at(-1)!;
    const currents = rows.map((row) => row.current);
    expect(await captions.nth(n).textContent()).toBe(
      `Daily balance history Daily balance of ${accountFullLabel(item.institution_name, account)} from ` +
        `${formatDate(byDate[0]!.date)} to ${formatDate(newest.date)}: lowest ${formatMoney(Math.min(...currents))}, ` +
        `highest ${formatMoney(Math.max(...currents))}, latest ${formatMoney(newest.current)}.`,
    );
  }
  const lastChart = page.locator('.rp-chart').last();
  await lastChart.scrollIntoViewIfNeeded();
  await lastChart.getByTestId('balance-chart').locator('canvas').first().waitFor();
});

test('a finding links to the transactions behind it', async () => {
  await page.locator('[data-rule=large_deposit] [data-testid=finding-show]').click();
  await page.getByTestId('txn-focus').waitFor();
  expect(await page.getByTestId('txn-count').getAttribute('data-count')).toBe('1');
  expect(await page.getByTestId('txn-row').first().textContent()).toContain('INCOMING WIRE');
  await page.getByRole('button', { name: 'Show all transactions' }).click();
  await page.waitForFunction(
    () => document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count') === '181',
  );
});

test('transactions: search, money-in filter, account filter and sorting by amount', async () => {
  await page.getByTestId('txn-search').fill('starbucks');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count') === '36',
  );
  const texts = await page.getByTestId('txn-row').allTextContents();
  expect(texts.every((t) => t.includes('Starbucks'))).toBe(true);
  await page.getByTestId('txn-search').fill('');
  await page.getByTestId('txn-direction').selectOption('in');
  // Money in: the 36 payroll credits and the wire.
  await page.waitForFunction(
    () => document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count') === '37',
  );
  // Amounts sort as shown (money in positive): descending puts the largest deposit first, ascending the smallest.
  await page.getByTestId('sort-amount').click();
  const first = await page.getByTestId('txn-row').first().textContent();
  expect(first).toContain('$12,500.00');
  expect(await page.getByTestId('sort-amount').textContent()).toContain('▼');
  await page.getByTestId('sort-amount').click();
  expect(await page.getByTestId('txn-row').first().textContent()).not.toContain('$12,500.00');
  await page.getByTestId('sort-amount').click();
  // Every row names its bank, account and full mask.
  expect(first).toMatch(/· [^•]+••\d{4}/);
  const accountValue = await page.getByTestId('txn-account').locator('option').nth(2).getAttribute('value');
  await page.getByTestId('txn-account').selectOption(accountValue!);
  await page.waitForFunction(
    () => document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count') === '12',
  );
  // Virtualized: far fewer rows in the DOM than a long list would have (all 12 fit here).
  expect(await page.getByTestId('txn-row').count()).toBe(12);
  // At 1024 px the amount column stays inside the table, with no sideways scrolling, and masks are whole.
  await page.setViewportSize({ width: 1024, height: 800 });
  const fit = await page.evaluate(() => {
    const scroll = document.querySelector('[data-testid=txn-scroll]')!;
    const table = scroll.getBoundingClientRect();
    const amount = document.querySelector('.rp-txn-row [role=cell]:last-child')!.getBoundingClientRect();
    const mask = document.querySelector('.rp-txn-row .rp-txn-mask')!;
    return {
      sideways: scroll.scrollWidth > scroll.clientWidth,
      amountInside: amount.left >= table.left && amount.right <= table.left + scroll.clientWidth,
      maskWhole: mask.scrollWidth <= mask.clientWidth && mask.getBoundingClientRect().width > 0,
    };
  });
  expect(fit).toEqual({ sideways: false, amountInside: true, maskWhole: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/report-transactions.png` });
});

test('marking the large deposit as sourced needs a note and updates the figures at once', async () => {
  await page.getByTestId('tab-summary').click();
  await page.getByTestId('mark-sourced').click();
  const dialog = page.getByTestId('mark-sourced-dialog');
  await dialog.waitFor();
  await page.getByTestId('mark-sourced-save').click();
  expect(await dialog.getByRole('textbox').getAttribute('aria-invalid')).toBe('true');
  await page.getByTestId('sourced-note-input').fill('Gift letter from J Smith, dated 2026-03-02');
  await page.getByTestId('mark-sourced-save').click();
  await page.getByTestId('sourced-note').waitFor();
  expect(await unsourced()).toBe('$0.00');
  // Kept by the main process: it is still sourced after the report is opened again.
  await page.reload();
  await page.getByTestId('findings-panel').waitFor();
  expect(await page.getByTestId('sourced-note').textContent()).toBe('Gift letter from J Smith, dated 2026-03-02');
  expect(await unsourced()).toBe('$0.00');
  // The finding quotes the note as typed: only the dates AssetDesk wrote are shown as display dates.
  const passed = page.getByRole('button', { name: /checks? that passed/ });
  await passed.click();
  const sourced = page
    .locator('[data-testid=finding][data-rule=large_deposit][data-severity=ok]')
    .filter({ hasText: 'Sourced large deposit' });
  expect(await sourced.locator('.rp-finding-detail').textContent()).toContain(
    'Sourced: Gift letter from J Smith, dated 2026-03-02',
  );
  expect(await sourced.locator('.rp-finding-title').textContent()).toMatch(/ on [A-Z][a-z]{2} \d{1,2}, \d{4}$/);
  await passed.click();
});

test('the PDF opens in pdf.js, and find reports its matches', async () => {
  await page.getByTestId('tab-pdf').click();
  await page.locator('.rp-pdf-container .page[data-page-number="1"] canvas').first().waitFor();
  expect(Number(await page.getByTestId('pdf-viewer').getAttribute('data-pages'))).toBeGreaterThan(1);
  await page.getByTestId('pdf-find').fill('Starbucks');
  await page.getByTestId('pdf-find').press('Enter');
  await page.waitForFunction(
    () => Number(document.querySelector('[data-testid=pdf-find-result]')?.getAttribute('data-total')) > 0,
  );
  expect(await page.getByTestId('pdf-find-result').textContent()).toMatch(/^1 of \d+$/);
  await page.getByTestId('pdf-page-input').fill('2');
  await page.getByTestId('pdf-page-input').press('Enter');
  await page.waitForFunction(
    () => (document.querySelector('[data-testid=pdf-page-input]') as HTMLInputElement).value === '2',
  );
  await page.screenshot({ path: `${SCREENSHOTS}/report-pdf.png` });
});

test('exports the PDF with the cover page under the expected name', async () => {
  await page.getByTestId('tab-actions').click();
  await page.getByTestId('export-pdf').click();
  await page.getByTestId('export-saved').waitFor();
  const path = (await page.getByTestId('export-path').textContent())!;
  expect(path.split(/[\\/]/).pop()).toMatch(
    /^LN-1000_Charleson_AssetReport_\d{4}-\d{2}-\d{2}_1f414183_WithCoverPage\.pdf$/,
  );
  expect(existsSync(path)).toBe(true);
  expect(readFileSync(path).subarray(0, 4).toString('latin1')).toBe('%PDF');
  expect(readdirSync(bridge.downloadsDir).length).toBeGreaterThan(0);
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/report-actions.png`, fullPage: true });
});

test('after a save, Show in folder reveals that file (and only by its receipt); the CSV opens in Excel as UTF-8', async () => {
  await page.getByTestId('export-pdf').click();
  await page.getByTestId('export-saved').waitFor();
  const pdfPath = (await page.getByTestId('export-path').textContent())!;
  const before = bridge.shownInFolder().length;
  await page.getByTestId('show-in-folder').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=show-in-folder][aria-busy]'));
  expect(bridge.shownInFolder().slice(before)).toEqual([pdfPath]);

  await page.getByTestId('export-csv').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=export-path]')?.textContent?.endsWith('.csv'));
  const csvPath = (await page.getByTestId('export-path').textContent())!;
  expect([...readFileSync(csvPath).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  await page.getByTestId('show-in-folder').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=show-in-folder][aria-busy]'));
  expect(bridge.shownInFolder().slice(before)).toEqual([pdfPath, csvPath]);
  expect(await page.locator('.alert-error').count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test('hundreds of large deposits: one finding for their cause, only the rows on screen drawn, the last one sourced', async () => {
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), heavyId);
  await page.getByTestId('large-deposits').waitFor();
  const toSource = page.locator('[data-testid=finding][data-rule=large_deposit][data-severity=attention]');
  expect(await toSource.count()).toBe(1);
  const title = (await toSource.locator('.rp-finding-title').textContent()) ?? '';
  const total = Number(/^([\d,]+) large deposits to source$/.exec(title)?.[1]?.replace(/,/g, ''));
  expect(total).toBeGreaterThan(100);
  expect(await toSource.getByTestId('finding-show').textContent()).toMatch(/^Show \d+ transactions$/);
  // Every deposit is in the finding's full text, one click away.
  await toSource.getByTestId('finding-detail-toggle').click();
  expect(
    (await toSource.locator('.rp-finding-detail').textContent())?.split(/ on [A-Z][a-z]{2} \d{1,2}, \d{4}/).length,
  ).toBeGreaterThan(total);
  const rows = page.getByTestId('large-deposit');
  expect(await rows.count()).toBeGreaterThan(0);
  expect(await rows.count()).toBeLessThan(30);
  expect(await page.getByTestId('large-deposits-count').textContent()).toContain(
    `${total.toLocaleString('en-US')} not sourced`,
  );

  // The last deposit is reached by scrolling and sourced like any other.
  await page.getByTestId('large-deposits-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  const last = page.locator(`[data-testid=large-deposit][aria-rowindex="${total + 1}"]`);
  await last.waitFor();
  await last.getByTestId('mark-sourced').click();
  await page.getByTestId('sourced-note-input').fill('Bonus letter from the employer');
  await page.getByTestId('mark-sourced-save').click();
  await last.getByTestId('sourced-note').waitFor();
  expect(await toSource.locator('.rp-finding-title').textContent()).toBe(
    `${(total - 1).toLocaleString('en-US')} large deposits to source`,
  );
  expect(await rows.count()).toBeLessThan(30);
  expect(await seriousViolations(page)).toEqual([]);
});

test('no page errors along the way', () => {
  expect(pageErrors).toEqual([]);
});
