import type { Migration } from './types';

/**
 * The officer's confirmations that an account counts (ownership, business-asset review, currency conversion),
 * kept per applicant and account identity (institution, mask, subtype) so that they carry to refreshed and
 * filtered reports. The note may quote the borrower, so it is encrypted like sourced-deposit notes.
 * Also the loan's expected note (closing) date, against which document age is measured.
 */
export const migration005: Migration = {
  version: 5,
  name: 'account confirmations and expected note dates',
  up(db) {
    db.exec(`
      CREATE TABLE account_confirmations (
        applicant_id TEXT NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
        account_key TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('ownership', 'business_review', 'conversion')),
        note_enc BLOB NOT NULL,
        usd_rate REAL,
        confirmed_at TEXT NOT NULL,
        PRIMARY KEY (applicant_id, account_key, kind)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE loan_note_dates (
        applicant_id TEXT PRIMARY KEY REFERENCES applicants(id) ON DELETE CASCADE,
        expected_note_date TEXT NOT NULL
      ) STRICT;
    `);
  },
};
