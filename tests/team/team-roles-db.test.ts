import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { openPostgresEngine } from '../../electron/db/postgres/engine';
import { migratePostgres } from '../../electron/db/postgres/migrations';
import { createTestDatabase } from '../helpers/postgres';
import {
  SECRET_COLUMNS,
  TEAM_DATABASE_SETUP,
  teamGroupRoleNames,
} from '../../electron/db/postgres/migrations/003_team_members';
import { joinTeam, type JoinedTeam } from '../../electron/services/team/join';
import { createTeamValueCipher } from '../../electron/services/team/value-cipher';
import { inviteMember } from '../../electron/services/team/team-admin';
import { newLoanInput } from '../helpers/applicant';
import { setUpTeamDatabase } from './team-setup';

/**
 * The roles as PostgreSQL itself enforces them, checked from each member's own login over verified TLS: what
 * the main process refuses first must also be refused by the server, whatever a tampered desk sends.
 */

const DATA_TABLES = [
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
  'settings',
  'loan_env_summary',
  'store_meta',
];

async function refusal(promise: Promise<unknown>, what = ''): Promise<{ code?: string; message: string }> {
  const outcome = await promise.then(
    () => null,
    (err: unknown) => err as { code?: string; message: string },
  );
  expect(outcome, `the server should have refused ${what}`).not.toBeNull();
  return outcome!;
}
const denied = async (promise: Promise<unknown>, what = '') =>
  expect((await refusal(promise, what)).code).toBe('42501');

