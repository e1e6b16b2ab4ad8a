import type { CDPSession, Page } from 'playwright';
import { renderPdf, reportWithTransactions, seedApplicant, storeReadyReport } from '../bench/renderer-seed';
import { openSeededPage, type SeededPage } from './support/seeded-page';

/**
 * The report's PDF tab: the report screen opens the PDF in pdf.js while the officer reads the report, a click on
 * the tab draws page 1 alone, and pdf.js's full viewer then takes its place without a pixel changing. Nothing of
 * the document outlives the report screen.
 */

let desk: SeededPage | undefined;
let page: Page;
let cdp: CDPSession;
let pageErrors: string[] = [];
let reportId: string;
let damagedId: string;
let tinyPdf: Uint8Array;

beforeAll(async () => {
  desk = await openSeededPage('pdf-tab', async (store) => {
    // 3 accounts × 150 transactions: a PDF of several pages.
    const report = reportWithTransactions(3, 150, 90);
    reportId = await storeReadyReport(
      store,
      await seedApplicant(store),
      { report, warnings: [] },
      await renderPdf(report),
    );
    tinyPdf = await renderPdf(reportWithTransactions(1, 2, 30));
    // Another borrower's report whose stored PDF is only a header: pdf.js cannot read it.
    const small = reportWithTransactions(1, 5, 30);
    damagedId = await storeReadyReport(
      store,
      await seedApplicant(store, 1),
      { report: small, warnings: [] },
      new Uint8Array([37, 80, 68, 70]),
      'damaged-pdf-report',
    );
  });
  ({ page, pageErrors } = desk);
  cdp = await page.context().newCDPSession(page);
});

afterAll(() => desk?.close());

async function openReport(id = reportId): Promise<void> {
  await page.evaluate(() => void (location.hash = '#/loans'));
  await page.getByTestId('loan-row').first().waitFor();
  await page.evaluate((report) => void (location.hash = `#/reports/${report}`), id);
  await page.getByTestId('findings-panel').waitFor();
}

/**
 * pdf.js documents alive in the page, counted by V8 itself (after a full collection) from the prototype of a
 * throw-away document opened with the page's own pdf.js (the viewer's code has loaded once this is called).
 */
async function pdfDocumentsAlive(): Promise<number> {
  await page.waitForFunction(() => 'pdfjsLib' in globalThis);
  await page.evaluate(async (bytes) => {
    const probe = globalThis as unknown as {
      pdfDocumentPrototype?: object;
      pdfjsLib: {
        getDocument(p: { data: Uint8Array }): { promise: Promise<object>; destroy(): Promise<void> };
      };
    };
    if (probe.pdfDocumentPrototype) return;
    const task = probe.pdfjsLib.getDocument({ data: new Uint8Array(bytes) });
    probe.pdfDocumentPrototype = Object.getPrototypeOf(await task.promise) as object;
    await task.destroy();
  }, Array.from(tinyPdf));
  const { result } = await cdp.send('Runtime.evaluate', { expression: 'globalThis.pdfDocumentPrototype' });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: result.objectId! });
  const { result: count } = await cdp.send('Runtime.callFunctionOn', {
    objectId: objects.objectId!,
    functionDeclaration: 'function () { return this.length; }',
    returnByValue: true,
  });
  await cdp.send('Runtime.releaseObject', { objectId: objects.objectId! });
  await cdp.send('Runtime.releaseObject', { objectId: result.objectId! });
  return count.value as number;
}

/** Waits (at most 10 s) for `count` documents alive, and returns the last count seen. */
async function settlesAt(count: number): Promise<number> {
  let alive = -1;
  for (let tries = 0; tries < 40 && alive !== count; tries++) {
    if (tries > 0) await page.waitForTimeout(250);
    alive = await pdfDocumentsAlive();
  }
  return alive;
}

/**
 * In the page: the pixels, box and scroll of page 1 the moment it first shows (drawn alone), and again once
 * pdf.js's viewer has drawn its own page 1 and the one drawn alone is gone.
 */
const WATCH_HANDOVER = `new Promise((resolve) => {
  let container = null;
  const look = (canvas) => {
    const box = canvas.getBoundingClientRect();
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let hash = 0;
    for (let i = 0; i < pixels.length; i += 7) hash = (hash * 31 + pixels[i]) | 0;
    return { size: [canvas.width, canvas.height], box: [box.x, box.y, box.width, box.height], scrollTop: container.scrollTop, hash };
  };
  let alone = null;
  const observer = new MutationObserver(() => {
    container ??= document.querySelector('.rp-pdf-container');
    if (!container) return;
    const first = container.querySelector('.rp-pdf-first-page canvas');
    if (!alone && first) alone = look(first);
    const viewer = container.querySelector('.pdfViewer:not(.rp-pdf-first-page) .page[data-page-number="1"] canvas');
    if (alone && viewer && !container.querySelector('.rp-pdf-first-page')) {
      observer.disconnect();
      resolve({ alone, viewer: look(viewer) });
    }
  });
  observer.observe(document.body, { childList: true, subtree: true });
})`;

