import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright';
import type { BenchSuite } from './types';
import { launchChromium } from '../browser/support/chromium';
import {
  buildRenderer,
  memoryKeytar,
  openSeedStore,
  renderPdf,
  reportWithTransactions,
  seedApplicant,
  startSeededBridge,
  storeReadyReport,
} from './renderer-seed';

/**
 * The renderer in Chromium against the web bridge and a store seeded directly:
 * - a 50,000-transaction report: open → interactive viewer, and a search keystroke → updated table;
 * - the applicant list with 10,000 reports;
 * - the first page of a 500-page PDF visible.
 */

async function timeInPage(page: Page, start: () => Promise<void>, ready: () => Promise<unknown>): Promise<number> {
  await page.evaluate(() => performance.mark('bench-start'));
  await start();
  await ready();
  return page.evaluate(() => {
    performance.mark('bench-end');
    return performance.measure('bench', 'bench-start', 'bench-end').duration;
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export const suite: BenchSuite = {
  name: 'renderer',
  async run() {
    const workDir = mkdtempSync(join(tmpdir(), 'assetdesk-renderer-bench-'));
    const keytar = memoryKeytar();
    const userDataDir = join(workDir, 'user-data');
    const staticDir = join(workDir, 'renderer-web');
    buildRenderer(staticDir);

    // 10 accounts × 5,000 = 50,000 transactions over 730 days; a 500-page PDF (about 56 rows a page).
    const store = await openSeedStore(userDataDir, keytar);
    const big = reportWithTransactions(10, 5_000, 730);
    const pdfReport = reportWithTransactions(4, 6_750, 730);
    const pdf = await renderPdf(pdfReport);
    const main = seedApplicant(store, 0);
    const bigId = storeReadyReport(store, main, { report: big, warnings: [] }, pdf);
    const small = reportWithTransactions(1, 5, 30);
    const smallJson = { report: small, warnings: [] };
    const tinyPdf = await renderPdf(small);
    store.transaction(() => {
      for (let n = 1; n < 10_000; n++)
        storeReadyReport(store, seedApplicant(store, n), smallJson, tinyPdf, `small-report-${n}`);
    });
    store.close();

    const bridge = await startSeededBridge(userDataDir, staticDir, keytar);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(bridge.url);
      await page.getByTestId('applicants-screen').waitFor();

      // Applicant list with 10,000 reports: from navigation to the rows on screen (3 runs).
      const listTimes: number[] = [];
      for (let run = 0; run < 3; run++) {
        await page.evaluate(() => (location.hash = '#/settings'));
        await page.getByTestId('settings-screen').waitFor();
        listTimes.push(
          await timeInPage(
            page,
            () => page.evaluate(() => void (location.hash = '#/applicants')),
            () => page.getByTestId('applicant-row').first().waitFor(),
          ),
        );
      }

      // 50,000-transaction report: open → header, findings and the transactions tab usable.
      const openTimes: number[] = [];
      const searchTimes: number[] = [];
      let rowsInDom = 0;
      for (let run = 0; run < 3; run++) {
        await page.evaluate(() => (location.hash = '#/applicants'));
        await page.getByTestId('applicant-row').first().waitFor();
        openTimes.push(
          await timeInPage(
            page,
            () => page.evaluate((id) => void (location.hash = `#/reports/${id}`), bigId),
            async () => {
              await page.getByTestId('findings-panel').waitFor();
              await page.getByTestId('tab-transactions').click();
              await page.getByTestId('txn-row').first().waitFor();
            },
          ),
        );
        // A keystroke in the search box → the table shows the narrowed count (measured in the page).
        const search = page.getByTestId('txn-search');
        await search.fill('');
        await page.waitForFunction(
          () => document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count') === '50001',
        );
        rowsInDom = await page.getByTestId('txn-row').count();
        await search.focus();
        const elapsed = await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              const count = document.querySelector('[data-testid=txn-count]')!;
              const input = document.querySelector<HTMLInputElement>('[data-testid=txn-search]')!;
              const started = performance.now();
              const observer = new MutationObserver(() => {
                if (count.getAttribute('data-count') !== '50001') {
                  observer.disconnect();
                  requestAnimationFrame(() => resolve(performance.now() - started));
                }
              });
              observer.observe(count, { attributes: true });
              // What a keystroke does: set the value and fire React's input event.
              const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
              setter.call(input, 'u');
              input.dispatchEvent(new Event('input', { bubbles: true }));
            }),
        );
        searchTimes.push(elapsed);
      }

      // First page of the 500-page PDF visible: from opening the PDF tab to page 1's canvas drawn.
      const pdfTimes: number[] = [];
      let pages = 0;
      for (let run = 0; run < 3; run++) {
        await page.evaluate(() => (location.hash = '#/applicants'));
        await page.getByTestId('applicant-row').first().waitFor();
        await page.evaluate((id) => void (location.hash = `#/reports/${id}`), bigId);
        await page.getByTestId('findings-panel').waitFor();
        pdfTimes.push(
          await timeInPage(
            page,
            () => page.getByTestId('tab-pdf').click(),
            () => page.locator('.rp-pdf-container .page[data-page-number="1"] canvas').first().waitFor(),
          ),
        );
        pages = Number(await page.getByTestId('pdf-viewer').getAttribute('data-pages'));
      }

      return [
        {
          name: 'Report viewer: open a 50,000-transaction report to an interactive viewer (median of 3)',
          value: Math.round(median(openTimes)),
          unit: 'ms',
          target: 1000,
        },
        {
          name: 'Report viewer: search keystroke to updated table, 50,000 transactions (median of 3)',
          value: Math.round(median(searchTimes)),
          unit: 'ms',
          target: 100,
        },
        { name: 'Report viewer: transaction rows in the DOM, all 50,001 listed', value: rowsInDom, unit: 'rows' },
        {
          name: 'Applicant list with 10,000 reports rendered (median of 3)',
          value: Math.round(median(listTimes)),
          unit: 'ms',
          target: 200,
        },
        {
          name: `PDF viewer: first page of a ${pages}-page PDF visible (median of 3)`,
          value: Math.round(median(pdfTimes)),
          unit: 'ms',
          target: 1000,
        },
      ];
    } finally {
      await browser.close();
      await bridge.close();
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