describe('team roles enforced by the database', async () => {
  const team = await setUpTeamDatabase();
  const expiresAt = new Date(Date.now() + 24 * 3600_000);
  const join = async (name: string, role: 'officer' | 'processor'): Promise<JoinedTeam> => {
    const invitation = await inviteMember({ engine: team.admin, keyring: team.team.keyring, name, role, expiresAt });
    return joinTeam({ joinText: invitation.joinText, joinCode: invitation.joinCode, caPem: team.db.caPem });
  };
  const officer = await join('Olivia Officer', 'officer');
  const processor = await join('Pedro Processor', 'processor');

  // The officer does real loan work through the store's repositories, signed in as their own login.
  const officerStore = await team.openStore(officer.connection, officer.keyring);
  const loan = await officerStore.loans.create(newLoanInput({ loanNumber: 'LN-ROLES-1', ssn: '123-45-6789' }));
  const applicantId = loan.borrowers[0]!.id;
  const item = await officerStore.items.add({
    applicantId,
    environment: 'emulator',
    plaidItemId: 'item-roles-1',
    accessToken: 'access-sandbox-roles-secret',
    institutionId: 'ins_109508',
    institutionName: 'First Platypus Bank',
    accounts: [],
  });
  // Rows as the report lifecycle writes them (its repository is exercised by the store tests on both engines).
  const report = { id: 'report-roles-1' };
  await officerStore.engine
    .statement(
      `INSERT INTO reports (id, applicant_id, environment, kind, status, days_requested, include_applicant_details,
         plaid_report_id, report_token_enc, created_at, loan_id)
       VALUES (?, ?, 'emulator', 'create', 'pending', 61, 1, 'plaid-report-roles', ?, ?, ?)`,
    )
    .run(
      report.id,
      applicantId,
      createTeamValueCipher(officer.keyring).sealText('assets-sandbox-roles-token', {
        table: 'reports',
        column: 'report_token_enc',
        rowId: report.id,
      }),
      new Date().toISOString(),
      loan.id,
    );
  await officerStore.engine
    .statement('INSERT INTO report_items (report_id, item_id) VALUES (?, ?)')
    .run(report.id, item.id);

  it('connects each member as their own login over verified TLS, in their group only', async () => {
    const client = await team.client(processor.connection);
    const { rows } = await client.query<{ me: string; ssl: boolean; groups: string[] }>(
      `SELECT session_user AS me, (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()) AS ssl,
         ARRAY(SELECT b.rolname FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid
               WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = session_user))::text[] AS groups`,
    );
    expect(rows[0]!.me).toBe(processor.connection.user);
    expect(rows[0]!.ssl).toBe(true);
    expect(rows[0]!.groups).toEqual([expect.stringMatching(/_processor$/)]);
    expect(officer.role).toBe('officer');
    expect(processor.role).toBe('processor');
  });

  it('lets the officer do loan work: the pipeline summary follows their reports', async () => {
    const summary = await officerStore.engine
      .statement('SELECT report_count, has_pending FROM loan_env_summary WHERE loan_id = ?')
      .get(loan.id);
    expect(summary).toEqual({ report_count: 1, has_pending: 1 });
    await officerStore.loans.update(loan.id, { fundsToClose: 70_000 });
    expect(await officerStore.items.accessToken(item.id)).toBe('access-sandbox-roles-secret');
    // Deleting a loan file cascades through its borrowers and reports and their summary, with officer rights only.
    const other = await officerStore.loans.create(newLoanInput({ loanNumber: 'LN-ROLES-2' }));
    await officerStore.loans.delete(other.id);
    expect(await officerStore.loans.get(other.id)).toBeNull();
  });

  it('refuses processors every UPDATE and DELETE, and the token and SSN columns', async () => {
    const client = await team.client(processor.connection);
    for (const table of DATA_TABLES) {
      await denied(client.query(`DELETE FROM ${table}`), `DELETE FROM ${table}`);
      const { rows } = await client.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 LIMIT 1",
        [table],
      );
      const column = rows[0]!.column_name;
      await denied(client.query(`UPDATE ${table} SET ${column} = ${column}`), `UPDATE ${table}.${column}`);
    }
    await denied(client.query("INSERT INTO loans (id) VALUES ('x')"));
    await denied(client.query('TRUNCATE activity'));
    // Every secret column (a pending report's token comes through a function instead: the next test).
    for (const [table, columns] of Object.entries(SECRET_COLUMNS)) {
      for (const column of columns) await denied(client.query(`SELECT ${column} FROM ${table}`), `${table}.${column}`);
      await denied(client.query(`SELECT * FROM ${table}`), `SELECT * FROM ${table}`);
    }
    // Nor the summary function directly except as their report's outcome needs it (migration 004): it only recounts.
  });

  it('lets a processor carry on a pending report another desk requested, and nothing else of reports', async () => {
    const client = await team.client(processor.connection);
    // The report's token (to poll Plaid for the report already requested) is readable while it is pending, through
    // the schema's function only (migration 007); access tokens never are.
    const pendingToken = 'SELECT assetdesk_pending_report_token($1) AS token';
    const token = await client.query<{ token: Buffer | null }>(pendingToken, [report.id]);
    expect(token.rows[0]!.token).toBeInstanceOf(Buffer);
    await denied(client.query('SELECT report_token_enc FROM reports WHERE id = $1', [report.id]));
    await denied(client.query('SELECT access_token_enc FROM items'));
    // Its outcome may be written while it is pending …
    await client.query('BEGIN');
    await client.query(
      "INSERT INTO report_content (report_id, json_codec, json_enc, pdf_enc) VALUES ($1, 'zstd', '\\x00', '\\x00')",
      [report.id],
    );
    const done = await client.query("UPDATE reports SET status = 'ready', ready_at = $2 WHERE id = $1", [
      report.id,
      new Date().toISOString(),
    ]);
    expect(done.rowCount).toBe(1);
    await client.query('ROLLBACK');
    // … not once it is settled, and never other columns (who asked, for which loan, what was asked).
    await officerStore.engine.statement("UPDATE reports SET status = 'failed' WHERE id = ?").run(report.id);
    const late = await client.query("UPDATE reports SET status = 'ready' WHERE id = $1", [report.id]);
    expect(late.rowCount).toBe(0);
    expect((await client.query<{ token: Buffer | null }>(pendingToken, [report.id])).rows[0]!.token).toBeNull();
    await officerStore.engine.statement("UPDATE reports SET status = 'pending' WHERE id = ?").run(report.id);
    await denied(client.query('UPDATE reports SET loan_id = loan_id'));
    await denied(client.query('UPDATE reports SET days_requested = 730'));
    await denied(client.query('DELETE FROM report_content'));
  });

  it('lets processors read the pipeline and the report, and log their exports', async () => {
    const client = await team.client(processor.connection);
    const pipeline = await client.query(
      `SELECT l.loan_number, s.report_count, r.status, r.plaid_report_id, b.first_name, i.institution_name
       FROM loans l JOIN loan_env_summary s ON s.loan_id = l.id JOIN reports r ON r.loan_id = l.id
       JOIN applicants b ON b.loan_id = l.id JOIN items i ON i.applicant_id = b.id WHERE l.id = $1`,
      [loan.id],
    );
    expect(pipeline.rows).toEqual([
      {
        loan_number: 'LN-ROLES-1',
        report_count: '1',
        status: 'pending',
        plaid_report_id: 'plaid-report-roles',
        first_name: 'Maria',
        institution_name: 'First Platypus Bank',
      },
    ]);
    const before = await client.query<{ last_activity_at: string }>(
      'SELECT last_activity_at FROM loans WHERE id = $1',
      [loan.id],
    );
    // The app claims someone else did it: the server writes who is signed in.
    const logged = await client.query<{ actor: string; actor_member_id: string }>(
      `INSERT INTO activity (at, action, detail, loan_id, actor, actor_member_id)
       VALUES ($1, 'report_exported', '{}', $2, 'Alice Admin', $3) RETURNING actor, actor_member_id`,
      ['2999-01-01T00:00:00.000Z', loan.id, team.team.memberId],
    );
    expect(logged.rows[0]).toEqual({ actor: 'Pedro Processor', actor_member_id: processor.memberId });
    // Logging touched the loan's activity date through the owner's trigger, though processors cannot update loans.
    const after = await client.query<{ last_activity_at: string }>('SELECT last_activity_at FROM loans WHERE id = $1', [
      loan.id,
    ]);
    expect(after.rows[0]!.last_activity_at).toBe('2999-01-01T00:00:00.000Z');
    expect(after.rows[0]!.last_activity_at).not.toBe(before.rows[0]!.last_activity_at);
  });

  it('records who did it on every activity entry and created row, whatever the app sends', async () => {
    const entry = await officerStore.activity.append({ action: 'loan_viewed', loanId: loan.id, detail: {} });
    const row = await officerStore.engine
      .statement('SELECT actor, actor_member_id FROM activity WHERE id = ?')
      .get(Number(entry.id));
    expect(row).toEqual({ actor: 'Olivia Officer', actor_member_id: officer.memberId });
    const stamps = await officerStore.engine
      .statement(
        `SELECT l.created_by, l.updated_by, r.created_by AS report_by, i.created_by AS item_by
         FROM loans l JOIN reports r ON r.loan_id = l.id JOIN items i ON i.id = ? WHERE l.id = ?`,
      )
      .get(item.id, loan.id);
    expect(stamps).toEqual({
      created_by: officer.memberId,
      updated_by: officer.memberId,
      report_by: officer.memberId,
      item_by: officer.memberId,
    });
    // An officer cannot rewrite who created a report.
    await officerStore.engine.statement("UPDATE reports SET created_by = 'someone' WHERE id = ?").run(report.id);
    expect(
      await officerStore.engine.statement('SELECT created_by FROM reports WHERE id = ?').pluck().get(report.id),
    ).toBe(officer.memberId);
  });

  it('keeps settings, members and invitations the admin’s', async () => {
    const client = await team.client(officer.connection);
    await denied(client.query(`INSERT INTO settings (key, value) VALUES ('plaidEnvironment', '"production"')`));
    await denied(client.query(`UPDATE settings SET value = value`));
    await denied(client.query(`DELETE FROM settings`));
    await denied(client.query(`UPDATE team_members SET role = 'admin'`));
    await denied(
      client.query(`INSERT INTO team_member_keys (member_id, key_version, wrapped) VALUES ('x', 9, '\\x00')`),
    );
    await denied(client.query('SELECT * FROM team_invitations'));
    await denied(client.query(`UPDATE team SET key_version = 1`));
    await denied(client.query(`CREATE TABLE planted (id int)`));
    await denied(client.query(`INSERT INTO loan_env_summary SELECT * FROM loan_env_summary`));
    // Members see the team list, but only their own wrapped keys (the admin's row is there, invisible).
    const members = await client.query('SELECT name FROM team_members ORDER BY name');
    expect(members.rows.map((r: { name: string }) => r.name)).toEqual([
      'Alice Admin',
      'Olivia Officer',
      'Pedro Processor',
    ]);
    const keys = await client.query<{ member_id: string }>('SELECT member_id FROM team_member_keys');
    expect(keys.rows.every((r) => r.member_id === officer.memberId)).toBe(true);
    const all = await team.admin.statement('SELECT member_id FROM team_member_keys').pluck().all();
    expect(all).toContain(team.team.memberId);
    // The join function admits a login once and never for someone else.
    expect((await refusal(client.query('SELECT * FROM assetdesk_member_joined($1)', [Buffer.alloc(32)]))).code).toBe(
      '23505',
    );
  });

  it('gives every table a decision for each role (a new table without grants fails here)', async () => {
    const dba: pg.Client = await team.dba();
    const groups = (await team.admin.statement('SELECT role, db_role FROM team_group_roles').all()) as {
      role: string;
      db_role: string;
    }[];
    const officerGroup = groups.find((g) => g.role === 'officer')!.db_role;
    const processorGroup = groups.find((g) => g.role === 'processor')!.db_role;
    const { rows } = await dba.query<{ table_name: string; officer: boolean; processor: boolean }>(
      `SELECT tablename AS table_name,
         has_table_privilege($1, format('%I.%I', schemaname, tablename), 'SELECT') OR has_any_column_privilege($1, format('%I.%I', schemaname, tablename), 'SELECT') AS officer,
         has_table_privilege($2, format('%I.%I', schemaname, tablename), 'SELECT') OR has_any_column_privilege($2, format('%I.%I', schemaname, tablename), 'SELECT') AS processor
       FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
      [officerGroup, processorGroup],
    );
    const unreadable = rows.filter((r) => !r.officer || !r.processor).map((r) => r.table_name);
    // Invitations are the admin's alone; every other table is readable by both (secret columns aside).
    // …and the team's sealed Plaid keys, which only officers' desks (and the admin's) read.
    expect(unreadable).toEqual(['team_invitations', 'team_secrets']);
    const writable = await dba.query<{ table_name: string }>(
      `SELECT tablename AS table_name FROM pg_tables WHERE schemaname = 'public'
       AND (has_table_privilege($1, format('%I.%I', schemaname, tablename), 'UPDATE') OR has_table_privilege($1, format('%I.%I', schemaname, tablename), 'DELETE')
         OR has_table_privilege($1, format('%I.%I', schemaname, tablename), 'INSERT'))
       ORDER BY tablename`,
      [processorGroup],
    );
    // report_content: a processor's desk stores a pending report it carried on (row-level security: pending only).
    expect(writable.rows.map((r) => r.table_name)).toEqual(['activity', 'report_content', 'store_meta']);
  });
});

describe('setting up the team database', async () => {
  const db = await createTestDatabase('assetdesk_nocreaterole');
  const owner = `${teamGroupRoleNames(db.name).admin.replace(/_admin$/, '')}_owner`;
  const dba = new pg.Client({ ...db.clientConfig(), database: 'postgres' });
  await dba.connect();
  await dba.query(`CREATE ROLE ${owner} LOGIN PASSWORD 'owner-password-123'`);
  await dba.query(`ALTER DATABASE ${db.name} OWNER TO ${owner}`);
  // Before the database helper's own clean-up: the role can go only once its database has.
  afterAll(async () => {
    await dba.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
    await dba.query(`DROP ROLE IF EXISTS ${owner}`);
    await dba.end();
  });

  it('tells the admin to ask for CREATEROLE when the owner login lacks it, and changes nothing', async () => {
    const url = new URL(db.url);
    url.username = owner;
    url.password = 'owner-password-123';
    const engine = await openPostgresEngine({ url: url.toString(), caPem: db.caPem });
    try {
      const err = await migratePostgres(engine).then(
        () => null,
        (e: unknown) => e as AppError,
      );
      expect(err).toBeInstanceOf(AppError);
      expect(err!.code).toBe(TEAM_DATABASE_SETUP);
      expect(err!.message).toContain('CREATEROLE');
      const tables = await engine.statement("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").pluck().get();
      expect(tables).toBe(0);
    } finally {
      await engine.close();
    }
  });
});
