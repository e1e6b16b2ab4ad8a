import type { Page } from 'playwright';
import type { WebBridge } from '../../electron/dev/web-bridge';
import { createKeychainVault } from '../../electron/services/vault';
import type { EventSink } from '../../shared/ipc/contract';
import { FAKE_CLIENT_ID, FAKE_SECRET } from '../helpers/fake-tokens';
import { seriousViolations } from './support/desk';
import { openSeededPage, type SeededPage } from './support/seeded-page';
import {
  KEYCHAIN_SERVICE,
  renderPdf,
  reportWithTransactions,
  seedApplicant,
  storeReadyReport,
} from '../bench/renderer-seed';

/**
 * A new officer's first-day rough edges (issue 15), in Chromium through the web bridge to the real
 * services over a seeded store: the transactions table's filter boxes (typos and reversed ranges are
 * refused out loud, amounts found however they are written), one date format on every main screen,
 * one title for a report pending and ready, the verified figure explained beside Total assets, focus
 * back on the opener after Esc, a disabled setting that looks disabled, no notice about the report on screen.
 */

let bridge: WebBridge;
let page: Page;
let desk: SeededPage | undefined;
let pageErrors: string[] = [];
let reportId: string;
let applicantId: string;
let loanId: string;
let pendingId: string;
let longNameReportId: string;
const LONG_NAME = 'Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafe';
let events: EventSink | undefined;

const DEPOSIT_ID = 'txn-deposit-7350';

beforeAll(async () => {
  desk = await openSeededPage('filters', async (store, keytar) => {
    const report = reportWithTransactions(2, 40, 90);
    // One $7,350 deposit, the amount the officer searches for in every format.
    const account = report.items[0]!.accounts[1]!;
    account.transactions.push({
      account_id: account.account_id,
      transaction_id: DEPOSIT_ID,
      amount: -7_350,
      date: account.transactions[0]!.date,
      iso_currency_code: 'USD',
      unofficial_currency_code: null,
      original_description: 'MOBILE DEPOSIT CHECK 1042',
      pending: false,
    } as never);
    const seeded = await seedApplicant(store);
    applicantId = seeded.applicantId;
    loanId = seeded.loanId;
    reportId = await storeReadyReport(store, seeded, { report, warnings: [] }, await renderPdf(report));
    // A second report Plaid has not answered yet: its screen is the pending one.
    pendingId = (
      await store.reports.createPending({
        loanId,
        applicantId,
        environment: 'emulator',
        kind: 'create',
        parentId: null,
        daysRequested: 90,
        itemIds: [seeded.itemId],
        includeApplicantDetails: true,
      })
    ).id;
    // Plaid named it: the desk asks after it rather than sending the create again (Plaid would refuse the seed's
    // made-up bank, and a create Plaid refused leaves no report).
    await store.reports.attachPlaid(pendingId, {
      plaidReportId: 'plaid-pending',
      reportToken: 'assets-emulator-pending',
    });
    const longNamed = await seedApplicant(store, 2, {
      lastName: LONG_NAME,
      loanNumber: 'LN-2026-000000000000000000000042',
    });
    const small = reportWithTransactions(1, 5, 30);
    longNameReportId = await storeReadyReport(
      store,
      longNamed,
      { report: small, warnings: [] },
      await renderPdf(small),
      'long-name-report',
    );
    // Sandbox keys already saved (not checked with Plaid, offline here): Sandbox can be chosen in Settings.
    await createKeychainVault({ keytar, service: KEYCHAIN_SERVICE }).saveCredentials('sandbox', {
      clientId: FAKE_CLIENT_ID,
      secret: FAKE_SECRET,
    });
  });
  ({ bridge, page, pageErrors } = desk);
  events = desk.events();
});

afterAll(() => desk?.close());

const count = async () => Number(await page.getByTestId('txn-count').getAttribute('data-count'));
const waitForCount = (n: number) =>
  page.waitForFunction(
    (want) => document.querySelector('[data-testid=txn-count]')?.getAttribute('data-count') === String(want),
    n,
  );

/** The error message a box points at through aria-describedby, or null when the box is not marked invalid. */
async function describedError(testId: string): Promise<string | null> {
  return page.getByTestId(testId).evaluate((input) => {
    if (input.getAttribute('aria-invalid') !== 'true') return null;
    const id = input.getAttribute('aria-describedby');
    return id ? (document.getElementById(id)?.textContent ?? '') : '';
  });
}

