import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Page } from 'playwright';
import {
  SCREENSHOTS,
  addApplicant,
  chooseBank,
  emulatorLink,
  finishLink,
  leaks,
  logIn,
  recordBridgeEvents,
  seriousViolations,
  type Desk,
  type PageRecorder,
  openDeskPage,
  returnToOfficer,
  type DeskSession,
} from './support/desk';

/**
 * Issue 6, the whole story at the officer's desk, in order, through the real UI in Chromium: the
 * web bridge serves the REAL main-process services and the built-in Plaid emulator. Each step
 * asserts what the officer sees; each main screen is saved as test-results/screenshots/story-*.png.
 */

const LOAN_NUMBER = 'LN-2026-0042';
const TEN_MINUTES = 10 * 60_000;

let desk: Desk;
let page: Page;
let recorder: PageRecorder;
let loanId: string;
let reportId: string; // AssetDesk's id of the first report (routes use it)
let auditToken: string | undefined;

let session: DeskSession | undefined;

beforeAll(async () => {
  session = await openDeskPage('story', { initScript: recordBridgeEvents });
  ({ desk, page, recorder } = session);
});

afterAll(() => session?.close());

const shot = (name: string, fullPage = false) =>
  page.screenshot({ path: `${SCREENSHOTS}/story-${name}.png`, fullPage });
const routeId = () => decodeURIComponent(new URL(page.url()).hash.split('/')[2] ?? '');
const txnCount = async () => Number(await page.getByTestId('txn-count').getAttribute('data-count'));

async function openApplicant(name: string): Promise<void> {
  await page.getByTestId('nav-loans').click();
  await page.getByTestId('pipeline-table').getByRole('link', { name }).click();
  await page.getByTestId('loan-screen').waitFor();
}

/** The visible focus ring on whatever has focus: an outline or a box-shadow. */
async function focusIndicator(): Promise<{ tag: string; testId: string | null; visible: boolean }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return { tag: 'body', testId: null, visible: false };
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return { tag: el.tagName, testId: el.getAttribute('data-testid'), visible: outline || style.boxShadow !== 'none' };
  });
}

interface Focused {
  tag: string;
  testId: string | null;
  text: string;
}

/** Tabs forward until `matches` holds for the focused element, as a keyboard user would. */
async function tabUntil(matches: (focused: Focused) => boolean, what: string): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      return { tag: el?.tagName ?? '', testId: el?.getAttribute('data-testid') ?? null, text: el?.textContent ?? '' };
    });
    if (matches(focused)) return;
  }
  throw new Error(`Tab never reached ${what}`);
}

