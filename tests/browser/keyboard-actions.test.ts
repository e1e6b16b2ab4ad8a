import type { Page } from 'playwright';
import { NewLoanInput } from '../../shared/domain';
import { newLoanInput } from '../helpers/applicant';
import { emulatorPlaid, linkSandboxBank } from '../helpers/emulator-plaid';
import { openDeskPage, type DeskSession } from './support/desk';

/**
 * The report's Export and actions tab from the keyboard alone: every control in reach by Tab, an export, an audit
 * copy made, its token copied and the copy revoked, with the focus kept on the tab the whole way.
 */

let session: DeskSession | undefined;
let page: Page;
let reportId: string;

beforeAll(async () => {
  session = await openDeskPage('keyboard-actions');
  page = session.page;
  const { handlers } = session.desk.app;
  const loan = await handlers['loans:create'](
    NewLoanInput.parse(newLoanInput({ firstName: 'Ada', lastName: 'Byron' })),
  );
  const item = await linkSandboxBank(emulatorPlaid(session.desk.emulator()), handlers, loan.borrowers[0]!.id);
  reportId = (
    await handlers['reports:create']({
      loanId: loan.id,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    })
  ).id;
  for (let i = 0; i < 200 && (await handlers['reports:summary']({ reportId })).status !== 'ready'; i++)
    await new Promise((resolve) => setTimeout(resolve, 100));
});

afterAll(() => session?.close());

/** The focused element: its test id, else its tag and text ('body' when the focus fell to the page). */
function focused(): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'body';
    return el.getAttribute('data-testid') ?? `${el.tagName.toLowerCase()} ${el.textContent?.trim() ?? ''}`;
  });
}

test('the Export and actions tab is worked from the keyboard alone, and revoking a copy keeps the focus on the tab', async () => {
  await page.evaluate((id) => (location.hash = `#/reports/${id}`), reportId);
  await page.getByTestId('findings-panel').waitFor();
  await page.getByTestId('tab-actions').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('action-refresh').waitFor();
  const stops: string[] = [];
  for (let i = 0; i < 9; i++) {
    await page.keyboard.press('Tab');
    stops.push(await focused());
  }
  expect(stops).toEqual([
    'export-pdf',
    'export-cover',
    'export-json',
    'export-csv',
    'action-refresh',
    'action-filter',
    'action-remove',
    'auditor-select',
    'audit-create',
  ]);

  // An export: the button keeps the focus, and the saved file's "Show in folder" is the next stop.
  await page.getByTestId('export-json').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('export-saved').waitFor();
  expect(await focused()).toBe('export-json');

  // An audit copy for Fannie Mae (the auditor chosen first), its token copied, then revoked.
  await page.getByTestId('audit-create').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('audit-copy').waitFor();
  expect(await focused()).toBe('audit-create');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('audit-copy-token');
  await page.keyboard.press('Enter');
  await page.getByTestId('audit-notice').getByText('is on the clipboard').waitFor();
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('audit-revoke');
  await page.keyboard.press('Enter');
  const confirm = page.getByTestId('confirm-dialog');
  await confirm.waitFor();
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('confirm-ok');
  await page.keyboard.press('Enter');
  await page.getByTestId('audit-copy').waitFor({ state: 'detached' });
  await page.getByTestId('audit-notice').getByText('revoked').waitFor();
  // Before: the revoked row took its Revoke button, and the focus with it, to the page's body: the next Tab
  // started again at the top of the window.
  await expect.poll(focused).toBe('h3 Audit copies');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('auditor-select');
});