/** Every visible text on the page that looks like 2026-11-07 (input values are not text: date inputs keep ISO). */
async function isoDatesShown(): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const parent = node.parentElement;
      if (!parent || parent.closest('script, style, [hidden]') || parent.getClientRects().length === 0) continue;
      const match = node.textContent?.match(/\b\d{4}-\d{2}-\d{2}\b/g);
      if (match) found.push(`${match.join(', ')} in “${node.textContent!.trim().slice(0, 80)}”`);
    }
    return found;
  });
}

async function openTransactions() {
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), reportId);
  await page.getByTestId('tab-transactions').click();
  await page.getByTestId('txn-table').waitFor();
}

test('the $7,350 deposit is found however its amount is typed', async () => {
  await openTransactions();
  const total = await count();
  for (const typed of ['7,350.00', '$7,350', '7350', '7350.00', '-7,350.00', '(7,350.00)', '−$7,350.00']) {
    await page.getByTestId('txn-search').fill(typed);
    await waitForCount(1);
    expect(await page.getByTestId('txn-row').first().textContent(), typed).toContain('MOBILE DEPOSIT CHECK 1042');
  }
  await page.getByTestId('txn-search').fill('');
  await waitForCount(total);
});

test('letters in Min $ are refused with a message the box points at, and the bound is not applied', async () => {
  await openTransactions();
  const total = await count();
  await page.getByTestId('txn-min').fill('abc');
  await page.getByTestId('txn-filter-errors').waitFor();
  expect(await describedError('txn-min')).toBe('Min $ “abc” is not an amount: type dollars, like 250 or 1,250.00.');
  expect(await count()).toBe(total);
  // A good amount takes effect and the message goes.
  await page.getByTestId('txn-min').fill('7,000');
  await page.waitForFunction(() => !document.querySelector('[data-testid=txn-filter-errors]'));
  expect(await describedError('txn-min')).toBeNull();
  expect(await count()).toBeLessThan(total);
  const rows = await page.getByTestId('txn-row').allTextContents();
  expect(rows.some((r) => r.includes('MOBILE DEPOSIT CHECK 1042'))).toBe(true);

  await page.getByTestId('txn-max').fill('12.34.5');
  await page.getByTestId('txn-error-max').waitFor();
  expect(await describedError('txn-max')).toBe('Max $ “12.34.5” is not an amount: type dollars, like 250 or 1,250.00.');
  await page.getByTestId('txn-max').fill('500');
  expect(await describedError('txn-max')).toBe('Max $ is less than Min $: the amount range is not applied.');
  await page.screenshot({ path: 'test-results/screenshots/transactions-filter-errors.png' });
  expect(await count()).toBe(total);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await waitForCount(total);
});

test('a From date after To is flagged on both boxes and the range is not applied', async () => {
  await openTransactions();
  const total = await count();
  await page.getByTestId('txn-from').fill('2026-11-07');
  await page.getByTestId('txn-to').fill('2026-11-01');
  await page.getByTestId('txn-error-from').waitFor();
  const message =
    'From (Nov 7, 2026) is after To (Nov 1, 2026): the date range is not applied. Pick a From date on or before To.';
  expect(await describedError('txn-from')).toBe(message);
  expect(await describedError('txn-to')).toBe(message);
  expect(await count()).toBe(total);
  await page.getByTestId('txn-from').fill('');
  await page.waitForFunction(() => !document.querySelector('[data-testid=txn-filter-errors]'));
  expect(await describedError('txn-to')).toBeNull();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await waitForCount(total);
});

test('no main screen shows a date as YYYY-MM-DD', async () => {
  const shown: Record<string, string[]> = {};
  /** Opens a screen (and a tab), waits for `content` to be drawn, and collects the ISO dates in view. */
  const visit = async (name: string, hash: string, content: string, tab?: string) => {
    await page.evaluate((h) => void (location.hash = h), hash);
    if (tab) await page.getByTestId(tab).click();
    await page.getByTestId(content).first().waitFor();
    shown[name] = await isoDatesShown();
  };
  await visit('applicants', '#/loans', 'loan-row');
  await visit('loan', `#/loans/${loanId}`, 'report-node');
  await visit('reports', '#/reports', 'report-row');
  await visit('report summary', `#/reports/${reportId}`, 'finding', 'tab-summary');
  // Long finding texts are shortened on screen; their full text must read the same way.
  for (const toggle of await page.getByTestId('finding-detail-toggle').all()) await toggle.click();
  shown['report findings, full text'] = await isoDatesShown();
  await page.locator('[data-testid=finding-show]').first().click();
  await page.getByTestId('txn-focus').waitFor();
  shown['transactions behind a finding'] = await isoDatesShown();
  await page.getByRole('button', { name: 'Show all transactions' }).click();
  await visit('report actions', `#/reports/${reportId}`, 'export-pdf', 'tab-actions');
  await visit('settings', '#/settings', 'settings-screen');
  expect(Object.keys(shown)).toHaveLength(8);
  expect(Object.entries(shown).filter(([, dates]) => dates.length > 0)).toEqual([]);
});