describe('the whole story at the officer’s desk', () => {
  test('the officer adds two loans; Alberta Charleson’s loan details are on its page', async () => {
    await addApplicant(page, {
      firstName: 'Grace',
      lastName: 'Hopper',
      loanNumber: 'LN-2026-0041',
      income: '9,000',
      fundsToClose: '30,000',
    });
    loanId = await addApplicant(page, {
      firstName: 'Alberta',
      lastName: 'Charleson',
      loanNumber: LOAN_NUMBER,
      loanPurpose: 'purchase',
      income: '8,500',
      fundsToClose: '$42,000',
    });
    const facts = await page.getByTestId('loan-screen').innerText();
    expect(facts).toContain(LOAN_NUMBER);
    expect(facts).toContain('Purchase');
    expect(facts).toContain('$8,500.00');
    expect(facts).toContain('$42,000.00');
    expect(await page.getByTestId('create-report').isDisabled()).toBe(true);

    await page.getByTestId('nav-loans').click();
    await page.getByTestId('pipeline-table').waitFor();
    expect(await page.getByTestId('loan-row').count()).toBe(2);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('applicants');
  });

  test('handed the computer, Alberta sees only herself and links two banks, the first after a wrong password', async () => {
    await openApplicant('Alberta Charleson');
    await page.getByTestId('hand-to-applicant').click();
    await page.getByTestId('link-mode').waitFor();
    expect(decodeURIComponent(page.url())).toContain(loanId);
    expect(await page.getByTestId('link-greeting').textContent()).toBe('Hello, Alberta Charleson');
    // The focused mode shows nothing of the desk: no navigation, no list, no other applicant.
    const screen = await page.locator('body').innerText();
    expect(screen).not.toContain('Hopper');
    expect(screen).not.toContain('Grace');
    expect(screen).not.toContain('LN-2026-0041');
    expect(await page.getByTestId('nav').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('hand-to-applicant');

    await page.getByTestId('link-start').click();
    const link = emulatorLink(page);
    await chooseBank(link, 'First Platypus', 'ins_109508');
    await logIn(link, 'user_good', 'error_INVALID_CREDENTIALS');
    await link.getByTestId('link-view-error').waitFor();
    expect(await link.getByTestId('error-message').textContent()).toContain(
      'The provided credentials were not correct',
    );
    await shot('link-wrong-password');
    expect(await link.getByTestId('error-retry').textContent()).toContain('Try again');
    await link.getByTestId('error-retry').click();
    await logIn(link, 'user_good', 'pass_good');
    await finishLink(link);
    await page.getByTestId('link-success').waitFor();
    expect(await page.getByTestId('linked-bank').allTextContents()).toEqual([
      expect.stringContaining('First Platypus Bank'),
    ]);

    await page.getByTestId('link-another').click();
    await chooseBank(emulatorLink(page), 'Tartan', 'ins_109511');
    await logIn(emulatorLink(page), 'user_good', 'pass_good');
    await finishLink(emulatorLink(page));
    await page.getByTestId('linked-bank').nth(1).waitFor();
    const banks = await page.getByTestId('linked-bank').allTextContents();
    expect(banks).toHaveLength(2);
    expect(banks[0]).toContain('First Platypus Bank');
    expect(banks[1]).toContain('Tartan Bank');
    expect(await page.locator('body').innerText()).not.toContain('Hopper');
    await shot('link-success');

    await returnToOfficer(page);
    await page.getByTestId('loan-screen').waitFor();
    await page.getByTestId('items-list').waitFor();
    const items = await page.getByTestId('item-row').allTextContents();
    expect(items).toHaveLength(2);
    expect(items.join(' ')).toContain('Tartan Bank');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('loan-screen', true);
  });

  test('a report over both banks shows pending with the time elapsed, then opens ready, and the OS is notified', async () => {
    await page.getByTestId('create-report').click();
    const dialog = page.getByTestId('create-report-dialog');
    await dialog.waitFor();
    const boxes = dialog.locator('input[data-testid^="item-checkbox-"]');
    expect(await boxes.count()).toBe(2);
    for (const box of await boxes.all()) expect(await box.isChecked()).toBe(true);
    await dialog.getByLabel('90 days').check();
    await shot('create-report');
    // Plaid takes its time: this report stays pending until the test moves the emulator's clock.
    desk.emulator().faults.setReadyAfterMs(TEN_MINUTES);
    await page.getByTestId('create-report-submit').click();

    const pending = page.getByTestId('report-pending');
    await pending.waitFor();
    reportId = routeId();
    expect(await page.getByTestId('report-screen').getAttribute('data-status')).toBe('pending');
    const firstElapsed = (await page.getByTestId('report-elapsed').textContent()) ?? '';
    expect(firstElapsed).toMatch(/\d/);
    // The elapsed time moves while the officer watches.
    await page.waitForFunction(
      (before) => document.querySelector('[data-testid=report-elapsed]')?.textContent !== before,
      firstElapsed,
    );
    expect(desk.bridge.notifications()).toEqual([]);
    await shot('report-pending');

    desk.emulator().faults.setReadyAfterMs(0);
    desk.advanceEmulatorClock(TEN_MINUTES + 1_000);
    await page.locator('[data-testid=report-screen][data-status=ready]').waitFor();
    await expect
      .poll(() => desk.bridge.notifications())
      .toContainEqual({ title: 'Asset Report ready', body: expect.stringContaining('Alberta Charleson') });
  });

  test('summary: findings, account cards from both banks and a balance chart', async () => {
    await page.getByTestId('findings-panel').waitFor();
    expect(await page.getByTestId('report-days').textContent()).toContain('90');
    const cards = page.getByTestId('account-card');
    expect(await cards.count()).toBeGreaterThan(2);
    const cardText = (await cards.allTextContents()).join(' ');
    expect(cardText).toContain('First Platypus Bank');
    expect(cardText).toContain('Tartan Bank');
    expect(cardText).toContain('Plaid Checking');
    await cards.first().scrollIntoViewIfNeeded();
    await page.locator('[data-testid=balance-chart] canvas').first().waitFor();
    expect(await page.locator('[data-testid=balance-chart] canvas').first().isVisible()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('report-summary', true);
  });

  test('transactions: a search word and the money-in filter change the visible rows', async () => {
    await page.getByTestId('tab-transactions').click();
    await page.getByTestId('txn-table').waitFor();
    const all = await txnCount();
    expect(all).toBeGreaterThan(0);

    await page.getByTestId('txn-search').fill('Starbucks');
    await page.waitForFunction(
      (total) => Number(document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count')) < total,
      all,
    );
    const found = await txnCount();
    expect(found).toBeGreaterThan(0);
    const rows = await page.getByTestId('txn-row').allTextContents();
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.toLowerCase()).toContain('starbucks');

    await page.getByTestId('txn-search').fill('');
    await page.waitForFunction(
      (total) => Number(document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count')) === total,
      all,
    );
    await page.getByTestId('txn-direction').selectOption('in');
    await page.waitForFunction(
      (total) => Number(document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count')) < total,
      all,
    );
    expect(await txnCount()).toBeGreaterThan(0);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('report-transactions');
    await page.getByTestId('txn-direction').selectOption('all');
  });

  test('PDF: Plaid’s report opens in the viewer and find counts the matches', async () => {
    await page.getByTestId('tab-pdf').click();
    await page.locator('.rp-pdf-container .page[data-page-number="1"] canvas').first().waitFor();
    expect(Number(await page.getByTestId('pdf-viewer').getAttribute('data-pages'))).toBeGreaterThan(1);
    await page.getByTestId('pdf-find').fill('Plaid Checking');
    await page.getByTestId('pdf-find').press('Enter');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=pdf-find-result]')?.getAttribute('data-total')) > 0,
    );
    expect(await page.getByTestId('pdf-find-result').textContent()).toMatch(/^1 of \d+$/);
    await shot('report-pdf');
  });

  test('export: the PDF is saved under the loan file’s name', async () => {
    await page.getByTestId('tab-actions').click();
    await page.getByTestId('export-pdf').click();
    await page.getByTestId('export-saved').waitFor();
    const path = (await page.getByTestId('export-path').textContent()) ?? '';
    const plaidId = ((await page.getByTestId('report-id').textContent()) ?? '').replace(/-/g, '').slice(0, 8);
    expect(plaidId).toHaveLength(8);
    expect(basename(path)).toMatch(
      new RegExp(`^${LOAN_NUMBER}_Charleson_AssetReport_\\d{4}-\\d{2}-\\d{2}_${plaidId}_WithCoverPage\\.pdf$`),
    );
    expect(path.startsWith(desk.bridge.downloadsDir)).toBe(true);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path).subarray(0, 4).toString('latin1')).toBe('%PDF');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('report-actions', true);
  });

  test('refresh: the new report hangs under its parent in the history and becomes ready', async () => {
    await page.getByTestId('action-refresh').click();
    await page.getByTestId('refresh-dialog').waitFor();
    await page.getByTestId('refresh-submit').click();
    await page.waitForFunction((parent) => !location.hash.includes(parent), reportId);
    const refreshId = routeId();
    await page.locator('[data-testid=report-screen][data-status=ready]').waitFor();
    expect(await page.getByTestId('report-kind').textContent()).toBe('Refresh');
    await page.getByTestId('changes-since-parent').waitFor();
    await shot('report-refresh', true);

    await openApplicant('Alberta Charleson');
    const child = page.locator(`[data-report-id="${reportId}"] [data-report-id="${refreshId}"]`);
    await child.waitFor();
    expect(await child.locator('.report-kind').first().textContent()).toBe('Refresh');
    await child.getByTestId('report-status').getByText('Ready').waitFor();
    await shot('report-history');
  });

  test('filter: an excluded account is missing from the filtered report', async () => {
    await page.locator(`[data-report-id="${reportId}"] > .report-node [data-testid=open-report]`).click();
    await page.locator('[data-testid=report-screen][data-status=ready]').waitFor();
    // Counted once the screen has settled: cards below the fold follow the first frame.
    await page.getByTestId('findings-panel').waitFor();
    const before = await page.getByTestId('account-card').count();
    await page.getByTestId('tab-actions').click();
    await page.getByTestId('action-filter').click();
    const dialog = page.getByTestId('filter-dialog');
    await dialog.waitFor();
    const exclude = dialog.locator('input[data-testid^="exclude-"]').first();
    const excludedId = ((await exclude.getAttribute('data-testid')) ?? '').replace(/^exclude-/, '');
    expect(excludedId).not.toBe('');
    await exclude.check();
    await page.getByTestId('filter-submit').click();
    await page.waitForFunction((parent) => !location.hash.includes(parent), reportId);
    await page.locator('[data-testid=report-screen][data-status=ready]').waitFor();
    expect(await page.getByTestId('report-kind').textContent()).toBe('Filtered');
    await page.getByTestId('findings-panel').waitFor();
    expect(await page.getByTestId('account-card').count()).toBe(before - 1);
    expect(await page.locator(`[data-testid=account-card][data-account-id="${excludedId}"]`).count()).toBe(0);
    await shot('report-filtered');
  });

  test('audit copy for Fannie Mae: created, listed, and its token goes to the clipboard, never onto the page', async () => {
    await page.evaluate((id) => void (location.hash = `#/reports/${id}`), reportId);
    await page.locator('[data-testid=report-screen][data-status=ready]').waitFor();
    await page.getByTestId('tab-actions').click();
    await page.getByTestId('audit-copies').waitFor();
    await page.getByTestId('auditor-select').selectOption('fannie_mae');
    await page.getByTestId('audit-create').click();
    await page.getByTestId('audit-notice').getByText('Audit copy for Fannie Mae created.').waitFor();
    const row = page.getByTestId('audit-copy');
    await row.waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Fannie Mae');

    const clipboardBefore = desk.bridge.clipboard().length;
    await page.getByTestId('audit-copy-token').click();
    await page.getByTestId('audit-notice').getByText('on the clipboard').waitFor();
    const clipboard = desk.bridge.clipboard();
    expect(clipboard).toHaveLength(clipboardBefore + 1);
    auditToken = clipboard.at(-1);
    expect(auditToken).toMatch(/^a-(sandbox|emulator)-/);
    expect(await page.content()).not.toContain(auditToken!);
    expect(await page.locator('body').innerText()).not.toContain(auditToken!);
    await shot('audit-copy', true);
  });

  test('remove: after the officer confirms, the report is removed and shown so in the history', async () => {
    await page.getByTestId('action-remove').click();
    const confirm = page.getByTestId('confirm-dialog');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain('cannot be undone');
    await page.getByTestId('confirm-ok').click();
    await confirm.waitFor({ state: 'detached' });
    await page.waitForFunction((id) => !location.hash.includes(id), reportId);

    await openApplicant('Alberta Charleson');
    const node = page.locator(`[data-report-id="${reportId}"] > .report-node`);
    await node.getByTestId('report-status').getByText('Removed').waitFor();
    expect(await node.getByTestId('open-report').count()).toBe(0);
    // Removing the report revoked its audit copy at Plaid too.
    const copies = await desk.bridge.services.handlers['auditCopies:list']({ reportId });
    expect(copies.every((copy) => copy.removedAt !== null)).toBe(true);
    await shot('report-removed', true);
  });

  test('keyboard: every main screen is reached with Tab and Enter, with a visible focus ring', async () => {
    await page.getByTestId('nav-loans').click();
    await page.getByTestId('pipeline-table').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());

    const screens: [string, string][] = [
      ['nav-reports', 'reports-screen'],
      ['nav-settings', 'settings-screen'],
      ['nav-loans', 'pipeline-screen'],
    ];
    for (const [link, screen] of screens) {
      await tabUntil((el) => el.testId === link, link);
      expect(await focusIndicator()).toMatchObject({ testId: link, visible: true });
      await page.keyboard.press('Enter');
      await page.getByTestId(screen).waitFor();
      if (screen === 'settings-screen') {
        await page.getByTestId('credentials-sandbox').waitFor();
        expect(await seriousViolations(page)).toEqual([]);
        await shot('settings', true);
      }
    }
    await page.getByTestId('pipeline-table').waitFor();
    await tabUntil((el) => el.tag === 'A' && el.text === 'Alberta Charleson', 'Alberta Charleson');
    expect((await focusIndicator()).visible).toBe(true);
    await page.keyboard.press('Enter');
    await page.getByTestId('loan-screen').waitFor();

    await tabUntil((el) => el.testId === 'open-report', 'a report');
    expect(await focusIndicator()).toMatchObject({ testId: 'open-report', visible: true });
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=report-screen][data-status=ready]').waitFor();
    await tabUntil((el) => el.testId === 'tab-summary', 'the report’s tabs');
    expect((await focusIndicator()).visible).toBe(true);
    await page.keyboard.press('ArrowRight'); // tabs move with the arrow keys
    expect(await page.getByTestId('tab-transactions').getAttribute('aria-selected')).toBe('true');
    expect((await focusIndicator()).visible).toBe(true);
  });

  test('secret scan: no Plaid token or emulator secret in the page, what it received, or the logs', async () => {
    await recorder.settled();
    const secret = desk.emulator().secret;
    const html = await page.content();
    const events = await recorder.events();
    expect(recorder.bodies.length).toBeGreaterThan(20);
    expect(events.length).toBeGreaterThan(0);
    const known = [secret, auditToken ?? ''];
    // The scan recognises a real token of each kind the story produced (it is not vacuous).
    expect(leaks(auditToken ?? '', { includePublic: false, secrets: [] })).toEqual(['auditCopy']);
    expect(secret.length).toBeGreaterThan(10);
    // Public tokens pass through the page from Link legitimately; nothing else may.
    expect(leaks(html, { includePublic: false, secrets: known })).toEqual([]);
    const received = [...recorder.bodies, ...events].flatMap((body, n) =>
      leaks(body, { includePublic: false, secrets: known }).map((leak) => `${leak} in #${n}: ${body.slice(0, 120)}`),
    );
    expect(received).toEqual([]);
    expect(desk.logLines.length).toBeGreaterThan(0);
    const logged = desk.logLines.flatMap((line) =>
      leaks(line, { includePublic: true, secrets: known }).map((leak) => `${leak}: ${line.slice(0, 200)}`),
    );
    expect(logged).toEqual([]);
  });

  test('the page raised no script errors', () => {
    expect(recorder.errors).toEqual([]);
  });
});
