import { randomUUID } from 'node:crypto';
import { loanNumberKey } from '../../../shared/loan-file';
import { foldForSearch } from '../../../shared/search';
import type { Migration } from './types';

/** Recomputes one loan's pipeline summary in one environment; `l` and `e` are SQL expressions. */
export function refreshLoanSummarySql(l: string, e: string): string {
  // Borrowers first, then their Items by index: without planner statistics (a new or just-migrated file)
  // SQLite would otherwise read every Item of the environment on each write.
  const itemsOfLoan = `SELECT i.status, i.consent_expires_at FROM applicants b CROSS JOIN items i ON i.applicant_id = b.id
      WHERE b.loan_id = ${l} AND i.environment = ${e}`;
  return `
    INSERT INTO loan_env_summary (loan_id, environment, report_count, latest_report_at, has_pending, has_removed,
      latest_ready_at, latest_ready_on, findings_attention, findings_info, needs_relink, consent_expires_on)
    SELECT ${l}, ${e},
      (SELECT count(*) FROM reports WHERE loan_id = ${l} AND environment = ${e} AND status != 'removed'),
      (SELECT max(created_at) FROM reports WHERE loan_id = ${l} AND environment = ${e} AND status != 'removed'),
      EXISTS (SELECT 1 FROM reports WHERE loan_id = ${l} AND environment = ${e} AND status = 'pending'),
      EXISTS (SELECT 1 FROM reports WHERE loan_id = ${l} AND environment = ${e} AND status = 'removed'),
      lr.ready_at, lr.ready_on, lr.findings_attention, lr.findings_info,
      EXISTS (SELECT 1 FROM (${itemsOfLoan}) WHERE status = 'needs_relink'),
      (SELECT min(substr(consent_expires_at, 1, 10)) FROM (${itemsOfLoan}) WHERE status = 'ok')
    FROM (SELECT 1) LEFT JOIN (
      SELECT ready_at, coalesce(generated_on, substr(ready_at, 1, 10)) AS ready_on, findings_attention, findings_info
      FROM reports WHERE loan_id = ${l} AND environment = ${e} AND status = 'ready' ORDER BY ready_at DESC LIMIT 1
    ) lr ON 1
    WHERE EXISTS (SELECT 1 FROM loans WHERE id = ${l})
    ON CONFLICT (loan_id, environment) DO UPDATE SET
      report_count = excluded.report_count, latest_report_at = excluded.latest_report_at,
      has_pending = excluded.has_pending, has_removed = excluded.has_removed, latest_ready_at = excluded.latest_ready_at,
      latest_ready_on = excluded.latest_ready_on, findings_attention = excluded.findings_attention,
      findings_info = excluded.findings_info, needs_relink = excluded.needs_relink,
      consent_expires_on = excluded.consent_expires_on;`;
}

const ACTIVITY_GUARDS = `
  CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
    BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
  CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
    BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;`;

/**
 * Loan files: a loan (unique number, terms, property, status) with one or more borrowers. Each existing
 * applicant becomes the only borrower of a new loan carrying the applicant's loan terms and note date; their
 * reports, Items, Hosted Link sessions and activity follow. Loan numbers entered twice before this version
 * stay as typed, and the later files are flagged (loan_number_key gets a suffix) so the officer can fix them.
 */
