import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright';
import { startWebBridge, type WebBridge } from '../../electron/dev/web-bridge';
import { teamGroupRoleNames } from '../../electron/db/postgres/migrations/003_team_members';
import { createMemoryLogger } from '../../electron/log/logger';
import { createAppServices } from '../../electron/services/app-services';
import { writeTeamConfig } from '../../electron/services/team/team-desk';
import type { TeamRole } from '../../shared/team';
import { roleRefusal } from '../../shared/team';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import {
  OFFICER_PIN,
  SCREENSHOTS,
  addApplicant,
  chooseBank,
  emulatorLink,
  finishLink,
  logIn,
  returnToOfficer,
  launchChromium,
  loanIdOf,
  seriousViolations,
  startDesk,
  webBuildCopy,
  type Desk,
} from './support/desk';

/**
 * Team mode on screen, against the real services through the web bridge: Settings → Team on a local desk
 * (both cards, field errors found in the page), the offline banner following `team:connection`, screens
 * reloading on `team:changes` (and only for their own loan), and what a member's role hides once this desk's
 * team.json names a team.
 */

let workDir: string;
let desk: Desk;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];
/** Every bridge call the page made, by channel: validation must not reach the main process. */
const calls: string[] = [];
let loanId: string;
/** A ready report the processor opens. */
let keptReportId: string;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'assetdesk-team-ui-'));
  desk = await startDesk(workDir, webBuildCopy(workDir));
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request) => {
    const match = /\/__bridge\/invoke\/([^/?]+)/.exec(request.url());
    if (match) calls.push(decodeURIComponent(match[1]!));
  });
  await page.goto(desk.bridge.url);
  await page.getByTestId('pipeline-screen').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await desk?.bridge.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

const userDataDir = () => join(workDir, 'user-data');
const PEM = '-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUfakeButWellShaped\n-----END CERTIFICATE-----\n';

async function openTeamSettings() {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('team-section').waitFor();
}

test('a local desk shows both cards: create a team and join a team', async () => {
  await openTeamSettings();
  await page.getByTestId('team-local').waitFor();
  expect(await page.getByTestId('team-create').getByRole('heading').textContent()).toBe('Create a team');
  expect(await page.getByTestId('team-join').getByRole('heading').textContent()).toBe('Join a team');
  expect(await page.getByTestId('team-desk').count()).toBe(0);
  expect(await seriousViolations(page)).toEqual([]);
});

test('the create form points at a bad address and a missing certificate without asking the main process', async () => {
  const form = page.getByTestId('team-create');
  await form.getByTestId('team-create-url').fill('http://db.example.com/assetdesk');
  await form.getByTestId('team-create-name').fill('Main Street branch');
  await form.getByTestId('team-create-submit').click();
  const urlError = form.getByTestId('error-url');
  await urlError.waitFor();
  expect(await urlError.textContent()).toContain('postgres://user:password@host:5432/database');
  expect(await form.getByTestId('error-team-create-ca').textContent()).toContain('office CA certificate');
  expect(await form.getByTestId('error-adminName').textContent()).toContain('Enter your name');
  expect(await form.getByTestId('error-teamName').count()).toBe(0);
  expect(await form.getByTestId('team-create-url').getAttribute('aria-invalid')).toBe('true');

  // No database name, and a certificate that is not one.
  await form.getByTestId('team-create-url').fill('postgres://owner:pw@db.example.com:5432');
  await form.getByTestId('team-create-ca-pem').fill('hello');
  await form.getByTestId('team-create-admin').fill('Ada Admin');
  await form.getByTestId('team-create-submit').click();
  await form.getByText('The address has no database name').waitFor();
  expect(await form.getByTestId('error-team-create-ca').textContent()).toContain('This is not a certificate');

  // A certificate file chosen in the page fills the field.
  await form.getByTestId('team-create-ca-file').setInputFiles({
    name: 'office-ca.pem',
    mimeType: 'application/x-pem-file',
    buffer: Buffer.from(PEM),
  });
  await expect.poll(() => form.getByTestId('team-create-ca-pem').inputValue()).toBe(PEM);
  expect(calls.filter((c) => c === 'team:create')).toEqual([]);
  await page.getByTestId('team-section').screenshot({ path: `${SCREENSHOTS}/team-local-cards.png` });
  expect(await seriousViolations(page)).toEqual([]);
});

