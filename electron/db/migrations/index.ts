import type Database from 'better-sqlite3';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type { Logger } from '../../log/logger';
import { migration001 } from './001_initial';
import { migration002 } from './002_search_and_sourced_deposits';
import { migration003 } from './003_applicant_list_summary';
import { migration004 } from './004_report_request_details';
import { migration005 } from './005_account_confirmations';
import { migration006 } from './006_hosted_link_sessions';
import { migration007 } from './007_folded_search';
import { migration008 } from './008_loan_files';
import { migration009 } from './009_pipeline_indexes';
import { migration010 } from './010_activity_actor';
import { migration011 } from './011_report_views';
import { migration012 } from './012_report_first_screens';
import type { Migration } from './types';

export type { Migration } from './types';

/** In order; a version is never reused or edited once released. */
export const migrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
];
export const LATEST_SCHEMA_VERSION = migrations[migrations.length - 1]!.version;

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to `target` (default: the newest) in ONE transaction, recording the version
 * in PRAGMA user_version; a crash mid-way leaves the previous version intact.
 */
export function migrate(
  db: Database.Database,
  options: { target?: number; logger?: Logger; list?: readonly Migration[] } = {},
): { from: number; to: number } {
  const list = options.list ?? migrations;
  const latest = list[list.length - 1]?.version ?? 0;
  const target = options.target ?? latest;
  const from = schemaVersion(db);
  if (from > latest) {
    throw new AppError({
      code: ErrorCodes.storeTooNew,
      message:
        `This AssetDesk database was saved by a newer version of AssetDesk (database version ${from}; ` +
        `this version understands up to ${latest}). Install the latest AssetDesk to open it — nothing was changed.`,
      retryable: false,
    });
  }
  const pending = list.filter((m) => m.version > from && m.version <= target);
  if (pending.length === 0) return { from, to: from };
  db.transaction(() => {
    for (const m of pending) {
      m.up(db);
      db.pragma(`user_version = ${Math.trunc(m.version)}`);
    }
  }).immediate();
  const to = schemaVersion(db);
  options.logger?.info('database migrated', { from, to, steps: pending.map((m) => `${m.version} ${m.name}`) });
  return { from, to };
}
