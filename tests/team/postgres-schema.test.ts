import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '../../shared/errors';
import { migrate } from '../../electron/db/migrations';
import { openPostgresEngine, type PostgresEngine } from '../../electron/db/postgres/engine';
import { CHANGES_CHANNEL } from '../../electron/db/postgres/migrations/001_team_schema';
import { TEAM_ONLY_COLUMNS, TEAM_ONLY_TABLES } from '../../electron/db/postgres/migrations/003_team_members';
import {
  LATEST_POSTGRES_SCHEMA_VERSION,
  migratePostgres,
  postgresMigrations,
} from '../../electron/db/postgres/migrations';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

const open = (db: TestDatabase) => openPostgresEngine({ url: db.url, caPem: db.caPem, connectionTimeoutMs: 5000 });

describe('team database migrations', async () => {
  const db = await createTestDatabase();
  const race = await createTestDatabase();
  const spare = await createTestDatabase();

  it('migrates a fresh database once; running again changes nothing', async () => {
    const engine = await open(db);
    try {
      const first = await migratePostgres(engine);
      expect(first).toEqual({
        from: 0,
        to: LATEST_POSTGRES_SCHEMA_VERSION,
        applied: postgresMigrations.map((m) => `${m.version} ${m.name}`),
      });
      const second = await migratePostgres(engine);
      expect(second).toEqual({ from: LATEST_POSTGRES_SCHEMA_VERSION, to: LATEST_POSTGRES_SCHEMA_VERSION, applied: [] });
      const recorded = await engine.statement('SELECT version, name, applied_at FROM schema_migrations').all();
      expect(recorded).toHaveLength(postgresMigrations.length);
      expect((recorded[0] as { applied_at: string }).applied_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    } finally {
      await engine.close();
    }
  });

  it('lets two desks starting together migrate once between them', async () => {
    const desks = await Promise.all([open(race), open(race), open(race)]);
    try {
      const results = await Promise.all(desks.map((desk) => migratePostgres(desk)));
      expect(results.filter((r) => r.applied.length > 0)).toHaveLength(1);
      expect(results.map((r) => r.to)).toEqual(desks.map(() => LATEST_POSTGRES_SCHEMA_VERSION));
      expect(await desks[0]!.statement('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(
        postgresMigrations.length,
      );
    } finally {
      await Promise.all(desks.map((desk) => desk.close()));
    }
  });

  it('refuses a database set up by a newer AssetDesk, changing nothing', async () => {
    const client = new pg.Client(race.clientConfig());
    await client.connect();
    try {
      await client.query("INSERT INTO schema_migrations VALUES (999, 'from the future', '2030-01-01T00:00:00.000Z')");
      const err = await migratePostgres(client).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe(ErrorCodes.storeTooNew);
      expect((err as AppError).message).toContain('newer version of AssetDesk (database version 999');
      // The client is usable again (the failed migration rolled back) and the record is still there.
      const { rows } = await client.query('SELECT count(*)::int AS n FROM schema_migrations WHERE version = 999');
      expect(rows[0]).toEqual({ n: 1 });
    } finally {
      await client.query('DELETE FROM schema_migrations WHERE version = 999');
      await client.end();
    }
  });

  it('rolls a failed step back whole', async () => {
    const engine = await open(spare);
    try {
      const broken = [
        ...postgresMigrations,
        {
          version: LATEST_POSTGRES_SCHEMA_VERSION + 1,
          name: 'broken',
          async up(client: pg.ClientBase) {
            await client.query('CREATE TABLE half_done (x INTEGER)');
            await client.query('SELECT * FROM no_such_table');
          },
        },
      ];
      await expect(migratePostgres(engine, { list: broken })).rejects.toThrow(/no_such_table/);
      expect(await engine.statement("SELECT to_regclass('schema_migrations') IS NULL").pluck().get()).toBe(1);
      expect(await engine.statement("SELECT to_regclass('loans') IS NULL").pluck().get()).toBe(1);
    } finally {
      await engine.close();
    }
  });
});

type SqliteColumn = { name: string; type: string; notnull: number; pk: number; dflt_value: string | null };

describe('the team schema matches the local store after its migration 9', async () => {
  const db = await createTestDatabase();
  let engine: PostgresEngine;
  let sqlite: Database.Database;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'assetdesk-parity-'));
    sqlite = new Database(join(dir, 'local.db'));
    sqlite.pragma('foreign_keys = ON');
    migrate(sqlite);
    engine = await open(db);
    await migratePostgres(engine);
  });
  afterAll(async () => {
    sqlite?.close();
    await engine?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const sqliteTables = () =>
    (
      sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as { name: string }[]
    ).map((t) => t.name);

  it('has every table and column, with a compatible type and the same NOT NULLs and defaults', async () => {
    const pgTables = (await engine
      .statement(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name",
      )
      .pluck()
      .all()) as string[];
    // Members and who-did-it stamps exist only in team mode (migration 003).
    expect(pgTables.filter((t) => !TEAM_ONLY_TABLES.includes(t))).toEqual(sqliteTables());
    const compatible: Record<string, string[]> = {
      TEXT: ['text'],
      INTEGER: ['bigint', 'integer'],
      REAL: ['double precision'],
      BLOB: ['bytea'],
    };
    for (const table of sqliteTables()) {
      // activity.actor (local migration 10) stays empty on a desk; the team schema adds it with its own stamping.
      const local = (sqlite.prepare(`PRAGMA table_info(${table})`).all() as SqliteColumn[]).filter(
        (c) => !(table === 'activity' && c.name === 'actor'),
      );
      const team = (await engine
        .statement(
          `SELECT column_name, data_type, is_nullable, column_default, collation_name FROM information_schema.columns
           WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position`,
        )
        .all(table)) as {
        column_name: string;
        data_type: string;
        is_nullable: string;
        column_default: string | null;
        collation_name: string | null;
      }[];
      expect(
        team
          .map((c) => c.column_name)
          .filter((c) => !TEAM_ONLY_COLUMNS[table]?.includes(c))
          .sort(),
        table,
      ).toEqual(local.map((c) => c.name).sort());
      for (const column of local) {
        const other = team.find((c) => c.column_name === column.name)!;
        const where = `${table}.${column.name}`;
        expect(compatible[column.type], where).toContain(other.data_type);
        if (column.type === 'TEXT') expect(other.collation_name, where).toBe('C');
        if (column.notnull || column.pk) expect(other.is_nullable, where).toBe('NO');
        if (column.dflt_value !== null) expect(other.column_default ?? '', where).toContain(column.dflt_value);
      }
    }
  });

  it('has the same foreign keys, with the same ON DELETE', async () => {
    for (const table of sqliteTables()) {
      const local = (
        sqlite.prepare(`PRAGMA foreign_key_list(${table})`).all() as {
          table: string;
          from: string;
          to: string;
          on_delete: string;
        }[]
      )
        .map((fk) => `${fk.from} → ${fk.table}.${fk.to} ON DELETE ${fk.on_delete}`)
        .sort();
      const team = (
        (await engine
          .statement(
            `SELECT a.attname AS "from", c.confrelid::regclass::text AS "table", fa.attname AS "to",
               CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL' WHEN 'a' THEN 'NO ACTION'
                 WHEN 'r' THEN 'RESTRICT' ELSE 'SET DEFAULT' END AS on_delete
             FROM pg_constraint c
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
             JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
             WHERE c.contype = 'f' AND c.conrelid = ?::regclass`,
          )
          .all(table)) as { from: string; table: string; to: string; on_delete: string }[]
      )
        .map((fk) => `${fk.from} → ${fk.table}.${fk.to} ON DELETE ${fk.on_delete}`)
        .sort();
      expect(team, table).toEqual(local);
    }
  });

  it('has every named index of the local store', async () => {
    const local = (
      sqlite
        .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_autoindex%'")
        .all() as { name: string }[]
    ).map((i) => i.name);
    const team = (await engine
      .statement("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
      .pluck()
      .all()) as string[];
    for (const name of local) expect(team, name).toContain(name);
  });

  it('answers word searches anywhere in the text through trigram indexes', async () => {
    const names = (await engine
      .statement("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
      .pluck()
      .all()) as string[];
    expect(names).toEqual(
      expect.arrayContaining(['loans_search_trigrams', 'applicants_search_trigrams', 'reports_institutions_trigrams']),
    );
    const search = "SELECT id FROM loans WHERE search_text LIKE ? ESCAPE '\\' ORDER BY id";
    const plan = await engine.transaction(async () => {
      await engine.statement('SET LOCAL enable_seqscan = off').run();
      return (await engine.statement(`EXPLAIN ${search}`).pluck().all('%quill%')) as string[];
    });
    expect(plan.join('\n')).toContain('loans_search_trigrams');
  });

  /** Runs the same SQL on both stores; returns each side's outcome (an error's message is kept, not thrown). */
  async function both(sql: string, ...params: unknown[]): Promise<[string, string]> {
    let local = 'ok';
    let team = 'ok';
    try {
      sqlite.prepare(sql).run(...params);
    } catch (err) {
      local = (err as Error).message;
    }
    try {
      await engine.statement(sql).run(...params);
    } catch (err) {
      team = (err as Error).message;
    }
    return [local, team];
  }
  const same = async (sql: string, ...params: unknown[]) => {
    const [local, team] = await both(sql, ...params);
    expect({ sql, team }).toEqual({ sql, team: local });
    expect(local, sql).toBe('ok');
  };
  const refusedByBoth = async (sql: string, ...params: unknown[]) => {
    const [local, team] = await both(sql, ...params);
    expect(local, `SQLite accepted: ${sql}`).not.toBe('ok');
    expect(team, `PostgreSQL accepted: ${sql}`).not.toBe('ok');
    return team;
  };
  const view = `SELECT * FROM loan_env_summary ORDER BY loan_id, environment`;
  async function expectSameSummaries(step: string) {
    const local = sqlite.prepare(view).all();
    const team = await engine.statement(view).all();
    expect(team, step).toEqual(local);
    const loans = 'SELECT id, last_activity_at FROM loans ORDER BY id';
    expect(await engine.statement(loans).all(), step).toEqual(sqlite.prepare(loans).all());
  }

  const loan = (id: string, key: string, at: string) =>
    same(
      `INSERT INTO loans (id, loan_number, loan_number_key, loan_purpose, application_date, qualifying_monthly_income,
         funds_to_close, last_activity_at, created_at, updated_at)
       VALUES (?, ?, ?, 'purchase', '2026-01-01', 9000, 50000, ?, ?, ?)`,
      id,
      key.toUpperCase(),
      key,
      at,
      at,
      at,
    );
  const applicant = (id: string, loanId: string, position: number) =>
    same(
      `INSERT INTO applicants (id, first_name, last_name, email, phone, created_at, updated_at, loan_id, position)
       VALUES (?, 'Zelda', 'Quill', 'z@example.com', '5550100', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', ?, ?)`,
      id,
      loanId,
      position,
    );
  const item = (id: string, applicantId: string, environment: string, status: string, consent: string | null) =>
    same(
      `INSERT INTO items (id, applicant_id, environment, plaid_item_id, institution_id, institution_name, accounts_enc,
         status, linked_at, consent_expires_at)
       VALUES (@id, @applicant, @environment, @plaid, 'ins_1', 'First Bank', @accounts, @status, '2026-01-01T00:00:00.000Z', @consent)`,
      {
        id,
        applicant: applicantId,
        environment,
        plaid: `plaid-${id}`,
        accounts: Buffer.from([1, 2, 3]),
        status,
        consent,
      },
    );
  const report = (
    id: string,
    loanId: string,
    applicantId: string,
    environment: string,
    status: string,
    createdAt: string,
  ) =>
    same(
      `INSERT INTO reports (id, applicant_id, environment, kind, status, days_requested, include_applicant_details,
         created_at, loan_id)
       VALUES (?, ?, ?, 'create', ?, 60, 0, ?, ?)`,
      id,
      applicantId,
      environment,
      status,
      createdAt,
      loanId,
    );

  it('keeps the pipeline summaries and loan activity the same through the same writes', async () => {
    await loan('L1', 'a-100', '2026-01-01T00:00:00.000Z');
    await loan('L2', 'a-200', '2026-01-01T00:00:00.000Z');
    await applicant('A1', 'L1', 0);
    await applicant('A2', 'L1', 1);
    await applicant('A3', 'L2', 0);
    await expectSameSummaries('loans and borrowers');
    await item('I1', 'A1', 'sandbox', 'ok', '2027-03-05T10:00:00.000Z');
    await item('I2', 'A2', 'sandbox', 'needs_relink', '2027-01-02T10:00:00.000Z');
    await item('I3', 'A3', 'production', 'ok', null);
    await expectSameSummaries('items');
    await report('R1', 'L1', 'A1', 'sandbox', 'pending', '2026-02-01T09:00:00.000Z');
    await report('R2', 'L1', 'A2', 'sandbox', 'pending', '2026-02-02T09:00:00.000Z');
    await report('R3', 'L1', 'A1', 'sandbox', 'removed', '2026-02-03T09:00:00.000Z');
    await report('R4', 'L2', 'A3', 'production', 'failed', '2026-02-01T09:00:00.000Z');
    await report('R5', 'L1', 'A1', 'emulator', 'pending', '2026-02-04T09:00:00.000Z');
    await expectSameSummaries('reports');
    await same(
      "UPDATE reports SET status = 'ready', ready_at = ?, findings_attention = 2, findings_info = 1 WHERE id = 'R1'",
      '2026-02-05T10:00:00.000Z',
    );
    await same(
      "UPDATE reports SET status = 'ready', ready_at = ?, generated_on = '2026-02-05', findings_attention = 0, findings_info = 4 WHERE id = 'R2'",
      '2026-02-06T10:00:00.000Z',
    );
    // A ready report without a ready time: sorts last on both engines.
    await same("UPDATE reports SET status = 'ready' WHERE id = 'R5'");
    await report('R6', 'L1', 'A1', 'emulator', 'pending', '2026-02-04T10:00:00.000Z');
    await same(
      "UPDATE reports SET status = 'ready', ready_at = '2026-02-04T11:00:00.000Z', findings_info = 3 WHERE id = 'R6'",
    );
    await expectSameSummaries('reports ready');
    await same("UPDATE items SET status = 'ok' WHERE id = 'I2'");
    await same("UPDATE items SET status = 'needs_relink' WHERE id = 'I3'");
    await expectSameSummaries('items changed');
    await same("DELETE FROM reports WHERE id = 'R2'");
    await same("DELETE FROM items WHERE id = 'I1'");
    await expectSameSummaries('deletions');

    const activity = (at: string, loanId: string | null) =>
      same(
        "INSERT INTO activity (at, action, loan_id, applicant_id, report_id, detail) VALUES (?, 'note', ?, NULL, NULL, '{}')",
        at,
        loanId,
      );
    await activity('2026-03-01T00:00:00.000Z', 'L1');
    await activity('2025-12-31T00:00:00.000Z', 'L2'); // older than the loan's last activity: no change
    await activity('2026-03-02T00:00:00.000Z', null);
    await expectSameSummaries('activity');

    await same("DELETE FROM applicants WHERE id = 'A2'");
    await same("DELETE FROM loans WHERE id = 'L2'");
    await expectSameSummaries('cascades');
    const counts = 'SELECT (SELECT count(*) FROM items) AS items, (SELECT count(*) FROM reports) AS reports';
    expect(await engine.statement(counts).get()).toEqual(sqlite.prepare(counts).get());
  });

  it('keeps the activity log append-only', async () => {
    const message = await refusedByBoth("UPDATE activity SET detail = 'changed'");
    expect(message).toContain('the activity log is append-only');
    await refusedByBoth('DELETE FROM activity');
    await expect(engine.statement('TRUNCATE activity').run()).rejects.toThrow(/append-only/);
  });

  it('refuses what the local store refuses', async () => {
    await refusedByBoth(
      `INSERT INTO loans (id, loan_number, loan_number_key, loan_purpose, application_date, qualifying_monthly_income,
         funds_to_close, last_activity_at, created_at, updated_at)
       VALUES ('L9', 'A-100', 'a-100', 'purchase', '2026-01-01', 1, 1, 'x', 'x', 'x')`,
    );
    await refusedByBoth("UPDATE loans SET status = 'sold' WHERE id = 'L1'");
    await item('I7', 'A1', 'sandbox', 'ok', null);
    await refusedByBoth("UPDATE items SET environment = 'staging' WHERE id = 'I7'");
    await refusedByBoth("UPDATE reports SET kind = 'other' WHERE id = 'R1'");
    await refusedByBoth("INSERT INTO report_items (report_id, item_id) VALUES ('R1', 'nope')");
    await item('I8', 'A1', 'production', 'ok', null);
    await refusedByBoth("UPDATE items SET plaid_item_id = 'plaid-I7', environment = 'sandbox' WHERE id = 'I8'");
    await refusedByBoth("UPDATE applicants SET loan_id = 'no-such-loan' WHERE id = 'A1'");
    await expectSameSummaries('after refusals');
  });
});

describe('change notifications', async () => {
  const db = await createTestDatabase();

  it('tells listening desks which row of which table changed, and its loan, with no names or secrets', async () => {
    const engine = await open(db);
    const listener = await engine.openDedicatedConnection();
    try {
      await migratePostgres(engine);
      const payloads: Record<string, unknown>[] = [];
      const raw: string[] = [];
      listener.on('notification', (n) => {
        if (n.channel !== CHANGES_CHANNEL) return;
        raw.push(n.payload ?? '');
        payloads.push(JSON.parse(n.payload ?? '{}') as Record<string, unknown>);
      });
      await listener.query(`LISTEN ${CHANGES_CHANNEL}`);

      const at = '2026-01-01T00:00:00.000Z';
      await engine.transaction(async () => {
        await engine
          .statement(
            `INSERT INTO loans (id, loan_number, loan_number_key, loan_purpose, application_date, qualifying_monthly_income,
               funds_to_close, last_activity_at, created_at, updated_at)
             VALUES ('L1', 'SECRET-LOAN-NO', 'secret-loan-no', 'purchase', '2026-01-01', 1, 1, ?, ?, ?)`,
          )
          .run(at, at, at);
        await engine
          .statement(
            `INSERT INTO applicants (id, first_name, last_name, email, phone, ssn_enc, created_at, updated_at, loan_id)
             VALUES ('A1', 'Zelda', 'Quill', 'zelda@example.com', '5550100', ?, ?, ?, 'L1')`,
          )
          .run(Buffer.from('ciphertext'), at, at);
        await engine
          .statement(
            `INSERT INTO items (id, applicant_id, environment, plaid_item_id, access_token_enc, institution_id,
               institution_name, accounts_enc, status, linked_at)
             VALUES ('I1', 'A1', 'sandbox', 'p1', ?, 'ins', 'First Bank', ?, 'ok', ?)`,
          )
          .run(Buffer.from('token'), Buffer.from('accounts'), at);
        await engine
          .statement(
            `INSERT INTO reports (id, applicant_id, environment, kind, status, days_requested, include_applicant_details,
               created_at, loan_id) VALUES ('R1', 'A1', 'sandbox', 'create', 'pending', 60, 0, ?, 'L1')`,
          )
          .run(at);
      });
      await engine
        .statement("INSERT INTO audit_copies (id, report_id, auditor_id, created_at) VALUES ('C1', 'R1', 'fannie', ?)")
        .run(at);
      await engine.statement("INSERT INTO sourced_deposits VALUES ('R1', 'txn-1', ?, ?)").run(Buffer.from('note'), at);
      await engine
        .statement("INSERT INTO account_confirmations VALUES ('A1', 'ins|0000|checking', 'ownership', ?, NULL, ?)")
        .run(Buffer.from('note'), at);
      await engine
        .statement(
          "INSERT INTO hosted_link_sessions (id, applicant_id, environment, status, created_at, expiration) VALUES ('H1', 'A1', 'sandbox', 'waiting', ?, ?)",
        )
        .run(at, at);
      await engine.statement("INSERT INTO settings VALUES ('plaid.environment', 'sandbox')").run();
      await engine
        .statement("INSERT INTO activity (at, action, loan_id, detail) VALUES (?, 'note', 'L1', '{}')")
        .run(at);
      await engine.statement("UPDATE reports SET status = 'ready' WHERE id = 'R1'").run();
      await engine.statement("DELETE FROM applicants WHERE id = 'A1'").run();

      const expected = [
        { table: 'loans', op: 'insert', id: 'L1', loan_id: 'L1' },
        { table: 'applicants', op: 'insert', id: 'A1', loan_id: 'L1' },
        { table: 'items', op: 'insert', id: 'I1', loan_id: 'L1' },
        { table: 'reports', op: 'insert', id: 'R1', loan_id: 'L1' },
        { table: 'audit_copies', op: 'insert', id: 'C1', loan_id: 'L1' },
        { table: 'sourced_deposits', op: 'insert', id: 'R1', loan_id: 'L1' },
        { table: 'account_confirmations', op: 'insert', id: 'A1', loan_id: 'L1' },
        { table: 'hosted_link_sessions', op: 'insert', id: 'H1', loan_id: 'L1' },
        { table: 'settings', op: 'insert', id: 'plaid.environment', loan_id: null },
        { table: 'activity', op: 'insert', id: '1', loan_id: 'L1' },
        { table: 'reports', op: 'update', id: 'R1', loan_id: 'L1' },
        { table: 'applicants', op: 'delete', id: 'A1', loan_id: 'L1' },
      ];
      await expect.poll(() => payloads.length, { timeout: 3000 }).toBeGreaterThanOrEqual(expected.length + 3);
      for (const payload of expected) expect(payloads).toContainEqual(payload);
      // The cascade from the deleted borrower is announced too.
      expect(payloads).toContainEqual(expect.objectContaining({ table: 'items', op: 'delete', id: 'I1' }));
      expect(payloads).toContainEqual(expect.objectContaining({ table: 'reports', op: 'delete', id: 'R1' }));
      for (const payload of payloads) expect(Object.keys(payload).sort()).toEqual(['id', 'loan_id', 'op', 'table']);
      const everything = raw.join('\n');
      for (const secret of ['Zelda', 'Quill', 'zelda@example.com', 'SECRET-LOAN-NO', 'First Bank', 'token', 'note'])
        expect(everything).not.toContain(secret);
    } finally {
      await listener.end();
      await engine.close();
    }
  });
});

describe('pipeline summaries with two desks writing one loan at once', async () => {
  const db = await createTestDatabase();

  it('counts both desks’ new reports', async () => {
    const [first, second] = await Promise.all([open(db), open(db)]);
    try {
      await migratePostgres(first);
      const at = '2026-01-01T00:00:00.000Z';
      await first
        .statement(
          `INSERT INTO loans (id, loan_number, loan_number_key, loan_purpose, application_date, qualifying_monthly_income,
             funds_to_close, last_activity_at, created_at, updated_at)
           VALUES ('L1', '1', '1', 'purchase', '2026-01-01', 1, 1, ?, ?, ?)`,
        )
        .run(at, at, at);
      await first
        .statement(
          `INSERT INTO applicants (id, first_name, last_name, email, phone, created_at, updated_at, loan_id)
           VALUES ('A1', 'Zelda', 'Quill', 'z@example.com', '1', ?, ?, 'L1')`,
        )
        .run(at, at);
      const addReport = (engine: PostgresEngine, id: string) =>
        engine
          .statement(
            `INSERT INTO reports (id, applicant_id, environment, kind, status, days_requested, include_applicant_details,
               created_at, loan_id) VALUES (?, 'A1', 'sandbox', 'create', 'pending', 60, 0, ?, 'L1')`,
          )
          .run(id, at);
      let firstWrote!: () => void;
      const wrote = new Promise<void>((resolve) => (firstWrote = resolve));
      // The first desk's report is still uncommitted when the second desk writes its own.
      const one = first.transaction(async () => {
        await addReport(first, 'R1');
        firstWrote();
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      await wrote;
      const two = second.transaction(() => addReport(second, 'R2'));
      await Promise.all([one, two]);
      expect(await first.statement('SELECT report_count, has_pending FROM loan_env_summary').all()).toEqual([
        { report_count: 2, has_pending: 1 },
      ]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});
