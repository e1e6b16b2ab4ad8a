import { mkdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright';
import type { WebBridge } from '../../electron/dev/web-bridge';
import { renderPdf, seedApplicant, storeReadyReport } from '../bench/renderer-seed';
import { SMALL_GIFT, SPLIT_DEPOSITS, splitAndGiftReport } from '../helpers/split-and-gift-report';
import { formatDate } from '../../renderer/src/reports/format';
import { pdfPageTexts, seriousViolations } from './support/desk';
import { openSeededPage, type SeededPage } from './support/seeded-page';

/**
 * A purchase whose report (generated today, seeded through the real store and served by the real services) has three
 * cash deposits of $1,500 in three days (together above the $4,000 threshold: one large deposit split up) and a $900
 * Zelle gift. The officer sources each on the findings panel with a note, sees nothing left needing attention, undoes
 * the gift, and finds each step in the loan's activity log.
 */

const SCREENSHOTS = 'test-results/screenshots';
const CAR = 'Sale of her car, bill of sale on file';
const GIFT_LETTER = 'Gift letter from her mother, with the donor’s statement';
let bridge: WebBridge;
let page: Page;
let desk: SeededPage | undefined;
let pageErrors: string[] = [];
let reportId: string;
let loanId: string;
let dates: string[];
let halfId: string;
const BOAT = 'Cash from the sale of a boat, bill of sale on file';

beforeAll(async () => {
  desk = await openSeededPage('split-gifts', async (store) => {
    const now = new Date();
    const report = splitAndGiftReport(now);
    dates = SPLIT_DEPOSITS.map(
      (d) => report.items[0]!.accounts[0]!.transactions.find((t) => t.transaction_id === d.id)!.date,
    );
    const seeded = await seedApplicant(store, 0, { fundsToClose: 5000, reservesNeeded: 1000 });
    loanId = seeded.loanId;
    reportId = await storeReadyReport(store, seeded, { report, warnings: [] }, await renderPdf(report));
    // Another purchase whose first cash deposit was sourced on its own (as a note carried from an earlier report is).
    const other = await seedApplicant(store, 1, { lastName: 'Charleson', fundsToClose: 5000, reservesNeeded: 1000 });
    halfId = await storeReadyReport(store, other, { report, warnings: [] }, await renderPdf(report), 'half-sourced');
    await store.sourcedDeposits.mark(halfId, SPLIT_DEPOSITS[0].id, BOAT);
  });
  ({ bridge, page, pageErrors } = desk);
  mkdirSync(SCREENSHOTS, { recursive: true });
});
afterAll(() => desk?.close());

const attention = () => page.getByTestId('findings-counts').locator('.chip').first().textContent();
const finding = (rule: string, severity: string) =>
  page.locator(`[data-testid=finding][data-rule="${rule}"][data-severity="${severity}"]`);
const group = () => page.getByTestId('split-deposit');
const gift = () => page.getByTestId('possible-gift');

/** axe on the section alone, best practices included, and the whole page's serious violations. */
async function accessible(): Promise<void> {
  const section = await new AxeBuilder({ page }).include('[data-testid=split-deposits-and-gifts]').analyze();
  expect(section.violations.map((v) => `${v.impact} ${v.id}: ${v.help}`)).toEqual([]);
  expect(await seriousViolations(page)).toEqual([]);
}

async function markSourced(row: ReturnType<typeof page.getByTestId>, note: string): Promise<string> {
  await row.getByTestId('mark-sourced-together').click();
  const dialog = page.getByTestId('mark-sourced-dialog');
  await dialog.waitFor();
  const said = (await dialog.textContent()) ?? '';
  await page.getByTestId('sourced-note-input').fill(note);
  await page.getByTestId('mark-sourced-save').click();
  await dialog.waitFor({ state: 'detached' });
  return said;
}

/**
 * Opens a report from the pipeline, so the section waited for is this report's: going straight from one report to
 * another, the last report's section is still on screen until the new one replaces it.
 */
async function openReport(id: string): Promise<void> {
  await page.evaluate(() => void (location.hash = '#/loans'));
  await page.getByTestId('pipeline-screen').waitFor();
  await page.evaluate((reportId) => void (location.hash = `#/reports/${reportId}`), id);
  await page.getByTestId('split-deposits-and-gifts').waitFor();
}

test('the split group and the gift need attention, each listed with what the officer needs', async () => {
  await openReport(reportId);
  expect(await attention()).toBe('3 need attention');
  expect(await finding('large_deposit', 'attention').locator('.rp-finding-title').textContent()).toBe(
    '1 group of smaller deposits from one payer within a week, together above $4,000.00',
  );
  expect(await finding('gift', 'attention').count()).toBe(1);
  expect(await finding('balance_jump', 'attention').count()).toBe(1);
  // No single deposit is large: the large-deposit table is not shown, nothing is deducted.
  expect(await page.getByTestId('large-deposits').count()).toBe(0);
  expect(await page.getByTestId('unsourced-total').textContent()).toBe('$0.00');

  expect(await group().count()).toBe(1);
  expect(await group().getAttribute('data-sourced')).toBe('false');
  const cells = await group().locator('td').allTextContents();
  expect(cells[0]).toBe('CASH DEPOSIT');
  expect(cells[1]).toBe('First Platypus Bank · Plaid Checking ••1000');
  expect(await group().getByTestId('split-deposit-part').allTextContents()).toEqual(
    dates.map((date) => `${formatDate(date)} · $1,500.00`),
  );
  expect(cells[3]).toBe('$4,500.00');
  expect(await page.getByTestId('split-deposits-count').textContent()).toBe(
    '(1 group, 1 not sourced; from one payer within a week, together above $4,000.00)',
  );

  expect(await gift().count()).toBe(1);
  const giftCells = await gift().locator('td').allTextContents();
  expect(giftCells.slice(1, 4)).toEqual([
    'First Platypus Bank · Plaid Checking ••1000',
    'ZELLE FROM MOM BIRTHDAY GIFT',
    '$900.00',
  ]);
  await accessible();
  await page.getByTestId('split-deposits-and-gifts').screenshot({ path: `${SCREENSHOTS}/split-gifts-open.png` });
});

test('the note dialog refuses an empty note and is accessible', async () => {
  await group().getByTestId('mark-sourced-together').click();
  const dialog = page.getByTestId('mark-sourced-dialog');
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain('The note is recorded on each of the 3 deposits.');
  await page.getByTestId('mark-sourced-save').click();
  expect(await page.getByTestId('sourced-note-input').getAttribute('aria-invalid')).toBe('true');
  expect(await seriousViolations(page)).toEqual([]);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'detached' });
  // The focus goes back to the button that opened the dialog.
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('mark-sourced-together');
  expect(await group().getAttribute('data-sourced')).toBe('false');
});

