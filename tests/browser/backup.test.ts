import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright';
import { openAssetDeskStore } from '../../electron/db';
import { backupStore } from '../../electron/db/backup';
import { newRecoveryKey, wrapDataKey } from '../../electron/db/recovery';
import { addApplicant as addLoanToStore } from '../helpers/applicant';
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
  await page.getByTestId('toasts').getByText('Restored 1 loan files and 0 reports.').waitFor();
  await page.getByTestId('nav-loans').click();
  await page.getByTestId('pipeline-screen').getByText('LN-BACKED-UP').waitFor();
  expect(await page.getByTestId('pipeline-screen').getByText('LN-AFTER').count()).toBe(0);
});

test('a backup from another computer asks for its recovery key, then restores with it', async () => {
  // The other computer: its own data key and recovery key, one loan, one backup in the folder the
  // officer picks (dated later than the backups above, so it is the one the bridge's "file dialog" picks).
  const other = mkdtempSync(join(tmpdir(), 'assetdesk-other-computer-'));
  const recoveryKey = newRecoveryKey();
  try {
    const dataKey = randomBytes(32);
    const store = await openAssetDeskStore({ file: join(other, 'assetdesk.sqlite'), dataKey });
    await addLoanToStore(store, { loanNumber: 'LN-OTHER-COMPUTER' });
    await store.saveRecoveryWrappedKey(wrapDataKey(dataKey, recoveryKey));
    await backupStore(store, session!.desk.bridge.downloadsDir, new Date(Date.now() + 86_400_000));
    await store.close();
  } finally {
    rmSync(other, { recursive: true, force: true });
  }
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('restore-backup').click();
  await page.getByTestId('confirm-ok').click();
  // This computer's key does not open it: the officer is asked for the backup's recovery key.
  const form = page.getByTestId('restore-recovery-form');
  await form.waitFor();
  await page
    .getByTestId('backup-section')
    .getByText(/made with another data key/)
    .first()
    .waitFor();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByTestId('restore-recovery-key-input').fill(recoveryKey);
  await form.getByRole('button', { name: 'Choose backup file…' }).click();
  await page.getByTestId('toasts').getByText('Restored 1 loan files and 0 reports.').waitFor();
  await form.waitFor({ state: 'detached' });
  await page.getByTestId('nav-loans').click();
  await page.getByTestId('pipeline-screen').getByText('LN-OTHER-COMPUTER').waitFor();
});

test('the page raised no script errors', () => {
  expect(session!.recorder.errors).toEqual([]);
});
