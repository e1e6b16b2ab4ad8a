import type { Page, Request, Route } from 'playwright';
import { renderPdf, reportWithTransactions, seedApplicant, storeReadyReport } from '../bench/renderer-seed';
import { openSeededPage, type SeededPage } from './support/seeded-page';

/**
 * A large report opens from its first screen (the newest transactions) while the whole view is on its way: the
 * table shows those rows at once, holds a row's place for the others, and keeps its filters until every
 * transaction is here. The whole view's request is held (or failed) here by routing the bridge's call.
 */

let desk: SeededPage | undefined;
let page: Page;
let pageErrors: string[] = [];
let reportId: string;
/** A report with more accounts than the first frame draws cards for. */
let manyAccountsId: string;
const MANY_ACCOUNTS = 7;
// 3 accounts × 400 transactions and one wire: more than a first screen holds.
const TOTAL = 3 * 400 + 1;

beforeAll(async () => {
  desk = await openSeededPage('first-screen', async (store) => {
    const report = reportWithTransactions(3, 400, 120);
    reportId = await storeReadyReport(
      store,
      await seedApplicant(store),
      { report, warnings: [] },
      await renderPdf(reportWithTransactions(1, 2, 30)),
    );
    manyAccountsId = await storeReadyReport(
      store,
      await seedApplicant(store, 1),
      { report: reportWithTransactions(MANY_ACCOUNTS, 5, 30), warnings: [] },
      await renderPdf(reportWithTransactions(1, 2, 30)),
      'many-accounts',
    );
  });
  ({ page, pageErrors } = desk);
});

afterAll(() => desk?.close());

const VIEW_CALL = `**/__bridge/invoke/${encodeURIComponent('reports:view')}`;
const asksForWhole = (route: Route) => route.request().postData()?.includes('"whole"') ?? false;

/** Holds the whole view's request until the returned release is called. */
async function holdWholeView(): Promise<{ asked: Promise<void>; release(): void }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let asked!: () => void;
  const seen = new Promise<void>((resolve) => (asked = resolve));
  await page.route(VIEW_CALL, async (route) => {
    if (!asksForWhole(route)) return route.continue();
    asked();
    await released;
    return route.continue();
  });
  return { asked: seen, release };
}

/** On the loan pipeline with its rows shown: where an officer opens a report from. */
async function onPipeline(): Promise<void> {
  await page.evaluate(() => void (location.hash = '#/loans'));
  await page.getByTestId('loan-row').first().waitFor();
}

/** Opens a report by its address, as its link does. */
async function openByAddress(id: string): Promise<void> {
  await page.evaluate((reportId) => void (location.hash = `#/reports/${reportId}`), id);
}

async function openTransactions(): Promise<void> {
  await onPipeline();
  await openByAddress(reportId);
  await page.getByTestId('tab-transactions').click();
  await page.getByTestId('txn-row').first().waitFor();
}

const count = () => page.getByTestId('txn-count');
const table = () => page.getByTestId('txn-table');

test('the newest rows are shown at once; the filters wait for every transaction, then work on all of them', async () => {
  const held = await holdWholeView();
  try {
    await openTransactions();
    await held.asked;
    expect(await count().textContent()).toContain(`Newest 200 of ${TOTAL.toLocaleString('en-US')} transactions`);
    expect(await count().textContent()).toContain('loading the rest');
    expect(await table().getAttribute('aria-busy')).toBe('true');
    expect(await table().getAttribute('aria-rowcount')).toBe(String(TOTAL + 1));
    expect(await page.getByTestId('txn-search').isDisabled()).toBe(true);
    expect(await page.getByTestId('txn-account').isDisabled()).toBe(true);
    expect(await page.getByTestId('sort-date').isDisabled()).toBe(true);
    const firstRows = await page.getByTestId('txn-row').allTextContents();
    // Past the newest 200 rows, the table holds their places.
    await page.getByTestId('txn-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.getByTestId('txn-row-pending').first().waitFor();
    await page.getByTestId('txn-scroll').evaluate((el) => (el.scrollTop = 0));
    await page.getByTestId('txn-row').first().waitFor();

    held.release();
    await page.waitForFunction(
      (total) => document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count') === String(total),
      TOTAL,
    );
    expect(await table().getAttribute('aria-busy')).toBeNull();
    // The same rows first: nothing moved under the officer's eyes.
    expect((await page.getByTestId('txn-row').allTextContents()).slice(0, 10)).toEqual(firstRows.slice(0, 10));
    await page.getByTestId('txn-scroll').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=txn-row-pending]').length === 0);
    expect(await page.getByTestId('txn-row').count()).toBeGreaterThan(0);
    // Sorting now sees every transaction: oldest first shows rows the first screen did not hold.
    await page.getByTestId('txn-scroll').evaluate((el) => (el.scrollTop = 0));
    const newestDate = firstRows[0]!.slice(0, 12);
    await page.getByTestId('sort-date').click();
    await page.waitForFunction(
      (newest) => !document.querySelector('[data-testid=txn-row]')?.textContent?.startsWith(newest),
      newestDate,
    );
    const oldest = (await page.getByTestId('txn-row').first().textContent())!;
    expect(firstRows.some((row) => row.startsWith(oldest.slice(0, 12)))).toBe(false);
    await page.getByTestId('txn-search').fill('wire');
    await page.waitForFunction(
      () => document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count') === '1',
    );
  } finally {
    await page.unroute(VIEW_CALL);
  }
  expect(pageErrors).toEqual([]);
});

