import { mkdirSync } from 'node:fs';
import type { AssetReport } from 'plaid';
import type { Page } from 'playwright';
import { buildAssetReport } from '../emulator/pdf-fixture';
import { renderPdf, seedApplicant, storeReadyReport } from '../bench/renderer-seed';
import { seriousViolations } from './support/desk';
import { openSeededPage, type SeededPage } from './support/seeded-page';

/**
 * The report read as a verification of assets, in Chromium over the real services and a seeded store: the
 * month-by-month table agrees with the report's own transactions and daily balances (worked out here from the
 * report JSON), and the balance chart marks each large deposit, named with its account, sourced or not.
 */

const SCREENSHOTS = 'test-results/screenshots';
const ACCOUNT = 'First Platypus Bank · Plaid Checking ••1000';
let page: Page;
let desk: SeededPage | undefined;
let pageErrors: string[] = [];
let report: AssetReport;
let reportId: string;

/** Adds a deposit to the first account and keeps its daily rows true to it (rows before it had that much less). */
function withDeposit(target: AssetReport, id: string, date: string, amount: number, description: string): void {
  const account = target.items[0]!.accounts[0]!;
  account.transactions.push({
    account_id: account.account_id,
    transaction_id: id,
    amount: -amount,
    date,
    iso_currency_code: 'USD',
    unofficial_currency_code: null,
    original_description: description,
    pending: false,
  } as never);
  const reportDate = target.date_generated.slice(0, 10);
  if (date === reportDate) account.balances.current = (account.balances.current ?? 0) + amount;
  else
    for (const row of account.historical_balances)
      if (row.date < date) row.current = Math.round((row.current - amount) * 100) / 100;
}

beforeAll(async () => {
  desk = await openSeededPage('voa', async (store) => {
    // 2 accounts × 60 transactions over 90 days before Mar 30, 2026; two wires above 50% of the $8,000 income.
    report = buildAssetReport({ accounts: 2, transactionsPerAccount: 60, days: 90 });
    withDeposit(report, 'wire-7350', '2026-03-10', 7_350, 'INCOMING WIRE REF 55120 J DOE');
    withDeposit(report, 'wire-12500', '2026-03-30', 12_500, 'INCOMING WIRE REF 88231 J SMITH');
    reportId = await storeReadyReport(
      store,
      await seedApplicant(store),
      { report, warnings: [] },
      await renderPdf(report),
    );
  });
  ({ page, pageErrors } = desk);
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), reportId);
  await page.getByTestId('findings-panel').waitFor();
});

afterAll(() => desk?.close());

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

test('the month-by-month table shows what the report’s transactions and balances add up to', async () => {
  const account = report.items[0]!.accounts[0]!;
  const table = page.locator(`[data-testid=monthly-table][data-account-id="${account.account_id}"]`);
  await table.waitFor();
  expect(await table.locator('caption').textContent()).toContain(ACCOUNT);

  // March 2026 from the report JSON: Plaid's negative amounts are money in, positive money out.
  const march = account.transactions.filter((t) => !t.pending && t.date.startsWith('2026-03'));
  const moneyIn = march.filter((t) => t.amount < 0).reduce((sum, t) => sum - Math.round(t.amount * 100), 0) / 100;
  const moneyOut = march.filter((t) => t.amount > 0).reduce((sum, t) => sum + Math.round(t.amount * 100), 0) / 100;
  expect(moneyIn).toBeGreaterThan(7_350 + 12_500);
  const row = table.locator('[data-testid=monthly-row][data-month="2026-03"]');
  expect(await row.getByTestId('monthly-deposits').textContent()).toBe(usd.format(moneyIn));
  expect(await row.getByTestId('monthly-withdrawals').textContent()).toBe(usd.format(moneyOut));
  expect(await row.getByTestId('monthly-count').textContent()).toBe(String(march.length));
  // The history ends on Mar 29, but money moved on Mar 30 (the report date): March ends at the current balance.
  expect(await row.getByTestId('monthly-ending').textContent()).toBe(usd.format(account.balances.current!));
  expect(await row.getAttribute('data-partial')).toBe('true');

  // A whole month ends at the bank's own row for its last day.
  const february = table.locator('[data-testid=monthly-row][data-month="2026-02"]');
  const feb28 = account.historical_balances.find((r) => r.date === '2026-02-28')!;
  expect(await february.getByTestId('monthly-ending').textContent()).toBe(usd.format(feb28.current));
  expect(await february.getAttribute('data-partial')).toBe('false');

  // The first month is the part of December the 90 days reach: labelled partial, from the oldest row.
  const oldest = account.historical_balances.reduce((min, r) => (r.date < min ? r.date : min), '9999');
  const first = table.getByTestId('monthly-row').first();
  expect(await first.getAttribute('data-month')).toBe(oldest.slice(0, 7));
  expect(await first.getByTestId('monthly-partial').textContent()).toMatch(/^Partial: Dec \d+, 2025 to Dec 31, 2025$/);
  // Every account with history has its table.
  expect(await page.getByTestId('monthly-table').count()).toBe(report.items[0]!.accounts.length);
  await page.getByTestId('monthly-summary').screenshot({ path: `${SCREENSHOTS}/voa-monthly.png` });
});

