import pg from 'pg';
import { teamGroupRoleNames } from './003_team_members';
import type { PostgresMigration } from './types';

const id = (name: string) => pg.escapeIdentifier(name);

/**
 * Two things the team's desks need beyond 003:
 * - `team_secrets`: the team's Plaid keys, sealed with the team key; the admin writes them, officers' desks
 *   read them to call Plaid; a processor's login cannot read the table at all.
 * - A pending report outlives the desk that asked for it: when that desk closes or crashes, any other desk of
 *   the team — a processor's included — carries it to the end (polls Plaid for the report already requested,
 *   stores it). A processor still starts nothing at Plaid and deletes nothing: they may read a report's token
 *   and write the report's outcome ONLY while it is pending (row-level security), and mark a bank as needing
 *   to be linked again when Plaid says so. Items' access tokens stay out of their reach.
 */
export const postgresMigration004: PostgresMigration = {
  version: 4,
  name: 'team secrets and report takeover',
  async up(client) {
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    const groups = teamGroupRoleNames(rows[0]!.db);
    const [admin, officer, processor] = [id(groups.admin), id(groups.officer), id(groups.processor)];
    await client.query(`
      CREATE TABLE team_secrets (
        name TEXT COLLATE "C" PRIMARY KEY,
        value_enc BYTEA NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL
      );
      GRANT SELECT, INSERT, UPDATE, DELETE ON team_secrets TO ${admin};
      GRANT SELECT ON team_secrets TO ${officer};

      GRANT SELECT (report_token_enc) ON reports TO ${processor};
      GRANT UPDATE (status, ready_at, generated_on, total_balance, account_count, earliest_history_date,
                    failure_code, failure_message, failure_request_id, findings_attention, findings_info)
        ON reports TO ${processor};
      GRANT INSERT, UPDATE (json_codec, json_enc, pdf_enc) ON report_content TO ${processor};
      GRANT UPDATE (status, last_error_code, last_error_message) ON items TO ${processor};
      -- The pipeline summary follows the report's outcome (the function runs with the owner's rights).
      GRANT EXECUTE ON FUNCTION assetdesk_refresh_loan_summary(text, text) TO ${processor};
      -- Planned per call: a plan cached while the tables were small (a new team, a history being moved in within
      -- one transaction) would keep scanning whole tables once they are large, one scan per report written.
      ALTER FUNCTION assetdesk_refresh_loan_summary(text, text) SET plan_cache_mode = force_custom_plan;

      -- Moving a desk's history in (electron/db/move-history.ts) writes thousands of rows in one transaction and
      -- then works out each moved loan's summary once; these triggers stand aside while it says so.
      CREATE OR REPLACE FUNCTION reports_loan_summary() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF current_setting('assetdesk.moving_history', true) = 'on' THEN RETURN NULL; END IF;
        IF TG_OP = 'DELETE' THEN
          PERFORM assetdesk_refresh_loan_summary(OLD.loan_id, OLD.environment);
        ELSE
          PERFORM assetdesk_refresh_loan_summary(NEW.loan_id, NEW.environment);
        END IF;
        RETURN NULL;
      END $fn$;
      CREATE OR REPLACE FUNCTION items_loan_summary() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        IF current_setting('assetdesk.moving_history', true) = 'on' THEN RETURN NULL; END IF;
        IF TG_OP = 'DELETE' THEN
          PERFORM assetdesk_refresh_loan_summary(
            (SELECT loan_id FROM applicants WHERE id = OLD.applicant_id), OLD.environment);
        ELSE
          PERFORM assetdesk_refresh_loan_summary(
            (SELECT loan_id FROM applicants WHERE id = NEW.applicant_id), NEW.environment);
        END IF;
        RETURN NULL;
      END $fn$;

      ALTER TABLE reports ENABLE ROW LEVEL SECURITY;
      CREATE POLICY reports_read ON reports FOR SELECT USING (true);
      CREATE POLICY reports_loan_work ON reports FOR ALL TO ${admin}, ${officer} USING (true) WITH CHECK (true);
      CREATE POLICY reports_processor_completes ON reports FOR UPDATE TO ${processor}
        USING (status = 'pending') WITH CHECK (status IN ('pending', 'ready', 'failed'));

      ALTER TABLE report_content ENABLE ROW LEVEL SECURITY;
      CREATE POLICY report_content_read ON report_content FOR SELECT USING (true);
      CREATE POLICY report_content_loan_work ON report_content FOR ALL TO ${admin}, ${officer}
        USING (true) WITH CHECK (true);
      CREATE POLICY report_content_processor_completes ON report_content FOR INSERT TO ${processor}
        WITH CHECK (EXISTS (SELECT 1 FROM reports r WHERE r.id = report_id AND r.status = 'pending'));
      CREATE POLICY report_content_processor_replaces ON report_content FOR UPDATE TO ${processor}
        USING (EXISTS (SELECT 1 FROM reports r WHERE r.id = report_id AND r.status = 'pending'));
    `);
  },
};
