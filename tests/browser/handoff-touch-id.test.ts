import type { Page } from 'playwright';
import { addApplicant as addLoanToStore } from '../helpers/applicant';
import { openDeskPage, seriousViolations, type Desk, type DeskSession } from './support/desk';

/**
 * Ending a hand-off with the computer's own check of the officer (Touch ID on a Mac), in Chromium over
 * the real services. Touch ID cannot exist here: the web bridge is given a stand-in that answers as the
 * sensor would (first a cancel, then a match), the one part of Electron this walk replaces.
 */
let session: DeskSession | undefined;
let desk: Desk;
let page: Page;
const answers: ('cancel' | 'match')[] = ['cancel', 'match'];
const reasons: string[] = [];

beforeAll(async () => {
  session = await openDeskPage('touch-id', {
    officerPresence: {
      available: () => true,
      confirm: async (reason) => {
        reasons.push(reason);
        return answers.shift() === 'match';
      },
    },
  });
  ({ desk, page } = session);
});
afterAll(() => session?.close());

it('the officer returns with Touch ID; a cancelled check keeps the borrower’s screen and says so', async () => {
  const borrower = await addLoanToStore(desk.app.internals.store()!, { firstName: 'Ana', lastName: 'Reyes' });
  await page.evaluate((id) => void (location.hash = `#/loans/${id}`), borrower.loanId);
  await page.getByTestId('borrower-section-0').getByTestId('hand-to-applicant').click();
  await page.getByTestId('link-mode').waitFor();

  await page.getByTestId('return-to-officer').click();
  const dialog = page.getByTestId('officer-pin-dialog');
  await dialog.getByTestId('officer-os-unlock').click();
  await dialog.getByText('Touch ID did not confirm the officer').waitFor();
  expect(await page.getByTestId('link-mode').count()).toBe(1);
  expect(await seriousViolations(page)).toEqual([]);

  await dialog.getByTestId('officer-os-unlock').click();
  await page.getByTestId('loan-screen').waitFor();
  expect(reasons).toEqual(['return AssetDesk to the loan officer', 'return AssetDesk to the loan officer']);
  expect((await desk.app.handlers['handoff:status']({})).active).toBeNull();
});