test('the balance chart marks each large deposit where it landed, named with its account, and the legend names it too', async () => {
  const card = page.locator(
    `[data-testid=account-card][data-account-id="${report.items[0]!.accounts[0]!.account_id}"]`,
  );
  await card.scrollIntoViewIfNeeded();
  await card.locator('[data-testid=balance-chart] canvas').first().waitFor();
  const markers = card.getByTestId('deposit-marker');
  await markers.first().waitFor();
  expect(await markers.count()).toBe(2);
  const label = `Large deposit $7,350.00 on Mar 10, 2026 — ${ACCOUNT}; not yet sourced`;
  const marker = card.getByRole('img', { name: label });
  expect(await marker.getAttribute('title')).toBe(label);
  expect(await marker.getAttribute('data-sourced')).toBe('false');
  expect(await card.getByTestId('chart-legend').textContent()).toContain(ACCOUNT);

  // On the line's time axis: the Mar 10 wire left of the Mar 30 one, both inside the chart.
  const chart = (await card.getByTestId('balance-chart').boundingBox())!;
  const march10 = (await marker.boundingBox())!;
  const march30 = (await card.getByRole('img', { name: /^Large deposit \$12,500\.00 on Mar 30, 2026/ }).boundingBox())!;
  expect(march10.x).toBeGreaterThan(chart.x);
  expect(march10.x).toBeLessThan(march30.x);
  expect(march30.x).toBeLessThanOrEqual(chart.x + chart.width);
  expect(march10.y).toBeGreaterThan(chart.y);
  expect(march10.y).toBeLessThan(chart.y + chart.height);
  // The balance jumped by the wire on Mar 30: that marker sits higher on screen (a larger balance).
  expect(march30.y).toBeLessThan(march10.y);

  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/voa-summary.png`, fullPage: true });
});

test('a sourced deposit looks different on the chart and says so', async () => {
  const row = page.getByTestId('large-deposit').filter({ hasText: '$7,350.00' });
  await row.getByTestId('mark-sourced').click();
  await page.getByTestId('mark-sourced-dialog').waitFor();
  await page.getByTestId('sourced-note-input').fill('Wire from the sale of a car, bill of sale on file');
  await page.getByTestId('mark-sourced-save').click();
  await page.getByTestId('sourced-note').waitFor();
  const label = `Large deposit $7,350.00 on Mar 10, 2026 — ${ACCOUNT}; sourced`;
  const marker = page.getByRole('img', { name: label });
  await marker.waitFor();
  expect(await marker.getAttribute('data-sourced')).toBe('true');
  const style = await marker.evaluate((el) => getComputedStyle(el).borderRadius);
  expect(style).toBe('50%');
  expect(await page.getByTestId('chart-legend').first().textContent()).toContain('Large deposit, sourced');
  expect(await seriousViolations(page)).toEqual([]);
  expect(pageErrors).toEqual([]);
});
