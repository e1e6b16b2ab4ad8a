import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import type { TeamStatus } from '../../shared/ipc/team-contract';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import {
  OFFICER_PIN,
  SCREENSHOTS,
  addApplicant,
  chooseBank,
  emulatorLink,
  finishLink,
  launchChromium,
  logIn,
  returnToOfficer,
  webBuildCopy,
} from './support/desk';
import { prepareTeamDatabase, startTeamDeskProcess, type TeamDeskProcess } from './support/team-desks';
import { emulatorControl } from '../core/counting-proxy';

/**
 * Issue 16's whole story: two desks — each its own services process and its own browser — on one
 * PostgreSQL. The admin-officer creates the team and admits a processor; the officer opens a loan, the
 * borrower links a bank, the officer creates a report; the processor's screen shows it without reloading;
 * the officer's desk is killed while the report is still being prepared at Plaid; the processor's desk
 * carries the report to the end, once; the processor exports the PDF and may neither delete nor call Plaid.
 */

const LOAN_NUMBER = 'LN-TEAM-2026-01';
let db: TestDatabase;
let emulator: RunningEmulator;
let workDir: string;
let browser: Browser;
let officer: TeamDeskProcess;
let processor: TeamDeskProcess;
let officerPage: Page;
let processorPage: Page;
let loanId: string;
let reportId: string;

const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}/team-${name}.png`, fullPage: true });

async function ok<T>(
  promise: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
) {
  const envelope = await promise;
  if (!envelope.ok) throw new Error(`${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value;
}

async function openPage(desk: TeamDeskProcess): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(desk.url);
  await page.getByTestId('pipeline-screen').waitFor();
  return page;
}

/** The team database as the DBA sees it (counts only; everything secret in it is sealed). */
async function teamCount(sql: string, params: unknown[] = []): Promise<number> {
  const client = new pg.Client(db.clientConfig());
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(sql, params);
    return Number(rows[0]!.n);
  } finally {
    await client.end();
  }
}

