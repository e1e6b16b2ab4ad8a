import type { Page } from 'playwright';
import { addApplicant, openDeskPage, seriousViolations, type DeskSession } from './support/desk';

/**
 * Issue 14 at the desk: the first-run recovery key, a backup from Settings, the reminder, and a restore
 * that brings back exactly what was backed up — through the real UI and the real main-process services.
 */
let session: DeskSession | undefined;
let page: Page;

beforeAll(async () => {
  session = await openDeskPage('backup');
  page = session.page;
});
afterAll(() => session?.close());

test('first run: the officer is asked to keep a recovery key, shown once, printable', async () => {
  const banner = page.getByTestId('recovery-key-banner');
  await banner.waitFor();
  await page.getByTestId('show-recovery-key').click();
  const key = await page.getByTestId('recovery-key').textContent();
  expect(key).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('recovery-key-saved').click();
  await banner.waitFor({ state: 'detached' });
  // Not in anything the page was sent except that one answer: the settings say only that one is kept.
  await page.getByTestId('nav-settings').click();
  await page
    .getByTestId('recovery-key-state')
    .getByText(/A recovery key was made and kept/)
    .waitFor();
});

test('with history and no backup the reminder shows; a backup clears it', async () => {
  await addApplicant(page, {
    firstName: 'Bea',
    lastName: 'Backup',
    loanNumber: 'LN-BACKED-UP',
    income: '8000',
    fundsToClose: '20000',
  });
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('backup-due').waitFor();
  await page.getByTestId('last-backup').getByText('No backup made yet.').waitFor();
  await page.getByTestId('backup-now').click();
  await page
    .getByTestId('toasts')
    .getByText(/Backup saved: .*AssetDesk-backup-/)
    .waitFor();
  await page
    .getByTestId('last-backup')
    .getByText(/Last backup/)
    .waitFor();
  expect(await page.getByTestId('backup-due').count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test('restore, asked first, brings back the backed-up history', async () => {
  await addApplicant(page, {
    firstName: 'Al',
    lastName: 'After',
    loanNumber: 'LN-AFTER',
    income: '8000',
    fundsToClose: '20000',
  });
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('restore-backup').click();
  await page.getByTestId('confirm-ok').click();
  await page.getByTestId('toasts').getByText('Restored 1 applicants and 0 reports.').waitFor();
  await page.getByTestId('nav-applicants').click();
  await page.getByTestId('applicants-screen').getByText('LN-BACKED-UP').waitFor();
  expect(await page.getByTestId('applicants-screen').getByText('LN-AFTER').count()).toBe(0);
});

test('the page raised no script errors', () => {
  expect(session!.recorder.errors).toEqual([]);
});
