import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetDeskStore } from '../../electron/db';
import { createValueCipher } from '../../electron/db/cipher';
import { LATEST_SCHEMA_VERSION } from '../../electron/db/migrations';
import { MoveErrorCodes, moveLocalHistory, type MoveProgress } from '../../electron/db/move-history';
import { openTeamStore, type TeamStore } from '../../electron/db/team-store';
import { createTeamKeychain } from '../../electron/services/team/keychain';
import { createMemberKeyPair, createTeamKeyring, rotateTeamKey } from '../../electron/services/team/keys';
import { writeTeamConfig, type TeamDeskConfig } from '../../electron/services/team/team-desk';
import { createTeamValueCipher } from '../../electron/services/team/value-cipher';
import { createKeychainVault } from '../../electron/services/vault';
import { borrowerInput, newLoanInput } from '../helpers/applicant';
import { FAKE_ACCESS_TOKEN, FAKE_AUDIT_COPY_TOKEN, FAKE_LINK_TOKEN, FAKE_REPORT_TOKEN } from '../helpers/fake-tokens';
import { keychainAvailability, realKeytar, requireKeychain, testKeychainService } from '../helpers/keychain';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';
import { buildAssetReport } from '../store/fixtures/asset-report';
import { plainPdf } from '../store/fixtures/pdf';
import { TEAM_ONLY_COLUMNS } from '../../electron/db/postgres/migrations/003_team_members';
import { tempStore } from '../store/helpers';

const SSN = '512-44-8123';
const SECOND_ACCESS_TOKEN = FAKE_ACCESS_TOKEN.replace('a1', 'e7');
const DEPOSIT_NOTE = 'Gift of 25,000 from grandmother Rosalind Whitcombe';
const CONFIRMATION_NOTE = 'Joint account with spouse Teodoro Quintanilla, confirmed by statement';
const HOSTED_URL = 'https://hosted.plaid.com/link/hl-sandbox-private-7f3a';

type Local = Awaited<ReturnType<typeof tempStore>>;

/**
 * A local history with every kind of row: two loans (one with two borrowers), banks, a ready report with
 * content and PDF refreshed into a second one, an audit copy, a sourced deposit, a confirmation, a Hosted
 * Link session, activity and an SSN.
 */
