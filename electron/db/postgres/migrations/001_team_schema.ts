import type { PostgresMigration } from './types';

/**
 * Text compared byte by byte, as SQLite's default BINARY collation does: ISO timestamps, ids and names
 * then sort and compare the same on both engines, whatever locale the office created its database with.
 */
const T = 'TEXT COLLATE "C"';
const ENVIRONMENT = `${T} NOT NULL CHECK (environment IN ('emulator', 'sandbox', 'production'))`;

/** Tables, constraints and indexes as the local store has them after its migration 009. */
const TABLES = `
  CREATE TABLE store_meta (
    key ${T} PRIMARY KEY,
    value_enc BYTEA NOT NULL
  );

  CREATE TABLE settings (
    key ${T} PRIMARY KEY,
    value ${T} NOT NULL
  );

  CREATE TABLE loans (
    id ${T} PRIMARY KEY,
    loan_number ${T} NOT NULL,
    -- The app writes the case- and space-folded number here; uniqueness is on this key, as locally.
    loan_number_key ${T} NOT NULL UNIQUE,
    loan_purpose ${T} NOT NULL CHECK (loan_purpose IN ('purchase', 'refinance', 'cash_out_refinance')),
    application_date ${T} NOT NULL,
    expected_note_date ${T},
    property_street ${T},
    property_unit ${T},
    property_city ${T},
    property_state ${T},
    property_zip ${T},
    qualifying_monthly_income DOUBLE PRECISION NOT NULL,
    funds_to_close DOUBLE PRECISION NOT NULL,
    reserves_needed DOUBLE PRECISION NOT NULL DEFAULT 0,
    status ${T} NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'withdrawn')),
    status_changed_at ${T},
    search_text ${T} NOT NULL DEFAULT '',
    last_activity_at ${T} NOT NULL,
    created_at ${T} NOT NULL,
    updated_at ${T} NOT NULL
  );
  CREATE INDEX loans_by_status ON loans (status, last_activity_at DESC);
  CREATE INDEX loans_by_activity ON loans (last_activity_at, id);

  CREATE TABLE applicants (
    id ${T} PRIMARY KEY,
    first_name ${T} NOT NULL,
    middle_name ${T},
    last_name ${T} NOT NULL,
    email ${T} NOT NULL,
    phone ${T} NOT NULL,
    ssn_enc BYTEA,
    created_at ${T} NOT NULL,
    updated_at ${T} NOT NULL,
    search_text ${T} NOT NULL DEFAULT '',
    loan_id ${T} REFERENCES loans(id) ON DELETE CASCADE,
    position BIGINT NOT NULL DEFAULT 0
  );
  CREATE INDEX applicants_by_loan ON applicants (loan_id, position);

  CREATE TABLE items (
    id ${T} PRIMARY KEY,
    applicant_id ${T} NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
    environment ${ENVIRONMENT},
    plaid_item_id ${T} NOT NULL,
    access_token_enc BYTEA,
    institution_id ${T} NOT NULL,
    institution_name ${T} NOT NULL,
    accounts_enc BYTEA NOT NULL,
    status ${T} NOT NULL CHECK (status IN ('ok', 'needs_relink', 'removed')),
    linked_at ${T} NOT NULL,
    last_error_code ${T},
    last_error_message ${T},
    consent_expires_at ${T},
    UNIQUE (environment, plaid_item_id)
  );
  CREATE INDEX items_by_applicant ON items (applicant_id, environment);
  CREATE INDEX items_by_institution ON items (institution_name);

  CREATE TABLE reports (
    id ${T} PRIMARY KEY,
    applicant_id ${T} NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
    environment ${ENVIRONMENT},
    kind ${T} NOT NULL CHECK (kind IN ('create', 'refresh', 'filter')),
    parent_id ${T} REFERENCES reports(id) ON DELETE SET NULL,
    status ${T} NOT NULL CHECK (status IN ('pending', 'ready', 'failed', 'removed')),
    days_requested BIGINT NOT NULL,
    include_applicant_details INTEGER NOT NULL,
    plaid_report_id ${T},
    report_token_enc BYTEA,
    institutions ${T} NOT NULL DEFAULT '[]',
    created_at ${T} NOT NULL,
    ready_at ${T},
    removed_at ${T},
    failure_code ${T},
    failure_message ${T},
    failure_request_id ${T},
    total_balance DOUBLE PRECISION,
    account_count BIGINT,
    earliest_history_date ${T},
    findings_attention BIGINT,
    findings_info BIGINT,
    excluded_account_ids ${T} NOT NULL DEFAULT '[]',
    generated_on ${T},
    institutions_search ${T} NOT NULL DEFAULT '',
    loan_id ${T} REFERENCES loans(id) ON DELETE CASCADE
  );
  CREATE INDEX reports_by_applicant ON reports (applicant_id, environment);
  CREATE UNIQUE INDEX reports_by_plaid_id ON reports (environment, plaid_report_id) WHERE plaid_report_id IS NOT NULL;
  CREATE INDEX reports_by_created ON reports (environment, created_at DESC);
  CREATE INDEX reports_latest_ready ON reports (applicant_id, environment, status, ready_at);
  CREATE INDEX reports_by_loan ON reports (loan_id, environment, status, ready_at);
  CREATE INDEX reports_by_loan_created ON reports (loan_id, environment, created_at);
  -- SQLite's COLLATE NOCASE index: PostgreSQL finds a Plaid id in any case through lower().
  CREATE INDEX reports_by_plaid_id_nocase ON reports (lower(plaid_report_id));
  CREATE INDEX reports_by_total ON reports (total_balance);

  CREATE TABLE report_items (
    report_id ${T} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    item_id ${T} NOT NULL REFERENCES items(id) ON DELETE CASCADE,
    PRIMARY KEY (report_id, item_id)
  );
  -- PostgreSQL doesn't index the referencing side of a foreign key: deleting an Item would read them all.
  CREATE INDEX report_items_by_item ON report_items (item_id);

  CREATE TABLE report_content (
    report_id ${T} PRIMARY KEY REFERENCES reports(id) ON DELETE CASCADE,
    json_codec ${T} NOT NULL,
    json_enc BYTEA NOT NULL,
    pdf_enc BYTEA NOT NULL
  );

  CREATE TABLE audit_copies (
    id ${T} PRIMARY KEY,
    report_id ${T} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    auditor_id ${T} NOT NULL,
    token_enc BYTEA,
    created_at ${T} NOT NULL,
    removed_at ${T}
  );
  CREATE INDEX audit_copies_by_report ON audit_copies (report_id);

  -- No foreign keys: the log must outlive the loans, applicants and reports it mentions.
  CREATE TABLE activity (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at ${T} NOT NULL,
    action ${T} NOT NULL,
    applicant_id ${T},
    report_id ${T},
    detail ${T} NOT NULL,
    loan_id ${T}
  );
  CREATE INDEX activity_by_applicant ON activity (applicant_id, id);
  CREATE INDEX activity_by_report ON activity (report_id, id);
  CREATE INDEX activity_by_loan ON activity (loan_id, id);

  CREATE TABLE sourced_deposits (
    report_id ${T} NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
    transaction_id ${T} NOT NULL,
    note_enc BYTEA NOT NULL,
    marked_at ${T} NOT NULL,
    PRIMARY KEY (report_id, transaction_id)
  );

  CREATE TABLE account_confirmations (
    applicant_id ${T} NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
    account_key ${T} NOT NULL,
    kind ${T} NOT NULL CHECK (kind IN ('ownership', 'business_review', 'conversion')),
    note_enc BYTEA NOT NULL,
    usd_rate DOUBLE PRECISION,
    confirmed_at ${T} NOT NULL,
    PRIMARY KEY (applicant_id, account_key, kind)
  );

  CREATE TABLE hosted_link_sessions (
    id ${T} PRIMARY KEY,
    applicant_id ${T} NOT NULL REFERENCES applicants(id) ON DELETE CASCADE,
    environment ${ENVIRONMENT},
    link_token_enc BYTEA,
    url_enc BYTEA,
    status ${T} NOT NULL CHECK (status IN ('waiting', 'completed', 'exited', 'expired', 'revoked')),
    delivery_method ${T} CHECK (delivery_method IN ('sms', 'email')),
    created_at ${T} NOT NULL,
    expiration ${T} NOT NULL,
    finished_at ${T},
    item_ids ${T} NOT NULL DEFAULT '[]'
  );
  CREATE INDEX hosted_link_sessions_by_applicant ON hosted_link_sessions (applicant_id, environment, created_at);
  CREATE INDEX hosted_link_sessions_waiting ON hosted_link_sessions (environment) WHERE status = 'waiting';

  CREATE TABLE loan_env_summary (
    loan_id ${T} NOT NULL REFERENCES loans(id) ON DELETE CASCADE,
    environment ${T} NOT NULL,
    report_count BIGINT NOT NULL,
    latest_report_at ${T},
    has_pending INTEGER NOT NULL,
    has_removed INTEGER NOT NULL,
    latest_ready_at ${T},
    latest_ready_on ${T},
    findings_attention BIGINT,
    findings_info BIGINT,
    needs_relink INTEGER NOT NULL,
    consent_expires_on ${T},
    PRIMARY KEY (loan_id, environment)
  );
`;

