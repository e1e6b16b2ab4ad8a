import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  chmodSync,
  linkSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, ErrorCodes } from '../../shared/errors';
import { createValueCipher } from './cipher';
import { inspectWal } from './connection';
import { holdHistory, type HistoryHold } from './history-lock';
import { LATEST_SCHEMA_VERSION } from './migrations';
import type { AssetDeskStore } from './index';

/**
 * Backups are SQLite online backups of the history: consistent even while reports are being written,
 * encrypted exactly as the database is at rest (tokens, reports, PDFs and SSNs sealed with the data key),
 * owner-only, and carrying the recovery-wrapped key so they open on a new machine with the recovery key.
 * A restore checks the file and the key before anything is replaced, and keeps the replaced database.
 */

export const BACKUP_EXTENSION = '.assetdesk-backup';
export const BACKUP_FAILED = 'BACKUP_FAILED';
export const RESTORE_REFUSED = 'RESTORE_REFUSED';

export interface BackupResult {
  path: string;
  bytes: number;
  createdAt: string;
}

/** `AssetDesk-backup-2026-11-30T14-05-09Z.assetdesk-backup`: sorts by time, safe on every OS. */
export function backupFileName(now: Date): string {
  return `AssetDesk-backup-${now.toISOString().slice(0, 19).replace(/:/g, '-')}Z${BACKUP_EXTENSION}`;
}

export async function backupStore(store: AssetDeskStore, folder: string, now = new Date()): Promise<BackupResult> {
  let path = join(folder, backupFileName(now));
  for (let n = 2; existsSync(path); n += 1)
    path = join(folder, backupFileName(now).replace(BACKUP_EXTENSION, `-${n}${BACKUP_EXTENSION}`));
  const temp = join(folder, `.${basename(path)}.partial-${randomBytes(4).toString('hex')}`);
  try {
    // Created owner-only first: SQLite keeps an existing file's mode.
    closeSync(openSync(temp, 'wx', 0o600));
    await store.backup(temp);
    // The copy is in WAL mode like its source; fold and switch to a single self-contained file.
    const copy = new Database(temp);
    try {
      copy.pragma('journal_mode = DELETE');
      const check = copy.pragma('quick_check', { simple: true });
      if (check !== 'ok') throw new Error(`backup copy failed its check: ${String(check)}`);
    } finally {
      copy.close();
    }
    ownerOnlyOnDisk(temp);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    rmSync(`${temp}-journal`, { force: true });
    throw backupError(error, folder);
  }
  store.checkpoint();
  return { path, bytes: statSync(path).size, createdAt: now.toISOString() };
}

function backupError(error: unknown, folder: string): AppError {
  if (error instanceof AppError) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const why =
    code === 'ENOSPC' || code === 'SQLITE_FULL'
      ? 'the disk is full. Free some space or choose another folder'
      : code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code.startsWith('SQLITE_READONLY')
        ? 'AssetDesk may not write there. Choose a folder you may write to (an external drive or a network share)'
        : code === 'ENOENT' || code === 'ENOTDIR'
          ? 'the folder no longer exists. Choose it again'
          : 'of an unexpected problem. Try another folder';
  return new AppError(
    {
      code: BACKUP_FAILED,
      message: `The backup was not made in “${folder}” because ${why}, then try again.`,
      retryable: true,
    },
    { cause: error },
  );
}

export interface BackupContents {
  schemaVersion: number;
  /** Loan files (a backup from before loan files counts its applicants: each becomes one loan). */
  loans: number;
  reports: number;
}

/**
 * Opens a backup read-only and proves it: a SQLite file that passes its integrity check, a schema this
 * version understands, and a key check that opens with `dataKey`. Nothing is changed.
 */
export function verifyBackup(file: string, dataKey: Buffer): BackupContents {
  const refuse = (message: string, cause?: unknown): never => {
    throw new AppError(
      { code: RESTORE_REFUSED, message, retryable: false },
      cause === undefined ? undefined : { cause },
    );
  };
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return refuse(
      `“${basename(file)}” could not be opened as an AssetDesk backup. Choose the .assetdesk-backup file AssetDesk made.`,
      error,
    );
  }
  try {
    let check: unknown;
    try {
      check = db.pragma('quick_check', { simple: true });
    } catch (error) {
      return refuse(`“${basename(file)}” is not an AssetDesk backup, or it is damaged. Choose another backup.`, error);
    }
    if (check !== 'ok')
      return refuse(`The backup “${basename(file)}” is damaged (${String(check)}). Choose another backup.`);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > LATEST_SCHEMA_VERSION)
      return refuse('This backup was made by a newer AssetDesk. Update AssetDesk, then restore it.');
    const row = (() => {
      try {
        return db.prepare('SELECT value_enc FROM store_meta WHERE key = ?').get('key_check') as
          { value_enc: Buffer } | undefined;
      } catch (error) {
        return refuse(`“${basename(file)}” is not an AssetDesk backup. Choose another backup.`, error);
      }
    })();
    if (!row) return refuse(`“${basename(file)}” is not an AssetDesk backup. Choose another backup.`);
    try {
      createValueCipher(dataKey).open(row.value_enc, { table: 'store_meta', column: 'value_enc', rowId: 'key_check' });
    } catch (error) {
      throw new AppError(
        {
          code: ErrorCodes.storeKeyMismatch,
          message:
            'This backup was made with another data key (another computer, or before a recovery). Restore it with its recovery key.',
          retryable: false,
        },
        { cause: error },
      );
    }
    const count = (table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return {
      schemaVersion: version,
      loans: count(version >= 8 ? 'loans' : 'applicants'),
      reports: count('reports'),
    };
  } finally {
    db.close();
  }
}