test('page 1 is drawn alone from the document opened with the report, then pdf.js’s viewer takes over unchanged', async () => {
  await openReport();
  // The report screen opened the PDF while the officer read the summary.
  expect(await settlesAt(1)).toBe(1);
  const clickedAt = await page.evaluate(() => performance.now());
  const handover = page.evaluate(WATCH_HANDOVER) as Promise<{
    alone: { size: number[]; box: number[]; scrollTop: number; hash: number };
    viewer: { size: number[]; box: number[]; scrollTop: number; hash: number };
  }>;
  await page.getByTestId('tab-pdf').click();
  const { alone, viewer } = await Promise.race([
    handover,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error('page 1 was not drawn alone and then by the viewer within 15 s')), 15_000),
    ),
  ]);
  // Same size, place, scroll and pixels: the officer sees no change when the viewer attaches.
  expect(viewer).toEqual(alone);
  expect(alone.size[0]).toBeGreaterThan(300);
  // Nothing was fetched for the PDF after the click.
  const fetchedAfterClick = await page.evaluate(
    (since) =>
      performance
        .getEntriesByType('resource')
        .filter((e) => e.startTime >= since && e.name.includes('/__bridge/invoke/reports%3Apdf')).length,
    clickedAt,
  );
  expect(fetchedAfterClick).toBe(0);
  expect(await page.getByTestId('pdf-viewer').getAttribute('data-shown')).toBe('viewer');
  expect(Number(await page.getByTestId('pdf-viewer').getAttribute('data-pages'))).toBeGreaterThan(1);
  expect(await page.locator('.rp-pdf-first-page').count()).toBe(0);
  // The text layer and thumbnails come with the viewer.
  await page.locator('.rp-pdf-container .page[data-page-number="1"] .textLayer span').first().waitFor();
  await page.locator('.rp-thumb').first().waitFor();
  expect(pageErrors).toEqual([]);
});

/**
 * Types `text` into the toolbar field `testId` and presses Enter the moment page 1 shows alone, in the page itself
 * (no round trip that could miss the moment). Resolves with what the tab showed when Enter was pressed.
 */
function enterWhileFirstPageAlone(testId: string, text: string): Promise<string | null> {
  return page.evaluate(
    ([field, value]) =>
      new Promise<string | null>((resolve) => {
        const ask = () => {
          const viewer = document.querySelector('[data-testid=pdf-viewer]');
          const input = document.querySelector<HTMLInputElement>(`[data-testid=${field}]`);
          if (viewer?.getAttribute('data-shown') !== 'first-page' || !input) return false;
          const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
          setter.call(input, value);
          input.dispatchEvent(new Event('input', { bubbles: true }));
          setTimeout(() => {
            input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
            resolve(viewer.getAttribute('data-shown'));
          }, 0);
          return true;
        };
        if (ask()) return;
        const observer = new MutationObserver(() => ask() && observer.disconnect());
        observer.observe(document.body, { attributes: true, subtree: true, attributeFilter: ['data-shown'] });
      }),
    [testId, text] as const,
  );
}

test('a search asked for while page 1 is shown alone is run once the viewer attaches', async () => {
  await openReport();
  await page.getByTestId('tab-pdf').click();
  expect(await enterWhileFirstPageAlone('pdf-find', 'Starbucks')).toBe('first-page');
  await expect.poll(() => page.getByTestId('pdf-find-result').textContent(), { timeout: 10_000 }).toMatch(/^1 of \d+$/);
  expect(pageErrors).toEqual([]);
});

test('a page asked for while page 1 is shown alone is scrolled to once the viewer attaches', async () => {
  await openReport();
  await page.getByTestId('tab-pdf').click();
  expect(await enterWhileFirstPageAlone('pdf-page-input', '3')).toBe('first-page');
  // pdf.js reports page 3 as the current page (the thumbnails follow it) and draws it.
  await expect
    .poll(() => page.locator('.rp-thumb[aria-current=page]').getAttribute('aria-label'), { timeout: 10_000 })
    .toBe('Page 3');
  await page.locator('.rp-pdf-container .page[data-page-number="3"] canvas').first().waitFor();
  const top = await page.evaluate(() => {
    const container = document.querySelector('.rp-pdf-container')!;
    const page3 = container.querySelector<HTMLElement>('.page[data-page-number="3"]')!;
    return { scroll: container.scrollTop, page: page3.offsetTop };
  });
  expect(Math.abs(top.scroll - top.page)).toBeLessThan(20);
  expect(pageErrors).toEqual([]);
});

