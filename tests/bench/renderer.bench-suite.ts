import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchFigure, BenchSuite } from './types';
import { buildPeerPages, floorRatio, median, peerRatio, serveFolder } from './measure';
import {
  CLICK_PDF_TAB_IN_PAGE,
  PRESS_MS,
  RUNS,
  VIEWER_RUNS,
  FLOOR_PARSES,
  front,
  longestBridgeCall,
  measureHeap,
  measureQuickstartPeer,
  openFloorPages,
  openMarks,
  openReport,
  openReportByPress,
  openReportInPage,
  openReportSelector,
  settledPipeline,
  timeInPage,
} from './renderer-pages';
import { launchBenchChromium } from '../browser/support/chromium';
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
 * - the loan pipeline with 10,000 reports;
 * - the first page of a 500-page PDF visible.
 * In the same browser and run, on the same bytes: the floors (JSON.parse of the report text in a blank page;
 * pdf.js alone drawing page 1), the peers (the report rendered whole, quickstart-style; pdf.js's stock
 * viewer), and the renderer's JS heap with the report open and after 10 open/close cycles.
 */

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
    const main = await seedApplicant(store, 0);
    const bigId = await storeReadyReport(store, main, { report: big, warnings: [] }, pdf);
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
    await store.transaction(async () => {
      for (let n = 1; n < 10_000; n++)
        await storeReadyReport(store, await seedApplicant(store, n), smallJson, tinyPdf, `small-report-${n}`);
    });
    await store.close();

    const bridge = await startSeededBridge(userDataDir, staticDir, keytar);
    const peerServer = await serveFolder(peerDir);
    const browser = await launchBenchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(bridge.url);
      await page.getByTestId('pipeline-screen').waitFor();

      // Loan pipeline with 10,000 reports: from navigation to the rows on screen (3 runs).
      const listTimes: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        await page.evaluate(() => (location.hash = '#/settings'));
        await page.getByTestId('settings-screen').waitFor();
        listTimes.push(
          await timeInPage(
            page,
            () => page.evaluate(() => void (location.hash = '#/loans')),
            () => page.getByTestId('loan-row').first().waitFor(),
          ),
        );
      }

      const floors = await openFloorPages(browser, peerServer.url);
      await floors.parse(); // warm-up, as the app's code is warm after its first open
      await floors.fetchAndParse();
      await floors.parseAndShow();
      const parseTimes: number[] = [];
      const fetchParseTimes: number[] = [];
      const parseShowTimes: number[] = [];
      const parseRatios: number[] = [];
      const textToWorker: [number, number][] = [];
      const bytesToWorker: [number, number][] = [];
      await floors.toWorker('text'); // warm-ups
      await floors.toWorker('bytes');

      // 50,000-transaction report: open → header, findings and the transactions tab usable. Each round opens it
      // with the tab clicked by the page itself (the headline: no Playwright round trip inside the figure), then its
      // floor, then again driven by Playwright's clicks and waits, then a search keystroke.
      const inPageTimes: number[] = [];
      const inDomTimes: number[] = [];
      const viewAnswered: number[] = [];
      const completeTimes: number[] = [];
      const frameRenderedTimes: number[] = [];
      const openTimes: number[] = [];
      const findingsTimes: number[] = [];
      const headerTimes: number[] = [];
      const openTransfer: number[] = [];
      const searchTimes: number[] = [];
      let rowsInDom = 0;
      // One open first, as the floor's JSON.parse had its warm-up: the rounds compare warm with warm. The first
      // open after start (the viewer's code read and compiled, its caches empty) is a figure of its own.
      await front(page);
      await settledPipeline(page);
      const [coldPainted] = await openReportInPage(page, bigId);
      for (let run = 0; run < VIEWER_RUNS; run++) {
        await front(page);
        await settledPipeline(page);
        const [painted, inDom, answered, complete, frameRendered] = await openReportInPage(page, bigId);
        frameRenderedTimes.push(frameRendered);
        inPageTimes.push(painted);
        completeTimes.push(complete);
        inDomTimes.push(inDom);
        viewAnswered.push(answered);
        // The floor's turn, after the app's page is done with this open.
        parseTimes.push(await floors.parse());
        fetchParseTimes.push(await floors.fetchAndParse());
        parseShowTimes.push(await floors.parseAndShow());
        parseRatios.push(painted / parseTimes[run]!);

        await front(page);
        await settledPipeline(page);
        await timeInPage(
          page,
          () => openReport(page, bigId),
          async () => {},
        );
        const [interactive, findingsShown, headerShown] = await openMarks(page);
        openTimes.push(interactive);
        findingsTimes.push(findingsShown);
        headerTimes.push(headerShown);
        openTransfer.push(await longestBridgeCall(page, 'reports:get'));
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
            new Promise<number>((resolve, reject) => {
              // A search that never narrows the table fails the suite rather than hanging it.
              setTimeout(() => reject(new Error('the search "u" did not narrow the table within 10 s')), 10_000);
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
        textToWorker.push(await floors.toWorker('text'));
        bytesToWorker.push(await floors.toWorker('bytes'));
      }

      // The same report opened as an officer does from its loan's page: press, hold, release (5 rounds).
      const pressPainted: number[] = [];
      const pressInDom: number[] = [];
      for (let run = 0; run < VIEWER_RUNS; run++) {
        await front(page);
        await settledPipeline(page);
        const [painted, inDom] = await openReportByPress(page, main.loanId, bigId);
        pressPainted.push(painted);
        pressInDom.push(inDom);
      }

      // First page of the 500-page PDF visible: from opening the PDF tab to page 1's canvas drawn.
      // Each round then times pdf.js alone and the stock viewer at the width the app drew page 1.
      const pdfTimes: number[] = [];
      const pdfViewerTimes: number[] = [];
      const pdfInPageTimes: number[] = [];
      const pdfTransfer: number[] = [];
      const aloneTimes: number[] = [];
      const stockTimes: number[] = [];
      const pdfRatios: number[] = [];
      let pdfWidth = 0;
      let containerWidth = 0;
      let pages = 0;
      for (let run = 0; run < RUNS; run++) {
        await front(page);
        await page.evaluate(() => (location.hash = '#/loans'));
        await page.getByTestId('loan-row').first().waitFor();
        await page.evaluate((id) => void (location.hash = `#/reports/${id}`), bigId);
        await page.getByTestId('findings-panel').waitFor();
        pdfTimes.push(
          await timeInPage(
            page,
            () => page.getByTestId('tab-pdf').click(),
            () => page.locator(openReportSelector).first().waitFor(),
          ),
        );
        // Page 1 is drawn alone first; pdf.js's full viewer (every page, find, text layer) attaches after it.
        await page.locator('[data-testid=pdf-viewer][data-shown=viewer]').waitFor();
        pdfViewerTimes.push(
          await page.evaluate(() => performance.now() - performance.getEntriesByName('bench-start').at(-1)!.startTime),
        );
        pdfTransfer.push(await longestBridgeCall(page, 'reports:pdf'));
        pages = Number(await page.getByTestId('pdf-viewer').getAttribute('data-pages'));
        if (run === 0) {
          pdfWidth = await page
            .locator(openReportSelector)
            .first()
            .evaluate((c) => c.getBoundingClientRect().width);
          containerWidth = await page.locator('.rp-pdf-container').evaluate((c) => c.clientWidth);
          await floors.pdfAlone(pdfWidth); // warm-ups
          await floors.stockViewer(containerWidth);
        }
        aloneTimes.push(await floors.pdfAlone(pdfWidth));
        stockTimes.push(await floors.stockViewer(containerWidth));
        pdfRatios.push(pdfTimes[run]! / aloneTimes[run]!);
        // Again on a freshly opened report, with the tab clicked by the page itself and page 1 seen there, timed
        // as the floor is (to the frame after it is drawn): without Playwright's click and round trips.
        await front(page);
        await page.evaluate(() => (location.hash = '#/loans'));
        await page.getByTestId('loan-row').first().waitFor();
        await page.evaluate((id) => void (location.hash = `#/reports/${id}`), bigId);
        await page.getByTestId('findings-panel').waitFor();
        pdfInPageTimes.push(
          (await page.evaluate(`(${CLICK_PDF_TAB_IN_PAGE})(${JSON.stringify(openReportSelector)})`)) as number,
        );
      }
      await floors.close();
      await page.close();

      const quickstart = await measureQuickstartPeer(browser, peerServer.url);
      // The peer must have shown the same report in full: every transaction row plus one row per account.
      const accounts = big.items.flatMap((i) => i.accounts);
      const expectedRows = accounts.length + accounts.reduce((n, a) => n + a.transactions.length, 0);
      if (quickstart.rows !== expectedRows)
        throw new Error(`quickstart-style peer rendered ${quickstart.rows} rows, expected ${expectedRows}`);
      const heap = await measureHeap(browser, bridge.url, bigId);
      const ours = {
        open: median(inPageTimes),
        pdf: median(pdfTimes),
      };
      const jsonBytes = Buffer.byteLength(bigJson);
      const mb = (bytes: number) => bytes / 1024 / 1024;
      const lastClose = heap.afterClose[heap.afterClose.length - 1]!;

      const figures: BenchFigure[] = [
        {
          name: 'Report viewer: open a 50,000-transaction report to its Transactions rows painted, tab clicked by the page (median of 5)',
          value: Math.round(ours.open),
          unit: 'ms',
          target: 300,
        },
        {
          name: 'Report viewer: the first open after start, the same way (the viewer’s code cold; one open, before the rounds)',
          value: Math.round(coldPainted),
          unit: 'ms',
        },
        {
          name: 'Report viewer open, of which reports:view answered with the first screen (open to its last byte, median of 5)',
          value: Math.round(median(viewAnswered)),
          unit: 'ms',
        },
        {
          name: 'Report viewer open to every transaction in the table (search, filters and sorting ready; median of 5)',
          value: Math.round(median(completeTimes)),
          unit: 'ms',
        },
        {
          name: 'Report viewer open, to the Transactions rows in the DOM (before their paint, median of 5)',
          value: Math.round(median(inDomTimes)),
          unit: 'ms',
        },
        {
          // The rest of the headline is the compositor drawing that frame (in software here: no GPU) and the
          // screen's next refresh showing it.
          name: 'Report viewer open, to the frame with the rows rendered by the page (Element Timing paintTime, before it is drawn and shown; median of 5)',
          value: Math.round(median(frameRenderedTimes)),
          unit: 'ms',
        },
        {
          name: `Report viewer opened from its loan's page by a ${PRESS_MS} ms press on its link: release to the rows painted (read from the press; median of 5)`,
          value: Math.round(median(pressPainted)),
          unit: 'ms',
        },
        {
          name: `Report viewer opened by a ${PRESS_MS} ms press on its link: release to the rows in the DOM (median of 5)`,
          value: Math.round(median(pressInDom)),
          unit: 'ms',
        },
        {
          name: 'Report viewer: the same open driven by Playwright (clicks the tab, waits for rows; median of 5)',
          value: Math.round(median(openTimes)),
          unit: 'ms',
        },
        {
          name: 'Report text to a parsing worker as a string (postMessage clone): page busy (median of 5)',
          value: median(textToWorker.map((t) => t[0])),
          unit: 'ms',
        },
        {
          name: 'Report text to a parsing worker as a string: to the worker having parsed it (median of 5)',
          value: median(textToWorker.map((t) => t[1])),
          unit: 'ms',
        },
        {
          name: 'Report text to a parsing worker as UTF-8 bytes (encode, transfer, decode): page busy (median of 5)',
          value: median(bytesToWorker.map((t) => t[0])),
          unit: 'ms',
        },
        {
          name: 'Report text to a parsing worker as UTF-8 bytes: to the worker having parsed it (median of 5)',
          value: median(bytesToWorker.map((t) => t[1])),
          unit: 'ms',
        },
        {
          name: 'Report viewer (Playwright-driven): open to its header, accounts and tabs in the DOM (median of 5)',
          value: Math.round(median(headerTimes)),
          unit: 'ms',
        },
        {
          name: 'Report viewer (Playwright-driven): open to its underwriting findings shown (median of 5)',
          value: Math.round(median(findingsTimes)),
          unit: 'ms',
        },
        {
          name: 'Report viewer: the full report for the analysis worker, reports:get over the bridge (request to last byte, median of 5)',
          value: Math.round(median(openTransfer)),
          unit: 'ms',
        },
        {
          name: `Report viewer floor: JSON.parse of the same report text in a blank page (median of 5 rounds, each the median of ${FLOOR_PARSES} parses)`,
          value: median(parseTimes),
          unit: 'ms',
        },
        {
          name: 'Report viewer open (rows painted) ÷ floor (JSON.parse in the page), median of 5 interleaved rounds',
          value: median(parseRatios),
          unit: 'x',
          target: 2,
        },
        {
          name: 'Report viewer floor with a frame shown: JSON.parse of the same text, then one line of it painted (Element Timing render time, median of 5)',
          value: median(parseShowTimes),
          unit: 'ms',
        },
        {
          name: 'Report viewer open (rows painted) ÷ floor with a frame shown (JSON.parse, then one line painted), median of 5 interleaved rounds',
          value: median(inPageTimes.map((t, i) => t / parseShowTimes[i]!)),
          unit: 'x',
        },
        {
          name: 'Report viewer floor: fetch the same text over loopback + JSON.parse (median of 5)',
          value: median(fetchParseTimes),
          unit: 'ms',
        },
        {
          name: 'Report viewer open (rows painted) ÷ floor (fetch + JSON.parse), median of 5 interleaved rounds',
          value: median(inPageTimes.map((t, i) => t / fetchParseTimes[i]!)),
          unit: 'x',
        },
        {
          name: `Report viewer peer: quickstart-style, every row of every table at once (${quickstart.rows} rows, median of 3)`,
          value: Math.round(median(quickstart.times)),
          unit: 'ms',
        },
        peerRatio('Report viewer: quickstart-style peer ÷ ours', median(quickstart.times), ours.open),
        {
          name: 'Report viewer: search keystroke to updated table, 50,000 transactions (median of 5)',
          value: Math.round(median(searchTimes)),
          unit: 'ms',
          target: 100,
        },
        { name: 'Report viewer: transaction rows in the DOM, all 50,001 listed', value: rowsInDom, unit: 'rows' },
        {
          name: 'Loan pipeline with 10,000 reports rendered (median of 3)',
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
          name: 'PDF viewer: first page visible, tab clicked by the page itself, timed in the page (median of 3)',
          value: Math.round(median(pdfInPageTimes)),
          unit: 'ms',
        },
        {
          // The target's figure: timed as its floor is, in the page to the frame after page 1 is drawn. The
          // Playwright-driven ratio below also counts Playwright's click (its actionability checks) and its waits.
          name: 'PDF viewer: first page, tab clicked by the page itself ÷ floor (pdf.js alone), medians of 3',
          value: median(pdfInPageTimes) / median(aloneTimes),
          unit: 'x',
          target: 1.5,
        },
        {
          name: 'PDF viewer: to pdf.js’s full viewer attached under page 1 (200 ms after it, or at the first touch; median of 3)',
          value: Math.round(median(pdfViewerTimes)),
          unit: 'ms',
        },
        {
          name: 'PDF viewer first page, of which reports:pdf over the bridge (request to last byte, median of 3; NaN: none after the click, the report screen had it)',
          value: Math.round(median(pdfTransfer)),
          unit: 'ms',
        },
        {
          name: 'PDF viewer floor: pdf.js alone, fetch + page 1 drawn at the same width (median of 3)',
          value: Math.round(median(aloneTimes)),
          unit: 'ms',
        },
        {
          name: 'PDF viewer first page, driven by Playwright (click, then wait) ÷ floor (pdf.js alone), median of 3 interleaved rounds',
          value: median(pdfRatios),
          unit: 'x',
        },
        {
          name: `PDF viewer peer: pdf.js stock viewer (pdf_viewer) to page 1 of the same ${pages}-page PDF (median of 3)`,
          value: Math.round(median(stockTimes)),
          unit: 'ms',
        },
        {
          name: 'PDF viewer: pdf.js stock viewer peer ÷ ours, median of 3 interleaved rounds',
          value: median(stockTimes.map((t, i) => t / pdfTimes[i]!)),
          unit: 'x',
        },
        { name: 'Renderer memory: 50,000-transaction report JSON text', value: mb(jsonBytes), unit: 'MB' },
        {
          name: 'Renderer memory: JS heap on the loan pipeline (baseline, after GC)',
          value: mb(heap.baseline),
          unit: 'MB',
        },
        {
          name: 'Renderer memory: JS heap peak while opening the report (page only, sampled, first open)',
          value: mb(heap.peaks[0]!),
          unit: 'MB',
        },
        floorRatio('Renderer memory: heap peak ÷ report JSON size', heap.peaks[0]!, jsonBytes, 2),
        {
          name: 'Renderer memory: page + analysis worker heap peak while opening (sampled together, first open)',
          value: mb(heap.combinedPeaks[0]!),
          unit: 'MB',
        },
        floorRatio(
          'Renderer memory: page + analysis worker heap peak ÷ report JSON size',
          heap.combinedPeaks[0]!,
          jsonBytes,
        ),
        {
          name: 'Renderer memory: analysis worker heap with the report open, settled (first open)',
          value: mb(heap.workerOpen[0]!),
          unit: 'MB',
        },
        {
          name: 'Renderer memory: analysis worker heap after closing the report, settled (after 10 cycles)',
          value: mb(heap.workerAfterClose[heap.workerAfterClose.length - 1]!),
          unit: 'MB',
        },
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
