import type { Page } from 'playwright';
import type { AssetDeskStore } from '../../electron/db';
import { seedApplicant } from '../bench/renderer-seed';
import { seriousViolations } from './support/desk';
import { openSeededPage, type SeededPage } from './support/seeded-page';

/**
 * A failed report can be removed by the officer, from its own screen and from the loan's report list. These were
 * failed before Plaid answered (outcome unknown, no Plaid id): the confirmation says AssetDesk removes them here
 * only and cannot remove a report Plaid may have made; the activity log records the removal.
 */

let page: Page;
let desk: SeededPage | undefined;
let pageErrors: string[] = [];
let loanId: string;
let onScreenId: string;
let inListId: string;

async function failedReport(
  store: AssetDeskStore,
  seeded: Awaited<ReturnType<typeof seedApplicant>>,
  failure: { code: string; message: string } = {
    code: 'OUTCOME_UNKNOWN',
    message: 'Plaid did not answer in time, so AssetDesk cannot tell whether Plaid started this report.',
  },
  plaid?: { plaidReportId: string; reportToken: string },
) {
  const pending = await store.reports.createPending({
    loanId: seeded.loanId,
    applicantId: seeded.applicantId,
    environment: 'emulator',
    kind: 'create',
    parentId: null,
    daysRequested: 61,
    itemIds: [seeded.itemId],
    includeApplicantDetails: false,
  });
  if (plaid) await store.reports.attachPlaid(pending.id, plaid);
  await store.reports.markFailed(pending.id, failure);
  return pending.id;
}

let generationFailedId: string;

beforeAll(async () => {
  desk = await openSeededPage('failed-reports', async (store) => {
    const seeded = await seedApplicant(store);
    loanId = seeded.loanId;
    onScreenId = await failedReport(store, seeded);
    inListId = await failedReport(store, seeded);
    // One Plaid accepted and then could not generate: its ERROR webhook carried no request id.
    generationFailedId = await failedReport(
      store,
      seeded,
      {
        code: 'ASSET_REPORT_GENERATION_FAILED',
        message: 'Plaid could not generate this Asset Report. Try again with fewer days requested.',
      },
      { plaidReportId: 'plaid-report-gen-1', reportToken: 'assets-emulator-gen-1' },
    );
  });
  ({ page, pageErrors } = desk);
});

afterAll(() => desk?.close());

test('the pipeline says a loan whose reports all failed has a failed report, not "No report yet"', async () => {
  await page.evaluate(() => void (location.hash = '#/loans'));
  const row = page.getByTestId('loan-row').filter({ has: page.locator(`a[href="#/loans/${loanId}"]`) });
  await expect.poll(() => row.getByTestId('applicant-status').textContent()).toBe('Failed');
});

test("a failed report's screen shows the ids Plaid support asks for, and only the failure's own advice", async () => {
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), generationFailedId);
  await page.getByTestId('report-failed').waitFor();
  expect(await page.getByTestId('report-failure-ids').textContent()).toBe(
    'ASSET_REPORT_GENERATION_FAILED · Plaid report plaid-report-gen-1',
  );
  const text = await page.getByTestId('report-failed').textContent();
  expect(text).toContain('Try again with fewer days requested.');
  expect(text).not.toContain('Check the borrowers’ linked banks');
});

test("a failed report's screen removes it, after saying AssetDesk cannot remove it at Plaid", async () => {
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), onScreenId);
  await page.getByTestId('report-failed').waitFor();
  await page.getByTestId('remove-failed-report').click();
  const dialog = page.getByTestId('confirm-dialog');
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain('If Plaid did make a report, AssetDesk cannot remove it there.');
  await page.getByTestId('confirm-ok').click();
  await page.locator('[data-testid=report-screen][data-status=removed]').waitFor();
  expect(await page.getByTestId('report-screen').textContent()).toContain('It was removed from AssetDesk');
  expect(await seriousViolations(page)).toEqual([]);
});

test("the loan's report list removes a failed row, and the activity log records it", async () => {
  await page.evaluate((id) => void (location.hash = `#/loans/${encodeURIComponent(id)}`), loanId);
  const row = page.locator(`[data-testid=report-node][data-report-id="${inListId}"]`);
  await row.waitFor();
  // The report removed on its screen has no remove action any more.
  expect(await page.locator(`[data-report-id="${onScreenId}"] [data-testid=remove-failed-report]`).count()).toBe(0);
  await row.getByTestId('remove-failed-report').click();
  await page.getByTestId('confirm-ok').click();
  await page
    .locator(`[data-report-id="${inListId}"] [data-testid=remove-failed-report]`)
    .waitFor({ state: 'detached' });
  await page.locator('[data-testid=activity-entry][data-action=report_removed]').nth(1).waitFor();
  expect(await page.getByTestId('activity-section').textContent()).toContain(
    'Failed report removed from AssetDesk (not at Plaid)',
  );
  expect(pageErrors).toEqual([]);
});
