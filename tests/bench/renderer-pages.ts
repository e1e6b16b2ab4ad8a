import type { Browser, Page } from 'playwright';
import { heapProbe, median, workerHeapProbe } from './measure';

/**
 * The renderer suite's pages and in-page timings (tests/bench/renderer.bench-suite.ts): opening a report the way
 * a click does, with the clicks done by Playwright or by the page itself; the floor pages and the stock-viewer peer
 * in their own browser context; the quickstart-style peer; the heap probe over open/close cycles.
 */

export async function timeInPage(
  page: Page,
  start: () => Promise<void>,
  ready: () => Promise<unknown>,
): Promise<number> {
  await page.evaluate(() => {
    performance.clearResourceTimings(); // room for this run's entries (the buffer holds 250)
    performance.mark('bench-start');
  });
  await start();
  await ready();
  return page.evaluate(() => {
    performance.mark('bench-end');
    return performance.measure('bench', 'bench-start', 'bench-end').duration;
  });
}

/**
 * The longest bridge call since the last `bench-start` mark (resource timing, request start to last byte):
 * the part of a figure spent moving the report or PDF from the main-process services into the page.
 */
export async function longestBridgeCall(page: Page, channel: string): Promise<number> {
  const longest = await page.evaluate((name) => {
    const since = performance.getEntriesByName('bench-start').at(-1)?.startTime ?? 0;
    const calls = performance
      .getEntriesByType('resource')
      .filter((e) => e.startTime >= since && e.name.includes(`/__bridge/invoke/${encodeURIComponent(name)}`));
    // The page keeps only 250 entries by default: cleared each time so later rounds still get theirs.
    performance.clearResourceTimings();
    return calls.length === 0 ? null : Math.max(...calls.map((e) => e.duration));
  }, channel);
  return longest ?? NaN; // no call in the window: shown as NaN rather than a made-up 0
}

export const RUNS = 3;
/** The viewer's rounds: its figures are the headline, and one open takes well under a second. */
export const VIEWER_RUNS = 5;
/** How many times each round's floor parses the report text (see parse in openFloorPages). */
export const FLOOR_PARSES = 3;
export const openReportSelector = '.rp-pdf-container .page[data-page-number="1"] canvas';

/**
 * Opens the report (hash route, as a click on its row does): interactive once its header is painted and
 * the Transactions tab shows rows; then waits for the underwriting findings (worked out off the main
 * thread, shown when ready). Marks `bench-interactive` and `bench-findings` in the page.
 */
export async function openReport(page: Page, id: string): Promise<void> {
  // The header's first appearance, seen in the page itself (Playwright's polling lags a busy main thread).
  await page.evaluate(WATCH_HEADER);
  await page.evaluate((reportId) => void (location.hash = `#/reports/${reportId}`), id);
  await page.getByTestId('report-header').waitFor();
  await page.getByTestId('tab-transactions').click();
  await page.getByTestId('txn-row').first().waitFor();
  await page.evaluate(() => performance.mark('bench-interactive'));
  await page.getByTestId('findings-panel').waitFor({ state: 'attached' });
  await page.evaluate(() => performance.mark('bench-findings'));
  // The page falls back to analysing in place when its worker cannot start: that would be a different figure.
  const ranIn = await page.locator('#rp-panel-summary').getAttribute('data-analysis-ran-in');
  if (ranIn !== 'worker')
    throw new Error(`the underwriting analysis ran in the ${ranIn ?? '(unknown)'}, not its worker`);
}

/** Marks `bench-header` when the report header is first in the DOM (a string: no bundler helpers in the page). */
export const WATCH_HEADER = `(() => {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('[data-testid=report-header]')) return;
    observer.disconnect();
    performance.mark('bench-header');
  });
  observer.observe(document.body, { childList: true, subtree: true });
})()`;

