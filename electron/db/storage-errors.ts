import { dirname } from 'node:path';
import { AppError, ErrorCodes } from '../../shared/errors';

/**
 * SQLite's answers when the disk under the history fails while AssetDesk runs (full, made read-only, gone, damaged),
 * as errors the officer can act on. Other SQLite errors (a constraint, a mistake in our SQL) are not the disk's and
 * pass through unchanged.
 */
export function storageFailure(error: unknown, file: string): AppError | null {
  const code = String((error as { code?: unknown }).code ?? '');
  if (!code.startsWith('SQLITE_')) return null;
  const folder = dirname(file);
  const said = (shape: { code: string; message: string; retryable: boolean }) => new AppError(shape, { cause: error });
  if (code === 'SQLITE_FULL')
    return said({
      code: ErrorCodes.diskFull,
      message: `The disk holding AssetDesk's history (${folder}) is full, so this was not saved. Free some space on that disk, then try again; nothing saved before is lost.`,
      retryable: true,
    });
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_PERM')
    return said({
      code: ErrorCodes.dataFolderUnwritable,
      message: `AssetDesk's history (${folder}) can no longer be written: its disk or file was made read-only. This was not saved. Make the folder writable for your user again, then try again; nothing saved before is lost.`,
      retryable: true,
    });
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')
    return said({
      code: ErrorCodes.storeCorrupt,
      message:
        'The AssetDesk database file is damaged, so this could not be done. Quit AssetDesk, keep the damaged file for support, and restore your latest backup (Settings → Backup, or `npm run restore -- FILE`).',
      retryable: false,
    });
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN')
    return said({
      code: ErrorCodes.dataFolderUnwritable,
      message: `AssetDesk could not read or write its history on the disk (${folder}), so this was not done. Check that the disk is still there (a removed drive, a network folder gone), then try again.`,
      retryable: true,
    });
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    return said({
      code: ErrorCodes.conflict,
      message:
        "AssetDesk's history is held by another program (another AssetDesk on the same data folder, a backup or sync tool), so this was not done. Close the other program, then try again.",
      retryable: true,
    });
  return null;
}
