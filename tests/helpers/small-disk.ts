import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real, tiny filesystem (tmpfs) for disk-full and read-only faults: the kernel answers ENOSPC and
 * EROFS exactly as a full or read-only disk would. Needs root (CI and sessions run as root); elsewhere
 * `smallDiskAvailable()` is false and the caller skips with that reason.
 */
export interface SmallDisk {
  dir: string;
  /** Remounts the same filesystem read-only (or writable again). */
  setReadOnly(readOnly: boolean): void;
  /** Fills the remaining space with one file, so the next write fails with ENOSPC. */
  fill(): void;
  close(): void;
}

export function smallDiskAvailable(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    const disk = mountSmallDisk(64);
    disk.close();
    return true;
  } catch {
    return false;
  }
}

export function mountSmallDisk(sizeKiB: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'assetdesk-disk-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'tmpfs', dir]);
  return {
    dir,
    setReadOnly(readOnly) {
      execFileSync('mount', ['-o', `remount,${readOnly ? 'ro' : 'rw'}`, dir]);
    },
    fill() {
      // dd stops at ENOSPC with a non-zero exit: that is the point.
      try {
        execFileSync('dd', ['if=/dev/zero', `of=${join(dir, '.filler')}`, 'bs=4k'], { stdio: 'ignore' });
      } catch {
        // full now
      }
    },
    close() {
      try {
        execFileSync('umount', ['-l', dir]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