test('the pending and the ready report carry the same title, middle name included', async () => {
  const titleOf = async (id: string) => {
    await page.evaluate((h) => void (location.hash = `#/reports/${h}`), id);
    await page.locator(`[data-testid=report-screen][data-status]`).waitFor();
    return page.getByTestId('report-title').textContent();
  };
  const notReady = await titleOf(pendingId);
  expect(await page.getByTestId('report-screen').getAttribute('data-status')).not.toBe('ready');
  expect(notReady).toBe('Asset Report · Alberta Bobbeth Charleson');
  expect(await titleOf(reportId)).toBe(notReady);
});

test('Verified liquid assets says what it counts and why it is not Total assets', async () => {
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), reportId);
  await page.getByTestId('tab-summary').click();
  const note = (await page.getByTestId('verified-explained').textContent())!;
  expect(note).toContain('Total assets adds every asset account at its full balance');
  // The parts it lists add up to the figure shown.
  const money = (text: string) => Number(text.replace(/[$,]/g, ''));
  const counted = /^Counted: (.*?)\. Total assets/.exec(note)![1]!;
  const parts = [...counted.matchAll(/(?:cash|retirement|brokerage|HSA) (\$[\d,.]+)/g)].map((m) => money(m[1]!));
  expect(parts.length).toBeGreaterThan(0);
  const verified = await page
    .getByTestId('funds-to-close')
    .locator('dd')
    .first()
    .evaluate((dd) => dd.firstChild?.textContent ?? '');
  expect(Math.round(parts.reduce((a, b) => a + b, 0) * 100)).toBe(Math.round(money(verified) * 100));
  expect(await page.getByTestId('total-assets-explained').textContent()).toContain('Verified liquid assets');
});

test('Esc closes a dialog and gives focus back to the button that opened it', async () => {
  const focusAfterEsc = async (openerTestId: string) => {
    const opener = page.getByTestId(openerTestId).first();
    await opener.click({ timeout: 5000 });
    await page.locator('dialog[open]').waitFor({ timeout: 5000 });
    await page.keyboard.press('Escape');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    await page.waitForTimeout(50);
    return page.evaluate(
      () => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null,
    );
  };
  const landed: Record<string, string | null> = {};
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), reportId);
  await page.getByTestId('tab-summary').click();
  landed['mark-sourced'] = await focusAfterEsc('mark-sourced');
  await page.getByTestId('tab-actions').click();
  for (const opener of ['action-refresh', 'action-filter', 'action-remove'])
    landed[opener] = await focusAfterEsc(opener);
  await page.evaluate((id) => void (location.hash = `#/loans/${id}`), loanId);
  await page.getByTestId('loan-screen').waitFor();
  for (const opener of [
    'edit-loan',
    'edit-borrower',
    'send-hosted-link',
    'create-report',
    'remove-item',
    'delete-loan',
  ])
    if ((await page.getByTestId(opener).count()) > 0 && (await page.getByTestId(opener).first().isEnabled()))
      landed[opener] = await focusAfterEsc(opener);
  expect(Object.keys(landed).length).toBeGreaterThanOrEqual(6);
  expect(landed).toEqual(Object.fromEntries(Object.keys(landed).map((k) => [k, k])));
});

