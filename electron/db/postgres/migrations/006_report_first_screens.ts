import pg from 'pg';
import { teamGroupRoleNames } from './003_team_members';
import type { PostgresMigration } from './types';

/**
 * The report view's first screen (SQLite migration 012), sealed with the team key like the whole view, and
 * written by the same desks (migration 005).
 */
export const postgresMigration006: PostgresMigration = {
  version: 6,
  name: 'report first screens',
  async up(client) {
    const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
    const processor = pg.escapeIdentifier(teamGroupRoleNames(rows[0]!.db).processor);
    await client.query(`
      ALTER TABLE report_content ADD COLUMN view_first_enc BYTEA;
      GRANT UPDATE (view_first_enc) ON report_content TO ${processor};
    `);
  },
};