async function buildLocalHistory(local: Local) {
  const { store } = local;
  const loanA = await store.loans.create(newLoanInput({ loanNumber: 'LN-MOVE-1', ssn: SSN }));
  await store.loans.addBorrower(loanA.id, borrowerInput({ firstName: 'Ana' }));
  const loanB = await store.loans.create(
    newLoanInput({ loanNumber: 'LN-MOVE-2', firstName: 'Sam', lastName: 'Ortiz' }),
  );
  const [first, second] = (await store.loans.get(loanA.id))!.borrowers;
  const result = buildAssetReport({ transactions: 200, accounts: 3, items: 2 });
  local.advance(60_000);
  const items = [];
  for (const [i, plaidItem] of result.report.items.entries()) {
    items.push(
      await store.items.add({
        applicantId: i === 0 ? first!.id : second!.id,
        environment: 'sandbox',
        plaidItemId: plaidItem.item_id,
        accessToken: i === 0 ? FAKE_ACCESS_TOKEN : SECOND_ACCESS_TOKEN,
        institutionId: plaidItem.institution_id,
        institutionName: plaidItem.institution_name,
        accounts: plaidItem.accounts.map((a) => ({
          accountId: a.account_id,
          name: a.name,
          mask: a.mask,
          type: a.type,
          subtype: a.subtype,
        })),
      }),
    );
  }
  await store.items.setConsentExpiry(items[0]!.id, '2027-10-01T00:00:00.000Z');
  local.advance(60_000);
  const report = await store.reports.createPending({
    loanId: loanA.id,
    applicantId: first!.id,
    environment: 'sandbox',
    kind: 'create',
    parentId: null,
    daysRequested: 730,
    itemIds: items.map((item) => item.id),
    includeApplicantDetails: true,
  });
  await store.reports.attachPlaid(report.id, {
    plaidReportId: result.report.asset_report_id,
    reportToken: FAKE_REPORT_TOKEN,
  });
  result.report.user = { ...result.report.user, ssn: SSN, first_name: 'Maria', last_name: 'Lopez' };
  const reportJson = JSON.stringify(result);
  const pdf = await plainPdf('Asset Report — Maria Lopez', ['Checking ending 0000', 'Rosalind Whitcombe gift']);
  await store.reports.markReady(report.id, {
    reportJson,
    pdf,
    summary: { totalBalance: 48_210.55, accountCount: 3, earliestHistoryDate: '2024-11-02' },
    readyAt: '2026-11-02T12:05:00.000Z',
  });
  await store.reports.setFindingCounts(report.id, { attention: 2, info: 1 });
  local.advance(60_000);
  const refresh = await store.reports.createPending({
    loanId: loanA.id,
    applicantId: first!.id,
    environment: 'sandbox',
    kind: 'refresh',
    parentId: report.id,
    daysRequested: 730,
    itemIds: items.map((item) => item.id),
    includeApplicantDetails: true,
  });
  const copy = await store.auditCopies.create({
    reportId: report.id,
    auditorId: 'fannie_mae',
    token: FAKE_AUDIT_COPY_TOKEN,
  });
  const deposit = result.report.items[0]!.accounts[0]!.transactions.find((t) => t.amount < 0)!;
  await store.sourcedDeposits.mark(report.id, deposit.transaction_id, DEPOSIT_NOTE);
  await store.accountConfirmations.confirm(first!.id, {
    accountKey: 'ins_1/0000/checking',
    kind: 'ownership',
    note: CONFIRMATION_NOTE,
  });
  const hosted = await store.hostedLinkSessions.add({
    applicantId: loanB.borrowers[0]!.id,
    environment: 'sandbox',
    linkToken: FAKE_LINK_TOKEN,
    url: HOSTED_URL,
    expiration: '2026-11-09T12:00:00.000Z',
    deliveryMethod: 'email',
  });
  for (const [action, reportId] of [
    ['report_ready', report.id],
    ['audit_copy_created', report.id],
    ['exported', report.id],
  ] as const) {
    local.advance(1_000);
    await store.activity.append({ action, reportId, detail: { reportId } });
  }
  // Two identical entries (same moment): both move, and a second move still recognises both.
  await store.activity.append({ action: 'pdf_opened', reportId: report.id, detail: {} });
  await store.activity.append({ action: 'pdf_opened', reportId: report.id, detail: {} });
  return {
    loans: [loanA.id, loanB.id],
    borrowers: [first!.id, second!.id, loanB.borrowers[0]!.id],
    items: items.map((item) => item.id),
    reports: [report.id, refresh.id],
    copy: copy.id,
    hosted: hosted.id,
    reportJson,
    pdf,
    deposit: deposit.transaction_id,
    secrets: [FAKE_ACCESS_TOKEN, SECOND_ACCESS_TOKEN, FAKE_REPORT_TOKEN, FAKE_AUDIT_COPY_TOKEN, FAKE_LINK_TOKEN, SSN],
    plainTexts: [DEPOSIT_NOTE, CONFIRMATION_NOTE, HOSTED_URL, reportJson.slice(0, 400)],
  };
}

type History = Awaited<ReturnType<typeof buildLocalHistory>>;

/** Every row of every table of the team database, as text and raw bytes, for comparing and grepping. */
async function dumpTeamDatabase(db: TestDatabase): Promise<{ tables: Record<string, string[]>; bytes: Buffer }> {
  const client = new pg.Client(db.clientConfig());
  await client.connect();
  try {
    const names = (
      await client.query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
      )
    ).rows.map((r) => r.table_name);
    const tables: Record<string, string[]> = {};
    const chunks: Buffer[] = [];
    for (const name of names) {
      const rows = (await client.query<Record<string, unknown>>(`SELECT * FROM ${name}`)).rows;
      tables[name] = rows.map((row) => JSON.stringify(row)).sort();
      for (const row of rows)
        for (const value of Object.values(row))
          chunks.push(Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value) ?? '', 'utf8'));
    }
    return { tables, bytes: Buffer.concat(chunks) };
  } finally {
    await client.end();
  }
}

const teamCipherFor = (key: Buffer) => createValueCipher(key);

const MOVED_TABLES = [
  'loans',
  'applicants',
  'items',
  'reports',
  'report_items',
  'report_content',
  'audit_copies',
  'sourced_deposits',
  'account_confirmations',
  'hosted_link_sessions',
] as const;

/** A row as compared across engines: sealed columns only say whether they hold a value. */
function comparableRow(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row).map(([column, value]) => [column, column.endsWith('_enc') ? value !== null : value]),
  );
}
const sortedRows = (rows: Record<string, unknown>[]) =>
  rows.map(comparableRow).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