test('the join form checks the join code and the certificate in the page', async () => {
  const form = page.getByTestId('team-join');
  await form.getByTestId('team-join-submit').click();
  await form.getByTestId('error-joinText').waitFor();
  expect(await form.getByTestId('error-joinCode').textContent()).toContain('join code');
  expect(await form.getByTestId('error-team-join-ca').textContent()).toContain('office CA certificate');

  await form.getByTestId('team-join-text').fill('join text from the e-mail');
  // Right length and alphabet, wrong check character.
  await form.getByTestId('team-join-code').fill('0000-0000-0000-0000-0000-0000-0000-0001');
  await form.getByTestId('team-join-submit').click();
  await form.getByText('One of the characters in this join code is wrong').waitFor();
  await form.getByTestId('team-join-code').fill('ABCD-EFGH');
  await form.getByTestId('team-join-submit').click();
  await form.getByText('Check that you copied all of it').waitFor();
  expect(await form.getByTestId('error-joinText').count()).toBe(0);
  expect(calls.filter((c) => c === 'team:join')).toEqual([]);
});

test('the offline banner follows team:connection and goes when the database is back', async () => {
  const banner = page.getByTestId('team-offline-banner');
  expect(await banner.count()).toBe(0);
  // Today at 10:42 and 10:43 (the banner shows the time alone for today).
  const today = new Date();
  const at = (minute: number) =>
    new Date(today.getFullYear(), today.getMonth(), today.getDate(), 10, minute).toISOString();
  const since = at(42);
  const retryAt = at(43);
  const time = (iso: string) =>
    new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
  desk.publish('team:connection', {
    status: 'offline',
    since,
    reason: 'the team database refused the connection (is the server running?)',
    retryAt,
  });
  await banner.waitFor();
  const text = await banner.textContent();
  expect(text).toContain(`Team database unreachable since ${time(since)} — `);
  expect(text).toContain('— the team database refused the connection (is the server running?).');
  expect(text).toContain('Showing what was already on screen; changes wait until it’s back.');
  expect(text).toContain(`Next try ${time(retryAt)}.`);
  // Announced politely: a live status region around it, not an alert.
  const region = page.getByTestId('team-connection-region');
  expect(await region.getAttribute('role')).toBe('status');
  expect(await region.getAttribute('aria-live')).toBe('polite');
  await page.screenshot({ path: `${SCREENSHOTS}/team-offline-banner.png` });
  expect(await seriousViolations(page)).toEqual([]);

  desk.publish('team:connection', { status: 'reconnecting', since, reason: 'the connection was cut' });
  await expect.poll(() => banner.getAttribute('data-status')).toBe('reconnecting');
  expect(await banner.textContent()).toContain('Trying again now.');

  // The banner belongs to the shell: it stays across screens.
  await page.getByTestId('nav-loans').click();
  await page.getByTestId('pipeline-screen').waitFor();
  expect(await banner.isVisible()).toBe(true);

  desk.publish('team:connection', { status: 'online', since: new Date().toISOString() });
  await banner.waitFor({ state: 'detached' });
});