test('when the rest cannot be read, the table says so and Try again reads it', async () => {
  let failures = 1;
  await page.route(VIEW_CALL, async (route) => {
    if (asksForWhole(route) && failures-- > 0) return route.abort('connectionreset');
    return route.continue();
  });
  try {
    await openTransactions();
    const error = page.getByTestId('txn-rest-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('The rest of the transactions could not be loaded');
    expect(await count().textContent()).toContain(`Newest 200 of ${TOTAL.toLocaleString('en-US')}`);
    expect(await page.getByTestId('txn-search').isDisabled()).toBe(true);
    await page.getByTestId('txn-rest-retry').click();
    await page.waitForFunction(
      (total) => document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count') === String(total),
      TOTAL,
    );
    expect(await error.count()).toBe(0);
    expect(await page.getByTestId('txn-search').isDisabled()).toBe(false);
  } finally {
    await page.unroute(VIEW_CALL);
  }
  // Chromium logs the failed request itself; nothing else may go wrong.
  expect(pageErrors).toEqual(['Failed to load resource: net::ERR_CONNECTION_RESET']);
});

/** The report screen's own loading state ("Opening the report"), not a panel's within the open report. */
const OPENING = '[data-testid=report-screen] > [data-testid=loading]';

/** In the page: records whether the report screen's loading state ever showed, from now on. */
const WATCH_LOADING = `(() => {
  window.sawReportLoading = false;
  const observer = new MutationObserver(() => {
    if (document.querySelector('${OPENING}')) window.sawReportLoading = true;
    if (document.querySelector('[data-testid=report-header]')) observer.disconnect();
  });
  observer.observe(document.body, { childList: true, subtree: true });
})()`;

const asksForFirstScreen = (route: Route) => route.request().postData()?.includes('"firstScreen"') ?? false;

test('a report opened from the pipeline opens whole: the pipeline stays until its first screen is here', async () => {
  const errorsBefore = pageErrors.length;
  await onPipeline();
  await page.evaluate(WATCH_LOADING);
  await openByAddress(reportId);
  await page.getByTestId('report-header').waitFor();
  expect(await page.evaluate(() => (window as unknown as { sawReportLoading: boolean }).sawReportLoading)).toBe(false);
  expect(pageErrors.slice(errorsBefore)).toEqual([]);
});

test('a slow first screen: the pipeline stays a moment, then the report shows it is loading, then opens', async () => {
  const errorsBefore = pageErrors.length;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(VIEW_CALL, async (route) => {
    if (asksForFirstScreen(route)) await released;
    return route.continue();
  });
  try {
    await onPipeline();
    await openByAddress(reportId);
    // Still the pipeline right after the click (the hold is 100 ms), then the report's loading state.
    expect(await page.getByTestId('pipeline-screen').count()).toBe(1);
    await page.locator(OPENING).waitFor();
    expect(await page.getByTestId('pipeline-screen').count()).toBe(0);
    release();
    await page.getByTestId('report-header').waitFor();
  } finally {
    release();
    await page.unroute(VIEW_CALL);
  }
  expect(pageErrors.slice(errorsBefore)).toEqual([]);
});

test('a newer address wins over a report still on its way', async () => {
  const errorsBefore = pageErrors.length;
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let asked!: () => void;
  const seen = new Promise<void>((resolve) => (asked = resolve));
  await page.route(VIEW_CALL, async (route) => {
    if (asksForFirstScreen(route)) {
      asked();
      await released;
    }
    return route.continue();
  });
  try {
    await page.evaluate(() => void (location.hash = '#/settings'));
    await page.getByTestId('settings-screen').waitFor();
    await openByAddress(reportId);
    await seen;
    await page.evaluate(() => void (location.hash = '#/loans'));
    await page.getByTestId('pipeline-screen').waitFor();
    release();
    // The report's answer arrives after the officer moved on: the pipeline stays.
    await page.waitForTimeout(300);
    expect(await page.getByTestId('report-screen').count()).toBe(0);
    expect(await page.getByTestId('pipeline-screen').count()).toBe(1);
  } finally {
    release();
    await page.unroute(VIEW_CALL);
  }
  expect(pageErrors.slice(errorsBefore)).toEqual([]);
});

test('pressing a report’s link starts reading it; the click that follows opens it from that one read', async () => {
  const errorsBefore = pageErrors.length;
  const firstScreens: string[] = [];
  const seen = (request: Request) => {
    if (request.url().includes(encodeURIComponent('reports:view')) && request.postData()?.includes('"firstScreen"'))
      firstScreens.push(request.url());
  };
  await page.evaluate(() => void (location.hash = '#/reports'));
  const link = page.locator(`a[href="#/reports/${reportId}"]`);
  await link.waitFor();
  page.on('request', seen);
  try {
    const box = (await link.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    // The read starts on the press, while the button is still down.
    await expect.poll(() => firstScreens.length).toBe(1);
    await page.evaluate(WATCH_LOADING);
    await page.mouse.up();
    await page.getByTestId('report-header').waitFor();
    expect(await page.evaluate(() => (window as unknown as { sawReportLoading: boolean }).sawReportLoading)).toBe(
      false,
    );
    expect(firstScreens).toHaveLength(1);
  } finally {
    page.off('request', seen);
  }
  expect(pageErrors.slice(errorsBefore)).toEqual([]);
});

test('every account has its card: the first frame draws the first ones, the others follow it', async () => {
  const errorsBefore = pageErrors.length;
  await onPipeline();
  await openByAddress(manyAccountsId);
  await page.getByTestId('report-header').waitFor();
  await expect.poll(() => page.getByTestId('account-card').count()).toBe(MANY_ACCOUNTS);
  const names = await page.locator('[data-testid=account-card] h3').allTextContents();
  expect(new Set(names).size).toBe(MANY_ACCOUNTS);
  expect(pageErrors.slice(errorsBefore)).toEqual([]);
});

/** In the page: the transaction rows in the DOM when the first ones appear (the first frame's), from now on. */
const WATCH_FIRST_ROWS = `(() => {
  window.firstFrameRows = undefined;
  const observer = new MutationObserver(() => {
    const rows = document.querySelectorAll('[data-testid=txn-row]').length;
    if (rows === 0) return;
    window.firstFrameRows = rows;
    observer.disconnect();
  });
  observer.observe(document.body, { childList: true, subtree: true });
})()`;

test('the table draws the rows in view first; the rows beyond its edges follow once that frame is painted', async () => {
  const errorsBefore = pageErrors.length;
  await onPipeline();
  await openByAddress(reportId);
  await page.getByTestId('tab-transactions').waitFor();
  await page.evaluate(WATCH_FIRST_ROWS);
  await page.getByTestId('tab-transactions').click();
  await page.waitForFunction(() => (window as unknown as { firstFrameRows?: number }).firstFrameRows !== undefined);
  const rowHeight = 36; // TransactionRow's ROW_HEIGHT (the tests' project does not compile the renderer's .tsx)
  const overscan = 10; // TransactionsTable's useFixedRowWindow overscan
  const boxHeight = await page.getByTestId('txn-scroll').evaluate((el) => el.clientHeight);
  const inView = Math.ceil(boxHeight / rowHeight) + 1;
  expect(await page.evaluate(() => (window as unknown as { firstFrameRows: number }).firstFrameRows)).toBe(inView);
  // Then the overscan below the view (none above: the table is at its top).
  await expect.poll(() => page.getByTestId('txn-row').count()).toBe(inView + overscan);
  const rowIndexes = () =>
    page.getByTestId('txn-row').evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('aria-rowindex'))));
  // Scrolled down to row 100, rows are drawn on both sides of the view (aria-rowindex counts the header as 1).
  await page.getByTestId('txn-scroll').evaluate((el, top) => (el.scrollTop = top), 100 * rowHeight);
  await expect.poll(async () => Math.min(...(await rowIndexes()))).toBe(100 - overscan + 2);
  expect(Math.max(...(await rowIndexes()))).toBe(100 + inView + overscan - 1 + 2);
  expect(pageErrors.slice(errorsBefore)).toEqual([]);
});

