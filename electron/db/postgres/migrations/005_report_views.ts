import pg from 'pg';
import { teamGroupRoleNames } from './003_team_members';
import type { PostgresMigration } from './types';

/**
 * The prepared report view (SQLite migration 011), sealed with the team key like the report itself. A processor's
 * desk that carries a pending report to the end writes its view with it; row-level security still limits their
 * writes to pending reports, so a view missing from an older report is only saved by an officer's or admin's desk.
 */
export const postgresMigration005: PostgresMigration = {
  version: 5,
  name: 'report views',
  async up(client) {
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    const processor = pg.escapeIdentifier(teamGroupRoleNames(rows[0]!.db).processor);
    await client.query(`
      ALTER TABLE report_content ADD COLUMN view_enc BYTEA;
      GRANT UPDATE (view_enc) ON report_content TO ${processor};
    `);
  },
};