test('the pipeline and the loan screen reload on team:changes, the loan screen only for its own loan', async () => {
  loanId = await addApplicant(page, {
    firstName: 'Tess',
    lastName: 'Team',
    loanNumber: 'TEAM-1',
    income: '9000',
    fundsToClose: '40000',
  });
  // Another desk renames the loan: this page is not told until the change feed says so.
  await desk.app.handlers['loans:update']({ loanId, changes: { loanNumber: 'TEAM-1B' } });
  const number = page.getByTestId('loan-number');
  desk.publish('team:changes', { resync: false, tables: ['loans'], loanIds: ['some-other-loan'] });
  await page.waitForTimeout(600);
  expect(await number.textContent()).toBe('TEAM-1');
  desk.publish('team:changes', { resync: false, tables: ['loans'], loanIds: [loanId] });
  await expect.poll(() => number.textContent()).toBe('TEAM-1B');

  // A resync concerns every screen.
  await desk.app.handlers['loans:update']({ loanId, changes: { loanNumber: 'TEAM-1C' } });
  desk.publish('team:changes', { resync: true, tables: [], loanIds: [] });
  await expect.poll(() => number.textContent()).toBe('TEAM-1C');

  await page.getByTestId('nav-loans').click();
  await page.getByTestId('pipeline-screen').getByText('TEAM-1C').waitFor();
  await desk.app.handlers['loans:update']({ loanId, changes: { loanNumber: 'TEAM-1D' } });
  await page.waitForTimeout(600);
  expect(await page.getByTestId('pipeline-screen').getByText('TEAM-1D').count()).toBe(0);
  // A burst of changes (one per loan touched) makes one reload after the burst.
  const listCallsBefore = calls.filter((c) => c === 'loans:list').length;
  for (let i = 0; i < 5; i += 1) desk.publish('team:changes', { resync: false, tables: ['loans'], loanIds: [loanId] });
  await page.getByTestId('pipeline-screen').getByText('TEAM-1D').waitFor();
  await page.waitForTimeout(400);
  expect(calls.filter((c) => c === 'loans:list').length - listCallsBefore).toBe(1);
});

test('the report screen reloads when a report of its loan changed at another desk', async () => {
  await desk.app.handlers['handoff:setPin']({ pin: OFFICER_PIN });
  const reportLoanId = await addApplicant(page, {
    firstName: 'Rhea',
    lastName: 'Report',
    loanNumber: 'TEAM-2',
    income: '7000',
    fundsToClose: '20000',
  });
  await page.getByTestId('hand-to-applicant').click();
  await page.getByTestId('link-start').click();
  const link = emulatorLink(page);
  await chooseBank(link, 'First Platypus', 'ins_109508');
  await logIn(link, 'user_good', 'pass_good');
  await finishLink(link);
  await page.getByTestId('link-success').waitFor();
  await returnToOfficer(page);
  await page.getByTestId('items-list').waitFor();
  const createReport = async () => {
    await page.getByTestId('create-report').click();
    await page.getByTestId('create-report-dialog').waitFor();
    await page.getByTestId('create-report-submit').click();
    await page.locator('[data-testid=report-screen][data-status=ready]').waitFor({ timeout: 30_000 });
    return decodeURIComponent(new URL(page.url()).hash.split('/')[2]!);
  };
  keptReportId = await createReport();
  await page.goto(`${desk.bridge.origin}/#/loans/${encodeURIComponent(reportLoanId)}`);
  await page.getByTestId('loan-screen').waitFor();
  const reportId = await createReport();
  const screen = page.getByTestId('report-screen');

  // Another desk removes the report; this screen learns it from the change feed only.
  await desk.app.handlers['reports:remove']({ reportId });
  desk.publish('team:changes', { resync: false, tables: ['reports'], loanIds: [loanId] });
  desk.publish('team:changes', { resync: false, tables: ['activity'], loanIds: [reportLoanId] });
  await page.waitForTimeout(600);
  expect(await screen.getAttribute('data-status')).toBe('ready');
  desk.publish('team:changes', { resync: false, tables: ['reports', 'activity'], loanIds: [reportLoanId] });
  await expect.poll(() => screen.getAttribute('data-status')).toBe('removed');
  await screen.getByText('This report was removed').waitFor();
});

test("the environment badge follows the team's environment when the admin switches it at another desk", async () => {
  const badge = page.getByTestId('environment-badge');
  expect(await badge.getAttribute('data-environment')).toBe('emulator');
  // The admin's desk moved the team to Sandbox: this desk reads it with the team's settings, told by the change feed.
  const settings = desk.app.internals.store()!.settings;
  await settings.update('environment', 'sandbox');
  desk.publish('team:changes', { resync: false, tables: ['activity'], loanIds: [] });
  await page.waitForTimeout(600);
  expect(await badge.getAttribute('data-environment')).toBe('emulator');
  desk.publish('team:changes', { resync: false, tables: ['settings', 'activity'], loanIds: [] });
  await expect.poll(() => badge.getAttribute('data-environment')).toBe('sandbox');
  expect(await badge.textContent()).toContain('Sandbox');
  await settings.update('environment', 'emulator');
  desk.publish('team:changes', { resync: false, tables: ['settings'], loanIds: [] });
  await expect.poll(() => badge.getAttribute('data-environment')).toBe('emulator');
});

