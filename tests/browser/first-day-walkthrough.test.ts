import type { Locator } from 'playwright';
import { NewLoanInput } from '../../shared/domain';
import { newLoanInput, borrowerInput } from '../helpers/applicant';
import { emulatorPlaid, linkSandboxBank } from '../helpers/emulator-plaid';
import {
  emulatorLink,
  openDeskPage,
  returnToOfficer,
  seriousViolations,
  SCREENSHOTS,
  type DeskSession,
} from './support/desk';

/**
 * What a new loan officer meets on a first day, over the real services and the built-in emulator: the context on a
 * report that is not ready (whose, which loan, ids and dates), what an unknown outcome really was, and a borrower's
 * re-link screen that shows all their banks.
 */
let session: DeskSession;
let loanId: string;
let loanNumber: string;
let mariaId: string;
let platypusId: string;
let ginghamId: string;

beforeAll(async () => {
  session = await openDeskPage('first-day-walkthrough');
  const { handlers } = session.desk.app;
  const input = newLoanInput({ firstName: 'Maria', lastName: 'Lopez' });
  input.borrowers.push(borrowerInput({ firstName: 'Ana', lastName: 'Lopez' }));
  // Parsed by the contract's schema, as the bridge does before a handler sees it.
  const loan = await handlers['loans:create'](NewLoanInput.parse(input));
  loanId = loan.id;
  loanNumber = loan.loanNumber;
  mariaId = loan.borrowers[0]!.id;
  const plaid = emulatorPlaid(session.desk.emulator());
  platypusId = (await linkSandboxBank(plaid, handlers, mariaId)).id;
  ginghamId = (
    await linkSandboxBank(plaid, handlers, mariaId, { institutionId: 'ins_109509', name: 'First Gingham Credit Union' })
  ).id;
  await linkSandboxBank(plaid, handlers, loan.borrowers[1]!.id, {
    institutionId: 'ins_109510',
    name: 'Tattersall Federal Credit Union',
  });
});
afterAll(async () => {
  await session?.close();
});

const openReport = async (reportId: string, status: string) => {
  const { page } = session;
  await page.evaluate((id) => void (location.hash = `#/reports/${id}`), reportId);
  await page.locator(`[data-testid=report-screen][data-status=${status}]`).waitFor();
};

/** How far right of the heading's text a chip starts, in pixels (negative: on another line, to the left). */
async function gapAfterText(heading: Locator, chip: Locator): Promise<number> {
  const textRight = await heading.evaluate((h) => {
    const range = document.createRange();
    range.selectNodeContents(h);
    const rects = [...range.getClientRects()];
    return Math.max(...rects.map((r) => r.right));
  });
  const box = (await chip.boundingBox())!;
  return box.x - textRight;
}

test('a pending report names its borrowers and loan (a way back to it), Plaid’s id and when it was asked for', async () => {
  const { page, desk } = session;
  desk.emulator().faults.setReadyAfterMs(3_600_000);
  const pending = await desk.app.handlers['reports:create']({
    loanId,
    itemIds: [platypusId, ginghamId],
    daysRequested: 61,
    includeApplicantDetails: false,
  });
  desk.emulator().faults.setReadyAfterMs(0);
  await openReport(pending.id, 'pending');
  const header = page.getByTestId('report-header');
  expect(await page.getByTestId('report-title').textContent()).toBe('Asset Report · Maria Lopez');
  // The status chip sits right after the title, as on the ready report.
  expect(await gapAfterText(page.getByTestId('report-title'), header.getByTestId('report-status'))).toBeLessThan(24);
  expect(await header.getByTestId('report-loan').textContent()).toBe(loanNumber);
  expect(await header.getByTestId('report-id').textContent()).toBe(pending.plaidReportId);
  expect(await header.getByTestId('report-requested').textContent()).toMatch(/\d{4}/);
  expect(await header.getByTestId('report-days').textContent()).toBe('61 days');
  expect(await header.getByTestId('report-banks').textContent()).toBe(
    'First Platypus Bank, First Gingham Credit Union',
  );
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/report-pending-context.png` });
  await header.getByTestId('report-loan').click();
  await page.getByTestId('loan-screen').waitFor();
  expect(decodeURIComponent(new URL(page.url()).hash)).toBe(`#/loans/${loanId}`);
});

