import type { Page } from 'playwright';
import { renderPdf, seedApplicant, storeReadyReport } from '../bench/renderer-seed';
import { buildAssetReport } from '../emulator/pdf-fixture';
import { seriousViolations } from './support/desk';
import { openSeededPage, type SeededPage } from './support/seeded-page';

/**
 * A purchase (5,000 to close + 1,000 reserves) whose report holds Alberta's checking (1,000) and a savings account
 * she holds as trustee (20,000). The trust money is not counted until the officer records the trust documents on the
 * accounts not counted; then it is, and the file is covered.
 */
let page: Page;
let desk: SeededPage | undefined;
let reportId: string;

beforeAll(async () => {
  desk = await openSeededPage('trust-account', async (store) => {
    const report = buildAssetReport({ accounts: 2, transactionsPerAccount: 0, days: 90 });
    const [checking, trust] = report.items[0]!.accounts;
    const setBalance = (account: typeof checking, current: number) => {
      account!.balances = { ...account!.balances, current, available: current };
      account!.historical_balances = account!.historical_balances.map((row) => ({ ...row, current }));
    };
    setBalance(checking, 1000);
    setBalance(trust, 20_000);
    Object.assign(trust!, {
      name: 'Trust Savings',
      subtype: 'savings',
      ownership_type: 'trust',
      owners: [{ ...trust!.owners[0]!, names: ['Alberta Bobbeth Charleson TTEE'] }],
    });
    const seeded = await seedApplicant(store, 0, { fundsToClose: 5000, reservesNeeded: 1000 });
    reportId = await storeReadyReport(store, seeded, { report, warnings: [] }, await renderPdf(report));
  });
  page = desk.page;
}, 240_000);
afterAll(() => desk?.close());

const trustRow = () => page.locator('[data-testid=not-counted-account]', { hasText: 'Trust Savings' });

test('the trust account is not counted until its trust documents are recorded', async () => {
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), reportId);
  await page.getByTestId('findings-panel').waitFor();
  await trustRow().waitFor();
  expect(await trustRow().textContent()).toContain('Held in trust');
  expect(await page.getByTestId('available-funds').textContent()).toBe('$1,000.00');
  const held = page.locator('[data-testid=finding][data-rule=ownership][data-severity=attention]', {
    hasText: 'Held in trust: 1 account',
  });
  expect(await held.count()).toBe(1);

  await trustRow().getByTestId('confirm-ownership').click();
  const dialog = page.getByTestId('confirm-account-dialog');
  await dialog.waitFor();
  expect(await dialog.textContent()).toContain('Trust documents: Trust Savings ••1001');
  expect(await dialog.textContent()).toContain(
    "Which trust documents show the account's value and that the borrower can withdraw it?",
  );
  await page.getByTestId('confirm-account-note').fill('Certification of trust: Alberta is trustee, full withdrawal');
  await page.getByTestId('confirm-account-save').click();
  await dialog.waitFor({ state: 'detached' });

  // The findings follow when the analysis has run again: counted, 21,000 against 6,000.
  await expect.poll(() => trustRow().count()).toBe(0);
  await expect.poll(() => page.getByTestId('available-funds').textContent()).toBe('$21,000.00');
  // Checks that passed are folded away until shown.
  await page.getByRole('button', { name: /^Show \d+ checks? that passed$/ }).click();
  const recorded = page.locator('[data-testid=finding][data-rule=ownership][data-severity=ok]', {
    hasText: 'Held in trust, documents recorded: 1 account',
  });
  await expect.poll(() => recorded.count()).toBe(1);
  expect(await held.count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
  expect(desk?.pageErrors).toEqual([]);
});
