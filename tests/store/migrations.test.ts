import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { LATEST_SCHEMA_VERSION, openAssetDeskStore } from '../../electron/db';
import { migrate, migrations, schemaVersion, type Migration } from '../../electron/db/migrations';
import { addApplicant } from '../helpers/applicant';
import { pipeline } from './helpers';

describe('report history store: migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assetdesk-migrate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const rawDb = (name = 'db.sqlite') => {
    const db = new Database(join(dir, name));
    db.pragma('foreign_keys = ON');
    return db;
  };

  it('versions are 1..N in order and a fresh database ends at the latest', async () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    const store = await openAssetDeskStore({ file: join(dir, 'fresh.sqlite'), dataKey: randomBytes(32) });
    await store.close();
    const db = new Database(join(dir, 'fresh.sqlite'));
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('001 on an empty database (version 0) creates the loan-file tables', () => {
    const db = rawDb();
    expect(migrate(db, { target: 1 })).toEqual({ from: 0, to: 1 });
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining([
        'activity',
        'applicants',
        'audit_copies',
        'items',
        'report_content',
        'report_items',
        'reports',
        'settings',
        'store_meta',
      ]),
    );
    expect(tables).not.toContain('sourced_deposits');
    db.close();
  });

  it('002 on a database at version 1 with data: backfills search text, adds indexes and sourced deposits', () => {
    const db = rawDb();
    migrate(db, { target: 1 });
    db.prepare(
      `INSERT INTO applicants (id, first_name, middle_name, last_name, email, phone, loan_number, loan_purpose, application_date,
         qualifying_monthly_income, funds_to_close, created_at, updated_at)
       VALUES ('a1', 'Maria', 'Elena', 'Lopez', 'Maria@Example.com', '+1 415 555 0134', 'LN-7', 'purchase', '2026-10-01', 9000, 50000, 't', 't'),
              ('a2', 'Kwame', NULL, 'Mensah', 'k@example.com', '+1 415 555 0135', 'LN-8', 'refinance', '2026-10-01', 9000, 50000, 't', 't')`,
    ).run();
    db.prepare(
      `INSERT INTO reports (id, applicant_id, environment, kind, status, days_requested, include_applicant_details, created_at)
       VALUES ('r1', 'a1', 'sandbox', 'create', 'pending', 61, 0, '2026-10-02T00:00:00.000Z')`,
    ).run();

    expect(migrate(db, { target: 2 })).toEqual({ from: 1, to: 2 });
    expect(db.prepare('SELECT id, search_text FROM applicants ORDER BY id').all()).toEqual([
      { id: 'a1', search_text: 'maria elena lopez ln-7 maria@example.com' },
      { id: 'a2', search_text: 'kwame mensah ln-8 k@example.com' },
    ]);
    const indexes = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index'").pluck().all();
    expect(indexes).toEqual(
      expect.arrayContaining([
        'reports_by_created',
        'reports_latest_ready',
        'applicants_by_loan_number',
        'items_relink',
      ]),
    );
    db.prepare(
      "INSERT INTO sourced_deposits (report_id, transaction_id, note_enc, marked_at) VALUES ('r1', 'tx', x'00', 't')",
    ).run();
    expect(() =>
      db
        .prepare(
          "INSERT INTO sourced_deposits (report_id, transaction_id, note_enc, marked_at) VALUES ('nope', 'tx', x'00', 't')",
        )
        .run(),
    ).toThrowError(/FOREIGN KEY/);
    // The list query uses the new index rather than scanning every report.
    const plan = db
      .prepare("EXPLAIN QUERY PLAN SELECT * FROM reports WHERE environment = 'sandbox' ORDER BY created_at DESC")
      .all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/reports_by_created/);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('003 on a database at version 2 with data: backfills the applicant list summary, then triggers keep it current', () => {
    const db = rawDb();
    migrate(db, { target: 2 });
    db.exec(`
      INSERT INTO applicants (id, first_name, last_name, email, phone, loan_number, loan_purpose, application_date,
        qualifying_monthly_income, funds_to_close, created_at, updated_at)
      VALUES ('a1', 'Maria', 'Lopez', 'm@example.com', '+1 415 555 0134', 'LN-7', 'purchase', '2026-10-01', 1, 1, 't', 't'),
             ('a2', 'Kwame', 'Mensah', 'k@example.com', '+1 415 555 0135', 'LN-8', 'purchase', '2026-10-01', 1, 1, 't', 't'),
             ('a3', 'Ana', 'Ruiz', 'a@example.com', '+1 415 555 0136', 'LN-9', 'purchase', '2026-10-01', 1, 1, 't', 't');
      INSERT INTO items (id, applicant_id, environment, plaid_item_id, institution_id, institution_name, accounts_enc, status, linked_at)
      VALUES ('i2', 'a2', 'sandbox', 'p2', 'ins_1', 'Bank', x'00', 'needs_relink', 't');
      INSERT INTO reports (id, applicant_id, environment, kind, status, days_requested, include_applicant_details, created_at, ready_at, findings_attention, findings_info)
      VALUES ('r1', 'a1', 'sandbox', 'create', 'ready', 61, 0, '2026-10-02', '2026-10-02T01', 2, 3),
             ('r2', 'a1', 'sandbox', 'refresh', 'ready', 61, 0, '2026-10-05', '2026-10-05T01', 0, 1),
             ('r3', 'a1', 'sandbox', 'filter', 'removed', 61, 0, '2026-10-06', NULL, NULL, NULL),
             ('r4', 'a1', 'production', 'create', 'pending', 61, 0, '2026-10-07', NULL, NULL, NULL);
    `);
    expect(migrate(db, { target: 3 })).toEqual({ from: 2, to: 3 });
    const summary = () => db.prepare('SELECT * FROM applicant_env_summary ORDER BY applicant_id, environment').all();
    expect(summary()).toEqual([
      {
        applicant_id: 'a1',
        environment: 'production',
        report_count: 1,
        latest_report_at: '2026-10-07',
        has_pending: 1,
        latest_ready_at: null,
        findings_attention: null,
        findings_info: null,
        needs_relink: 0,
      },
      {
        applicant_id: 'a1',
        environment: 'sandbox',
        report_count: 2,
        latest_report_at: '2026-10-05',
        has_pending: 0,
        latest_ready_at: '2026-10-05T01',
        findings_attention: 0,
        findings_info: 1,
        needs_relink: 0,
      },
      {
        applicant_id: 'a2',
        environment: 'sandbox',
        report_count: 0,
        latest_report_at: null,
        has_pending: 0,
        latest_ready_at: null,
        findings_attention: null,
        findings_info: null,
        needs_relink: 1,
      },
    ]);
    // Triggers: a report changes, an Item is fixed, an applicant is deleted (cascade).
    db.prepare("UPDATE reports SET status = 'removed' WHERE id = 'r2'").run();
    db.prepare("UPDATE items SET status = 'ok' WHERE id = 'i2'").run();
    db.prepare("DELETE FROM applicants WHERE id = 'a1'").run();
    expect(summary()).toEqual([
      {
        applicant_id: 'a2',
        environment: 'sandbox',
        report_count: 0,
        latest_report_at: null,
        has_pending: 0,
        latest_ready_at: null,
        findings_attention: null,
        findings_info: null,
        needs_relink: 0,
      },
    ]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    db.close();
  });

  it('004 on a database at version 3 with data: filter reports keep their excluded accounts on the row', () => {
    const db = rawDb();
    migrate(db, { target: 3 });
    db.exec(`
      INSERT INTO applicants (id, first_name, last_name, email, phone, loan_number, loan_purpose, application_date,
        qualifying_monthly_income, funds_to_close, created_at, updated_at)
      VALUES ('a1', 'Maria', 'Lopez', 'm@example.com', '+1 415 555 0134', 'LN-7', 'purchase', '2026-10-01', 1, 1, 't', 't');
      INSERT INTO reports (id, applicant_id, environment, kind, parent_id, status, days_requested, include_applicant_details, created_at, ready_at)
      VALUES ('r1', 'a1', 'sandbox', 'create', NULL, 'ready', 61, 0, '2026-10-02', '2026-10-02T01'),
             ('r2', 'a1', 'sandbox', 'filter', 'r1', 'pending', 61, 0, '2026-10-03', NULL),
             ('r3', 'a1', 'sandbox', 'refresh', 'r1', 'ready', 61, 0, '2026-10-04', '2026-10-04T01'),
             ('r4', 'a1', 'sandbox', 'filter', 'r1', 'ready', 61, 0, '2026-10-05', '2026-10-05T01');
      INSERT INTO activity (at, action, applicant_id, report_id, detail) VALUES
        ('t', 'report_requested', 'a1', 'r1', '{"daysRequested":61,"banks":1}'),
        ('t', 'report_filter_requested', 'a1', 'r2', '{"parentId":"r1","accountIdsToExclude":["acc-1","acc-2"]}'),
        ('t', 'report_refresh_requested', 'a1', 'r3', '{"parentId":"r1","accountIdsToExclude":[]}'),
        ('t', 'report_filter_requested', 'a1', 'r4', '{"parentId":"r1","accountIdsToExclude":["acc-3",7]}');
    `);
    expect(migrate(db, { target: 4 })).toEqual({ from: 3, to: 4 });
    expect(db.prepare('SELECT id, excluded_account_ids, generated_on FROM reports ORDER BY id').all()).toEqual([
      { id: 'r1', excluded_account_ids: '[]', generated_on: null },
      { id: 'r2', excluded_account_ids: '["acc-1","acc-2"]', generated_on: null },
      { id: 'r3', excluded_account_ids: '[]', generated_on: null },
      { id: 'r4', excluded_account_ids: '["acc-3"]', generated_on: null },
    ]);
    // The applicant list summary stays as it was (the backfill's updates fire its triggers).
    expect(
      db.prepare("SELECT report_count, has_pending FROM applicant_env_summary WHERE applicant_id = 'a1'").get(),
    ).toEqual({ report_count: 4, has_pending: 1 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('an existing version-1 database is upgraded by openAssetDeskStore and its data stays usable', async () => {
    const file = join(dir, 'old.sqlite');
    const dataKey = randomBytes(32);
    const db = new Database(file);
    migrate(db, { target: 1 });
    db.close();
    const store = await openAssetDeskStore({ file, dataKey });
    const applicant = await addApplicant(store, {
      firstName: 'Ana',
      lastName: 'Ruiz',
      email: 'ana@example.com',
      phone: '+1 212 555 0100',
      loanNumber: 'LN-1',
      loanPurpose: 'refinance',
      applicationDate: '2026-10-01',
      qualifyingMonthlyIncome: 1,
      fundsToClose: 1,
    });
    expect((await pipeline(store, { query: 'ruiz' })).rows.map((r) => r.id)).toEqual([applicant.loanId]);
    await store.close();
  });

  it('a database newer than the app is refused with STORE_TOO_NEW and left unchanged', async () => {
    const file = join(dir, 'future.sqlite');
    const db = new Database(file);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    let caught: unknown;
    try {
      await openAssetDeskStore({ file, dataKey: randomBytes(32) });
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'STORE_TOO_NEW', retryable: false });
    expect((caught as Error).message).toMatch(/newer version of AssetDesk.*Install the latest AssetDesk/);
    const after = new Database(file);
    expect(schemaVersion(after)).toBe(LATEST_SCHEMA_VERSION + 1);
    expect(after.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get()).toBe(0);
    after.close();
  });

  it('a failing migration rolls back every step of the run, including user_version', () => {
    const db = rawDb();
    const broken: Migration = {
      version: 3,
      name: 'broken',
      up: (d) => d.exec('CREATE TABLE half (x); SELECT no_such_function();'),
    };
    expect(() => migrate(db, { list: [...migrations, broken] })).toThrowError(/no_such_function/);
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get()).toBe(0);
    db.close();
  });
});