function localRows(file: string, table: string): Record<string, unknown>[] {
  const db = new Database(file, { readonly: true });
  try {
    return sortedRows(db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]);
  } finally {
    db.close();
  }
}

/** A team table's rows, without the columns only the team has (who did it, stamped by the server). */
async function teamRows(team: TeamStore, table: string): Promise<Record<string, unknown>[]> {
  const teamOnly = TEAM_ONLY_COLUMNS[table] ?? [];
  const rows = (await team.engine.statement(`SELECT * FROM ${table}`).all()) as Record<string, unknown>[];
  return sortedRows(rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => !teamOnly.includes(k)))));
}

describe('moving a local history into the team database', async () => {
  const db = await createTestDatabase();
  let local: Local;
  let history: History;
  let team: TeamStore;
  const teamKey = randomBytes(32);

  beforeAll(async () => {
    local = await tempStore();
    history = await buildLocalHistory(local);
    team = await openTeamStore({ url: db.url, caPem: db.caPem, cipher: teamCipherFor(teamKey) });
  });
  afterAll(async () => {
    await team?.close();
    await local?.cleanup();
  });

  const move = (progress?: MoveProgress[]) =>
    moveLocalHistory({
      sqliteFile: local.file,
      localCipher: createValueCipher(local.dataKey),
      team: { engine: team.engine, cipher: teamCipherFor(teamKey) },
      movedBy: 'Dana Reyes',
      ...(progress ? { onProgress: (p: MoveProgress) => progress.push(p) } : {}),
    });

  it('copies every loan, borrower, bank, report, audit copy and activity entry; the team store answers the same', async () => {
    const progress: MoveProgress[] = [];
    const localActivity = await local.store.activity.list({ limit: 1000 });
    const result = await move(progress);
    expect(result).toMatchObject({
      loans: 2,
      borrowers: 3,
      items: 2,
      reports: 2,
      auditCopies: 1,
      activity: localActivity.length,
      skipped: 0,
    });
    expect(result.tables).toMatchObject({
      report_items: { moved: 4, skipped: 0 },
      report_content: { moved: 1, skipped: 0 },
      sourced_deposits: { moved: 1, skipped: 0 },
      account_confirmations: { moved: 1, skipped: 0 },
      hosted_link_sessions: { moved: 1, skipped: 0 },
    });
    expect(progress.at(-1)).toEqual({ table: 'activity', done: localActivity.length, total: localActivity.length });
    expect(new Set(progress.map((p) => p.table))).toContain('report_content');

    const l: AssetDeskStore = local.store;
    // Plain columns exactly as they were, sealed ones present where they were (compared opened, below).
    for (const table of MOVED_TABLES) expect(await teamRows(team, table), table).toEqual(localRows(local.file, table));
    // The pipeline's summary, kept by the team database's own triggers, comes out as the local one.
    expect(await teamRows(team, 'loan_env_summary')).toEqual(localRows(local.file, 'loan_env_summary'));

    for (const id of history.loans) expect(await team.loans.get(id)).toEqual(await l.loans.get(id));
    for (const id of history.borrowers) {
      expect(await team.applicants.get(id)).toEqual(await l.applicants.get(id));
      expect(await team.applicants.revealSsn(id)).toBe(await l.applicants.revealSsn(id));
    }
    expect(await team.applicants.revealSsn(history.borrowers[0]!)).toBe(SSN);
    for (const id of history.items) {
      expect(await team.items.get(id)).toEqual(await l.items.get(id));
      expect(await team.items.accessToken(id)).toBe(await l.items.accessToken(id));
    }
    expect(await team.items.accessToken(history.items[1]!)).toBe(SECOND_ACCESS_TOKEN);
    expect(await team.reports.reportToken(history.reports[0]!)).toBe(FAKE_REPORT_TOKEN);
    const content = await team.reports.readContent(history.reports[0]!);
    expect(content.json).toEqual(JSON.parse(history.reportJson));
    expect(Buffer.from(content.pdf).equals(Buffer.from(history.pdf))).toBe(true);
    expect(await team.auditCopies.token(history.copy)).toBe(FAKE_AUDIT_COPY_TOKEN);
    expect(await team.auditCopies.list(history.reports[0]!)).toEqual(await l.auditCopies.list(history.reports[0]!));
    expect(await team.sourcedDeposits.list(history.reports[0]!)).toEqual(
      await l.sourcedDeposits.list(history.reports[0]!),
    );
    expect(await team.accountConfirmations.list(history.borrowers[0]!)).toEqual(
      await l.accountConfirmations.list(history.borrowers[0]!),
    );
    expect(await team.hostedLinkSessions.get(history.hosted)).toEqual(await l.hostedLinkSessions.get(history.hosted));
    expect(await team.hostedLinkSessions.linkToken(history.hosted)).toBe(FAKE_LINK_TOKEN);
    expect(await team.hostedLinkSessions.url(history.hosted)).toBe(HOSTED_URL);

    // Same entries in the same order (the team numbers its own ids), then one entry saying what moved.
    const activitySql = 'SELECT at, action, loan_id, applicant_id, report_id, detail FROM activity ORDER BY id';
    const teamActivity = (await team.engine.statement(activitySql).all()) as Record<string, unknown>[];
    const localFile = new Database(local.file, { readonly: true });
    try {
      expect(teamActivity.slice(0, -1)).toEqual(localFile.prepare(activitySql).all());
    } finally {
      localFile.close();
    }
    expect(teamActivity).toHaveLength(localActivity.length + 1);
    const moved = teamActivity.at(-1)!;
    expect(moved).toMatchObject({ action: 'history_moved', loan_id: null, applicant_id: null, report_id: null });
    expect(JSON.parse(moved.detail as string)).toMatchObject({
      loans: 2,
      borrowers: 3,
      items: 2,
      reports: 2,
      auditCopies: 1,
      activity: localActivity.length,
      skipped: 0,
      movedBy: 'Dana Reyes',
    });
  });

  it('moving again moves nothing: every row is already there and counted as skipped', async () => {
    const before = await dumpTeamDatabase(db);
    const result = await move();
    // Every local row counts once: the moved tables' rows, and the activity entries but the first history_moved.
    const rowCount =
      MOVED_TABLES.reduce((sum, table) => sum + before.tables[table]!.length, 0) + before.tables.activity!.length - 1;
    expect(result).toMatchObject({ loans: 0, borrowers: 0, items: 0, reports: 0, auditCopies: 0, activity: 0 });
    expect(result.skipped).toBe(rowCount);
    const after = await dumpTeamDatabase(db);
    expect({ ...after.tables, activity: [] }).toEqual({ ...before.tables, activity: [] });
    expect(after.tables.activity!.length).toBe(before.tables.activity!.length + 1); // the second history_moved
  });

  it('the team database never holds a token, an SSN, a note or the report in clear', async () => {
    const { bytes } = await dumpTeamDatabase(db);
    for (const text of [...history.secrets, SSN.replaceAll('-', ''), ...history.plainTexts])
      expect(bytes.includes(Buffer.from(text, 'utf8')), text).toBe(false);
    // And none of the local file's sealed bytes were copied as they are.
    const file = new Database(local.file, { readonly: true });
    try {
      const sealed = file.prepare('SELECT pdf_enc FROM report_content').pluck().get() as Buffer;
      expect(bytes.includes(sealed.subarray(13, 45))).toBe(false);
    } finally {
      file.close();
    }
  });
});

