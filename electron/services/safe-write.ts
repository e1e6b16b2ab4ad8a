import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppError, ErrorCodes } from '../../shared/errors';

/**
 * Files the officer saves (exports) hold borrower data in clear: they are written owner-only (0600),
 * under a hidden temporary name that is renamed into place only once complete and flushed, so a full
 * disk or a crash never leaves half a file under the real name. Filesystem failures become messages
 * that say what to do.
 */

/** Writes `data` to `path` atomically and owner-only; throws AppError(EXPORT_FAILED) with an actionable message. */
export function writeFileSafely(path: string, data: string | Uint8Array, what = 'the file'): void {
  // The temporary name starts like the file's, cut short: a name that fits the disk must not fail for its suffix.
  const temp = join(
    dirname(path),
    `.${[...basename(path)].slice(0, 60).join('')}.partial-${randomBytes(4).toString('hex')}`,
  );
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o600);
    fchmodSync(fd, 0o600); // the umask cannot widen it, but a pre-existing ACL default might; be explicit
    writeAll(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    removeQuietly(temp);
    throw fileSystemError(error, what, dirname(path));
  }
}

/** Removes a temporary file or folder if it is there; a failure here must not hide the error that sent us here. */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // Nothing was written under this name (a name too long is refused before any file exists).
  }
}

/** Writes every byte (writeSync may write fewer than asked). */
export function writeAll(fd: number, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let offset = 0;
  while (offset < bytes.byteLength) offset += writeSync(fd, bytes, offset, bytes.byteLength - offset);
}

/** A Node filesystem error as the officer reads it: what went wrong and what to do about it. */
export function fileSystemError(error: unknown, what: string, folder: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  const where = `“${folder}”`;
  let message: string;
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      message = `The disk is full, so AssetDesk could not save ${what} in ${where}. Free some space or choose another folder, then try again.`;
      break;
    case 'EACCES':
    case 'EPERM':
      message = `AssetDesk is not allowed to write ${what} in ${where}. Choose a folder you may write to (for example Documents), then try again.`;
      break;
    case 'EROFS':
      message = `The folder ${where} is on a read-only disk, so ${what} could not be saved there. Choose another folder, then try again.`;
      break;
    case 'ENOENT':
    case 'ENOTDIR':
      message = `The folder ${where} no longer exists (a removed drive or a deleted folder?), so ${what} was not saved. Choose the folder again, then try again.`;
      break;
    case 'ENAMETOOLONG':
      message = `The file name or the folder's path is too long for ${where}, so ${what} was not saved. Choose a folder with a shorter path or a shorter file name, then try again.`;
      break;
    case 'EEXIST':
    case 'EISDIR':
      message = `Something with that name is already in ${where}, so ${what} was not saved. Choose another name, then try again.`;
      break;
    default:
      message = `AssetDesk could not save ${what} in ${where}${typeof code === 'string' ? ` (${code})` : ''}. Check the disk and the folder, or choose another folder, then try again.`;
  }
  return new AppError({ code: ErrorCodes.exportFailed, message, retryable: true }, { cause: error });
}
