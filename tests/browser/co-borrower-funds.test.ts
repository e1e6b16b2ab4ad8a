import type { AssetReport } from 'plaid';
import type { Page } from 'playwright';
import type { AssetReportGetResult } from '../../shared/asset-report';
import { renderPdf, seedApplicant, storeReadyReport } from '../bench/renderer-seed';
import { report } from '../underwriting/fixtures';
import { seriousViolations } from './support/desk';
import { openSeededPage, type SeededPage } from './support/seeded-page';

/**
 * A couple on one purchase, each with their own report made today: Alberta's checking and their joint account, and
 * Jane's copy of the joint account and her savings. Each report alone is short of the 25,000 the loan needs; the
 * report screen says its figure is the report's alone and shows the loan's, which adds both, the joint account once.
 */

let page: Page;
let desk: SeededPage | undefined;
let pageErrors: string[] = [];
let albertaReport: string;
let janeReport: string;
let secondCoupleReport: string;
let secondJaneReport: string;

/** Our report type as the seeding helpers take it (Plaid's SDK type for the same JSON). */
const asPlaid = (result: AssetReportGetResult) => result as unknown as { report: AssetReport; warnings: unknown[] };

beforeAll(async () => {
  desk = await openSeededPage('co-borrower-funds', async (store) => {
    const today = new Date().toISOString().slice(0, 10);
    const joint = (id: string) => ({ id, mask: '2222', current: 4_000, owners: [['Jane Doe', 'Alberta Charleson']] });
    const alberta = await seedApplicant(store, 0, { fundsToClose: 20_000, reservesNeeded: 5_000 });
    const loan = await store.loans.addBorrower(alberta.loanId, {
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane.doe@example.com',
      phone: '+1 415 555 0143',
    });
    const janeItem = await store.items.add({
      applicantId: loan.borrowers[1]!.id,
      environment: 'emulator',
      plaidItemId: 'item-jane',
      accessToken: 'access-emulator-jane',
      institutionId: 'ins_109508',
      institutionName: 'First Platypus Bank',
      accounts: [],
    });
    const albertas = report({
      id: 'plaid-alberta',
      date: today,
      items: [{ itemId: 'item-0', accounts: [{ id: 'chk-0000', current: 15_000 }, joint('joint-a')] }],
    });
    const janes = report({
      id: 'plaid-jane',
      date: today,
      items: [
        { itemId: 'item-jane', accounts: [joint('joint-j')] },
        {
          itemId: 'item-jane-gingham',
          institutionId: 'ins_109509',
          institutionName: 'First Gingham Credit Union',
          accounts: [{ id: 'sav-1111', subtype: 'savings', current: 9_000, owners: [['Jane Doe']] }],
        },
      ],
    });
    albertaReport = await storeReadyReport(
      store,
      alberta,
      asPlaid(albertas),
      await renderPdf(asPlaid(albertas).report),
    );
    janeReport = await storeReadyReport(
      store,
      { loanId: alberta.loanId, applicantId: loan.borrowers[1]!.id, itemId: janeItem.id },
      asPlaid(janes),
      await renderPdf(asPlaid(janes).report),
    );
    // A second couple: Jane's savings hold an unsourced 5,000 mobile deposit (large against 8,000 a month).
    const second = await seedApplicant(store, 1, {
      lastName: 'Charleson',
      fundsToClose: 10_000,
      reservesNeeded: 5_000,
    });
    const secondLoan = await store.loans.addBorrower(second.loanId, {
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane.doe2@example.com',
      phone: '+1 415 555 0144',
    });
    const janeDeposit = {
      itemId: 'item-jane-2',
      accounts: [
        {
          id: 'sav-2222',
          subtype: 'savings',
          current: 9_000,
          owners: [['Jane Doe']],
          transactions: [{ id: 'dep-jane-2', daysAgo: 6, amount: -5_000, description: 'MOBILE DEPOSIT' }],
        },
      ],
    };
    const [albertas2, janes2] = [
      report({
        id: 'plaid-alberta-2',
        date: today,
        items: [{ itemId: 'item-1', accounts: [{ id: 'chk-1', current: 15_000 }] }],
      }),
      report({ id: 'plaid-jane-2', date: today, items: [janeDeposit] }),
    ];
    secondCoupleReport = await storeReadyReport(
      store,
      second,
      asPlaid(albertas2),
      await renderPdf(asPlaid(albertas2).report),
    );
    const janeItem2 = await store.items.add({
      applicantId: secondLoan.borrowers[1]!.id,
      environment: 'emulator',
      plaidItemId: 'item-jane-2',
      accessToken: 'access-emulator-jane-2',
      institutionId: 'ins_109509',
      institutionName: 'First Gingham Credit Union',
      accounts: [],
    });
    secondJaneReport = await storeReadyReport(
      store,
      { loanId: second.loanId, applicantId: secondLoan.borrowers[1]!.id, itemId: janeItem2.id },
      asPlaid(janes2),
      await renderPdf(asPlaid(janes2).report),
    );
  });
  ({ page, pageErrors } = desk);
});
afterAll(() => desk?.close());

