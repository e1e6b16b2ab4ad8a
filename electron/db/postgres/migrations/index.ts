import type pg from 'pg';
import { AppError, ErrorCodes } from '../../../../shared/errors';
import type { PostgresEngine } from '../engine';
import { teamConnectionError } from '../connection';
import { postgresMigration001 } from './001_team_schema';
import { postgresMigration002 } from './002_search_trigrams';
import { postgresMigration003 } from './003_team_members';
import { postgresMigration004 } from './004_team_secrets_and_takeover';
import { postgresMigration005 } from './005_report_views';
import { postgresMigration006 } from './006_report_first_screens';
import { postgresMigration007 } from './007_pending_report_tokens';
import type { PostgresMigration } from './types';

export type { PostgresMigration } from './types';

/** In order; a version is never reused or edited once released. */
export const postgresMigrations: readonly PostgresMigration[] = [
  postgresMigration001,
  postgresMigration002,
  postgresMigration003,
  postgresMigration004,
  postgresMigration005,
  postgresMigration006,
  postgresMigration007,
];
export const LATEST_POSTGRES_SCHEMA_VERSION = postgresMigrations[postgresMigrations.length - 1]!.version;

/**
 * Key of the transaction-level advisory lock held while migrating: two desks starting at once take turns,
 * and the second finds nothing left to do. (A fixed number; other advisory locks of the app use other keys.)
 */
export const MIGRATION_LOCK_KEY = 0x41_44_4d_49_47; // "ADMIG"

/**
 * Brings the team database up to `target` (default: the newest) in ONE transaction under the migration
 * lock, recording each step in `schema_migrations`; a failure leaves the previous version intact.
 * Refuses a database migrated by a newer AssetDesk. Takes the engine, or a connected client that is not
 * inside a transaction.
 */
export async function migratePostgres(
  on: PostgresEngine | pg.ClientBase,
  options: { target?: number; list?: readonly PostgresMigration[] } = {},
): Promise<{ from: number; to: number; applied: string[] }> {
  if ('pool' in on) {
    let client: pg.PoolClient;
    try {
      client = await on.pool.connect();
    } catch (err) {
      throw teamConnectionError(err, on.target) ?? err;
    }
    try {
      return await migrateWith(client, options);
    } finally {
      client.release();
    }
  }
  return migrateWith(on, options);
}

async function migrateWith(
  client: pg.ClientBase,
  options: { target?: number; list?: readonly PostgresMigration[] },
): Promise<{ from: number; to: number; applied: string[] }> {
  const list = options.list ?? postgresMigrations;
  const latest = list[list.length - 1]?.version ?? 0;
  const target = options.target ?? latest;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      applied_at TEXT NOT NULL
    )`);
    const { rows } = await client.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    const from = Number(rows[0]?.version ?? 0);
    if (from > latest) {
      throw new AppError({
        code: ErrorCodes.storeTooNew,
        message:
          `The team database was set up by a newer version of AssetDesk (database version ${from}; this version ` +
          `understands up to ${latest}). Install the latest AssetDesk to use it — nothing was changed.`,
        retryable: false,
      });
    }
    const pending = list.filter((m) => m.version > from && m.version <= target);
    for (const m of pending) {
      await m.up(client);
      await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        new Date().toISOString(),
      ]);
    }
    await client.query('COMMIT');
    return {
      from,
      to: pending.length > 0 ? pending[pending.length - 1]!.version : from,
      applied: pending.map((m) => `${m.version} ${m.name}`),
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
