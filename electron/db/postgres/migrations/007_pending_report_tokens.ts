import pg from 'pg';
import { teamGroupRoleNames } from './003_team_members';
import type { PostgresMigration } from './types';

/**
 * A processor's desk carries on a pending report another desk requested (migration 004), so it must read that
 * report's token; 004 granted the whole column, which let a processor read every report's token, ready ones
 * included (with the team's Plaid keys a token fetches, shares or refreshes the report). Now the column is the
 * officers' and the admin's again, and a processor reads a token through `assetdesk_pending_report_token`, which
 * answers only while the report is pending (with the owner's rights and a fixed search_path, like 003's functions).
 */
export const postgresMigration007: PostgresMigration = {
  version: 7,
  name: 'pending report tokens',
  async up(client) {
    const { rows } = await client.query<{ db: string; schema: string }>(
      'SELECT current_database() AS db, current_schema() AS schema',
    );
    const processor = pg.escapeIdentifier(teamGroupRoleNames(rows[0]!.db).processor);
    const path = `SET search_path = ${pg.escapeIdentifier(rows[0]!.schema)}, pg_temp`;
    await client.query(`
      REVOKE SELECT (report_token_enc) ON reports FROM ${processor};
      CREATE FUNCTION assetdesk_pending_report_token(p_report_id text) RETURNS bytea
      LANGUAGE sql STABLE SECURITY DEFINER ${path} AS $$
        SELECT report_token_enc FROM reports WHERE id = p_report_id AND status = 'pending'
      $$;
      REVOKE EXECUTE ON FUNCTION assetdesk_pending_report_token(text) FROM PUBLIC;
      GRANT EXECUTE ON FUNCTION assetdesk_pending_report_token(text) TO ${processor};
    `);
  },
};
