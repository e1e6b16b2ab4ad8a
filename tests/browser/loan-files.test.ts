import type { Page } from 'playwright';
import { analyzeInContext, buildAnalysisContext } from '../../shared/underwriting';
import type { AssetReportGetResult } from '../../shared/asset-report';
import { addApplicant as addLoanToStore } from '../helpers/applicant';
import {
  OFFICER_PIN,
  SCREENSHOTS,
  addApplicant,
  chooseBank,
  emulatorLink,
  finishLink,
  logIn,
  loanIdOf,
  openDeskPage,
  returnToOfficer,
  seriousViolations,
  type Desk,
  type DeskSession,
} from './support/desk';

/**
 * Issue 15, a two-borrower purchase through the real UI: the loan is opened with both borrowers, each
 * links their own bank in the hand-off mode (whose lock holds until the officer's PIN), one combined
 * report is made, the co-borrower's joint account counts as owned and funds to close adds both
 * borrowers' accounts; then the pipeline finds and sorts the loan.
 */

let session: DeskSession | undefined;
let desk: Desk;
let page: Page;
let loanId: string;
let reportId: string;
let plaidReportId: string;

const LOAN_NUMBER = 'LN-2026-0715';
const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}/loan-files-${name}.png`, fullPage: true });
const handlers = () => desk.bridge.services.handlers;
const usd = (n: number) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }).format(n);

beforeAll(async () => {
  session = await openDeskPage('loan-files');
  ({ desk, page } = session);
});
afterAll(() => session?.close());

/** A borrower links one bank in their own mode; the officer's PIN returns to the loan screen. */
async function linkInHandoff(index: number, bank: { search: string; id: string; username: string }): Promise<void> {
  await page.getByTestId(`borrower-section-${index}`).getByTestId('hand-to-applicant').click();
  await page.getByTestId('link-start').click();
  const link = emulatorLink(page);
  await chooseBank(link, bank.search, bank.id);
  await logIn(link, bank.username, 'pass_good');
  await finishLink(link);
  await page.getByTestId('link-success').waitFor();
}

/** One one-borrower loan straight in the store with a ready report generated on `generatedOn`. */
async function seedLoanWithReport(
  name: { firstName: string; lastName: string },
  loanNumber: string,
  generatedOn: string,
) {
  const store = desk.app.internals.store()!;
  const borrower = await addLoanToStore(store, { ...name, loanNumber });
  const item = await store.items.add({
    applicantId: borrower.id,
    environment: 'emulator',
    plaidItemId: `item-${loanNumber}`,
    accessToken: `access-emulator-${loanNumber}`,
    institutionId: 'ins_109509',
    institutionName: 'First Gingham Credit Union',
    accounts: [],
  });
  const pending = await store.reports.createPending({
    loanId: borrower.loanId,
    applicantId: borrower.id,
    environment: 'emulator',
    kind: 'create',
    parentId: null,
    daysRequested: 61,
    itemIds: [item.id],
    includeApplicantDetails: true,
  });
  await store.reports.attachPlaid(pending.id, {
    plaidReportId: `plaid-${loanNumber}`,
    reportToken: `assets-emulator-${pending.id}`,
  });
  await store.reports.markReady(pending.id, {
    reportJson: JSON.stringify({ report: { items: [] }, warnings: [] }),
    pdf: new Uint8Array([37, 80, 68, 70]),
    summary: { totalBalance: 1000, accountCount: 1, earliestHistoryDate: null },
    readyAt: new Date().toISOString(),
    generatedOn,
  });
  return borrower.loanId;
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

describe('a two-borrower purchase', () => {
  test('the officer opens the loan with two borrowers; a taken loan number offers the existing file', async () => {
    loanId = await addApplicant(page, {
      firstName: 'Alberta',
      lastName: 'Charleson',
      loanNumber: LOAN_NUMBER,
      income: '7,350.00',
      fundsToClose: '40,000',
      coBorrowers: [{ firstName: 'Jane', lastName: 'Smith', phone: '(212) 555-0177' }],
    });
    expect(await page.getByTestId('loan-borrowers').textContent()).toBe('Alberta Charleson & Jane Smith');
    expect(await page.getByTestId('borrower-section-0').getByRole('heading', { level: 2 }).textContent()).toBe(
      'Alberta Charleson',
    );
    expect(await page.getByTestId('borrower-section-1').getByRole('heading', { level: 2 }).textContent()).toBe(
      'Jane Smith',
    );
    // Nothing linked yet: handing over is the next step, the report is not.
    expect(await page.getByTestId('hand-to-applicant').first().getAttribute('class')).toContain('primary');
    expect(await page.getByTestId('create-report').isDisabled()).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('loan-new');

    // The same loan number again: the form names the existing file and opens it.
    await page.getByTestId('nav-loans').click();
    await page.getByTestId('new-loan').click();
    await page.getByTestId('loan-form').waitFor();
    await page.getByTestId('field-loanNumber').fill(LOAN_NUMBER.toLowerCase());
    await page.getByTestId('field-loanNumber').blur();
    const duplicate = page.getByTestId('duplicate-loan');
    await duplicate.waitFor();
    expect(await duplicate.textContent()).toContain(
      `Loan ${LOAN_NUMBER} already exists (Alberta Charleson & Jane Smith)`,
    );
    // Messages name the fields as labelled, co-borrowers by their place.
    await page.getByTestId('add-co-borrower').click();
    await page.getByTestId('borrower-1').getByTestId('field-phone').fill('555-0100');
    await page.getByTestId('save-loan').click();
    await page.getByTestId('borrower-1').getByTestId('error-phone').waitFor();
    expect(await page.getByTestId('borrower-1').getByTestId('error-phone').textContent()).toBe(
      'Co-borrower 1: Enter the phone number with its area code, like (415) 555-0134 or +1 415 555 0134',
    );
    expect(await page.getByTestId('borrower-0').getByText('First name is required').count()).toBe(1);
    expect(await page.getByTestId('borrower-0').getByTestId('field-firstName').getAttribute('maxlength')).toBe('100');
    expect(await seriousViolations(page)).toEqual([]);
    // Opening the existing file is the officer's choice: the unsaved form goes without asking.
    await page.getByTestId('open-existing-loan').click();
    await page.getByTestId('loan-screen').waitFor();
    expect(loanIdOf(page)).toBe(loanId);
  });

  test('each borrower links their own bank in the hand-off mode; the lock holds until the PIN', async () => {
    await linkInHandoff(0, { search: 'First Platypus', id: 'ins_109508', username: 'user_good' });
    expect(await page.getByTestId('link-person').textContent()).toBe('Alberta Charleson');
    await returnToOfficer(page);
    await page.getByTestId('borrower-section-0').getByTestId('item-row').waitFor();
    // Banks linked: the report is the next step now.
    expect(await page.getByTestId('create-report').getAttribute('class')).toContain('primary');
    expect(await page.getByTestId('hand-to-applicant').first().getAttribute('class')).not.toContain('primary');

    await page.getByTestId('borrower-section-1').getByTestId('hand-to-applicant').click();
    await page.getByTestId('link-greeting').waitFor();
    expect(await page.getByTestId('link-greeting').textContent()).toBe('Hello, Jane Smith');
    // Only Jane's screen: nothing of the loan, the other borrower or the desk.
    const text = (await page.locator('body').textContent()) ?? '';
    expect(text).not.toContain('Alberta');
    expect(text).not.toContain(LOAN_NUMBER);
    expect(await page.getByTestId('nav').count()).toBe(0);
    // A typed address comes back to her screen; the main process refuses the desk's calls.
    await page.evaluate(() => void (location.hash = '#/loans'));
    await expect.poll(() => page.url()).toContain('#/link/');
    expect(await page.getByTestId('pipeline-screen').count()).toBe(0);
    await expect(handlers()['loans:list']({})).rejects.toMatchObject({ code: 'FORBIDDEN_SENDER' });
    // Her own loan file is readable (for her name and banks); any other is not.
    const otherLoan = await seedLoanWithReport({ firstName: 'Rosa', lastName: 'Diaz' }, 'LN-LOCKED-OUT', daysAgo(1));
    await expect(handlers()['loans:get']({ loanId: otherLoan })).rejects.toMatchObject({ code: 'FORBIDDEN_SENDER' });
    // A wrong PIN keeps her screen.
    await page.getByTestId('return-to-officer').click();
    await page.getByTestId('officer-pin').fill('0000');
    await page.getByTestId('officer-pin-submit').click();
    await page.getByTestId('officer-pin-dialog').getByText('That PIN is not right.').waitFor();
    await page.getByTestId('officer-pin-cancel').click();
    expect(await page.getByTestId('link-mode').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('handoff-co-borrower');

    await page.getByTestId('link-start').click();
    const link = emulatorLink(page);
    await chooseBank(link, 'Tartan', 'ins_109511');
    await logIn(link, 'user_joint', 'pass_good');
    await finishLink(link);
    await page.getByTestId('link-success').waitFor();
    await page.getByTestId('link-done').click();
    await page.getByTestId('officer-pin').fill(OFFICER_PIN);
    await page.getByTestId('officer-pin-submit').click();
    await page.getByTestId('loan-screen').waitFor();
    expect(loanIdOf(page)).toBe(loanId);

    const banks = (i: number) =>
      page.getByTestId(`borrower-section-${i}`).getByTestId('item-row').locator('.item-name').allTextContents();
    await page.getByTestId('borrower-section-1').getByTestId('item-row').waitFor();
    expect(await banks(0)).toEqual(['First Platypus Bank']);
    expect(await banks(1)).toEqual(['Tartan Bank']);
    expect(await page.getByTestId('borrower-section-1').getByTestId('item-row').textContent()).toContain(
      'Joint Checking ••0000',
    );

    // Handed the computer again, Alberta sees her own bank, not Jane's.
    await page.getByTestId('borrower-section-0').getByTestId('hand-to-applicant').click();
    await page.getByTestId('borrower-banks').waitFor();
    expect(await page.getByTestId('borrower-banks').getByTestId('linked-bank').allTextContents()).toEqual([
      expect.stringContaining('First Platypus Bank'),
    ]);
    expect(await page.locator('body').textContent()).not.toContain('Tartan');
    await returnToOfficer(page, 'return-to-officer');
  });

  test('one combined report: the co-borrower’s joint account counts as owned and funds to close adds both', async () => {
    await page.getByTestId('create-report').click();
    const dialog = page.getByTestId('create-report-dialog');
    await dialog.waitFor();
    // Grouped by borrower, every linked bank chosen: a combined report.
    expect(await dialog.getByTestId('report-borrower-group').locator('legend').allTextContents()).toEqual([
      'Alberta Charleson’s banks',
      'Jane Smith’s banks',
    ]);
    const checked = () => dialog.locator('input[type=checkbox][data-testid^=item-checkbox-]:checked').count();
    expect(await checked()).toBe(2);
    // Or one borrower's banks only, and back to every borrower's.
    const jane = (await handlers()['loans:get']({ loanId })).loan.borrowers[1]!;
    // The chosen preset looks chosen (aria-pressed alone showed nothing on screen).
    const looks = (testId: string) =>
      dialog.getByTestId(testId).evaluate((button) => {
        const style = getComputedStyle(button);
        return `${style.backgroundColor} ${style.borderColor}`;
      });
    const chosenLook = await looks('scope-all');
    expect(chosenLook).not.toBe(await looks(`scope-${jane.id}`));
    await dialog.getByTestId(`scope-${jane.id}`).click();
    expect(await looks(`scope-${jane.id}`)).toBe(chosenLook);
    expect(await looks('scope-all')).not.toBe(chosenLook);
    expect(await checked()).toBe(1);
    expect(await dialog.getByTestId('report-borrower-group').nth(1).locator('input:checked').count()).toBe(1);
    await dialog.getByTestId('scope-all').click();
    expect(await checked()).toBe(2);
    expect(await dialog.getByText('A purchase loan needs at least 61 days.').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByTestId('create-report-submit').click();
    await page.locator('[data-testid=report-screen][data-status=ready]').waitFor({ timeout: 30_000 });
    await page.getByTestId('findings-panel').waitFor();
    reportId = decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
    plaidReportId = (await page.getByTestId('report-id').textContent()) ?? '';
    expect(await page.getByTestId('report-header').locator('h1').textContent()).toBe(
      'Asset Report · Alberta Charleson & Jane Smith',
    );

    // Both banks are in the one report.
    const institutions = await page.locator('[data-testid=account-card] .rp-institution').allTextContents();
    expect(new Set(institutions)).toEqual(new Set(['First Platypus Bank', 'Tartan Bank']));
    // The joint accounts name John and Jane Smith: Jane is on the loan, so they are hers, not "someone else's".
    const joint = page.locator('[data-testid=account-card]', { hasText: 'Joint Checking' });
    expect(await joint.getByTestId('owners').textContent()).toContain('Jane Alana Smith');
    expect(await joint.getByTestId('badge-joint').count()).toBe(1);
    expect(await page.locator('[data-testid=account-card] [data-testid=badge-name_mismatch]').count()).toBe(0);
    expect(await page.locator('[data-testid=finding][data-rule=ownership][data-severity=attention]').count()).toBe(0);

    // Funds to close: the screen's figure is the analysis with both borrowers, and more than the primary's alone.
    const { contentJson } = await handlers()['reports:get']({ reportId });
    const content = JSON.parse(contentJson) as AssetReportGetResult;
    const { loan } = await handlers()['loans:get']({ loanId });
    const settings = await handlers()['settings:get']({});
    const assetClasses = await handlers()['underwriting:getSettings']({});
    const analyse = (borrowers: typeof loan.borrowers) =>
      analyzeInContext(
        content,
        buildAnalysisContext({
          loan: { ...loan, borrowers },
          settings: {
            ...assetClasses,
            largeDepositShare: settings.largeDepositShare,
            documentAgeRule: settings.documentAgeRule,
          },
          now: new Date(),
        }),
      ).fundsToClose.availableFunds;
    const both = analyse(loan.borrowers);
    const primaryOnly = analyse(loan.borrowers.slice(0, 1));
    expect(both).toBeGreaterThan(primaryOnly);
    expect(await page.getByTestId('available-funds').textContent()).toBe(usd(both));
    expect(await seriousViolations(page)).toEqual([]);
    await shot('combined-report');
  });

  test('the loan screen lists the report and the activity, newest first, in plain words', async () => {
    await page.evaluate((id) => void (location.hash = `#/loans/${id}`), loanId);
    await page.getByTestId('loan-screen').waitFor();
    expect(await page.getByTestId('report-borrowers').first().textContent()).toBe('Alberta Charleson & Jane Smith');
    const entries = page.getByTestId('activity-entry');
    await page.locator('[data-testid=activity-entry][data-action=report_ready]').waitFor();
    const actions = await entries.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
    // Newest first: the report after the links, the links after the loan was opened.
    expect(actions.indexOf('report_ready')).toBeLessThan(actions.indexOf('item_linked'));
    expect(actions.indexOf('item_linked')).toBeLessThan(actions.indexOf('loan_created'));
    const linked = page.locator('[data-testid=activity-entry][data-action=item_linked]');
    expect(await linked.allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('Bank linked at Tartan BankJane Smith'),
        expect.stringContaining('Bank linked at First Platypus BankAlberta Charleson'),
      ]),
    );
    expect(await page.locator('[data-testid=activity-entry][data-action=loan_created]').textContent()).toContain(
      'Loan file opened with 2 borrowers',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await shot('loan-screen');
  });

  test('the loan screen edits the terms, the note date and the borrowers', async () => {
    await page.getByTestId('edit-loan').click();
    const terms = page.getByTestId('loan-terms-dialog');
    await terms.waitFor();
    await terms.getByTestId('field-loanPurpose').selectOption('cash_out_refinance');
    await terms.getByTestId('field-street').fill('12 Main St');
    await terms.getByTestId('field-city').fill('Springfield');
    await terms.getByTestId('field-state').selectOption('IL');
    await terms.getByTestId('field-zip').fill('6270');
    expect(await terms.getByTestId('field-street').getAttribute('maxlength')).toBe('120');
    await page.getByTestId('save-loan-terms').click();
    await terms.getByTestId('error-zip').waitFor();
    expect(await terms.getByTestId('error-zip').textContent()).toBe(
      'ZIP code must be 5 digits (or ZIP+4, like 94107-1234)',
    );
    expect(await seriousViolations(page)).toEqual([]);
    await terms.getByTestId('field-zip').fill('62701');
    await page.getByTestId('save-loan-terms').click();
    await terms.waitFor({ state: 'detached' });
    await page.getByTestId('loan-property').getByText('12 Main St, Springfield, IL 62701').waitFor();
    expect(await page.getByTestId('loan-screen').locator('dl.facts').first().textContent()).toContain(
      'Cash-out refinance',
    );

    // The expected note date is the loan's, set here (and on the report screen) through the loan.
    const inThirtyDays = new Date(Date.now() + 30 * 86_400_000);
    const noteDate = `${inThirtyDays.getFullYear()}-${String(inThirtyDays.getMonth() + 1).padStart(2, '0')}-${String(inThirtyDays.getDate()).padStart(2, '0')}`;
    await page.getByTestId('note-date-input').fill(noteDate);
    await page.getByTestId('note-date-save').click();
    await page.getByTestId('note-date-clear').waitFor();
    expect((await handlers()['loans:get']({ loanId })).loan.expectedNoteDate).toBe(noteDate);

    // A third borrower joins and, with no banks in a report, leaves again.
    await page.getByTestId('add-co-borrower').click();
    const dialog = page.getByTestId('borrower-dialog');
    await dialog.waitFor();
    await dialog.getByTestId('field-firstName').fill('Sam');
    await dialog.getByTestId('field-lastName').fill('Lee');
    await dialog.getByTestId('field-email').fill('sam.lee@example.com');
    await dialog.getByTestId('field-phone').fill('415.555.0199');
    await dialog.getByTestId('field-ssn').fill('666123456');
    await page.getByTestId('save-borrower').click();
    await dialog.getByTestId('error-ssn').waitFor();
    expect(await dialog.getByTestId('error-ssn').textContent()).toBe(
      'Co-borrower 2: Social Security number can’t start with 666; check the number',
    );
    await dialog.getByTestId('field-ssn').fill('');
    await page.getByTestId('save-borrower').click();
    await dialog.waitFor({ state: 'detached' });
    const third = page.getByTestId('borrower-section-2');
    await third.waitFor();
    expect(await third.getByRole('heading', { level: 2 }).textContent()).toBe('Sam Lee');
    expect(await third.textContent()).toContain('(415) 555-0199');
    expect(await page.getByTestId('loan-borrowers').textContent()).toBe('Alberta Charleson, Jane Smith & Sam Lee');
    await third.getByTestId('remove-borrower').click();
    await page.getByTestId('confirm-ok').click();
    await third.waitFor({ state: 'detached' });
    expect(await page.getByTestId('loan-borrowers').textContent()).toBe('Alberta Charleson & Jane Smith');
    await page.locator('[data-testid=activity-entry][data-action=borrower_removed]').waitFor();
    expect(await page.locator('[data-testid=activity-entry][data-action=borrower_removed]').textContent()).toContain(
      'Co-borrower removed: Sam Lee',
    );
    expect(await page.locator('[data-testid=activity-entry][data-action=loan_updated]').count()).toBe(2);
  });

  test('a co-borrower whose banks are in a report stays; the main side says why', async () => {
    await page.getByTestId('borrower-section-1').getByTestId('remove-borrower').click();
    await page.getByTestId('confirm-ok').click();
    await page
      .getByTestId('toasts')
      .getByText('Jane Smith’s banks are in 1 report on this loan.', { exact: false })
      .waitFor();
    expect(await page.getByTestId('borrower-section-1').count()).toBe(1);
  });
});