/** This desk's team.json names a team (its database is not opened here): the screens follow the role it names. */
async function becomeMember(role: TeamRole) {
  writeTeamConfig(userDataDir(), {
    format: 1,
    url: 'postgres://member@db.branch.example:5432/assetdesk?sslmode=verify-full',
    caPem: PEM,
    teamId: 'team-1',
    teamName: 'Main Street branch',
    memberId: `member-${role}`,
    memberName: `Pat ${role}`,
    role,
  });
  await page.reload();
  await page.getByTestId('main').waitFor();
}

test('a processor sees no buttons that change the loan, call Plaid or delete; export stays', async () => {
  await becomeMember('processor');
  await page.goto(`${desk.bridge.origin}/#/loans/${encodeURIComponent(loanId)}`);
  await page.getByTestId('loan-screen').waitFor();
  expect(loanIdOf(page)).toBe(loanId);
  for (const hidden of [
    'edit-loan',
    'create-report',
    'delete-loan',
    'hand-to-applicant',
    'send-hosted-link',
    'edit-borrower',
    'add-co-borrower',
    'close-loan',
    'hosted-send-email',
    'hosted-send-sms',
  ])
    expect(await page.getByTestId(hidden).count(), hidden).toBe(0);
  expect(await page.getByTestId('export-loan').isVisible()).toBe(true);
  const ask = roleRefusal('processor', 'reports:create').message.split('does not allow this. ')[1]!;
  expect(await page.getByTestId('role-note').textContent()).toBe(
    'Your role (Processor) does not allow changing this loan file, linking banks, creating reports or deleting. ' + ask,
  );
  await page.screenshot({ path: `${SCREENSHOTS}/team-processor-loan.png`, fullPage: true });

  await page.getByTestId('nav-loans').click();
  await page.getByTestId('pipeline-screen').waitFor();
  expect(await page.getByTestId('new-loan').count()).toBe(0);
  // Nor does the N shortcut open the new-loan form.
  await page.getByTestId('main').focus();
  await page.keyboard.press('n');
  await page.waitForTimeout(300);
  expect(page.url()).not.toContain('/loans/new');
  expect(await page.getByTestId('loan-form').count()).toBe(0);

  // The report: exports stay; refresh, filter, remove and audit copies are an officer's.
  await page.goto(`${desk.bridge.origin}/#/reports/${encodeURIComponent(keptReportId)}`);
  await page.locator('[data-testid=report-screen][data-status=ready]').waitFor();
  await page.getByTestId('tab-actions').click();
  await page.getByTestId('exports-panel').waitFor();
  expect(await page.getByTestId('export-pdf').isVisible()).toBe(true);
  for (const hidden of ['action-refresh', 'action-filter', 'action-remove', 'audit-create'])
    expect(await page.getByTestId(hidden).count(), hidden).toBe(0);
  expect(await page.getByTestId('actions-panel').getByTestId('role-note').textContent()).toContain(
    'does not allow refreshing, filtering, sharing or removing reports.',
  );
  expect(await seriousViolations(page)).toEqual([]);

  await openTeamSettings();
  await page.getByTestId('team-desk').waitFor();
  expect(await page.getByTestId('team-name').textContent()).toBe('Main Street branch');
  expect(await page.getByTestId('team-server').textContent()).toBe('db.branch.example:5432/assetdesk');
  expect(await page.getByTestId('team-role').textContent()).toBe('Processor');
  expect(await page.getByTestId('team-role-duties').textContent()).toContain('Cannot contact Plaid');
  // Settings are the admin's: shown, disabled, with whom to ask.
  const locked = page.getByTestId('role-locked');
  expect(await locked.getByTestId('role-note').textContent()).toContain('Only your team admin');
  expect(await page.getByTestId('switch-environment').isDisabled()).toBe(true);
  expect(await page.getByTestId('team-members').count()).toBe(0);
  expect(await page.getByTestId('team-move').count()).toBe(0);
  // The desk's own PIN is not a team setting.
  expect(await page.getByTestId('officer-pin-section').locator('fieldset[disabled]').count()).toBe(0);
  await page.screenshot({ path: `${SCREENSHOTS}/team-processor-settings.png`, fullPage: true });
  expect(await seriousViolations(page)).toEqual([]);
});

