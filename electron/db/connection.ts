import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { Logger } from '../services/logger';
import { migrate } from './migrations';

/**
 * Opens (creating if needed) the database file in the user-data folder and applies migrations.
 * WAL + synchronous=NORMAL: a commit is durable once its WAL frames are written; a power cut can
 * lose only the last commits, never corrupt the file (SQLite's documented WAL guarantee), and it
 * saves an fsync per commit. secure_delete zeroes freed pages so deleted loan files don't linger.
 */
export function openDatabase(file: string, logger?: Logger): Database.Database {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Create the file owner-only first: SQLite gives the -wal and -shm files the same permissions.
  closeSync(openSync(file, 'a', 0o600));
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('secure_delete = ON');
    migrate(db, { logger });
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof AppError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new AppError(
        {
          code: ErrorCodes.storeCorrupt,
          message:
            'The AssetDesk database file is damaged and could not be opened. Restore it from a backup, or move it aside to start with an empty one.',
          retryable: false,
        },
        { cause: err },
      );
    }
    throw new AppError(
      {
        code: ErrorCodes.internal,
        message:
          'AssetDesk could not open its database. Check that the disk is not full and that no other copy of AssetDesk is running.',
        retryable: true,
      },
      { cause: err },
    );
  }
}
