import type { CDPSession, Page } from 'playwright';
import { NewLoanInput } from '../../shared/domain';
import { newLoanInput } from '../helpers/applicant';
import { emulatorPlaid, linkSandboxBank } from '../helpers/emulator-plaid';
import { openDeskPage, type DeskSession } from './support/desk';

/**
 * Every table on the desk has a name a screen reader reads on arrival ("Balance changes, table, 4 columns"), as
 * Chromium itself computes it: the pipeline, a loan, the reports list, each tab of a report and of its refresh
 * (with an audit copy shared), and Settings.
 */

let session: DeskSession | undefined;
let page: Page;
let cdp: CDPSession;
let loanId: string;
let reportId: string;
let refreshId: string;

beforeAll(async () => {
  session = await openDeskPage('table-names');
  page = session.page;
  cdp = await page.context().newCDPSession(page);
  const { handlers } = session.desk.app;
  const loan = await handlers['loans:create'](
    NewLoanInput.parse(newLoanInput({ firstName: 'Ada', lastName: 'Byron' })),
  );
  loanId = loan.id;
  const item = await linkSandboxBank(emulatorPlaid(session.desk.emulator()), handlers, loan.borrowers[0]!.id);
  const ready = async (id: string) => {
    for (let i = 0; i < 200 && (await handlers['reports:summary']({ reportId: id })).status !== 'ready'; i++)
      await new Promise((resolve) => setTimeout(resolve, 100));
  };
  reportId = (
    await handlers['reports:create']({ loanId, itemIds: [item.id], daysRequested: 61, includeApplicantDetails: false })
  ).id;
  await ready(reportId);
  await handlers['auditCopies:create']({ reportId, auditorId: 'fannie_mae' });
  refreshId = (await handlers['reports:refresh']({ reportId })).id;
  await ready(refreshId);
});

afterAll(() => session?.close());

/** Each table or grid in the page's accessibility tree (hidden tabs are not in it), with the name Chromium gives it. */
async function tableNames(where: string): Promise<string[]> {
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  return nodes
    .filter((node) => !node.ignored && ['table', 'grid', 'treegrid'].includes(String(node.role?.value)))
    .map((node) => `${where}: ${String(node.name?.value ?? '').trim()}`);
}

test('every table on every screen walked has an accessible name', async () => {
  const found: string[] = [];
  const visit = async (where: string, hash: string, ready: string) => {
    await page.evaluate((target) => (location.hash = target), hash);
    await page.locator(ready).first().waitFor();
    found.push(...(await tableNames(where)));
  };
  await visit('pipeline', '#/loans', '[data-testid=pipeline-table] [data-testid=loan-row]');
  await visit('loan', `#/loans/${loanId}`, '[data-testid=activity-table]');
  await visit('reports', '#/reports', '[data-testid=report-row]');
  for (const [name, id] of [
    ['report', reportId],
    ['refresh', refreshId],
  ] as const) {
    await visit(`${name} summary`, `#/reports/${id}`, '[data-testid=monthly-table]');
    if (name === 'refresh') await page.locator('[data-testid=changes-since-parent] table').first().waitFor();
    for (const [tab, ready] of [
      ['transactions', '[data-testid=txn-table][data-complete=true]'],
      ['pdf', '#rp-panel-pdf .textLayer'],
      ['actions', '[data-testid=action-refresh]'],
    ] as const) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.locator(ready).first().waitFor();
      if (name === 'report' && tab === 'actions') await page.locator('[data-testid=audit-copies] table').waitFor();
      found.push(...(await tableNames(`${name} ${tab}`)));
    }
  }
  await visit('settings', '#/settings', '[data-testid=backup-now]');

  // The walk reached the tables it is about (a screen that stopped showing one would pass on nothing).
  for (const where of ['pipeline', 'loan', 'reports', 'report summary', 'refresh summary', 'report actions'])
    expect(found.some((entry) => entry.startsWith(`${where}: `))).toBe(true);
  // Before: the reports list, the audit copies, the accounts not counted and the two tables of the changes since
  // the parent report were read as just "table".
  expect(found.filter((entry) => entry.endsWith(': '))).toEqual([]);
});