/**
 * Opens the report with the clicks done by the page itself, the moment each target is in the DOM: the Transactions
 * tab as soon as it exists. Then, in the page: `bench-rows-in-dom` when its first rows are in the DOM, the first
 * row's paint as the browser reports it (Element Timing: the frame that showed the row's text, not a proxy such
 * as a task after the next frame, which would also count whatever the page runs after painting), and
 * `bench-complete` once the table holds every transaction (the first screen's newest rows come first; see
 * shared/report-view). Without Playwright's round trips (on this loaded machine about 100-200 ms per click and
 * wait), this is the app's own time to an interactive table.
 */
export const WATCH_ROWS = `(() => {
  let clicked = false;
  let rows = false;
  window.benchRowsPainted = undefined;
  new PerformanceObserver((list, paints) => {
    const entry = list.getEntries().find((e) => e.identifier === 'bench-first-row');
    if (!entry) return;
    paints.disconnect();
    window.benchRowsPainted = entry.renderTime || entry.loadTime;
    // When the page finished rendering that frame, before the compositor drew it and the screen showed it
    // (Paint Timing's paintTime; NaN in a Chromium without it).
    window.benchRowsFrameRendered = entry.paintTime ?? NaN;
  }).observe({ type: 'element' });
  const observer = new MutationObserver(() => {
    const tab = document.querySelector('[data-testid=tab-transactions]');
    if (tab && !clicked) {
      clicked = true;
      tab.click();
    }
    const row = document.querySelector('[data-testid=txn-row] [role=cell]');
    if (row && !rows) {
      rows = true;
      row.setAttribute('elementtiming', 'bench-first-row');
      performance.mark('bench-rows-in-dom');
    }
    if (!document.querySelector('[data-testid=txn-table][data-complete=true]')) return;
    observer.disconnect();
    performance.mark('bench-complete');
  });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-complete'] });
})()`;

declare global {
  interface Window {
    /** When the first transaction row was painted (Element Timing's render time), set by WATCH_ROWS. */
    benchRowsPainted?: number;
    /** When the page had rendered the frame with that row (Element Timing's paintTime), set by WATCH_ROWS. */
    benchRowsFrameRendered?: number;
  }
}

/** Marks an open's moments in the page from now on (see WATCH_ROWS and OPENED_MARKS). */
async function watchOpen(page: Page): Promise<void> {
  await page.evaluate(() => performance.clearResourceTimings());
  await page.evaluate(WATCH_ROWS);
}

/**
 * In the page (a string: no bundler helpers there): waits, at a slow poll, until the open watched by WATCH_ROWS
 * is done, then resolves with its marks since `bench-start`: [to rows painted, to rows in the DOM, to
 * `reports:view` (first screen) answered (request start to last byte), to every transaction in the table, to the
 * rows' frame rendered by the page] in ms. Waiting here rather than with Playwright's waits keeps the tool quiet
 * during the open: a Playwright wait is a DevTools call into the page and through the browser's main thread, work
 * the app would not have to share its first frame with.
 */
const OPENED_MARKS = `() => new Promise((resolve, reject) => {
  const failed = setTimeout(() => reject(new Error('the report did not open within 30 s')), 30000);
  const look = () => {
    const done =
      window.benchRowsPainted !== undefined &&
      performance.getEntriesByName('bench-complete').length > 0 &&
      document.querySelector('[data-testid=findings-panel]') !== null;
    if (!done) return void setTimeout(look, 100);
    clearTimeout(failed);
    const start = performance.getEntriesByName('bench-start').at(-1).startTime;
    const view = performance
      .getEntriesByType('resource')
      .find((e) => e.name.includes('/__bridge/invoke/' + encodeURIComponent('reports:view')));
    const marks = [
      window.benchRowsPainted - start,
      performance.getEntriesByName('bench-rows-in-dom').at(-1).startTime - start,
      view ? view.responseEnd - start : NaN,
      performance.getEntriesByName('bench-complete').at(-1).startTime - start,
      window.benchRowsFrameRendered - start,
    ];
    performance.clearMarks();
    resolve(marks);
  };
  setTimeout(look, 100);
})`;

type OpenMarks = [number, number, number, number, number];