test('the report already on screen raises no "ready, open it" notice; another report does', async () => {
  const ready = await bridge.services.handlers['reports:summary']({ reportId });
  const progress = (summary: typeof ready, status: 'ready' | 'failed') => ({
    reportId: summary.id,
    loanId: summary.loanId,
    applicantId: summary.applicantId,
    status,
    elapsedMs: 1000,
    summary,
  });
  const toasts = page.getByTestId('toasts');
  // On the report itself: its own "ready" is not announced. The page may still be subscribing: the
  // other report's failure is pushed after it until that shows, so the first event has surely arrived.
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), reportId);
  await page.locator('[data-testid=report-screen][data-status=ready]').waitFor();
  await expect
    .poll(async () => {
      events!.emit('report:progress', progress(ready, 'ready'));
      events!.emit('report:progress', {
        ...progress({ ...ready, id: pendingId, status: 'failed' }, 'failed'),
        message: 'Plaid could not reach the bank.',
      });
      return toasts.getByText('Plaid could not reach the bank.').count();
    })
    .toBeGreaterThan(0);
  expect(await toasts.getByText('An Asset Report is ready.').count()).toBe(0);
  // Elsewhere the same event is announced with a link to the report.
  await page.evaluate(() => void (location.hash = '#/loans'));
  await page.getByTestId('pipeline-screen').waitFor();
  events!.emit('report:progress', progress(ready, 'ready'));
  await toasts.getByText('An Asset Report is ready.').waitFor();
  expect(await toasts.getByRole('link', { name: 'Open it' }).first().getAttribute('href')).toBe(
    `#/reports/${reportId}`,
  );
});

test('a disabled setting looks disabled: "Remove reports after (days)" while reports are kept', async () => {
  await page.evaluate(() => void (location.hash = '#/settings'));
  const days = page.getByTestId('retention-days');
  await days.waitFor();
  const look = () =>
    days.evaluate((input) => {
      const style = getComputedStyle(input);
      const label = getComputedStyle(input.closest('.field')!.querySelector('label')!);
      return { background: style.backgroundColor, color: style.color, cursor: style.cursor, label: label.color };
    });
  const keep = page.getByTestId('retention-off');
  if (await keep.isChecked()) await keep.uncheck();
  const enabled = await look();
  await keep.check();
  expect(await days.isDisabled()).toBe(true);
  const disabled = await look();
  expect(disabled.background).not.toBe(enabled.background);
  expect(disabled.color).not.toBe(enabled.color);
  expect(disabled.label).not.toBe(enabled.label);
  expect(disabled.cursor).toBe('not-allowed');
  expect(await seriousViolations(page)).toEqual([]);
});

test('declining the switch to Sandbox leaves the radios on the environment still in use', async () => {
  await page.evaluate(() => void (location.hash = '#/settings'));
  const sandbox = page.getByTestId('env-sandbox');
  await sandbox.waitFor();
  expect(await sandbox.isDisabled()).toBe(false);
  for (const decline of ['cancel', 'Escape']) {
    await sandbox.check();
    await page.getByTestId('switch-environment').click();
    await page.getByTestId('confirm-dialog').waitFor();
    if (decline === 'cancel') await page.getByTestId('confirm-cancel').click();
    else await page.keyboard.press('Escape');
    await page.getByTestId('confirm-dialog').waitFor({ state: 'detached' });
    expect(await page.getByTestId('env-emulator').isChecked(), decline).toBe(true);
    expect(await sandbox.isChecked(), decline).toBe(false);
    expect(await page.getByTestId('switch-environment').isDisabled(), decline).toBe(true);
  }
  expect(await page.getByTestId('environment-badge').getAttribute('data-environment')).toBe('emulator');
});

test('a long name wraps inside the report heading at 1024 px', async () => {
  await page.setViewportSize({ width: 1024, height: 800 });
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), longNameReportId);
  await page.locator('[data-testid=report-screen][data-status=ready]').waitFor();
  const fit = () =>
    page.getByTestId('report-title').evaluate((h1) => {
      const box = h1.getBoundingClientRect();
      const main = document.querySelector('main')!.getBoundingClientRect();
      return { inside: box.right <= main.right + 0.5, noOverflow: h1.scrollWidth <= h1.clientWidth + 1 };
    });
  expect(await page.getByTestId('report-title').textContent()).toContain(LONG_NAME);
  expect(await fit()).toEqual({ inside: true, noOverflow: true });
  // Nothing else in the header (the long loan number included) runs past the main area either.
  const outside = await page.getByTestId('report-header').evaluate((header) => {
    const right = document.querySelector('main')!.getBoundingClientRect().right + 0.5;
    return [...header.querySelectorAll('*')]
      .filter((el) => el.getBoundingClientRect().right > right)
      .map((el) => el.textContent?.slice(0, 40));
  });
  expect(outside).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('no page errors along the way', () => {
  expect(pageErrors).toEqual([]);
});
