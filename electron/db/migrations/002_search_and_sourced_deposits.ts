import type { Migration } from './types';

/**
 * Fast lists on years of history: a lower-cased search column for applicants (name, loan number,
 * e-mail) and indexes matching the list queries; plus the officer's sourced-deposit marks.
 */
export const migration002: Migration = {
  version: 2,
  name: 'search indexes and sourced deposits',
  up(db) {
    db.exec(`
      ALTER TABLE applicants ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
      UPDATE applicants SET search_text = lower(
        first_name || ' ' || coalesce(middle_name || ' ', '') || last_name || ' ' || loan_number || ' ' || email
      );
      CREATE INDEX applicants_by_loan_number ON applicants (loan_number);

      CREATE INDEX reports_by_created ON reports (environment, created_at DESC);
      CREATE INDEX reports_latest_ready ON reports (applicant_id, environment, status, ready_at);
      CREATE INDEX items_relink ON items (environment, status);

      CREATE TABLE sourced_deposits (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        transaction_id TEXT NOT NULL,
        note_enc BLOB NOT NULL,
        marked_at TEXT NOT NULL,
        PRIMARY KEY (report_id, transaction_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