test('a create Plaid answered with a 500: the failed screen says Plaid answered, and cannot tell whether it made it', async () => {
  const { page, desk } = session;
  desk.emulator().faults.failNext('/asset_report/create', 500, 1);
  await expect(
    desk.app.handlers['reports:create']({
      loanId,
      itemIds: [platypusId],
      daysRequested: 90,
      includeApplicantDetails: false,
    }),
  ).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
  const failed = (await desk.app.handlers['reports:search']({ status: 'failed' })).rows[0]!;
  await openReport(failed.id, 'failed');
  const screen = page.getByTestId('report-failed');
  expect(await screen.locator('h2').textContent()).toBe('AssetDesk cannot tell whether Plaid made this report');
  const text = (await screen.textContent()) ?? '';
  expect(text).toContain('Plaid answered with a server error (INTERNAL_SERVER_ERROR)');
  expect(text).toContain('not billed twice');
  expect(text).not.toContain('did not hear back');
  const header = page.getByTestId('report-header');
  expect(await page.getByTestId('report-title').textContent()).toBe('Asset Report · Maria Lopez');
  expect(await gapAfterText(page.getByTestId('report-title'), header.getByTestId('report-status'))).toBeLessThan(24);
  expect(await header.getByTestId('report-loan').getAttribute('href')).toBe(`#/loans/${loanId}`);
  expect(await header.getByTestId('report-id').textContent()).toBe('Plaid gave none');
  expect(await header.getByTestId('report-days').textContent()).toBe('90 days');
  expect(await header.getByTestId('report-banks').textContent()).toBe('First Platypus Bank');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/report-failed-context.png` });
  expect(session.recorder.errors).toEqual([]);
});

test('re-linking one bank shows the borrower their other banks too, and which one was reconnected', async () => {
  const { page } = session;
  await page.evaluate(
    ([a, l, i]) => void (location.hash = `#/link/${a}?loan=${l}&item=${i}`),
    [mariaId, loanId, platypusId],
  );
  await page.getByTestId('link-start').waitFor();
  expect(await page.getByTestId('link-start').textContent()).toBe('Reconnect First Platypus Bank');
  // Before signing in: the bank to reconnect is named, and the other bank of theirs is listed.
  const others = page.getByTestId('borrower-banks').getByTestId('linked-bank');
  expect(await others.locator('strong').allTextContents()).toEqual(['First Gingham Credit Union']);
  await page.screenshot({ path: `${SCREENSHOTS}/relink-welcome.png` });

  await page.getByTestId('link-start').click();
  const link = emulatorLink(page);
  await link.getByTestId('reconnect-continue').click();
  await link.getByTestId('credentials-username').fill('user_good');
  await link.getByTestId('credentials-password').fill('pass_good');
  await link.getByTestId('credentials-password').press('Enter');
  await link.getByTestId('connected-continue').click();
  await page.getByTestId('link-success').waitFor();
  expect(await page.getByTestId('link-success').textContent()).toBe('First Platypus Bank is reconnected');
  // Every bank of theirs for this loan, the reconnected one marked; not "Banks connected so far" with one bank.
  const banks = page.getByTestId('linked-banks').getByTestId('linked-bank');
  expect(await banks.locator('strong').allTextContents()).toEqual([
    'First Platypus Bank',
    'First Gingham Credit Union',
  ]);
  expect(await banks.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-state')))).toEqual([
    'reconnected',
    'ok',
  ]);
  expect(await banks.first().getByTestId('bank-note').textContent()).toBe('Reconnected just now');
  expect(await seriousViolations(page)).toEqual([]);
  await page.screenshot({ path: `${SCREENSHOTS}/relink-success.png` });
  await returnToOfficer(page);
  expect(session.recorder.errors).toEqual([]);
});

test('Settings opens with what a new officer needs; the forwarding line shows only where a public URL is in play', async () => {
  const { page } = session;
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('webhook-delivery').waitFor();
  const sections = await page.locator('[data-testid=settings-screen] section > h2').allTextContents();
  expect(sections.slice(0, 4)).toEqual([
    'Officer PIN',
    'Plaid environment',
    'Plaid keys',
    'Retention and underwriting',
  ]);
  // Set up once, by one person: last.
  expect(sections.slice(-2)).toEqual(['Backup and recovery', 'Team']);
  await page.screenshot({ path: `${SCREENSHOTS}/settings-first-screen.png` });

  // The emulator calls AssetDesk on this computer: no public URL, nothing to forward.
  const setUp = page.getByTestId('webhook-setup');
  expect(await setUp.textContent()).toBe('No public URL is needed: the built-in emulator runs on this computer.');
  expect(await page.getByTestId('webhook-local-url').count()).toBe(0);
  expect(await page.getByTestId('webhook-delivery').textContent()).not.toContain('must forward');

  // Webhooks off: how to have them with the emulator.
  await page.getByTestId('webhook-enabled').uncheck();
  await page.getByRole('button', { name: 'Save webhook settings' }).click();
  await page.locator('[data-testid="webhook-delivery"][data-mode="polling"]').waitFor();
  expect(await setUp.textContent()).toBe(
    'For webhooks, turn on Receive webhooks: the built-in emulator calls AssetDesk on this computer.',
  );

  // A public URL: now the line says where it must forward to.
  await page.getByTestId('webhook-enabled').check();
  await page.getByTestId('webhook-url').fill('https://desk.example.com/plaid/webhook');
  await page.getByRole('button', { name: 'Save webhook settings' }).click();
  await page.getByTestId('webhook-plaid-url').getByText('https://desk.example.com/plaid/webhook').waitFor();
  expect(await setUp.textContent()).toMatch(
    /^Your public URL must forward to http:\/\/127\.0\.0\.1:\d+\/plaid\/webhook on this computer/,
  );
  expect(await seriousViolations(page)).toEqual([]);
});