/**
 * In the page, from now on: when the report's first frame was on screen, as Element Timing reports the paint of its
 * id (drawn with its title; marked here as it enters the DOM, so the figure does not rest on the app's own mark).
 */
const WATCH_REPORT_SHOWN = `(() => {
  window.reportShownAt = undefined;
  new PerformanceObserver((list, paints) => {
    const entry = list.getEntries().find((e) => e.identifier === 'test-report-id');
    if (!entry) return;
    paints.disconnect();
    window.reportShownAt = entry.renderTime;
  }).observe({ type: 'element' });
  const observer = new MutationObserver(() => {
    const id = document.querySelector('[data-testid=report-id]');
    if (!id) return;
    observer.disconnect();
    id.setAttribute('elementtiming', 'test-report-id');
  });
  observer.observe(document.body, { childList: true, subtree: true });
})()`;

test('the report’s later reads wait until its first frame is on screen', async () => {
  const errorsBefore = pageErrors.length;
  await onPipeline();
  await page.evaluate(() => performance.clearResourceTimings());
  await page.evaluate(WATCH_REPORT_SHOWN);
  await openByAddress(reportId);
  // Every later read done: the findings (the loan, settings, the report's text) and the table's whole view.
  await page.getByTestId('findings-counts').waitFor();
  await page.getByTestId('tab-transactions').click();
  await page.locator('[data-testid=txn-table][data-complete=true]').waitFor();
  const { shownAt, calls } = await page.evaluate(() => ({
    shownAt: (window as unknown as { reportShownAt?: number }).reportShownAt,
    calls: performance
      .getEntriesByType('resource')
      .filter((e) => e.name.includes('/__bridge/invoke/'))
      .map((e) => ({ channel: decodeURIComponent(e.name.split('/__bridge/invoke/')[1]!), start: e.startTime })),
  }));
  expect(shownAt).toBeGreaterThan(0);
  // The first screen is the one read the frame needs; the first call of the open.
  expect(calls[0]?.channel).toBe('reports:view');
  const later = calls.slice(1);
  for (const channel of ['reports:view', 'reports:get', 'loans:get', 'underwriting:otherReports'])
    expect(later.map((c) => c.channel)).toContain(channel);
  expect(later.filter((c) => c.start < shownAt!)).toEqual([]);
  expect(pageErrors.slice(errorsBefore)).toEqual([]);
});

