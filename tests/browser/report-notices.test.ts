import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright';
import type { WebBridge } from '../../electron/dev/web-bridge';
import type { AssetReportWarning } from '../../shared/asset-report';
import { launchChromium } from './support/chromium';
import {
  buildRenderer,
  memoryKeytar,
  openSeedStore,
  renderPdf,
  reportWithTransactions,
  seedApplicant,
  startSeededBridge,
  storeReadyReport,
} from '../bench/renderer-seed';

/**
 * What the officer reads on a report Plaid sent without insights and without one of the banks: which
 * fields are missing, and the left-out bank by name (Plaid names it by Item id only).
 */
let workDir: string;
let bridge: WebBridge;
let browser: Browser;
let page: Page;
let plainReportId: string;
const pageErrors: string[] = [];

const INSIGHT_FIELDS = ['name', 'merchant_name', 'category', 'category_id', 'location', 'payment_meta'];

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'assetdesk-notices-'));
  const staticDir = join(workDir, 'renderer-web');
  const userDataDir = join(workDir, 'user-data');
  buildRenderer(staticDir);
  const keytar = memoryKeytar();
  const store = await openSeedStore(userDataDir, keytar);
  const report = reportWithTransactions(1, 20, 61);
  // As /asset_report/get answers without include_insights: the bank's own descriptions only.
  for (const item of report.items)
    for (const account of item.accounts)
      for (const transaction of account.transactions)
        for (const field of INSIGHT_FIELDS) delete (transaction as unknown as Record<string, unknown>)[field];
  const dropped: AssetReportWarning = {
    warning_type: 'ASSET_REPORT_WARNING',
    warning_code: 'TRANSACTIONS_UNAVAILABLE',
    cause: {
      error_type: 'INSTITUTION_ERROR',
      error_code: 'INSTITUTION_NOT_RESPONDING',
      error_message: 'this institution is not currently responding to this request. please try again soon',
      display_message: null,
      item_id: 'item-left-out-0001',
      institution_name: 'Tartan Bank',
    },
  };
  plainReportId = await storeReadyReport(
    store,
    await seedApplicant(store),
    { report, warnings: [dropped] },
    await renderPdf(report),
  );
  await store.close();
  bridge = await startSeededBridge(userDataDir, staticDir, keytar);
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
  await page.goto(bridge.url);
  await page.getByTestId('pipeline-screen').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await bridge?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

test('a report without insights says which fields are missing; the left-out bank is named in the warning', async () => {
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), plainReportId);
  const notice = page.getByTestId('insights-missing');
  await notice.waitFor();
  expect(await notice.textContent()).toMatch(/merchant names, categories/);
  const warning = page.getByTestId('report-warnings').locator('li');
  expect(await warning.count()).toBe(1);
  expect(await warning.textContent()).toContain('(Tartan Bank)');
  const violations = (await new AxeBuilder({ page }).analyze()).violations.filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(violations.map((v) => v.id)).toEqual([]);
});

test('Settings shows insights per environment and the officer can turn one off and on', async () => {
  await page.evaluate(() => void (location.hash = '#/settings'));
  const production = page.getByTestId('insights-production');
  await production.waitFor();
  expect(await production.isChecked()).toBe(true);
  // The box follows the saved setting, so it changes once the main process has answered.
  await production.click();
  await page.waitForFunction(
    () => !(document.querySelector('[data-testid=insights-production]') as HTMLInputElement).checked,
  );
  await page.reload();
  await page.getByTestId('insights-production').waitFor();
  expect(await page.getByTestId('insights-production').isChecked()).toBe(false);
  await page.getByTestId('insights-production').click();
  await page.waitForFunction(
    () => (document.querySelector('[data-testid=insights-production]') as HTMLInputElement).checked,
  );
  expect(pageErrors).toEqual([]);
});
