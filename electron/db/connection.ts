import { closeSync, existsSync, mkdirSync, openSync, readSync, fstatSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { Logger } from '../log/logger';
import { migrate } from './migrations';

/**
 * Opens (creating if needed) the database file in the user-data folder and applies migrations.
 * WAL + synchronous=NORMAL: a commit is durable once its WAL frames are written; a power cut can
 * lose only the last commits, never corrupt the file (SQLite's documented WAL guarantee), and it
 * saves an fsync per commit. secure_delete zeroes freed pages so deleted loan files don't linger.
 *
 * Before SQLite sees the files, the WAL's checksums are checked: SQLite silently drops a damaged WAL
 * (after a kill -9 it can hold all recent history) and its first checkpoint would make that final.
 * After opening, a quick integrity check runs and the WAL is checkpointed into the main file.
 */
export function openDatabase(file: string, logger?: Logger): Database.Database {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    // Create the file owner-only first: SQLite gives the -wal and -shm files the same permissions.
    closeSync(openSync(file, 'a', 0o600));
  } catch (err) {
    throw dataFolderError(err, dirname(file));
  }
  const wal = inspectWal(`${file}-wal`);
  if (wal.damaged) {
    logger?.error('write-ahead log is damaged; not opening', { reason: wal.reason });
    throw new AppError({
      code: ErrorCodes.storeCorrupt,
      message:
        `AssetDesk's journal of recent changes (${file}-wal) is damaged (${wal.reason}), so recent work may be missing. ` +
        'AssetDesk has not opened or changed anything. Quit AssetDesk, copy the whole data folder somewhere safe for support, ' +
        'then restore your latest backup (Settings → Backup, or `npm run restore -- FILE`).',
      retryable: false,
    });
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    db.pragma('secure_delete = ON');
    const problems = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((r) => r.quick_check);
    if (problems.length !== 1 || problems[0] !== 'ok') {
      logger?.error('database failed its integrity check', { problems });
      throw damagedFileError();
    }
    migrate(db, { logger });
    // Fold the WAL into the main file, so the file alone carries the history (copies, backups, a crash).
    db.pragma('wal_checkpoint(TRUNCATE)');
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof AppError) throw err;
    const code = (err as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw damagedFileError(err);
    if (code === 'SQLITE_READONLY' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_IOERR_WRITE')
      throw dataFolderError(err, dirname(file));
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

function damagedFileError(cause?: unknown): AppError {
  return new AppError(
    {
      code: ErrorCodes.storeCorrupt,
      message:
        'The AssetDesk database file is damaged and could not be opened safely. AssetDesk has not changed it. ' +
        'Restore your latest backup (Settings → Backup, or `npm run restore -- FILE`); keep the damaged file for support.',
      retryable: false,
    },
    cause === undefined ? undefined : { cause },
  );
}

/** A data folder AssetDesk cannot write: read-only disk, wrong owner, full disk. */
function dataFolderError(err: unknown, folder: string): AppError {
  const code = String((err as { code?: unknown }).code ?? '');
  const reason =
    code === 'EROFS' || code === 'SQLITE_READONLY'
      ? 'is on a read-only disk or was made read-only'
      : code === 'EACCES' || code === 'EPERM'
        ? 'belongs to another user or is not writable'
        : code === 'ENOSPC'
          ? 'is on a full disk'
          : 'cannot be opened';
  return new AppError(
    {
      code: ErrorCodes.dataFolderUnwritable,
      message: `AssetDesk's data folder (${folder}) ${reason}, so your history cannot be opened. Make the folder writable for your user (or free disk space), then start AssetDesk again.`,
      retryable: true,
    },
    { cause: err },
  );
}

interface WalInspection {
  damaged: boolean;
  reason?: string;
}

/**
 * Checks a WAL the way SQLite reads it: header checksum, then every frame of the current generation
 * (same salts) in order. A tail that simply never committed (a crash mid-transaction) is normal; a frame
 * whose salts match but whose checksum does not is damage.
 */
export function inspectWal(walFile: string): WalInspection {
  if (!existsSync(walFile)) return { damaged: false };
  const fd = openSync(walFile, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return { damaged: false };
    if (size < 32) return { damaged: true, reason: 'its header is cut short' };
    const header = Buffer.alloc(32);
    readSync(fd, header, 0, 32, 0);
    const magic = header.readUInt32BE(0);
    if (magic !== 0x377f0682 && magic !== 0x377f0683) return { damaged: true, reason: 'its header is not a journal' };
    const bigEndian = magic === 0x377f0683;
    const pageSize = header.readUInt32BE(8) === 1 ? 65536 : header.readUInt32BE(8);
    let sums = walChecksum(header.subarray(0, 24), bigEndian, 0, 0);
    if (sums[0] !== header.readUInt32BE(24) || sums[1] !== header.readUInt32BE(28))
      return size >= 32 + 24 + pageSize
        ? { damaged: true, reason: 'its header checksum is wrong' }
        : { damaged: false };
    const salt1 = header.readUInt32BE(16);
    const salt2 = header.readUInt32BE(20);
    const frame = Buffer.alloc(24 + pageSize);
    let validFrames = 0;
    for (let offset = 32; offset + frame.length <= size; offset += frame.length) {
      readSync(fd, frame, 0, frame.length, offset);
      if (frame.readUInt32BE(8) !== salt1 || frame.readUInt32BE(12) !== salt2) break; // an older generation
      sums = walChecksum(frame.subarray(0, 8), bigEndian, sums[0], sums[1]);
      sums = walChecksum(frame.subarray(24), bigEndian, sums[0], sums[1]);
      if (sums[0] !== frame.readUInt32BE(16) || sums[1] !== frame.readUInt32BE(20)) {
        // A torn last frame (power cut mid-write) is normal; current-generation frames after it are not.
        for (let later = offset + frame.length; later + frame.length <= size; later += frame.length) {
          readSync(fd, frame, 0, 24, later);
          if (frame.readUInt32BE(8) === salt1 && frame.readUInt32BE(12) === salt2)
            return { damaged: true, reason: `change ${validFrames + 1} fails its checksum` };
        }
        return { damaged: false };
      }
      validFrames += 1;
    }
    return { damaged: false };
  } finally {
    closeSync(fd);
  }
}

/** SQLite's WAL checksum: Fibonacci-weighted sums over 32-bit words, carried from frame to frame. */
function walChecksum(data: Buffer, bigEndian: boolean, s0: number, s1: number): [number, number] {
  for (let i = 0; i < data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    s0 = (s0 + x0 + s1) >>> 0;
    s1 = (s1 + x1 + s0) >>> 0;
  }
  return [s0, s1];
}