describe('the pipeline', () => {
  let nunezLoan: string;
  let olderLoan: string;

  beforeAll(async () => {
    nunezLoan = await seedLoanWithReport({ firstName: 'José', lastName: 'Ñúñez-O’Brien' }, 'LN-2026-0001', daysAgo(60));
    olderLoan = await seedLoanWithReport({ firstName: 'Grace', lastName: 'Okafor' }, 'LN-2026-0002', daysAgo(30));
  });

  const rowIds = () =>
    page
      .getByTestId('pipeline-table')
      .getByTestId('loan-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-loan-id')));

  async function search(text: string): Promise<(string | null)[]> {
    await page.getByTestId('pipeline-search').fill(text);
    await expect.poll(async () => (await page.getByTestId('loan-count').textContent()) ?? '').not.toBe('');
    // The box is debounced: wait for the answer to this text (the count settles), then read the rows.
    await page.waitForTimeout(400);
    await page.getByTestId('pipeline-screen').locator('[data-testid=loading]').waitFor({ state: 'detached' });
    return page
      .getByTestId('pipeline-table')
      .count()
      .then((n) => (n === 0 ? [] : rowIds()));
  }

  test('shows every loan with its borrowers, dates and report status', async () => {
    await page.getByTestId('nav-loans').click();
    await page.getByTestId('pipeline-screen').waitFor();
    const row = page.locator(`[data-testid=loan-row][data-loan-id="${loanId}"]`);
    await row.waitFor();
    expect(await row.getByTestId('loan-borrowers').textContent()).toBe('Alberta Charleson');
    expect(await row.textContent()).toContain('Jane Smith');
    expect(await row.getByTestId('loan-number').textContent()).toBe(LOAN_NUMBER);
    expect(await row.getByTestId('loan-status').textContent()).toBe('Open');
    expect(await row.getByTestId('refresh-by').textContent()).not.toBe('—');
    expect(await row.getByTestId('plaid-expiry').textContent()).toBe('—');
    expect(await page.getByTestId('sort-lastActivity').locator('..').getAttribute('aria-sort')).toBe('descending');
    expect(await seriousViolations(page)).toEqual([]);
    await shot('pipeline');
  });

  test('search folds accents and case, and reads banks, report ids and amounts', async () => {
    expect(await search('nunez')).toEqual([nunezLoan]);
    expect(await search('ÑÚÑEZ')).toEqual([nunezLoan]);
    expect(await search('ALBERTA charlesón')).toEqual([loanId]);
    expect(await search('jane smith')).toEqual([loanId]);
    expect(await search('Tartan')).toEqual([loanId]);
    expect(await search(plaidReportId)).toEqual([loanId]);
    expect(await search(reportId)).toEqual([loanId]);
    expect(await search('7,350.00')).toEqual([loanId]);
    expect(await search('$7350')).toEqual([loanId]);
    expect(await search('no such borrower')).toEqual([]);
    expect(await page.getByTestId('empty-state').textContent()).toContain('No loans match');
    await search('');
  });

  test('sorting by refresh-by puts the stalest file first, and back', async () => {
    await page.getByTestId('sort-refreshBy').click();
    await expect
      .poll(async () => (await rowIds()).filter((id) => [loanId, nunezLoan, olderLoan].includes(id!)))
      .toEqual([nunezLoan, olderLoan, loanId]);
    expect(await page.getByTestId('sort-refreshBy').locator('..').getAttribute('aria-sort')).toBe('ascending');
    await page.getByTestId('sort-refreshBy').click();
    await expect
      .poll(async () => (await rowIds()).filter((id) => [loanId, nunezLoan, olderLoan].includes(id!)))
      .toEqual([loanId, olderLoan, nunezLoan]);
    expect(await page.getByTestId('sort-refreshBy').locator('..').getAttribute('aria-sort')).toBe('descending');
  });

  test('filters: refresh due within N days (validated) and loan status', async () => {
    await page.getByTestId('refresh-due-filter').fill('abc');
    await page.getByText('Refresh due within must be whole days, like 14').waitFor();
    // Sixty days ago plus four months is about two months away: due within 90 days, not within 30.
    await page.getByTestId('refresh-due-filter').fill('75');
    await expect.poll(rowIds).toEqual([nunezLoan]);
    await page.getByTestId('refresh-due-filter').fill('');
    await expect.poll(rowIds).toContain(loanId);
    // Needs attention: only the file with a finding to look at.
    await page.getByTestId('needs-attention-filter').check();
    await expect.poll(rowIds).toEqual([loanId]);
    await page.getByTestId('needs-attention-filter').uncheck();
    await expect.poll(rowIds).toContain(nunezLoan);

    // A closed loan leaves the default (open) list, with a confirm about the retention clock.
    await page.locator(`[data-testid=loan-row][data-loan-id="${olderLoan}"]`).getByTestId('loan-borrowers').click();
    await page.getByTestId('loan-screen').waitFor();
    await page.getByTestId('close-loan').click();
    expect(await page.getByTestId('confirm-dialog').textContent()).toContain('retention clock');
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('reopen-loan').waitFor();
    expect(await page.getByTestId('loan-status').first().textContent()).toBe('Closed');
    // A closed file makes no new (billed) report: the button says why it is off.
    expect(await page.getByTestId('create-report').isDisabled()).toBe(true);
    expect(await page.getByTestId('reports-closed-note').textContent()).toContain('reopen it');
    await page.getByTestId('nav-loans').click();
    await page.getByTestId('pipeline-screen').waitFor();
    await expect.poll(rowIds).toContain(loanId);
    expect(await rowIds()).not.toContain(olderLoan);
    await page.getByTestId('loan-status-filter').selectOption('closed');
    await expect.poll(rowIds).toEqual([olderLoan]);
    expect(await seriousViolations(page)).toEqual([]);
  });

  test('at 1024 px a long loan number and long names wrap in the heading, overlapping nothing', async () => {
    const store = desk.app.internals.store()!;
    const borrower = await addLoanToStore(store, {
      firstName: 'Maximiliana Josefina',
      lastName: 'Ñúñez-O’Brien de la Santísima Trinidad y Montenegro',
      loanNumber: 'LN-2026-000000000000000000000000000042',
    });
    await store.loans.addBorrower(borrower.loanId, {
      firstName: 'Bartholomew Alexander',
      lastName: 'Featherstonehaugh-Cholmondeley',
      email: 'bart@example.com',
      phone: '+1 415 555 0100',
    });
    await page.setViewportSize({ width: 1024, height: 800 });
    await page.evaluate((id) => void (location.hash = `#/loans/${id}`), borrower.loanId);
    await page.getByTestId('loan-screen').waitFor();
    const box = async (testId: string) => (await page.getByTestId(testId).first().boundingBox())!;
    const heading = await box('loan-heading');
    const number = await box('loan-number');
    const names = await box('loan-borrowers');
    const status = await box('loan-status');
    const main = await box('main');
    // Inside the main area, and the status chip beside or below the heading, never over it.
    expect(heading.x + heading.width).toBeLessThanOrEqual(main.x + main.width + 0.5);
    expect(names.x + names.width).toBeLessThanOrEqual(main.x + main.width + 0.5);
    const overlaps = (a: typeof heading, b: typeof heading) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
    expect(overlaps(heading, status)).toBe(false);
    expect(number.width).toBeLessThanOrEqual(heading.width + 0.5);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
    await shot('long-names-1024');
    await page.getByTestId('nav-loans').click();
    await page.getByTestId('pipeline-table').waitFor();
    await shot('pipeline-1024');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