export const migration008: Migration = {
  version: 8,
  name: 'loan files with several borrowers',
  up(db) {
    db.exec(`
      CREATE TABLE loans (
        id TEXT PRIMARY KEY,
        loan_number TEXT NOT NULL,
        loan_number_key TEXT NOT NULL UNIQUE,
        loan_purpose TEXT NOT NULL CHECK (loan_purpose IN ('purchase', 'refinance', 'cash_out_refinance')),
        application_date TEXT NOT NULL,
        expected_note_date TEXT,
        property_street TEXT,
        property_unit TEXT,
        property_city TEXT,
        property_state TEXT,
        property_zip TEXT,
        qualifying_monthly_income REAL NOT NULL,
        funds_to_close REAL NOT NULL,
        reserves_needed REAL NOT NULL DEFAULT 0,
        status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'withdrawn')),
        status_changed_at TEXT,
        search_text TEXT NOT NULL DEFAULT '',
        last_activity_at TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX loans_by_status ON loans (status, last_activity_at DESC);

      ALTER TABLE applicants ADD COLUMN loan_id TEXT REFERENCES loans(id) ON DELETE CASCADE;
      ALTER TABLE applicants ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE reports ADD COLUMN loan_id TEXT REFERENCES loans(id) ON DELETE CASCADE;
      ALTER TABLE items ADD COLUMN consent_expires_at TEXT;
      ALTER TABLE activity ADD COLUMN loan_id TEXT;
    `);

    // The per-applicant list summary gives way to one per loan (same triggers, keyed by the loan).
    db.exec(`
      DROP TRIGGER reports_insert_applicant_summary;
      DROP TRIGGER reports_update_applicant_summary;
      DROP TRIGGER reports_delete_applicant_summary;
      DROP TRIGGER items_insert_applicant_summary;
      DROP TRIGGER items_update_applicant_summary;
      DROP TRIGGER items_delete_applicant_summary;
      DROP TABLE applicant_env_summary;

      CREATE TABLE loan_env_summary (
        loan_id TEXT NOT NULL REFERENCES loans(id) ON DELETE CASCADE,
        environment TEXT NOT NULL,
        report_count INTEGER NOT NULL,
        latest_report_at TEXT,
        has_pending INTEGER NOT NULL,
        has_removed INTEGER NOT NULL,
        latest_ready_at TEXT,
        latest_ready_on TEXT,
        findings_attention INTEGER,
        findings_info INTEGER,
        needs_relink INTEGER NOT NULL,
        consent_expires_on TEXT,
        PRIMARY KEY (loan_id, environment)
      ) STRICT, WITHOUT ROWID;
    `);
    type Old = {
      id: string;
      first_name: string;
      middle_name: string | null;
      last_name: string;
      email: string;
      loan_number: string;
      loan_purpose: string;
      application_date: string;
      qualifying_monthly_income: number;
      funds_to_close: number;
      reserves_needed: number;
      created_at: string;
      updated_at: string;
      note_date: string | null;
      last_activity_at: string | null;
    };
    const applicants = db
      .prepare(
        `SELECT a.*, n.expected_note_date AS note_date,
           (SELECT max(at) FROM activity WHERE applicant_id = a.id) AS last_activity_at
         FROM applicants a LEFT JOIN loan_note_dates n ON n.applicant_id = a.id
         ORDER BY a.created_at, a.id`,
      )
      .all() as Old[];
    const insertLoan = db.prepare(
      `INSERT INTO loans (id, loan_number, loan_number_key, loan_purpose, application_date, expected_note_date,
         qualifying_monthly_income, funds_to_close, reserves_needed, status, search_text, last_activity_at,
         created_at, updated_at)
       VALUES (@id, @loan_number, @key, @loan_purpose, @application_date, @note_date, @qualifying_monthly_income,
         @funds_to_close, @reserves_needed, 'open', @search_text, @last_activity_at, @created_at, @updated_at)`,
    );
    const attach = db.prepare('UPDATE applicants SET loan_id = ?, position = 0 WHERE id = ?');
    const taken = new Set<string>();
    for (const a of applicants) {
      const loanId = randomUUID();
      const base = loanNumberKey(a.loan_number);
      // The first file keeps the number; a later file with the same number is kept too, flagged by its key.
      const key = taken.has(base) ? `${base}#${loanId}` : base;
      taken.add(base);
      insertLoan.run({
        ...a,
        id: loanId,
        key,
        search_text: foldForSearch(
          [a.loan_number, a.first_name, a.middle_name, a.last_name, a.email].filter(Boolean).join(' '),
        ),
        last_activity_at: a.last_activity_at ?? a.updated_at,
      });
      attach.run(loanId, a.id);
    }

    db.exec(`
      UPDATE reports SET loan_id = (SELECT loan_id FROM applicants WHERE applicants.id = reports.applicant_id);
      CREATE INDEX reports_by_loan ON reports (loan_id, environment, status, ready_at);
      CREATE INDEX applicants_by_loan ON applicants (loan_id, position);
      DROP TABLE loan_note_dates;

      DROP INDEX applicants_by_loan_number;
      ALTER TABLE applicants DROP COLUMN loan_number;
      ALTER TABLE applicants DROP COLUMN loan_purpose;
      ALTER TABLE applicants DROP COLUMN application_date;
      ALTER TABLE applicants DROP COLUMN qualifying_monthly_income;
      ALTER TABLE applicants DROP COLUMN funds_to_close;
      ALTER TABLE applicants DROP COLUMN reserves_needed;

      -- The log is append-only; its guards step aside once, here, so past entries name their loan.
      DROP TRIGGER activity_no_update;
      DROP TRIGGER activity_no_delete;
      UPDATE activity SET loan_id = coalesce(
        (SELECT loan_id FROM applicants WHERE applicants.id = activity.applicant_id),
        (SELECT loan_id FROM reports WHERE reports.id = activity.report_id)
      );
      ${ACTIVITY_GUARDS}
      CREATE INDEX activity_by_loan ON activity (loan_id, id);
      CREATE TRIGGER activity_touches_loan AFTER INSERT ON activity WHEN NEW.loan_id IS NOT NULL
      BEGIN UPDATE loans SET last_activity_at = NEW.at WHERE id = NEW.loan_id AND last_activity_at < NEW.at; END;
    `);

    const itemLoan = (row: string) => `(SELECT loan_id FROM applicants WHERE id = ${row}.applicant_id)`;
    const triggers: [string, string, string, string][] = [
      ['reports', 'INSERT', 'NEW.loan_id', 'NEW.environment'],
      ['reports', 'UPDATE', 'NEW.loan_id', 'NEW.environment'],
      ['reports', 'DELETE', 'OLD.loan_id', 'OLD.environment'],
      ['items', 'INSERT', itemLoan('NEW'), 'NEW.environment'],
      ['items', 'UPDATE', itemLoan('NEW'), 'NEW.environment'],
      ['items', 'DELETE', itemLoan('OLD'), 'OLD.environment'],
    ];
    for (const [table, event, loan, environment] of triggers) {
      db.exec(`CREATE TRIGGER ${table}_${event.toLowerCase()}_loan_summary AFTER ${event} ON ${table}
        BEGIN ${refreshLoanSummarySql(loan, environment)} END;`);
    }
    const pairs = db
      .prepare(
        `SELECT loan_id AS l, environment AS e FROM reports
         UNION SELECT a.loan_id, i.environment FROM items i JOIN applicants a ON a.id = i.applicant_id`,
      )
      .all() as { l: string; e: string }[];
    const refresh = db.prepare(refreshLoanSummarySql('@l', '@e'));
    for (const pair of pairs) refresh.run(pair);
  },
};