test('sourcing the group and the gift leaves nothing needing attention, with the notes shown', async () => {
  await markSourced(group(), CAR);
  await page.locator('[data-testid=split-deposit][data-sourced=true]').waitFor();
  expect(await group().getByTestId('split-sourced-note').textContent()).toBe(CAR);
  expect(await group().locator('.chip').textContent()).toBe('Sourced');
  // The split group's 4,500 covers the rise above the 60-day average: the gift alone is left (one "needs").
  await page.waitForFunction(
    () => document.querySelector('[data-testid=findings-counts] .chip')?.textContent === '1 needs attention',
  );
  expect(await finding('balance_jump', 'attention').count()).toBe(0);
  // Undo takes the place of the button that was pressed, and keeps the focus.
  expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe(
    'unmark-sourced-together',
  );

  await markSourced(gift(), GIFT_LETTER);
  await page.locator('[data-testid=possible-gift][data-sourced=true]').waitFor();
  expect(await gift().getByTestId('gift-sourced-note').textContent()).toBe(GIFT_LETTER);
  await page.getByTestId('no-findings').waitFor();
  expect(await attention()).toBe('0 need attention');
  expect(await finding('large_deposit', 'attention').count()).toBe(0);
  expect(await finding('gift', 'attention').count()).toBe(0);
  // The findings that passed say how.
  await page.getByRole('button', { name: /checks that passed/ }).click();
  expect(await finding('large_deposit', 'ok').locator('.rp-finding-title').textContent()).toBe(
    '1 group of smaller deposits from one payer within a week, together above $4,000.00, sourced',
  );
  expect(await finding('large_deposit', 'ok').locator('.rp-finding-detail').textContent()).toContain(
    `(sourced: ${CAR})`,
  );
  expect(await finding('gift', 'ok').locator('.rp-finding-title').textContent()).toBe(
    'Possible gift: 1 deposit documented',
  );
  await accessible();
  await page.getByTestId('split-deposits-and-gifts').screenshot({ path: `${SCREENSHOTS}/split-gifts-sourced.png` });

  // Kept by the main process: the same after the report is opened again, one note on each of the three deposits.
  await page.reload();
  await page.getByTestId('split-deposits-and-gifts').waitFor();
  await page.getByTestId('no-findings').waitFor();
  expect(await group().getByTestId('split-sourced-note').textContent()).toBe(CAR);
  expect(await gift().getByTestId('gift-sourced-note').textContent()).toBe(GIFT_LETTER);
  const stored = await bridge.services.handlers['deposits:listSourced']({ reportId });
  expect(stored.map((d) => [d.transactionId, d.note]).sort()).toEqual(
    [...SPLIT_DEPOSITS.map((d) => [d.id, CAR]), [SMALL_GIFT.id, GIFT_LETTER]].sort(),
  );
});

test('the cover page follows: the split group and the gift are among the checks that passed', async () => {
  await page.getByTestId('tab-actions').click();
  expect(await page.getByTestId('export-cover').isChecked()).toBe(true);
  await page.getByTestId('export-pdf').click();
  await page.getByTestId('export-saved').waitFor();
  const cover = (await pdfPageTexts(readFileSync((await page.getByTestId('export-path').textContent())!)))[0]!;
  expect(cover).toContain('Nothing needs attention');
  expect(cover).toContain('together above $4,000.00, sourced');
  expect(cover).toContain('Possible gift: 1 deposit documented');
  await page.getByTestId('tab-summary').click();
});