/** In the page, from now on: when the account cards beyond the first frame's entered the DOM. */
const WATCH_MORE_CARDS = `((firstFrame) => {
  window.moreCardsAt = undefined;
  const observer = new MutationObserver(() => {
    if (document.querySelectorAll('[data-testid=account-card]').length <= firstFrame) return;
    observer.disconnect();
    window.moreCardsAt = performance.now();
  });
  observer.observe(document.body, { childList: true, subtree: true });
})`;

test('the cards below the first frame are drawn once that frame is on screen', async () => {
  const errorsBefore = pageErrors.length;
  await onPipeline();
  await page.evaluate(WATCH_REPORT_SHOWN);
  await page.evaluate(`${WATCH_MORE_CARDS}(3)`); // AccountsSection's FIRST_FRAME_CARDS
  await openByAddress(manyAccountsId);
  await expect.poll(() => page.getByTestId('account-card').count()).toBe(MANY_ACCOUNTS);
  // Element Timing reports the frame a moment after it is on screen.
  await page.waitForFunction(() => (window as unknown as { reportShownAt?: number }).reportShownAt !== undefined);
  const { shownAt, moreCardsAt } = await page.evaluate(() => {
    const marks = window as unknown as { reportShownAt?: number; moreCardsAt?: number };
    return { shownAt: marks.reportShownAt, moreCardsAt: marks.moreCardsAt };
  });
  expect(shownAt).toBeGreaterThan(0);
  expect(moreCardsAt).toBeGreaterThan(shownAt!);
  expect(pageErrors.slice(errorsBefore)).toEqual([]);
});