test('leaving the PDF tab while page 1 is shown alone, then coming back, shows the full viewer at the tab’s width', async () => {
  await openReport();
  await page.getByTestId('tab-pdf').click();
  await page.locator('[data-testid=pdf-viewer]:is([data-shown=first-page], [data-shown=viewer])').waitFor();
  await page.getByTestId('tab-summary').click();
  // Long enough for the viewer's own attach time to pass while the tab is hidden.
  await page.waitForTimeout(800);
  await page.getByTestId('tab-pdf').click();
  await page.locator('[data-testid=pdf-viewer][data-shown=viewer]').waitFor();
  const fit = await page.evaluate(() => {
    const container = document.querySelector('.rp-pdf-container')!;
    const canvas = container.querySelector('.page[data-page-number="1"] canvas')!;
    return { page: canvas.getBoundingClientRect().width, room: container.clientWidth - 40 };
  });
  expect(Math.abs(fit.page - fit.room)).toBeLessThanOrEqual(1); // pdf.js rounds the page down to whole pixels
  expect(await page.locator('.rp-pdf-first-page').count()).toBe(0);
  expect(pageErrors).toEqual([]);
});

test('a PDF pdf.js cannot read shows what to do, and Try again reads it again', async () => {
  await openReport(damagedId);
  await page.getByTestId('tab-pdf').click();
  const error = page.locator('#rp-panel-pdf [data-testid=error-state]');
  await error.waitFor();
  expect(await error.locator('h2').textContent()).toBe('The PDF could not be shown');
  expect(await error.textContent()).toContain('refresh the report to get a new PDF from Plaid');
  expect(await error.textContent()).toContain('PDF_UNREADABLE');
  const askedAt = await page.evaluate(() => performance.now());
  await error.getByRole('button', { name: 'Try again' }).click();
  await error.waitFor();
  // The retry fetched the PDF again rather than showing the first failure once more.
  await expect
    .poll(
      () =>
        page.evaluate(
          (since) =>
            performance
              .getEntriesByType('resource')
              .filter((e) => e.startTime >= since && e.name.includes('/__bridge/invoke/reports%3Apdf')).length,
          askedAt,
        ),
      { timeout: 10_000 },
    )
    .toBe(1);
  // The failed documents are not kept.
  await page.evaluate(() => void (location.hash = '#/loans'));
  await page.getByTestId('loan-row').first().waitFor();
  expect(await settlesAt(0)).toBe(0);
  expect(pageErrors).toEqual([]);
});

test('no pdf.js document outlives the report screen, whether its PDF tab was opened or not', async () => {
  await openReport();
  await page.getByTestId('tab-pdf').click();
  await page.locator('[data-testid=pdf-viewer][data-shown=viewer]').waitFor();
  expect(await settlesAt(1)).toBe(1);
  await page.evaluate(() => void (location.hash = '#/loans'));
  await page.getByTestId('loan-row').first().waitFor();
  expect(await settlesAt(0)).toBe(0);
  // Opened only by the report screen (tab never clicked), then closed.
  await openReport();
  expect(await settlesAt(1)).toBe(1);
  await page.evaluate(() => void (location.hash = '#/loans'));
  await page.getByTestId('loan-row').first().waitFor();
  expect(await settlesAt(0)).toBe(0);
  expect(pageErrors).toEqual([]);
});

test('each page of the PDF is named "Page N" for a screen reader, with no invisible direction marks', async () => {
  await openReport();
  await page.getByTestId('tab-pdf').click();
  await page.locator('[data-testid=pdf-viewer][data-shown=viewer]').waitFor();
  const pages = Number(await page.getByTestId('pdf-viewer').getAttribute('data-pages'));
  expect(pages).toBeGreaterThan(1);
  // The names as Chromium gives them to a screen reader: every page region pdf.js has laid out.
  const regionNames = async () => {
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    return nodes
      .filter((node) => !node.ignored && node.role?.value === 'region')
      .map((node) => String(node.name?.value ?? ''))
      .filter((name) => /^\W*Page\b/.test(name));
  };
  await expect.poll(async () => (await regionNames()).length).toBe(pages);
  const names = await regionNames();
  // Before: "Page \u20681\u2069" (pdf.js's Fluent strings isolate each number with FSI/PDI).
  expect(names.filter((name) => /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(name))).toEqual([]);
  expect(names).toEqual(Array.from({ length: pages }, (_, i) => `Page ${i + 1}`));
  expect(pageErrors).toEqual([]);
});