describe('a move that cannot be done whole is not done at all', async () => {
  const db = await createTestDatabase();
  let local: Local;
  let team: TeamStore;
  const teamKey = randomBytes(32);

  beforeAll(async () => {
    local = await tempStore();
    await buildLocalHistory(local);
    team = await openTeamStore({ url: db.url, caPem: db.caPem, cipher: createValueCipher(teamKey) });
  });
  afterAll(async () => {
    await team?.close();
    await local?.cleanup();
  });

  const move = () =>
    moveLocalHistory({
      sqliteFile: local.file,
      localCipher: createValueCipher(local.dataKey),
      team: { engine: team.engine, cipher: createValueCipher(teamKey) },
    });

  it('a loan number another team loan already uses refuses the whole move, naming the number', async () => {
    const theirs = await team.loans.create(newLoanInput({ loanNumber: 'ln-move-2 ' }));
    const before = await dumpTeamDatabase(db);
    const error = await move().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LOAN_NUMBER_TAKEN' });
    expect((error as Error).message).toMatch(/LN-MOVE-2/);
    expect((error as Error).message).toMatch(/Nothing was moved/);
    expect(await dumpTeamDatabase(db)).toEqual(before);
    await team.loans.delete(theirs.id);
  });

  it('a bank another team loan already has under another record refuses the whole move', async () => {
    const file = new Database(local.file, { readonly: true });
    const plaidItemId = file.prepare('SELECT plaid_item_id FROM items ORDER BY linked_at, id').pluck().get() as string;
    file.close();
    const theirs = await team.loans.create(newLoanInput({ loanNumber: 'LN-OTHER-DESK' }));
    await team.items.add({
      applicantId: theirs.borrowers[0]!.id,
      environment: 'sandbox',
      plaidItemId,
      accessToken: FAKE_ACCESS_TOKEN,
      institutionId: 'ins_1',
      institutionName: 'First Platypus Bank',
      accounts: [],
    });
    const before = await dumpTeamDatabase(db);
    const error = await move().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: MoveErrorCodes.conflict });
    expect((error as Error).message).toMatch(/already holds a bank connection from this history.*nothing was moved/s);
    expect(await dumpTeamDatabase(db)).toEqual(before);
    await team.loans.delete(theirs.id);
  });

  it('a damaged local value stops the move, says what is damaged, and writes nothing', async () => {
    await local.store.close();
    const file = new Database(local.file);
    try {
      const sealed = file.prepare('SELECT report_id, pdf_enc FROM report_content').get() as {
        report_id: string;
        pdf_enc: Buffer;
      };
      sealed.pdf_enc[40]! ^= 0xff;
      file.prepare('UPDATE report_content SET pdf_enc = ? WHERE report_id = ?').run(sealed.pdf_enc, sealed.report_id);
    } finally {
      file.close();
    }
    const before = await dumpTeamDatabase(db);
    const error = await move().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_DATA_CORRUPT' });
    expect((error as Error).message).toMatch(/Asset Report PDF.*Nothing was moved/s);
    expect(await dumpTeamDatabase(db)).toEqual(before);
    expect(before.tables.loans).toHaveLength(0);
  });

  it('a history in an older format, or with a table this version cannot move, is refused before anything moves', async () => {
    const copy = join(local.dir, 'copy.sqlite');
    const attempt = async (change: string) => {
      copyFileSync(local.file, copy);
      const file = new Database(copy);
      file.exec(change);
      file.close();
      return moveLocalHistory({
        sqliteFile: copy,
        localCipher: createValueCipher(local.dataKey),
        team: { engine: team.engine, cipher: createValueCipher(teamKey) },
      }).catch((e: unknown) => e);
    };
    expect(await attempt(`PRAGMA user_version = ${LATEST_SCHEMA_VERSION - 1}`)).toMatchObject({
      code: MoveErrorCodes.localHistoryOutdated,
    });
    expect(await attempt('CREATE TABLE loan_notes (id TEXT PRIMARY KEY, note_enc BLOB)')).toMatchObject({
      code: MoveErrorCodes.schemaMismatch,
      message: expect.stringMatching(/loan_notes/) as unknown,
    });
    expect(await attempt('ALTER TABLE loans ADD COLUMN branch_code TEXT')).toMatchObject({
      code: MoveErrorCodes.schemaMismatch,
      message: expect.stringMatching(/loans\.branch_code/) as unknown,
    });
    expect(await team.engine.statement('SELECT count(*) FROM loans').pluck().get()).toBe(0);
  });

  it('the wrong local data key is refused before anything is read', async () => {
    const error = await moveLocalHistory({
      sqliteFile: local.file,
      localCipher: createValueCipher(randomBytes(32)),
      team: { engine: team.engine, cipher: createValueCipher(teamKey) },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_KEY_MISMATCH' });
  });

  it("another team's key is refused: nothing is sealed with a key the team can't open", async () => {
    const error = await moveLocalHistory({
      sqliteFile: local.file,
      localCipher: createValueCipher(local.dataKey),
      team: { engine: team.engine, cipher: createValueCipher(randomBytes(32)) },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STORE_KEY_MISMATCH' });
  });
});

const CLI = fileURLToPath(new URL('../../electron/cli/team-move.ts', import.meta.url));
const keychain = await keychainAvailability();

describe.skipIf(!keychain.ok && process.env.ASSETDESK_ALLOW_NO_KEYCHAIN === '1')(
  'npm run team:move (keys from the real keychain)',
  async () => {
    const db = await createTestDatabase();
    const service = testKeychainService();
    const teamService = testKeychainService();
    // A rotated keyring: values are sealed with the current version, as a desk that joined after a rotation does.
    const keyring = rotateTeamKey(createTeamKeyring());
    let local: Local;
    let history: History;
    let dataDir: string;
    const config = (role: TeamDeskConfig['role']): TeamDeskConfig => ({
      format: 1,
      url: db.url.replace(/:[^:@/]*@/, '@'), // team.json never holds the password; the keychain does
      caPem: db.caPem,
      teamId: keyring.teamId,
      teamName: 'Bayview branch',
      memberId: 'member-1',
      memberName: 'Dana Reyes',
      role,
    });
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          CLI,
          '--data',
          dataDir,
          '--keychain-service',
          service,
          '--team-keychain-service',
          teamService,
          ...args,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );

    beforeAll(async () => {
      await requireKeychain(); // fails these tests with the way to run them when no Secret Service answers
      local = await tempStore();
      history = await buildLocalHistory(local);
      await local.store.close();
      dataDir = dirname(local.file);
      await createKeychainVault({ service }).restoreDataKey(local.dataKey);
      await createTeamKeychain({ service: teamService }).save({
        teamId: keyring.teamId,
        memberId: 'member-1',
        memberKeyPair: createMemberKeyPair(),
        keyring,
        databasePassword: decodeURIComponent(new URL(db.url).password),
      });
      // The admin's desk made the team database (schema and key check) before this officer joined.
      const admin = await openTeamStore({ url: db.url, caPem: db.caPem, cipher: createTeamValueCipher(keyring) });
      await admin.close();
    });
    afterAll(async () => {
      await local?.cleanup();
      if (!keychain.ok) return;
      const keytar = await realKeytar();
      await keytar.deletePassword(service, 'data-key');
      await keytar.deletePassword(teamService, `team:${keyring.teamId}`);
    });

    it('a processor is refused; nothing is moved', async () => {
      writeTeamConfig(dataDir, config('processor'));
      const child = run();
      expect(child.status, child.stderr).toBe(1);
      expect(child.stderr).toMatch(/Your role \(Processor\) does not allow this/);
      const team = await openTeamStore({ url: db.url, caPem: db.caPem, cipher: createTeamValueCipher(keyring) });
      try {
        expect(await team.engine.statement('SELECT count(*) FROM loans').pluck().get()).toBe(0);
      } finally {
        await team.close();
      }
    });

    it('moves with the keychain keys and prints progress and counts; a second run moves nothing', async () => {
      writeTeamConfig(dataDir, config('officer'));
      const first = run('--database-url', config('officer').url, '--ca', db.caFile);
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/report contents and PDFs: 1\/1/);
      expect(first.stdout).toMatch(
        /Moved 2 loan files, 3 borrowers, 2 bank connections, 2 Asset Reports, 1 audit copies and \d+ activity entries/,
      );
      const second = run(); // address and CA from team.json
      expect(second.status, second.stderr).toBe(0);
      expect(second.stdout).toMatch(/Moved 0 loan files, 0 borrowers, 0 bank connections, 0 Asset Reports/);
      expect(second.stdout).toMatch(/\d+ records were already in the team database/);

      const team = await openTeamStore({ url: db.url, caPem: db.caPem, cipher: createTeamValueCipher(keyring) });
      try {
        expect(await team.applicants.revealSsn(history.borrowers[0]!)).toBe(SSN);
        expect(await team.items.accessToken(history.items[0]!)).toBe(FAKE_ACCESS_TOKEN);
        expect(Buffer.from(await team.reports.readPdf(history.reports[0]!)).equals(Buffer.from(history.pdf))).toBe(
          true,
        );
        const moved = (await team.engine
          .statement("SELECT detail FROM activity WHERE action = 'history_moved' ORDER BY id")
          .pluck()
          .all()) as string[];
        expect(moved.map((d) => (JSON.parse(d) as { loans: number; movedBy: string }).loans)).toEqual([2, 0]);
        expect(JSON.parse(moved[0]!)).toMatchObject({ movedBy: 'Dana Reyes' });
      } finally {
        await team.close();
      }
    });

    it('a wrong team database address fails with the reason and exit code 1', () => {
      const child = run('--database-url', 'postgres://nobody@127.0.0.1:1/none');
      expect(child.status).toBe(1);
      expect(child.stderr).toMatch(/127\.0\.0\.1:1/);
      expect(child.stderr).not.toMatch(/at .*\.ts:\d+/); // a message, not a stack trace
    });
  },
);