/**
 * The local store's triggers in PL/pgSQL. The pipeline summary is recomputed for one loan and environment
 * after every write to its reports or Items, whoever writes them. Unlike SQLite (one writer at a time) two
 * desks can write the same loan at once, so the refresh first locks the loan's row: the second desk's
 * refresh then waits and counts the first desk's committed rows too. `FOR NO KEY UPDATE` leaves the
 * foreign-key checks of inserts (which take KEY SHARE) free, so two inserts for one loan don't deadlock.
 */
const TRIGGERS = `
  CREATE FUNCTION assetdesk_refresh_loan_summary(p_loan TEXT, p_environment TEXT) RETURNS void
  LANGUAGE plpgsql AS $$
  BEGIN
    IF p_loan IS NULL THEN RETURN; END IF;
    PERFORM 1 FROM loans WHERE id = p_loan FOR NO KEY UPDATE;
    IF NOT FOUND THEN RETURN; END IF;
    INSERT INTO loan_env_summary (loan_id, environment, report_count, latest_report_at, has_pending, has_removed,
      latest_ready_at, latest_ready_on, findings_attention, findings_info, needs_relink, consent_expires_on)
    SELECT p_loan, p_environment,
      (SELECT count(*) FROM reports WHERE loan_id = p_loan AND environment = p_environment AND status <> 'removed'),
      (SELECT max(created_at) FROM reports WHERE loan_id = p_loan AND environment = p_environment AND status <> 'removed'),
      (EXISTS (SELECT 1 FROM reports WHERE loan_id = p_loan AND environment = p_environment AND status = 'pending'))::int,
      (EXISTS (SELECT 1 FROM reports WHERE loan_id = p_loan AND environment = p_environment AND status = 'removed'))::int,
      lr.ready_at, lr.ready_on, lr.findings_attention, lr.findings_info,
      (EXISTS (SELECT 1 FROM applicants b JOIN items i ON i.applicant_id = b.id
        WHERE b.loan_id = p_loan AND i.environment = p_environment AND i.status = 'needs_relink'))::int,
      (SELECT min(substr(i.consent_expires_at, 1, 10)) FROM applicants b JOIN items i ON i.applicant_id = b.id
        WHERE b.loan_id = p_loan AND i.environment = p_environment AND i.status = 'ok')
    FROM (SELECT 1) AS one LEFT JOIN LATERAL (
      -- NULLS LAST: SQLite sorts NULL lowest, so DESC puts it last there too.
      SELECT ready_at, coalesce(generated_on, substr(ready_at, 1, 10)) AS ready_on, findings_attention, findings_info
      FROM reports WHERE loan_id = p_loan AND environment = p_environment AND status = 'ready'
      ORDER BY ready_at DESC NULLS LAST LIMIT 1
    ) AS lr ON true
    ON CONFLICT (loan_id, environment) DO UPDATE SET
      report_count = excluded.report_count, latest_report_at = excluded.latest_report_at,
      has_pending = excluded.has_pending, has_removed = excluded.has_removed, latest_ready_at = excluded.latest_ready_at,
      latest_ready_on = excluded.latest_ready_on, findings_attention = excluded.findings_attention,
      findings_info = excluded.findings_info, needs_relink = excluded.needs_relink,
      consent_expires_on = excluded.consent_expires_on;
  END $$;

  CREATE FUNCTION reports_loan_summary() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      PERFORM assetdesk_refresh_loan_summary(OLD.loan_id, OLD.environment);
    ELSE
      PERFORM assetdesk_refresh_loan_summary(NEW.loan_id, NEW.environment);
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER reports_loan_summary AFTER INSERT OR UPDATE OR DELETE ON reports
    FOR EACH ROW EXECUTE FUNCTION reports_loan_summary();

  CREATE FUNCTION items_loan_summary() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF TG_OP = 'DELETE' THEN
      PERFORM assetdesk_refresh_loan_summary(
        (SELECT loan_id FROM applicants WHERE id = OLD.applicant_id), OLD.environment);
    ELSE
      PERFORM assetdesk_refresh_loan_summary(
        (SELECT loan_id FROM applicants WHERE id = NEW.applicant_id), NEW.environment);
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER items_loan_summary AFTER INSERT OR UPDATE OR DELETE ON items
    FOR EACH ROW EXECUTE FUNCTION items_loan_summary();

  CREATE FUNCTION activity_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'the activity log is append-only' USING ERRCODE = 'restrict_violation';
  END $$;
  CREATE TRIGGER activity_no_update BEFORE UPDATE ON activity
    FOR EACH ROW EXECUTE FUNCTION activity_append_only();
  CREATE TRIGGER activity_no_delete BEFORE DELETE ON activity
    FOR EACH ROW EXECUTE FUNCTION activity_append_only();
  -- SQLite has no TRUNCATE; here it would empty the log without firing the row guards.
  CREATE TRIGGER activity_no_truncate BEFORE TRUNCATE ON activity
    FOR EACH STATEMENT EXECUTE FUNCTION activity_append_only();

  CREATE FUNCTION activity_touches_loan() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE loans SET last_activity_at = NEW.at WHERE id = NEW.loan_id AND last_activity_at < NEW.at;
    RETURN NULL;
  END $$;
  CREATE TRIGGER activity_touches_loan AFTER INSERT ON activity
    FOR EACH ROW WHEN (NEW.loan_id IS NOT NULL) EXECUTE FUNCTION activity_touches_loan();
`;