test('an officer works loans but sees no team-admin controls; an admin sees the members', async () => {
  await becomeMember('officer');
  await openTeamSettings();
  await page.getByTestId('team-desk').waitFor();
  expect(await page.getByTestId('team-role').textContent()).toBe('Loan officer');
  expect(await page.getByTestId('team-members').count()).toBe(0);
  expect(await page.getByTestId('team-invite').count()).toBe(0);
  expect(await page.getByTestId('team-move-history').isVisible()).toBe(true);
  expect(await page.getByTestId('role-locked').count()).toBe(1);

  await page.goto(`${desk.bridge.origin}/#/loans/${encodeURIComponent(loanId)}`);
  await page.getByTestId('loan-screen').waitFor();
  expect(await page.getByTestId('edit-loan').isVisible()).toBe(true);
  expect(await page.getByTestId('delete-loan').isVisible()).toBe(true);
  expect(await page.getByTestId('role-note').count()).toBe(0);

  await becomeMember('admin');
  await openTeamSettings();
  await page.getByTestId('team-members').waitFor();
  expect(await page.getByTestId('team-invite').isVisible()).toBe(true);
  expect(await page.getByTestId('role-locked').count()).toBe(0);
  await page.getByTestId('team-section').screenshot({ path: `${SCREENSHOTS}/team-admin.png` });
});

test('"Use this desk’s local history" leaves team mode through the main process', async () => {
  await page.getByTestId('team-use-local').click();
  await page.getByTestId('confirm-dialog').waitFor();
  expect(await page.getByTestId('confirm-dialog').textContent()).toContain('stay on the team database');
  await page.getByTestId('confirm-ok').click();
  await page.getByTestId('team-local').waitFor();
  expect(calls).toContain('team:useLocal');
  // The button is gone with the team view: reading goes on at the Team heading.
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('team-heading');
  // The local history is back on screen.
  await page.getByTestId('nav-loans').click();
  await page.getByTestId('pipeline-screen').getByText('TEAM-1D').waitFor();
  expect(await page.getByTestId('new-loan').isVisible()).toBe(true);
  expect(pageErrors).toEqual([]);
});

/**
 * The whole team set-up on screen against a real PostgreSQL prepared the way the README asks the office's DBA to
 * (a login that owns the database, with CREATEROLE): this desk creates the team and moves its history in, invites
 * a processor whose own desk joins with the join text and code, sees them join live, and removes them.
 */