test('chips sit on one line, whole, beside what they describe: pipeline rows, the loan heading, bank rows', async () => {
  const { page, desk } = session;
  const { handlers } = desk.app;
  // A second loan with a ready report whose findings need attention, and a long number and name.
  const loan = await handlers['loans:create'](
    NewLoanInput.parse(
      newLoanInput({
        firstName: 'Katherine',
        lastName: 'Johnson-Abernathy',
        loanNumber: 'LN-2026-0404-LONGNUMBER',
        loanPurpose: 'cash_out_refinance',
      }),
    ),
  );
  const item = await linkSandboxBank(emulatorPlaid(desk.emulator()), handlers, loan.borrowers[0]!.id, {
    username: 'user_nsf',
  });
  const report = await handlers['reports:create']({
    loanId: loan.id,
    itemIds: [item.id],
    daysRequested: 61,
    includeApplicantDetails: false,
  });
  await expect
    .poll(async () => (await handlers['reports:summary']({ reportId: report.id })).status, { timeout: 30_000 })
    .toBe('ready');
  // And a loan with no report yet.
  const noReport = await handlers['loans:create'](
    NewLoanInput.parse(newLoanInput({ firstName: 'Ed', lastName: 'Wu' })),
  );

  for (const width of [1280, 1400]) {
    await page.setViewportSize({ width, height: 900 });
    await page.evaluate(() => void (location.hash = '#/loans'));
    await page.getByTestId('pipeline-screen').waitFor();
    const findings = page.locator(`[data-testid=loan-row][data-loan-id="${loan.id}"] .chip-warning`);
    await findings.waitFor();
    expect(await findings.textContent()).toMatch(/^\d+ needs? attention$/);
    const none = page.locator(`[data-testid=loan-row][data-loan-id="${noReport.id}"] [data-testid=applicant-status]`);
    expect(await none.textContent()).toBe('No report yet');
    await page.locator(`[data-testid=loan-row][data-loan-id="${loanId}"]`).waitFor();
    const chips = await page.locator('[data-testid=loan-row] .chip').evaluateAll((all) =>
      all.map((chip) => ({
        text: chip.textContent,
        height: chip.getBoundingClientRect().height,
        // Cut by its cell: the cell shows less than the chip's width.
        clipped: chip.getBoundingClientRect().right > chip.parentElement!.getBoundingClientRect().right + 0.5,
      })),
    );
    expect(chips.length).toBeGreaterThanOrEqual(4);
    for (const chip of chips) expect(chip, `${chip.text} at ${width} px`).toMatchObject({ clipped: false });
    for (const chip of chips) expect(chip.height, `${chip.text} at ${width} px`).toBeLessThan(26);
    // The table still fits the page: nothing scrolls sideways.
    expect(await page.getByTestId('pipeline-table').evaluate((table) => table.scrollWidth <= table.clientWidth)).toBe(
      true,
    );
    if (width === 1400) await page.screenshot({ path: `${SCREENSHOTS}/pipeline-chips.png` });
  }

  // The loan heading's status chip right after the title, even when a long title wraps.
  for (const id of [loanId, loan.id]) {
    await page.evaluate((l) => void (location.hash = `#/loans/${l}`), id);
    await page.getByTestId('loan-screen').waitFor();
    const gap = await gapAfterText(page.getByTestId('loan-heading'), page.getByTestId('loan-status').first());
    expect(gap).toBeGreaterThan(0);
    expect(gap).toBeLessThan(24);
  }
  // Each bank row's status chip lines up with the others', whatever the bank's name.
  await page.evaluate((l) => void (location.hash = `#/loans/${l}`), loanId);
  await page.getByTestId('item-row').nth(2).waitFor();
  const lefts = await page
    .getByTestId('item-status')
    .evaluateAll((all) => all.map((chip) => Math.round(chip.getBoundingClientRect().left)));
  expect(new Set(lefts).size).toBe(1);
  await page.screenshot({ path: `${SCREENSHOTS}/loan-heading-chips.png` });
  expect(await seriousViolations(page)).toEqual([]);
  expect(session.recorder.errors).toEqual([]);
});