/** Opens the report by changing the address, as its link does; see OPENED_MARKS for what it returns. */
export async function openReportInPage(page: Page, id: string): Promise<OpenMarks> {
  await watchOpen(page);
  // The clock starts where a click on the report's link would: in the task that changes the address (not a
  // Playwright round trip earlier, about 1.5 ms of which the figure used to count). The same call then waits in
  // the page for the open's end, so no DevTools traffic lands inside it.
  return page.evaluate(
    `((reportId, marks) => { performance.mark('bench-start'); location.hash = '#/reports/' + reportId; return marks(); })(${JSON.stringify(id)}, ${OPENED_MARKS})`,
  ) as Promise<OpenMarks>;
}

/** How long the bench holds the mouse button on a report's link: a quick human click. */
export const PRESS_MS = 100;

/**
 * Opens the report the way an officer does from its loan's page: a press on its link, held PRESS_MS, and the
 * release. The page reads the report from the press (see startRouteWorkOnPress in renderer/src/App.tsx); the
 * clock starts at the click (the release), so the figure is what the officer waits after letting go.
 * [to rows painted, to rows in the DOM] in ms.
 */
export async function openReportByPress(page: Page, loanId: string, reportId: string): Promise<[number, number]> {
  await page.evaluate((id) => void (location.hash = `#/loans/${id}`), loanId);
  const link = page.locator(`a[href="#/reports/${reportId}"]`).first();
  await link.waitFor();
  await link.hover(); // where it rests, once the loan's page has laid out
  await watchOpen(page);
  await page.evaluate(() =>
    document.addEventListener('click', () => performance.mark('bench-start'), { capture: true, once: true }),
  );
  await page.mouse.down();
  await page.waitForTimeout(PRESS_MS);
  await page.mouse.up();
  const [painted, inDom] = (await page.evaluate(`(${OPENED_MARKS})()`)) as OpenMarks;
  return [painted, inDom];
}

/** Since the last `bench-start`: [to interactive, to findings shown, to header in the DOM] in ms. */
export async function openMarks(page: Page): Promise<[number, number, number]> {
  // No helper function inside the page function: the runner's name-keeping wrapper does not exist there.
  return page.evaluate(() =>
    ['bench-interactive', 'bench-findings', 'bench-header'].map(
      (name) =>
        performance.getEntriesByName(name).at(-1)!.startTime -
        performance.getEntriesByName('bench-start').at(-1)!.startTime,
    ),
  ) as Promise<[number, number, number]>;
}

/**
 * Back on the loan pipeline with every loan listed: after its first screenful, the pipeline streams the rest of
 * 10,000 loans in chunks, each a store query of 20-35 ms in the main process that a report's request would
 * queue behind. The viewer's rounds start from a settled pipeline, as its floor starts from an idle page.
 */
export async function settledPipeline(page: Page): Promise<void> {
  await page.evaluate(() => void (location.hash = '#/loans'));
  await page.getByTestId('loan-row').first().waitFor();
  await page.locator('[data-testid=loan-count]:not([aria-busy])').waitFor();
}

export async function closeReport(page: Page): Promise<void> {
  await page.evaluate(() => void (location.hash = '#/loans'));
  await page.getByTestId('loan-row').first().waitFor();
}

/**
 * In the page (a string: no bundler helpers there): clicks the PDF tab, then resolves with the ms until the frame
 * after page 1's canvas is in the document, as the pdf.js-alone floor counts its own drawing.
 */
export const CLICK_PDF_TAB_IN_PAGE = `(selector) => new Promise((resolve) => {
  const started = performance.now();
  const seen = () => {
    if (!document.querySelector(selector)) return false;
    requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - started), 0));
    return true;
  };
  const observer = new MutationObserver(() => seen() && observer.disconnect());
  observer.observe(document.body, { childList: true, subtree: true });
  document.querySelector('[data-testid=tab-pdf]').click();
})`;

export type BenchText = { benchText: string };