describe('a team created, joined and managed on screen', () => {
  let db: TestDatabase;
  let ownerUrl: string;
  let rolePrefix: string;
  let memberBridge: WebBridge | undefined;
  let memberPage: Page;
  let joinText = '';
  let joinCode = '';

  beforeAll(async () => {
    db = await createTestDatabase('assetdesk_teamui');
    rolePrefix = teamGroupRoleNames(db.name).admin.replace(/_admin$/, '_');
    const ownerUser = `${rolePrefix}owner`;
    const ownerPassword = randomBytes(18).toString('base64url');
    const dba = new pg.Client(db.clientConfig());
    await dba.connect();
    try {
      await dba.query(`CREATE ROLE ${ownerUser} LOGIN CREATEROLE PASSWORD '${ownerPassword}'`);
      await dba.query(`ALTER DATABASE ${db.name} OWNER TO ${ownerUser}`);
      await dba.query(`GRANT pg_signal_backend TO ${ownerUser}`);
    } finally {
      await dba.end();
    }
    ownerUrl = `postgres://${ownerUser}:${ownerPassword}@${db.host}:${db.port}/${db.name}`;

    // The member's desk: its own folder and keychain entry, the same web build.
    const memberData = join(workDir, 'member-data');
    mkdirSync(memberData, { recursive: true });
    memberBridge = await startWebBridge({
      userDataDir: memberData,
      staticDir: join(workDir, 'renderer-web'),
      port: 0,
      logger: createMemoryLogger({ level: 'warn' }),
      createServices: (deps) =>
        createAppServices({
          ...deps,
          keychainService: `AssetDesk-browser-test-member-${process.pid}`,
          transport: 'web-bridge',
        }),
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    memberPage = await context.newPage();
    memberPage.on('pageerror', (error) => pageErrors.push(`member desk: ${error.message}`));
    await memberPage.goto(memberBridge.url);
    await memberPage.getByTestId('pipeline-screen').waitFor();
  });

  afterAll(async () => {
    // Both desks leave the team before its database and logins go.
    await desk?.app.handlers['team:useLocal']({}).catch(() => undefined);
    await memberBridge?.services.handlers['team:useLocal']({}).catch(() => undefined);
    await memberBridge?.close();
    if (!db) return;
    const cleanup = new pg.Client({ ...db.clientConfig(), database: 'postgres' });
    await cleanup.connect();
    try {
      await cleanup.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
      const { rows } = await cleanup.query<{ rolname: string }>(
        "SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1) ORDER BY rolname LIKE '%owner'",
        [rolePrefix],
      );
      for (const { rolname } of rows) await cleanup.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(rolname)}`);
    } finally {
      await cleanup.end();
    }
  });

  test('the admin creates the team on the office database and moves this desk’s history into it', async () => {
    await openTeamSettings();
    const form = page.getByTestId('team-create');
    await form.getByTestId('team-create-url').fill(ownerUrl);
    await form.getByTestId('team-create-ca-pem').fill(db.caPem);
    await form.getByTestId('team-create-name').fill('Main Street branch');
    await form.getByTestId('team-create-admin').fill('Ada Admin');
    await form.getByTestId('team-create-submit').click();
    await page.getByTestId('team-desk').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('team-name').textContent()).toBe('Main Street branch');
    expect(await page.getByTestId('team-server').textContent()).toBe(`${db.host}:${db.port}/${db.name}`);
    expect(await page.getByTestId('team-role').textContent()).toBe('Team admin');
    await expect.poll(() => page.getByTestId('team-connection').textContent()).toContain('Connected since');
    // The password typed in the address never comes back to the page.
    expect(await page.content()).not.toContain(new URL(ownerUrl).password);

    const me = page.getByTestId('team-member');
    await me.first().waitFor();
    expect(await me.count()).toBe(1);
    expect(await me.textContent()).toContain('Ada Admin (you)');
    expect(await me.textContent()).toContain('Joined');

    await page.getByTestId('team-move-history').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('team-move-result').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('team-moved-loans').textContent()).toBe('2');
    expect(await page.getByTestId('team-moved-reports').textContent()).toBe('2');
    await page.getByTestId('nav-loans').click();
    await page.getByTestId('pipeline-screen').getByText('TEAM-1D').waitFor();
  });

  test('an invitation shows the join text and code once; the processor joins at their desk and the list follows', async () => {
    await openTeamSettings();
    await page.getByTestId('team-invite').click();
    const dialog = page.getByTestId('team-invite-dialog');
    await dialog.getByTestId('team-invite-name').fill('Pia Processor');
    await dialog.getByTestId('team-invite-email').fill('not an address');
    await dialog.getByTestId('team-invite-role').selectOption('processor');
    expect(await dialog.getByTestId('team-invite-role').locator('option').allTextContents()).toEqual([
      'Loan officer',
      'Processor',
    ]);
    await dialog.getByTestId('team-invite-submit').click();
    await dialog.getByTestId('error-email').waitFor();
    await dialog.getByTestId('team-invite-email').fill('pia@example.com');
    await dialog.getByTestId('team-invite-days').fill('3');
    await dialog.getByTestId('team-invite-submit').click();

    const invitation = page.getByTestId('team-invitation');
    await invitation.waitFor();
    expect(await invitation.textContent()).toContain(
      'Send the join text by e-mail and read the join code out by phone',
    );
    joinText = (await invitation.getByTestId('team-invitation-text').textContent()) ?? '';
    joinCode = (await invitation.getByTestId('team-invitation-code').textContent()) ?? '';
    expect(joinCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    expect(joinText.length).toBeGreaterThan(20);
    await invitation.screenshot({ path: `${SCREENSHOTS}/team-invitation.png` });
    await invitation.getByTestId('team-copy-join-code').click();
    await expect.poll(() => desk.bridge.clipboard().at(-1)).toBe(joinCode);
    expect(await seriousViolations(page)).toEqual([]);
    // Not both copied: closing asks first; going back keeps them on screen.
    await invitation.getByTestId('team-invitation-done').click();
    await page.getByTestId('confirm-cancel').click();
    expect(await invitation.getByTestId('team-invitation-code').textContent()).toBe(joinCode);
    await invitation.getByTestId('team-invitation-done').click();
    await page.getByTestId('confirm-ok').click();
    await invitation.waitFor({ state: 'detached' });

    const pia = page.getByTestId('team-member').filter({ hasText: 'Pia Processor' });
    await pia.waitFor();
    expect(await pia.textContent()).toContain('Invited, not joined yet');

    // The processor's desk joins with what the admin sent and read out.
    await memberPage.getByTestId('nav-settings').click();
    const join = memberPage.getByTestId('team-join');
    await join.getByTestId('team-join-text').fill(joinText);
    await join.getByTestId('team-join-code').fill(joinCode.toLowerCase());
    await join.getByTestId('team-join-ca-pem').fill(db.caPem);
    await join.getByTestId('team-join-submit').click();
    await memberPage.getByTestId('team-desk').waitFor({ timeout: 60_000 });
    expect(await memberPage.getByTestId('team-role').textContent()).toBe('Processor');
    expect(await memberPage.getByTestId('team-member-name').textContent()).toBe('Pia Processor');
    expect(await memberPage.getByTestId('role-locked').count()).toBe(1);

    // Her desk shows the team's loans, without the officer's buttons.
    await memberPage.getByTestId('nav-loans').click();
    await memberPage.getByTestId('pipeline-screen').getByText('TEAM-1D').waitFor();
    expect(await memberPage.getByTestId('new-loan').count()).toBe(0);

    // The admin's list learns she joined from the change feed (no reload, no polling).
    await expect.poll(() => pia.textContent(), { timeout: 10_000 }).toContain('Joined');
  });

  test('removing a member says what happens, and the list shows them removed', async () => {
    const pia = page.getByTestId('team-member').filter({ hasText: 'Pia Processor' });
    await pia.getByTestId('team-remove-member').click();
    const confirmation = page.getByTestId('confirm-dialog');
    await confirmation.waitFor();
    const text = (await confirmation.textContent()) ?? '';
    expect(text).toContain('access to the team database ends at once');
    expect(text).toContain('The team key is rotated');
    expect(text).toContain('Plaid access tokens');
    await page.getByTestId('confirm-ok').click();
    await page.getByText('Pia Processor was removed. The team key is now version 2;').waitFor({ timeout: 60_000 });
    await expect.poll(() => pia.textContent()).toContain('Removed');
    await page.getByTestId('team-section').screenshot({ path: `${SCREENSHOTS}/team-admin-members.png` });
    // Her desk loses the team database at once: it says so and keeps what was on screen.
    await memberPage.getByTestId('team-offline-banner').waitFor({ timeout: 15_000 });
    await memberPage.waitForTimeout(500);
    expect(await memberPage.getByTestId('pipeline-screen').getByText('TEAM-1D').isVisible()).toBe(true);
    await memberPage.screenshot({ path: `${SCREENSHOTS}/team-removed-member-desk.png` });
    expect(await pia.getByTestId('team-remove-member').count()).toBe(0);
    expect(pageErrors).toEqual([]);
  });
});
