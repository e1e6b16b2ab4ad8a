import type { Migration } from './types';

/**
 * The loan-file model. Columns ending in `_enc` hold AES-256-GCM ciphertext (see ../cipher.ts).
 * Plain columns are what lists and search need: applicant contact fields, loan terms, institution
 * names and report totals — never account names, transactions, owners, tokens or the SSN.
 */
export const migration001: Migration = {
  version: 1,
  name: 'initial loan-file schema',
  up(db) {
    db.exec(`
      CREATE TABLE store_meta (
        key TEXT PRIMARY KEY,
        value_enc BLOB NOT NULL
      ) STRICT;

      CREATE TABLE applicants (
        id TEXT PRIMARY KEY,
        first_name TEXT NOT NULL,
        middle_name TEXT,
        last_name TEXT NOT NULL,
        email TEXT NOT NULL,
        phone TEXT NOT NULL,
        loan_number TEXT NOT NULL,
        loan_purpose TEXT NOT NULL CHECK (loan_purpose IN ('purchase', 'refinance')),
        application_date TEXT NOT NULL,
        qualifying_monthly_income REAL NOT NULL,
        funds_to_close REAL NOT NULL,
        reserves_needed REAL NOT NULL DEFAULT 0,
        ssn_enc BLOB,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE items (
        id TEXT PRIMARY KEY,
        applicant_id TEXT NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
        environment TEXT NOT NULL CHECK (environment IN ('emulator', 'sandbox', 'production')),
        plaid_item_id TEXT NOT NULL,
        access_token_enc BLOB,
        institution_id TEXT NOT NULL,
        institution_name TEXT NOT NULL,
        accounts_enc BLOB NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('ok', 'needs_relink', 'removed')),
        linked_at TEXT NOT NULL,
        last_error_code TEXT,
        last_error_message TEXT,
        UNIQUE (environment, plaid_item_id)
      ) STRICT;
      CREATE INDEX items_by_applicant ON items (applicant_id, environment);

      CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        applicant_id TEXT NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
        environment TEXT NOT NULL CHECK (environment IN ('emulator', 'sandbox', 'production')),
        kind TEXT NOT NULL CHECK (kind IN ('create', 'refresh', 'filter')),
        parent_id TEXT REFERENCES reports(id) ON DELETE SET NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'failed', 'removed')),
        days_requested INTEGER NOT NULL,
        include_applicant_details INTEGER NOT NULL,
        plaid_report_id TEXT,
        report_token_enc BLOB,
        institutions TEXT NOT NULL DEFAULT '[]',
        created_at TEXT NOT NULL,
        ready_at TEXT,
        removed_at TEXT,
        failure_code TEXT,
        failure_message TEXT,
        failure_request_id TEXT,
        total_balance REAL,
        account_count INTEGER,
        earliest_history_date TEXT,
        findings_attention INTEGER,
        findings_info INTEGER
      ) STRICT;
      CREATE INDEX reports_by_applicant ON reports (applicant_id, environment);
      CREATE UNIQUE INDEX reports_by_plaid_id ON reports (environment, plaid_report_id) WHERE plaid_report_id IS NOT NULL;

      CREATE TABLE report_items (
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        PRIMARY KEY (report_id, item_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE report_content (
        report_id TEXT PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
        json_codec TEXT NOT NULL,
        json_enc BLOB NOT NULL,
        pdf_enc BLOB NOT NULL
      ) STRICT;

      CREATE TABLE audit_copies (
        id TEXT PRIMARY KEY,
        report_id TEXT NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
        auditor_id TEXT NOT NULL,
        token_enc BLOB,
        created_at TEXT NOT NULL,
        removed_at TEXT
      ) STRICT;
      CREATE INDEX audit_copies_by_report ON audit_copies (report_id);

      -- No foreign keys: the log must outlive the applicants and reports it mentions.
      CREATE TABLE activity (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        action TEXT NOT NULL,
        applicant_id TEXT,
        report_id TEXT,
        detail TEXT NOT NULL
      ) STRICT;
      CREATE INDEX activity_by_applicant ON activity (applicant_id, id);
      CREATE INDEX activity_by_report ON activity (report_id, id);
      CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
        BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
      CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
        BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
