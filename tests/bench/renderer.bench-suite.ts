import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import type { BenchFigure, BenchSuite } from './types';
import { buildPeerPages, floorRatio, heapProbe, median, peerRatio, serveFolder } from './measure';
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
 * In the same browser and run, on the same bytes: the floors (JSON.parse of the report text in a blank page;
 * pdf.js alone drawing page 1), the peers (the report rendered whole, quickstart-style; pdf.js's stock
 * viewer), and the renderer's JS heap with the report open and after 10 open/close cycles.
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

const RUNS = 3;
const openReportSelector = '.rp-pdf-container .page[data-page-number="1"] canvas';

/** Opens the report (hash route, as a click on its row does) until its transactions are on screen. */
async function openReport(page: Page, id: string): Promise<void> {
  await page.evaluate((reportId) => void (location.hash = `#/reports/${reportId}`), id);
  await page.getByTestId('findings-panel').waitFor();
  await page.getByTestId('tab-transactions').click();
  await page.getByTestId('txn-row').first().waitFor();
}

async function closeReport(page: Page): Promise<void> {
  await page.evaluate(() => void (location.hash = '#/applicants'));
  await page.getByTestId('applicant-row').first().waitFor();
}

/** Floors and peers: standalone pages in their own browser context (so no renderer process is shared). */
async function measureFloorsAndPeers(browser: Browser, base: string, pdfWidth: number) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    // Viewer floor: the same JSON text parsed in a page with nothing else on it.
    await page.goto(`${base}/blank.html`);
    const json = await page.evaluate(async (runs) => {
      const started = performance.now();
      const text = await (await fetch('/data/report.json')).text();
      JSON.parse(text);
      const fetchAndParse = [performance.now() - started];
      const parse: number[] = [];
      for (let run = 0; run < runs; run++) {
        const t0 = performance.now();
        JSON.parse(text);
        parse.push(performance.now() - t0);
        const t1 = performance.now();
        JSON.parse(await (await fetch('/data/report.json')).text());
        fetchAndParse.push(performance.now() - t1);
      }
      return { parse, fetchAndParse: fetchAndParse.slice(1) };
    }, RUNS);

    // Viewer peer: every row of every table rendered at once (one warm-up open first, as the app had).
    await page.goto(`${base}/quickstart-viewer.html`);
    const quickstart: number[] = [];
    let quickstartRows = 0;
    for (let run = 0; run <= RUNS; run++) {
      const ms = await page.evaluate(() => window.benchOpenReport('/data/report.json'));
      if (run > 0) quickstart.push(ms);
      quickstartRows = await page.evaluate(() => document.querySelectorAll('tbody tr').length);
      await page.evaluate(() => window.benchCloseReport());
    }

    // PDF floor: pdf.js alone drawing page 1 at the width the app drew it.
    await page.goto(`${base}/pdf-alone.html`);
    await page.evaluate(() => window.benchReady);
    const pdfAlone: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const ms = await page.evaluate((width) => window.benchRenderFirstPage('/data/report.pdf', width), pdfWidth);
      if (run > 0) pdfAlone.push(ms);
    }

    // PDF peer: pdf.js's stock viewer component, timed like the app's tab (to page 1's canvas shown).
    await page.goto(`${base}/pdf-stock-viewer.html`);
    await page.evaluate(() => window.benchReady);
    const stock: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const ms = await timeInPage(
        page,
        () => page.evaluate(([width, n]) => window.benchOpen('/data/report.pdf', width, n), [pdfWidth, run] as const),
        () => page.locator(`#viewer-${run} .page[data-page-number="1"] canvas`).first().waitFor(),
      );
      if (run > 0) stock.push(ms);
      await page.evaluate(() => window.benchClose());
    }
    return { json, quickstart, quickstartRows, pdfAlone, stock };
  } finally {
    await context.close();
  }
}

