import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { fileSystemError, writeFileSafely } from '../../electron/services/safe-write';
import { mountSmallDisk, smallDiskAvailable, type SmallDisk } from '../helpers/small-disk';

const canMount = smallDiskAvailable();

describe('safe export writes', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assetdesk-safe-write-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes owner-only whatever the umask, replacing an older file, leaving no temporary file', () => {
    const old = process.umask(0o022);
    try {
      const path = join(dir, 'report.json');
      writeFileSync(path, 'old', { mode: 0o644 });
      writeFileSafely(path, '{"ssn":"123-45-6789"}');
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(readFileSync(path, 'utf8')).toBe('{"ssn":"123-45-6789"}');
      expect(readdirSync(dir)).toEqual(['report.json']);
    } finally {
      process.umask(old);
    }
  });

  it('a folder that is gone says so, with what to do', () => {
    const gone = join(dir, 'usb-stick');
    mkdirSync(gone);
    rmSync(gone, { recursive: true });
    expect(() => writeFileSafely(join(gone, 'r.pdf'), 'x', 'the report')).toThrowError(
      expect.objectContaining({
        code: 'EXPORT_FAILED',
        message: expect.stringMatching(/no longer exists.*Choose the folder again/),
      }),
    );
  });

  it('a name too long for the disk says so, and the error is ours, not a raw one about the temporary file', () => {
    const path = join(dir, `${'王'.repeat(90)}.pdf`);
    expect(() => writeFileSafely(path, 'x', 'the report')).toThrowError(
      expect.objectContaining({
        code: 'EXPORT_FAILED',
        message: expect.stringMatching(/too long.*Choose a folder with a shorter path or a shorter file name/),
      }),
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('maps permission errors to an actionable message', () => {
    // root ignores file modes, so the kernel's EACCES is built here; the mapping is what is under test.
    const error = fileSystemError(
      Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
      'the report',
      '/x',
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error.message).toMatch(/not allowed to write the report.*Choose a folder you may write to/);
  });

  describe.skipIf(!canMount)('on a real full or read-only disk', () => {
    let disk: SmallDisk;
    beforeEach(() => {
      disk = mountSmallDisk(256);
    });
    afterEach(() => disk.close());

    it('a full disk: officer told to free space, nothing half-written left behind, the old file intact', () => {
      const path = join(disk.dir, 'report.pdf');
      writeFileSafely(path, 'previous export');
      disk.fill();
      expect(() => writeFileSafely(path, Buffer.alloc(512 * 1024, 1), 'the report')).toThrowError(
        expect.objectContaining({
          code: 'EXPORT_FAILED',
          message: expect.stringMatching(/disk is full.*Free some space/),
        }),
      );
      expect(readFileSync(path, 'utf8')).toBe('previous export');
      expect(readdirSync(disk.dir).sort()).toEqual(['.filler', 'report.pdf']);
    });

    it('a read-only disk says so', () => {
      disk.setReadOnly(true);
      expect(() => writeFileSafely(join(disk.dir, 'r.csv'), 'x', 'the report')).toThrowError(
        expect.objectContaining({ code: 'EXPORT_FAILED', message: expect.stringMatching(/read-only disk/) }),
      );
    });
  });
});