/**
 * In the floor page (a string: no bundler helpers there): the report text parsed, then one line of it put into the
 * page, to the frame that shows it (Element Timing's render time, as the viewer's headline ends). ms.
 */
export const PARSE_AND_SHOW = `() => new Promise((resolve, reject) => {
  // A line never reported painted fails the suite rather than hanging it.
  const timer = setTimeout(() => reject(new Error('the floor page never reported its line painted (Element Timing)')), 10000);
  const started = performance.now();
  const parsed = JSON.parse(window.benchText);
  const line = document.createElement('p');
  line.setAttribute('elementtiming', 'floor-shown');
  line.textContent = JSON.stringify(parsed.report.items[0].accounts[0].transactions[0]).slice(0, 120);
  new PerformanceObserver((list, observer) => {
    const entry = list.getEntries().find((e) => e.identifier === 'floor-shown');
    if (!entry) return;
    observer.disconnect();
    clearTimeout(timer);
    line.remove();
    resolve(entry.renderTime - started);
  }).observe({ type: 'element' });
  document.body.append(line);
})`;

/** In the floor page (a string: no bundler helpers there): see toWorker below. */
export const TO_WORKER = `async (as) => {
  const source = 'onmessage = (e) => { const text = typeof e.data === "string" ? e.data : new TextDecoder().decode(e.data);'
    + ' postMessage(JSON.parse(text).report.items.length); };';
  const worker = window.benchWorker ??= new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
  const text = window.benchText;
  const started = performance.now();
  const answered = new Promise((resolve) => (worker.onmessage = (e) => resolve(e.data)));
  if (as === 'text') worker.postMessage(text);
  else {
    const bytes = new TextEncoder().encode(text);
    worker.postMessage(bytes.buffer, [bytes.buffer]);
  }
  const busy = performance.now() - started;
  if ((await answered) === 0) throw new Error('the worker parsed no items');
  return [busy, performance.now() - started];
}`;

/** Only the front tab paints (a hidden one gets no animation frames), so each measured page comes to the front. */
export async function front(page: Page): Promise<void> {
  await page.bringToFront();
  if ((await page.evaluate(() => document.visibilityState)) !== 'visible')
    throw new Error(`${page.url()} is hidden: its timing would measure throttling`);
}

/**
 * The floor pages and the stock-viewer peer, open in their own browser context (no renderer process shared
 * with the app) next to the app's page, so each round times the app and then its floor under the same load.
 */