test('undoing the gift brings its finding back; the activity log has each step in words', async () => {
  await gift().getByTestId('unmark-sourced-together').click();
  await page.locator('[data-testid=possible-gift][data-sourced=false]').waitFor();
  expect(await gift().getByTestId('gift-sourced-note').count()).toBe(0);
  await page.waitForFunction(
    () => document.querySelector('[data-testid=findings-counts] .chip')?.textContent === '1 needs attention',
  );
  expect(await finding('gift', 'attention').count()).toBe(1);
  expect(await group().getAttribute('data-sourced')).toBe('true');

  const split = SPLIT_DEPOSITS.map((d) => d.id);
  const logged = await bridge.services.handlers['activity:list']({ reportId });
  expect(logged.map(({ action, detail }) => ({ action, detail }))).toEqual([
    { action: 'deposit_unsourced', detail: { what: 'possible_gift', transactionIds: [SMALL_GIFT.id] } },
    { action: 'report_exported', detail: expect.anything() },
    { action: 'deposit_sourced', detail: { what: 'possible_gift', transactionIds: [SMALL_GIFT.id] } },
    { action: 'deposit_sourced', detail: { what: 'split_deposit', transactionIds: split } },
  ]);

  // The loan's screen reads them in words, and its report counts what the report screen shows.
  await page.evaluate((id) => void (location.hash = `#/loans/${id}`), loanId);
  await page.getByTestId('activity-table').waitFor();
  const entries = await page
    .locator('[data-testid=activity-entry][data-action^=deposit_] td:nth-child(2)')
    .allTextContents();
  expect(entries).toEqual([
    'Possible gift no longer marked as sourced',
    'Possible gift marked as sourced',
    'Split deposit (3 deposits) marked as sourced',
  ]);
  const summary = await bridge.services.handlers['reports:summary']({ reportId });
  expect(summary.findingCounts).toEqual({ attention: 1, info: 0 });
  expect(pageErrors).toEqual([]);
});

test('at 200% zoom (a 700 px wide window) the split groups and gifts fit: the screen does not scroll sideways', async () => {
  await openReport(reportId);
  await page.setViewportSize({ width: 700, height: 450 });
  try {
    const sizes = await page.evaluate(() => {
      const main = document.querySelector('main')!;
      const section = document.querySelector('[data-testid=split-deposits-and-gifts]')!;
      return {
        page: document.scrollingElement!.scrollWidth <= innerWidth,
        main: main.scrollWidth <= main.clientWidth,
        section: section.scrollWidth <= section.clientWidth,
      };
    });
    expect(sizes).toEqual({ page: true, main: true, section: true });
  } finally {
    await page.setViewportSize({ width: 1280, height: 900 });
  }
});

test('a group half sourced says so; its note goes on the deposits left, and Undo withdraws every note', async () => {
  await openReport(halfId);
  expect(await group().getAttribute('data-sourced')).toBe('false');
  expect(await group().locator('.chip').textContent()).toBe('1 of 3 sourced');
  expect(await group().getByTestId('split-sourced-note').textContent()).toBe(BOAT);
  expect(
    await group()
      .getByTestId('split-deposit-part')
      .evaluateAll((parts) => parts.map((p) => p.getAttribute('data-sourced'))),
  ).toEqual(['true', 'false', 'false']);
  expect(await finding('large_deposit', 'attention').locator('.rp-finding-detail').textContent()).toContain(
    '(1 of 3 deposits sourced)',
  );
  await accessible();

  const said = await markSourced(group(), CAR);
  expect(said).toContain('The note is recorded on the 2 deposits not sourced yet; the others keep their own.');
  await page.locator('[data-testid=split-deposit][data-sourced=true]').waitFor();
  expect(await group().getByTestId('split-sourced-note').textContent()).toBe(`${BOAT}; ${CAR}`);
  expect(
    (await bridge.services.handlers['deposits:listSourced']({ reportId: halfId })).map((d) => [
      d.transactionId,
      d.note,
    ]),
  ).toEqual([
    [SPLIT_DEPOSITS[0].id, BOAT],
    [SPLIT_DEPOSITS[1].id, CAR],
    [SPLIT_DEPOSITS[2].id, CAR],
  ]);
  expect((await bridge.services.handlers['activity:list']({ reportId: halfId }))[0]?.detail).toEqual({
    what: 'split_deposit',
    transactionIds: [SPLIT_DEPOSITS[1].id, SPLIT_DEPOSITS[2].id],
  });

  await group().getByTestId('unmark-sourced-together').click();
  await page.locator('[data-testid=split-deposit][data-sourced=false]').waitFor();
  expect(await group().getByTestId('split-sourced-note').count()).toBe(0);
  expect(await bridge.services.handlers['deposits:listSourced']({ reportId: halfId })).toEqual([]);
  expect(pageErrors).toEqual([]);
});