async function openReport(id: string): Promise<void> {
  await page.evaluate(() => void (location.hash = '#/loans'));
  await page.getByTestId('pipeline-screen').waitFor();
  await page.evaluate((reportId) => void (location.hash = `#/reports/${reportId}`), id);
  await page.getByTestId('loan-funds-surplus').waitFor();
}

const fundsFinding = () => page.locator('[data-testid=finding][data-rule=funds_to_close]').first();

test("each report shows its own shortfall as its alone, and the loan's surplus over both", async () => {
  // Alberta's report: 15,000 + 4,000 = 19,000 against 20,000 + 5,000 = 25,000, short 6,000.
  await openReport(albertaReport);
  expect(await page.getByTestId('available-funds').textContent()).toBe('$19,000.00');
  expect(await page.getByTestId('funds-surplus').textContent()).toBe('$6,000.00');
  expect(await page.getByTestId('funds-to-close').locator('dt').allTextContents()).toEqual(
    expect.arrayContaining(['Shortfall, this report alone', 'Loan surplus']),
  );
  // Both reports: 15,000 + 4,000 (the joint account once) + 9,000 = 28,000 against 25,000: 3,000 to spare
  // (counted twice, the joint account would make it 32,000 and 7,000).
  expect(await page.getByTestId('loan-funds-surplus').textContent()).toMatch(/^\$3,000\.00/);
  expect(await page.getByTestId('loan-funds-explained').textContent()).toBe(
    "$28,000.00 available in this report and the loan's other current report, each account once",
  );
  expect(await fundsFinding().getAttribute('data-severity')).toBe('info');
  expect(await fundsFinding().locator('.rp-finding-title').textContent()).toBe(
    'Short $6,000.00 for funds to close and reserves with this report alone; covered with the loan’s other reports',
  );
  expect(await seriousViolations(page)).toEqual([]);

  // Jane's report: 4,000 + 9,000 = 13,000, short 12,000 alone; the loan's figure is the same 3,000 to spare.
  await openReport(janeReport);
  expect(await page.getByTestId('funds-surplus').textContent()).toBe('$12,000.00');
  expect(await page.getByTestId('loan-funds-surplus').textContent()).toMatch(/^\$3,000\.00/);
  expect(pageErrors).toEqual([]);
});

test("the loan's figure says it is after the other report's unsourced deposits", async () => {
  // Alberta's 15,000 and Jane's 9,000, less Jane's unsourced 5,000: 19,000 against 10,000 + 5,000, 4,000 to spare.
  await openReport(secondCoupleReport);
  expect(await page.getByTestId('available-funds').textContent()).toBe('$15,000.00');
  expect(await page.getByTestId('loan-funds-surplus').textContent()).toMatch(/^\$4,000\.00/);
  // Before: '$19,000.00 available in …, each account once', which does not add up from 15,000 and 9,000.
  expect(await page.getByTestId('loan-funds-explained').textContent()).toBe(
    "$19,000.00 available in this report and the loan's other current report, each account once, after $5,000.00 of unsourced large deposits",
  );
  expect(pageErrors).toEqual([]);
});

test('a finding whose text is cut short offers the rest of it, not a list', async () => {
  // Jane's own figure, the deposit's note and the loan's: more than the panel lays out at first.
  await openReport(secondJaneReport);
  const toggle = fundsFinding().getByTestId('finding-detail-toggle');
  expect(await fundsFinding().locator('.rp-finding-detail').textContent()).not.toContain('$4,000.00 to spare');
  // Before: 'Show the full list', for a few sentences with no list in them.
  expect(await toggle.textContent()).toBe('Show the rest');
  await toggle.click();
  expect(await fundsFinding().locator('.rp-finding-detail').textContent()).toContain('covered, $4,000.00 to spare.');
  expect(await toggle.textContent()).toBe('Show less');
});