/** `base`, or `base-2`, `base-3` …: two restores within one second must not overwrite the first kept history. */
function unusedName(base: string): string {
  let name = base;
  for (let n = 2; existsSync(name) || existsSync(`${name}-wal`); n += 1) name = `${base}-${n}`;
  return name;
}

/**
 * Replaces the database at `databaseFile` (which must be closed) with a verified backup. The current
 * database is kept beside it as `…before-restore-<time>`; the new one is copied in under a temporary name
 * and renamed, so an interrupted restore leaves the old history in place.
 */
export function restoreBackup(options: {
  backupFile: string;
  databaseFile: string;
  dataKey: Buffer;
  now?: Date;
}): BackupContents & { previous: string | null } {
  const contents = verifyBackup(options.backupFile, options.dataKey);
  const folder = dirname(options.databaseFile);
  // Never under a running AssetDesk: it would go on writing to the history moved aside, and its work be lost.
  let hold: HistoryHold;
  try {
    hold = holdHistory(options.databaseFile);
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== ErrorCodes.historyInUse) throw error;
    throw new AppError(
      {
        code: ErrorCodes.historyInUse,
        message: `AssetDesk is open on this history (${folder}), so nothing was replaced. Quit AssetDesk, then restore again.`,
        retryable: true,
      },
      { cause: error },
    );
  }
  try {
    return { ...contents, previous: swapIn(options, folder) };
  } finally {
    hold.release();
  }
}

/** Puts the verified backup in the history's place, keeping the replaced history beside it; answers where. */
function swapIn(
  options: { backupFile: string; databaseFile: string; dataKey: Buffer; now?: Date },
  folder: string,
): string | null {
  removeStaleRestoreCopies(folder);
  const temp = join(folder, `${RESTORE_COPY_PREFIX}${randomBytes(4).toString('hex')}.sqlite`);
  let previous: string | null = null;
  try {
    copyFileSync(options.backupFile, temp);
    ownerOnlyOnDisk(temp);
    verifyBackup(temp, options.dataKey); // the copy, not just the original
    if (existsSync(options.databaseFile)) {
      const stamp = (options.now ?? new Date()).toISOString().slice(0, 19).replace(/:/g, '-');
      previous = unusedName(`${options.databaseFile}.before-restore-${stamp}`);
      // The replaced history is kept beside while it stays in place, so a restore stopped at any step leaves it
      // whole and in use; only a damaged journal (not folded in) is moved aside before the swap.
      foldJournal(options.databaseFile);
      keepAs(options.databaseFile, previous);
      for (const suffix of ['-wal', '-shm']) {
        if (existsSync(options.databaseFile + suffix)) renameSync(options.databaseFile + suffix, previous + suffix);
      }
    }
    crashPoint('restore-before-swap');
    renameSync(temp, options.databaseFile); // one step: the old file or the new one, never none
  } catch (error) {
    rmSync(temp, { force: true });
    if (error instanceof AppError) throw error;
    throw new AppError(
      {
        code: RESTORE_REFUSED,
        message: `The backup could not be copied into AssetDesk's data folder (${folder}); nothing was replaced. Check that the disk has space and the folder is writable, then try again.`,
        retryable: true,
      },
      { cause: error },
    );
  }
  return previous;
}

const RESTORE_COPY_PREFIX = '.restore-';

/** Copies of a backup that a restore stopped before its end left in the data folder: of no use, and a full copy each. */
function removeStaleRestoreCopies(folder: string): void {
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder))
    if (name.startsWith(RESTORE_COPY_PREFIX) && /\.sqlite(-journal)?$/.test(name))
      rmSync(join(folder, name), { force: true });
}

/**
 * A history left by a crash keeps its last changes in its journal (WAL): folded into the file first, so the copy
 * kept beside is complete in one file. A damaged journal is left as it is (SQLite would drop what it cannot read).
 */
function foldJournal(databaseFile: string): void {
  const wal = `${databaseFile}-wal`;
  if (!existsSync(wal) || statSync(wal).size === 0 || inspectWal(wal).damaged) return;
  try {
    const db = new Database(databaseFile);
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close(); // the last connection to close removes the journal
    }
  } catch {
    // A file SQLite cannot open: it is kept beside as it is, journal included.
  }
}

/** A second name for the file (a hard link: instant, no space); a copy where the disk has no hard links. */
function keepAs(file: string, kept: string): void {
  try {
    linkSync(file, kept);
  } catch {
    copyFileSync(file, kept);
    ownerOnlyOnDisk(kept);
  }
}

/** Test-only: lets the crash tests kill a restore at its most dangerous moment (compiled out of the app). */
function crashPoint(point: 'restore-before-swap'): void {
  if (process.env.ASSETDESK_CRASH_AT === point) process.kill(process.pid, 'SIGKILL');
}

/** Owner-only, and on the disk (not just in the page cache) before it is renamed into place. */
function ownerOnlyOnDisk(file: string): void {
  chmodSync(file, 0o600);
  const fd = openSync(file, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The newest AssetDesk backup in a folder, or null. */
export function newestBackupIn(folder: string): string | null {
  const names = readdirSync(folder)
    .filter((n) => n.startsWith('AssetDesk-backup-') && n.endsWith(BACKUP_EXTENSION))
    .sort();
  return names.length > 0 ? join(folder, names[names.length - 1]!) : null;
}