async function teamText(sql: string, params: unknown[] = []): Promise<string> {
  const client = new pg.Client(db.clientConfig());
  await client.connect();
  try {
    const { rows } = await client.query<{ v: string }>(sql, params);
    return rows[0]!.v;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  db = await createTestDatabase('assetdesk_e2e');
  const ownerUrl = await prepareTeamDatabase(db);
  emulator = await startEmulator({ readyAfterMs: 0 });
  workDir = mkdtempSync(join(tmpdir(), 'assetdesk-team-e2e-'));
  const staticDir = webBuildCopy(workDir);
  [officer, processor] = await Promise.all([
    startTeamDeskProcess({ name: 'officer', workDir, staticDir, emulator }),
    startTeamDeskProcess({ name: 'processor', workDir, staticDir, emulator }),
  ]);
  // The admin (who is also the loan officer here) creates the team on the database the office prepared…
  const created = await ok<TeamStatus>(
    officer.invoke('team:create', {
      url: ownerUrl,
      caPem: db.caPem,
      teamName: 'Northside branch',
      adminName: 'Ada Officer',
    }),
  );
  expect(created).toMatchObject({ mode: 'team', member: { role: 'admin' }, connection: { status: 'online' } });
  // … and admits the processor: the join text goes by e-mail, the code by phone; the processor's desk joins.
  const invitation = await ok<{ joinText: string; joinCode: string }>(
    officer.invoke('team:invite', { name: 'Pia Processor', email: null, role: 'processor', expiresInDays: 2 }),
  );
  const joined = await ok<TeamStatus>(
    processor.invoke('team:join', { joinText: invitation.joinText, joinCode: invitation.joinCode, caPem: db.caPem }),
  );
  expect(joined).toMatchObject({ mode: 'team', member: { name: 'Pia Processor', role: 'processor' } });
  await ok(officer.invoke('handoff:setPin', { pin: OFFICER_PIN }));
  browser = await launchChromium();
  officerPage = await openPage(officer);
  processorPage = await openPage(processor);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await officer?.stop();
  await processor?.stop();
  await emulator?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('two desks of one team', () => {
  test('the officer opens a loan; it appears on the processor’s pipeline without a reload', async () => {
    loanId = await addApplicant(officerPage, {
      firstName: 'Alberta',
      lastName: 'Charleson',
      loanNumber: LOAN_NUMBER,
      income: '7,350.00',
      fundsToClose: '40,000',
    });
    await processorPage.getByTestId('loan-row').filter({ hasText: LOAN_NUMBER }).waitFor({ timeout: 10_000 });
    await shot(processorPage, 'processor-pipeline');
  });

  test('the borrower links a bank on the officer’s desk and the officer creates a report that stays pending', async () => {
    await officerPage.getByTestId('hand-to-applicant').first().click();
    await officerPage.getByTestId('link-start').click();
    const link = emulatorLink(officerPage);
    await chooseBank(link, 'Platypus', 'ins_109508');
    // A borrower with a large deposit to source: the processor will see it, and no way to mark it.
    await logIn(link, 'user_large_deposit', 'pass_good');
    await finishLink(link);
    await officerPage.getByTestId('link-success').waitFor();
    await returnToOfficer(officerPage);
    // Plaid takes its time: the report stays pending until the test lets it be ready.
    emulator.faults.setReadyAfterMs(10 * 60_000);
    await officerPage.getByTestId('create-report').click();
    await officerPage.getByTestId('create-report-dialog').waitFor();
    await officerPage.getByTestId('create-report-submit').click();
    await officerPage.getByTestId('report-pending').waitFor();
    reportId = decodeURIComponent(new URL(officerPage.url()).hash.split('/')[2]!.split('?')[0]!);
    expect(await teamCount("SELECT count(*) AS n FROM reports WHERE status = 'pending'")).toBe(1);
    await shot(officerPage, 'officer-pending');
  });

  test('the processor sees the pending report on the loan, live', async () => {
    // Through the processor's own desk and login (its role hides tokens and SSNs from it).
    const read = await processor.invoke('loans:get', { loanId });
    expect(read.ok, JSON.stringify(read)).toBe(true);
    await processorPage
      .locator(`[data-testid=loan-row][data-loan-id="${loanId}"]`)
      .getByTestId('loan-borrowers')
      .click();
    await processorPage
      .getByTestId('loan-screen')
      .waitFor({ timeout: 10_000 })
      .catch(async (error: unknown) => {
        await shot(processorPage, 'processor-loan-failed');
        throw error;
      });
    await processorPage
      .getByText(/pending|being prepared/i)
      .first()
      .waitFor({ timeout: 10_000 });
  });

  test('the officer’s desk is killed mid-poll; the processor’s desk carries the report to the end, once', async () => {
    await officer.kill();
    // Plaid finishes the report after the officer's desk is gone.
    const plaidReportId = await teamText('SELECT plaid_report_id AS v FROM reports WHERE id = $1', [reportId]);
    await emulatorControl(emulator, 'ready_after', { ms: 0, asset_report_id: plaidReportId });
    await expect
      .poll(() => teamCount("SELECT count(*) AS n FROM reports WHERE id = $1 AND status = 'ready'", [reportId]), {
        timeout: 60_000,
      })
      .toBe(1)
      .catch((error: unknown) => {
        // What the processor's desk was doing, for whoever reads the failure.
        const log = join(processor.userDataDir, 'logs', 'assetdesk.log');
        if (existsSync(log)) process.stderr.write(readFileSync(log, 'utf8').split('\n').slice(-40).join('\n'));
        throw error;
      });
    expect(await teamCount('SELECT count(*) AS n FROM reports')).toBe(1);
    expect(
      await teamCount("SELECT count(*) AS n FROM activity WHERE action = 'report_ready' AND report_id = $1", [
        reportId,
      ]),
    ).toBe(1);
    // The processor's screen follows (its own desk stored the report and says so).
    await processorPage.goto(`${processor.url.split('#')[0]}#/reports/${encodeURIComponent(reportId)}`);
    await processorPage.getByTestId('report-screen').waitFor();
    await expect
      .poll(() => processorPage.getByTestId('report-screen').getAttribute('data-status'), { timeout: 30_000 })
      .toBe('ready');
    // The findings show the large deposit; marking it sourced (or confirming accounts) is an officer's.
    await processorPage.getByTestId('findings-panel').waitFor();
    expect(await processorPage.getByTestId('large-deposit').count()).toBe(1);
    expect(await processorPage.getByTestId('mark-sourced').count()).toBe(0);
    expect(await processorPage.locator('[data-testid^="confirm-"]').count()).toBe(0);
    await shot(processorPage, 'processor-ready');
  });

  test('the processor exports the PDF', async () => {
    await processorPage.getByTestId('tab-actions').click();
    await processorPage.getByTestId('export-pdf').click();
    await processorPage.getByTestId('export-saved').waitFor();
    const path = (await processorPage.getByTestId('export-path').textContent()) ?? '';
    expect(path.startsWith(processor.downloadsDir)).toBe(true);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path).subarray(0, 4).toString('latin1')).toBe('%PDF');
  });

  test('the processor may neither delete nor call Plaid', async () => {
    // The screen offers none of it (the actions tab is open from the export) …
    for (const action of ['action-refresh', 'action-filter', 'action-remove'])
      expect(await processorPage.getByTestId(action).count(), action).toBe(0);
    // … and the main process refuses it anyway (the database too: tests/team/team-roles-db.test.ts).
    for (const [channel, payload] of [
      ['reports:remove', { reportId }],
      ['reports:refresh', { reportId }],
      ['loans:delete', { loanId }],
      ['reports:create', { loanId, itemIds: ['x'], daysRequested: 61, includeApplicantDetails: false }],
    ] as const) {
      const answer = await processor.invoke(channel, payload);
      expect(answer, channel).toMatchObject({ ok: false, error: { code: 'ROLE_NOT_ALLOWED' } });
    }
  });
});
