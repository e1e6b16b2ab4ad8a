import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, ErrorCodes } from '../../shared/errors';

/**
 * One AssetDesk at a time on a history: two would both carry on the same pending reports (one failing the other's
 * report while Plaid is still answering it, or sending it twice) and both remove what retention says. The hold is an
 * exclusive SQLite lock on a small file beside the history, kept while the store is open; the system drops it when
 * the process ends, however it ends, so a crash never leaves the history locked.
 */
export interface HistoryHold {
  release(): void;
}

export function holdHistory(databaseFile: string): HistoryHold {
  const lockFile = `${databaseFile}.lock`;
  let db: Database.Database | undefined;
  try {
    mkdirSync(dirname(lockFile), { recursive: true, mode: 0o700 });
    closeSync(openSync(lockFile, 'a', 0o600));
    db = new Database(lockFile, { timeout: 0 });
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; COMMIT'); // taken now, and held until this connection closes
  } catch (error) {
    db?.close();
    const code = String((error as { code?: unknown }).code ?? '');
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
      throw new AppError(
        {
          code: ErrorCodes.historyInUse,
          message: `Another AssetDesk is already open on this history (${dirname(databaseFile)}). Use that window, or quit it and start AssetDesk again.`,
          retryable: true,
        },
        { cause: error },
      );
    // A folder that cannot be written at all: the history's own open says what is wrong and what to do.
    return { release: () => undefined };
  }
  const held = db;
  return { release: () => held.open && held.close() };
}