export async function openFloorPages(browser: Browser, base: string) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const blank = await context.newPage();
  await blank.goto(`${base}/blank.html`);
  await blank.evaluate(async () => {
    (window as unknown as BenchText).benchText = await (await fetch('/data/report.json')).text();
  });
  const alone = await context.newPage();
  await alone.goto(`${base}/pdf-alone.html`);
  await alone.evaluate(() => window.benchReady);
  const stock = await context.newPage();
  await stock.goto(`${base}/pdf-stock-viewer.html`);
  await stock.evaluate(() => window.benchReady);
  let stockRun = 0;
  return {
    /**
     * The same JSON text parsed in a page with nothing else on it (the parsed report is used, so it cannot be
     * skipped): the median of FLOOR_PARSES parses, each timed on its own. One parse of this text takes about
     * 10 ms, or 15-20 ms when a garbage collection lands in it, and which one a round got used to swing that
     * round's ratio by half for the same code.
     */
    async parse() {
      await front(blank);
      const times = await blank.evaluate((parses) => {
        const times: number[] = [];
        for (let n = 0; n < parses; n++) {
          const started = performance.now();
          const parsed = JSON.parse((window as unknown as BenchText).benchText) as { report: { items: unknown[] } };
          if (parsed.report.items.length === 0) throw new Error('the report JSON parsed to no items');
          times.push(performance.now() - started);
        }
        return times;
      }, FLOOR_PARSES);
      return median(times);
    },
    /**
     * The floor plus what any page pays to show a change: JSON.parse of the same text, then one line of it drawn and
     * shown (see PARSE_AND_SHOW). The viewer's headline ends at a frame shown too; this one holds a single line.
     */
    async parseAndShow() {
      await front(blank);
      return blank.evaluate(`(${PARSE_AND_SHOW})()`) as Promise<number>;
    },
    async fetchAndParse() {
      await front(blank);
      return blank.evaluate(async () => {
        const started = performance.now();
        const parsed = JSON.parse(await (await fetch('/data/report.json')).text()) as { report: { items: unknown[] } };
        if (parsed.report.items.length === 0) throw new Error('the report JSON parsed to no items');
        return performance.now() - started;
      });
    },
    /**
     * The report text handed to a worker that parses it, two ways: as a string (cloned by postMessage) or as
     * UTF-8 bytes (encoded in the page, transferred, decoded in the worker). [page busy, to the worker's answer] in ms.
     */
    async toWorker(as: 'text' | 'bytes'): Promise<[number, number]> {
      await front(blank);
      return blank.evaluate(`(${TO_WORKER})(${JSON.stringify(as)})`) as Promise<[number, number]>;
    },
    /** pdf.js alone: fetch the PDF and draw page 1 at the width the app drew it. */
    async pdfAlone(width: number) {
      await front(alone);
      return alone.evaluate((w) => window.benchRenderFirstPage('/data/report.pdf', w), width);
    },
    /** pdf.js's stock viewer in a container as wide as the app's, timed like the app's tab (to page 1's canvas shown). */
    async stockViewer(width: number) {
      const run = stockRun++;
      await front(stock);
      const ms = await timeInPage(
        stock,
        () => stock.evaluate(([w, n]) => window.benchOpen('/data/report.pdf', w, n), [width, run] as const),
        () => stock.locator(`#viewer-${run} .page[data-page-number="1"] canvas`).first().waitFor(),
      );
      await stock.evaluate(() => window.benchClose());
      return ms;
    },
    close: () => context.close(),
  };
}

/** Peer for the viewer: every row of every table rendered at once (one warm-up open first, as the app had). */
export async function measureQuickstartPeer(browser: Browser, base: string) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${base}/quickstart-viewer.html`);
    const times: number[] = [];
    let rows = 0;
    for (let run = 0; run <= RUNS; run++) {
      const ms = await page.evaluate(() => window.benchOpenReport('/data/report.json'));
      if (run > 0) times.push(ms);
      rows = await page.evaluate(() => document.querySelectorAll('tbody tr').length);
      await page.evaluate(() => window.benchCloseReport());
    }
    return { times, rows };
  } finally {
    await context.close();
  }
}

/** Renderer JS heap: baseline on the loan pipeline, with the report open (peak, settled), after closing, ×10. */
export async function measureHeap(browser: Browser, url: string, reportId: string, cycles = 10) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.getByTestId('loan-row').first().waitFor();
    const heap = await heapProbe(page);
    const worker = await workerHeapProbe(page, 'report-analysis');
    // The list's own idle-time work (code preloads) done first, so the baseline is what the list really holds.
    await page.evaluate(
      () => new Promise((resolve) => requestIdleCallback(() => requestIdleCallback(resolve, { timeout: 3000 }))),
    );
    await page.waitForTimeout(500);
    const baseline = await heap.settled();
    const peaks: number[] = [];
    const combinedPeaks: number[] = [];
    const open: number[] = [];
    const workerOpen: number[] = [];
    const afterClose: number[] = [];
    const workerAfterClose: number[] = [];
    for (let cycle = 0; cycle < cycles; cycle++) {
      const peak = await heap.peaksDuring(() => openReport(page, reportId), worker.used);
      peaks.push(peak.page);
      combinedPeaks.push(peak.combined);
      open.push(await heap.settled());
      workerOpen.push(await worker.settled());
      await closeReport(page);
      afterClose.push(await heap.settled());
      workerAfterClose.push(await worker.settled());
    }
    return { baseline, peaks, combinedPeaks, open, workerOpen, afterClose, workerAfterClose };
  } finally {
    await context.close();
  }
}