/** The channel other desks LISTEN on for changes to what their screens show. */
export const CHANGES_CHANNEL = 'assetdesk_changes';

/**
 * Per table: the row id sent (as text; the parent's id where the key is composite) and how the row's loan
 * is found. `r` is the changed row. Only ids travel: never names, amounts, notes or tokens.
 */
const NOTIFIED: [table: string, id: string, loan: string][] = [
  ['loans', 'r.id', 'r.id'],
  ['applicants', 'r.id', 'r.loan_id'],
  ['items', 'r.id', '(SELECT loan_id FROM applicants WHERE id = r.applicant_id)'],
  ['reports', 'r.id', 'r.loan_id'],
  ['audit_copies', 'r.id', '(SELECT loan_id FROM reports WHERE id = r.report_id)'],
  ['activity', 'r.id', 'r.loan_id'],
  ['hosted_link_sessions', 'r.id', '(SELECT loan_id FROM applicants WHERE id = r.applicant_id)'],
  ['sourced_deposits', 'r.report_id', '(SELECT loan_id FROM reports WHERE id = r.report_id)'],
  ['account_confirmations', 'r.applicant_id', '(SELECT loan_id FROM applicants WHERE id = r.applicant_id)'],
  ['settings', 'r.key', 'NULL'],
];

function notifyTrigger(table: string, id: string, loan: string): string {
  return `
  CREATE FUNCTION ${table}_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE r ${table}%ROWTYPE;
  BEGIN
    IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
    PERFORM pg_notify('${CHANGES_CHANNEL}', json_build_object(
      'table', TG_TABLE_NAME, 'op', lower(TG_OP), 'id', (${id})::text, 'loan_id', (${loan})::text)::text);
    RETURN NULL;
  END $$;
  CREATE TRIGGER ${table}_notify_change AFTER INSERT OR UPDATE OR DELETE ON ${table}
    FOR EACH ROW EXECUTE FUNCTION ${table}_notify_change();`;
}

/**
 * The team schema: the local store's schema after its migration 009, with the same triggers, plus change
 * notifications for the live updates between desks.
 */
export const postgresMigration001: PostgresMigration = {
  version: 1,
  name: 'team schema (local store version 9) with change notifications',
  async up(client) {
    await client.query(TABLES);
    await client.query(TRIGGERS);
    await client.query(NOTIFIED.map(([table, id, loan]) => notifyTrigger(table, id, loan)).join('\n'));
  },
};