/** Renderer JS heap: baseline on the applicant list, with the report open (peak, settled), after closing, ×10. */
async function measureHeap(browser: Browser, url: string, reportId: string) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.getByTestId('applicant-row').first().waitFor();
    const heap = await heapProbe(page);
    const baseline = await heap.settled();
    const peaks: number[] = [];
    const open: number[] = [];
    const afterClose: number[] = [];
    for (let cycle = 0; cycle < 10; cycle++) {
      peaks.push(await heap.peakDuring(() => openReport(page, reportId)));
      open.push(await heap.settled());
      await closeReport(page);
      afterClose.push(await heap.settled());
    }
    return { baseline, peaks, open, afterClose };
  } finally {
    await context.close();
  }
}

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
    // The same bytes the app shows, served to the floor and peer pages.
    const bigJson = JSON.stringify({ report: big, warnings: [] });
    const peerDir = join(workDir, 'peers');
    await buildPeerPages(peerDir);
    mkdirSync(join(peerDir, 'data'));
    writeFileSync(join(peerDir, 'data', 'report.json'), bigJson);
    writeFileSync(join(peerDir, 'data', 'report.pdf'), pdf);
    const small = reportWithTransactions(1, 5, 30);
    const smallJson = { report: small, warnings: [] };
    const tinyPdf = await renderPdf(small);
    store.transaction(() => {
      for (let n = 1; n < 10_000; n++)
        storeReadyReport(store, seedApplicant(store, n), smallJson, tinyPdf, `small-report-${n}`);
    });
    store.close();

    const bridge = await startSeededBridge(userDataDir, staticDir, keytar);
    const peerServer = await serveFolder(peerDir);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(bridge.url);
      await page.getByTestId('applicants-screen').waitFor();

      // Applicant list with 10,000 reports: from navigation to the rows on screen (3 runs).
      const listTimes: number[] = [];
      for (let run = 0; run < RUNS; run++) {
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
      for (let run = 0; run < RUNS; run++) {
        await page.evaluate(() => (location.hash = '#/applicants'));
        await page.getByTestId('applicant-row').first().waitFor();
        openTimes.push(
          await timeInPage(
            page,
            () => openReport(page, bigId),
            async () => {},
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
      for (let run = 0; run < RUNS; run++) {
        await page.evaluate(() => (location.hash = '#/applicants'));
        await page.getByTestId('applicant-row').first().waitFor();
        await page.evaluate((id) => void (location.hash = `#/reports/${id}`), bigId);
        await page.getByTestId('findings-panel').waitFor();
        pdfTimes.push(
          await timeInPage(
            page,
            () => page.getByTestId('tab-pdf').click(),
            () => page.locator(openReportSelector).first().waitFor(),
          ),
        );
        pages = Number(await page.getByTestId('pdf-viewer').getAttribute('data-pages'));
      }
      // The floor and the peer draw page 1 at the width the app drew it.
      const pdfWidth = await page
        .locator(openReportSelector)
        .first()
        .evaluate((c) => c.getBoundingClientRect().width);
      await page.close();

      const peers = await measureFloorsAndPeers(browser, peerServer.url, pdfWidth);
      // The peer must have shown the same report in full: every transaction row plus one row per account.
      const accounts = big.items.flatMap((i) => i.accounts);
      const expectedRows = accounts.length + accounts.reduce((n, a) => n + a.transactions.length, 0);
      if (peers.quickstartRows !== expectedRows)
        throw new Error(`quickstart-style peer rendered ${peers.quickstartRows} rows, expected ${expectedRows}`);
      const heap = await measureHeap(browser, bridge.url, bigId);
      const ours = {
        open: median(openTimes),
        pdf: median(pdfTimes),
      };
      const jsonBytes = Buffer.byteLength(bigJson);
      const mb = (bytes: number) => bytes / 1024 / 1024;
      const lastClose = heap.afterClose[heap.afterClose.length - 1]!;

      const figures: BenchFigure[] = [
        {
          name: 'Report viewer: open a 50,000-transaction report to an interactive viewer (median of 3)',
          value: Math.round(ours.open),
          unit: 'ms',
          target: 300,
        },
        {
          name: 'Report viewer floor: JSON.parse of the same report text in a blank page (median of 3)',
          value: median(peers.json.parse),
          unit: 'ms',
        },
        floorRatio('Report viewer open ÷ floor (JSON.parse in the page)', ours.open, median(peers.json.parse), 2),
        {
          name: 'Report viewer floor: fetch the same text over loopback + JSON.parse (median of 3)',
          value: median(peers.json.fetchAndParse),
          unit: 'ms',
        },
        floorRatio('Report viewer open ÷ floor (fetch + JSON.parse)', ours.open, median(peers.json.fetchAndParse)),
        {
          name: `Report viewer peer: quickstart-style, every row of every table at once (${peers.quickstartRows} rows, median of 3)`,
          value: Math.round(median(peers.quickstart)),
          unit: 'ms',
        },
        peerRatio('Report viewer: quickstart-style peer ÷ ours', median(peers.quickstart), ours.open),
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
          value: Math.round(ours.pdf),
          unit: 'ms',
          target: 1000,
        },
        {
          name: 'PDF viewer floor: pdf.js alone, fetch + page 1 drawn at the same width (median of 3)',
          value: Math.round(median(peers.pdfAlone)),
          unit: 'ms',
        },
        floorRatio('PDF viewer first page ÷ floor (pdf.js alone)', ours.pdf, median(peers.pdfAlone), 1.5),
        {
          name: `PDF viewer peer: pdf.js stock viewer (pdf_viewer) to page 1 of the same ${pages}-page PDF (median of 3)`,
          value: Math.round(median(peers.stock)),
          unit: 'ms',
        },
        peerRatio('PDF viewer: pdf.js stock viewer peer ÷ ours', median(peers.stock), ours.pdf),
        { name: 'Renderer memory: 50,000-transaction report JSON text', value: mb(jsonBytes), unit: 'MB' },
        {
          name: 'Renderer memory: JS heap on the applicant list (baseline, after GC)',
          value: mb(heap.baseline),
          unit: 'MB',
        },
        {
          name: 'Renderer memory: JS heap peak while opening the report (sampled, first open)',
          value: mb(heap.peaks[0]!),
          unit: 'MB',
        },
        floorRatio('Renderer memory: heap peak ÷ report JSON size', heap.peaks[0]!, jsonBytes, 2),
        {
          name: 'Renderer memory: JS heap with the report open, settled (after GC, first open)',
          value: mb(heap.open[0]!),
          unit: 'MB',
        },
        floorRatio('Renderer memory: heap with the report open ÷ report JSON size', heap.open[0]!, jsonBytes, 2),
        {
          name: 'Renderer memory: JS heap after closing the report (after GC, first close)',
          value: mb(heap.afterClose[0]!),
          unit: 'MB',
        },
        floorRatio('Renderer memory: heap after first close ÷ baseline', heap.afterClose[0]!, heap.baseline, 1.1),
        {
          name: 'Renderer memory: JS heap after 10 open/close cycles (after GC)',
          value: mb(lastClose),
          unit: 'MB',
        },
        floorRatio('Renderer memory: heap after 10 open/close cycles ÷ baseline', lastClose, heap.baseline, 1.1),
        {
          name: 'Renderer memory: heap growth from close 1 to close 10',
          value: mb(lastClose - heap.afterClose[0]!),
          unit: 'MB',
        },
      ];
      return figures;
    } finally {
      await browser.close();
      await peerServer.close();
      await bridge.close();
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
