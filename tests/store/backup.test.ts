import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openAssetDeskStore } from '../../electron/db';
import { backupStore, newestBackupIn, restoreBackup } from '../../electron/db/backup';
import { inspectWal } from '../../electron/db/connection';
import { newRecoveryKey, readWrappedDataKey, unwrapDataKey, wrapDataKey } from '../../electron/db/recovery';
import { mountSmallDisk, smallDiskAvailable } from '../helpers/small-disk';
import { applicantInput, pipeline } from './helpers';
import { addApplicant } from '../helpers/applicant';

const WRITER = fileURLToPath(new URL('./fixtures/busy-writer.ts', import.meta.url));
const RESTORER = fileURLToPath(new URL('./fixtures/restore-child.ts', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'assetdesk-backup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function startWriter(
  file: string,
  dataKey: Buffer,
): { child: ChildProcess; committed: () => number; stop(): Promise<void> } {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, file, dataKey.toString('hex')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let committed = 0;
  let buffered = '';
  child.stdout!.on('data', (d: Buffer) => {
    buffered = (buffered + d.toString()).slice(-200);
    for (const m of buffered.matchAll(/committed (\d+)\n/g)) committed = Math.max(committed, Number(m[1]));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    child,
    committed: () => committed,
    async stop() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > 30_000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('backup and restore', () => {
  it('a backup taken while another process creates reports restores to a consistent history', async () => {
    const file = join(dir, 'data', 'assetdesk.sqlite');
    const dataKey = randomBytes(32);
    await (await openAssetDeskStore({ file, dataKey })).close();
    const writer = startWriter(file, dataKey);
    try {
      await until(() => writer.committed() >= 20, 'the writer to commit 20 reports');
      const store = await openAssetDeskStore({ file, dataKey });
      const backups = join(dir, 'backups');
      mkdirSync(backups);
      const before = writer.committed();
      const result = await backupStore(store, backups);
      const after = writer.committed();
      await store.close();
      expect(after).toBeGreaterThan(before); // writes really went on around the backup
      expect(statSync(result.path).mode & 0o777).toBe(0o600);
      expect(readdirSync(backups)).toEqual([result.path.split('/').pop()]); // no temporary file left
      await writer.stop();
      // The writer's own count reaches us late on a busy machine; the live database knows what it committed.
      const live = await openAssetDeskStore({ file, dataKey });
      const committedInTheEnd = (await live.reports.search({ environment: 'sandbox', limit: 1 })).total;
      await live.close();

      // Restore into a fresh data folder and check every report is whole.
      const restoredFile = join(dir, 'restored', 'assetdesk.sqlite');
      mkdirSync(join(dir, 'restored'));
      const contents = restoreBackup({ backupFile: result.path, databaseFile: restoredFile, dataKey });
      const raw = new Database(restoredFile, { readonly: true });
      expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(raw.pragma('foreign_key_check')).toEqual([]);
      raw.close();
      const restored = await openAssetDeskStore({ file: restoredFile, dataKey });
      const { rows, total } = await restored.reports.search({ environment: 'sandbox', limit: 10_000 });
      expect(total).toBe(contents.reports);
      expect(total).toBeGreaterThanOrEqual(before);
      expect(total).toBeLessThanOrEqual(committedInTheEnd);
      for (const report of rows) {
        expect(report.status).toBe('ready'); // each report was written in one transaction: never half of one
        const { pdf } = await restored.reports.readContent(report.id);
        expect(pdf.byteLength).toBe(16 * 1024);
      }
      // Sequence numbers are gap-free: the snapshot is a prefix of what the writer committed.
      const numbers = rows.map((r) => Number(r.plaidReportId!.replace('plaid-busy-', ''))).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: total }, (_, i) => i + 1));
      await restored.close();
    } finally {
      await writer.stop();
    }
  }, 60_000);

  it('two restores within one second keep both replaced histories (the second never overwrites the first)', async () => {
    const file = join(dir, 'data', 'assetdesk.sqlite');
    const dataKey = randomBytes(32);
    const store = await openAssetDeskStore({ file, dataKey });
    await addApplicant(store, applicantInput({ loanNumber: 'LN-FIRST' }));
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    const { path } = await backupStore(store, backups);
    await addApplicant(store, applicantInput({ loanNumber: 'LN-ONLY-IN-THE-FIRST-KEPT-COPY' }));
    await store.close();
    const now = new Date('2026-11-30T15:00:00.250Z');
    restoreBackup({ backupFile: path, databaseFile: file, dataKey, now });
    restoreBackup({ backupFile: path, databaseFile: file, dataKey, now });
    const kept = readdirSync(join(dir, 'data'))
      .filter((name) => name.includes('before-restore') && !name.endsWith('-wal') && !name.endsWith('-shm'))
      .sort();
    expect(kept).toEqual([
      'assetdesk.sqlite.before-restore-2026-11-30T15-00-00',
      'assetdesk.sqlite.before-restore-2026-11-30T15-00-00-2',
    ]);
    const first = await openAssetDeskStore({ file: join(dir, 'data', kept[0]!), dataKey });
    expect((await pipeline(first)).rows.map((r) => r.loanNumber)).toContain('LN-ONLY-IN-THE-FIRST-KEPT-COPY');
    await first.close();
  });

  it('a restore killed at its last step leaves the history as it was, never an empty one; a crashed history too', async () => {
    const dataKey = randomBytes(32);
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    // Two data folders: one closed cleanly, one left as a crash leaves it (its last loan only in the journal).
    const clean = join(dir, 'clean', 'assetdesk.sqlite');
    const crashed = join(dir, 'crashed', 'assetdesk.sqlite');
    const store = await openAssetDeskStore({ file: clean, dataKey });
    await addApplicant(store, applicantInput({ loanNumber: 'LN-BACKED-UP' }));
    const { path } = await backupStore(store, backups);
    await addApplicant(store, applicantInput({ loanNumber: 'LN-AFTER-BACKUP' }));
    mkdirSync(dirname(crashed));
    copyFileSync(clean, crashed);
    copyFileSync(`${clean}-wal`, `${crashed}-wal`);
    expect(statSync(`${crashed}-wal`).size).toBeGreaterThan(0);
    await store.close();

    for (const file of [clean, crashed]) {
      const child = spawnSync(process.execPath, ['--import', 'tsx', RESTORER, path, file, dataKey.toString('hex')], {
        encoding: 'utf8',
        env: { ...process.env, ASSETDESK_CRASH_AT: 'restore-before-swap' },
        timeout: 60_000,
      });
      expect(child.signal, child.stderr).toBe('SIGKILL');
      // The next start opens the same folder: the history it finds is the one the officer had.
      const reopened = await openAssetDeskStore({ file, dataKey });
      expect((await pipeline(reopened)).rows.map((r) => r.loanNumber).sort()).toEqual([
        'LN-AFTER-BACKUP',
        'LN-BACKED-UP',
      ]);
      await reopened.close();
      // Restoring again then works, and the replaced history is kept whole beside it.
      const restored = restoreBackup({ backupFile: path, databaseFile: file, dataKey });
      const after = await openAssetDeskStore({ file, dataKey });
      expect((await pipeline(after)).rows.map((r) => r.loanNumber)).toEqual(['LN-BACKED-UP']);
      await after.close();
      const kept = await openAssetDeskStore({ file: restored.previous!, dataKey });
      expect((await pipeline(kept)).rows.map((r) => r.loanNumber).sort()).toEqual(['LN-AFTER-BACKUP', 'LN-BACKED-UP']);
      await kept.close();
      // No copy of the backup is left lying in the data folder.
      expect(readdirSync(dirname(file)).filter((name) => name.startsWith('.restore-'))).toEqual([]);
    }
  }, 60_000);

  it('restore verifies the file and the key before replacing anything, and keeps the replaced database', async () => {
    const file = join(dir, 'data', 'assetdesk.sqlite');
    const dataKey = randomBytes(32);
    const store = await openAssetDeskStore({ file, dataKey });
    await addApplicant(store, applicantInput({ loanNumber: 'LN-BACKED-UP' }));
    const backups = join(dir, 'backups');
    mkdirSync(backups);
    const { path } = await backupStore(store, backups);
    await addApplicant(store, applicantInput({ loanNumber: 'LN-AFTER-BACKUP' }));
    await store.close();
    expect(newestBackupIn(backups)).toBe(path);

    // Wrong key: refused, nothing touched.
    expect(() => restoreBackup({ backupFile: path, databaseFile: file, dataKey: randomBytes(32) })).toThrowError(
      expect.objectContaining({ code: 'STORE_KEY_MISMATCH', message: expect.stringMatching(/recovery key/) }),
    );
    // Not a backup, and a damaged backup: refused, nothing touched.
    const junk = join(dir, 'junk.assetdesk-backup');
    writeFileSync(junk, 'not a database at all, just some text that is long enough');
    expect(() => restoreBackup({ backupFile: junk, databaseFile: file, dataKey })).toThrowError(
      expect.objectContaining({ code: 'RESTORE_REFUSED' }),
    );
    const damaged = join(dir, 'damaged.assetdesk-backup');
    copyFileSync(path, damaged);
    const fd = new Database(damaged);
    const pageSize = fd.pragma('page_size', { simple: true }) as number;
    fd.close();
    const handle = openSync(damaged, 'r+');
    writeSync(handle, Buffer.alloc(pageSize, 0xab), 0, pageSize, pageSize * 2); // trash a b-tree page
    closeSync(handle);
    expect(() => restoreBackup({ backupFile: damaged, databaseFile: file, dataKey })).toThrowError(
      expect.objectContaining({ code: 'RESTORE_REFUSED' }),
    );
    const untouched = await openAssetDeskStore({ file, dataKey });
    expect((await pipeline(untouched)).total).toBe(2);
    await untouched.close();

    // The real backup: restored, the previous database kept beside it.
    const restored = restoreBackup({ backupFile: path, databaseFile: file, dataKey });
    expect(restored.previous).toMatch(/assetdesk\.sqlite\.before-restore-/);
    expect(existsSync(restored.previous!)).toBe(true);
    const after = await openAssetDeskStore({ file, dataKey });
    const loans = (await pipeline(after)).rows.map((r) => r.loanNumber);
    expect(loans).toEqual(['LN-BACKED-UP']);
    await after.close();
  });

  it('the recovery key opens a backup whose data key is gone', async () => {
    const file = join(dir, 'data', 'assetdesk.sqlite');
    const lostKey = randomBytes(32);
    const store = await openAssetDeskStore({ file, dataKey: lostKey });
    await addApplicant(store, applicantInput({ loanNumber: 'LN-RECOVER', ssn: '512-44-8123' }));
    const recoveryKey = newRecoveryKey();
    expect(recoveryKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    await store.saveRecoveryWrappedKey(wrapDataKey(lostKey, recoveryKey));
    mkdirSync(join(dir, 'b'));
    const { path } = await backupStore(store, join(dir, 'b'));
    await store.close();

    const wrapped = readWrappedDataKey(path)!;
    expect(wrapped.includes(lostKey)).toBe(false); // never in clear
    expect(() => unwrapDataKey(wrapped, newRecoveryKey())).toThrowError(
      expect.objectContaining({ code: 'RECOVERY_KEY_WRONG' }),
    );
    // Typed from paper: lower case, spaces instead of dashes.
    const recovered = unwrapDataKey(wrapped, recoveryKey.toLowerCase().replace(/-/g, ' '));
    expect(recovered.equals(lostKey)).toBe(true);
    const target = join(dir, 'new-machine', 'assetdesk.sqlite');
    mkdirSync(join(dir, 'new-machine'));
    restoreBackup({ backupFile: path, databaseFile: target, dataKey: recovered });
    const opened = await openAssetDeskStore({ file: target, dataKey: recovered });
    const applicant = (await pipeline(opened)).rows[0]!.borrowers[0]!;
    expect(await opened.applicants.revealSsn(applicant.id)).toBe('512-44-8123');
    await opened.close();
  });
});

describe('start-up checks', () => {
  it('a damaged write-ahead log is refused with what to do, and nothing is rolled back or changed', async () => {
    const file = join(dir, 'assetdesk.sqlite');
    const dataKey = randomBytes(32);
    const store = await openAssetDeskStore({ file, dataKey });
    // Keep the WAL: a second connection holds it open while the first writes, like a crash would leave it.
    const holder = new Database(file);
    holder.pragma('wal_autocheckpoint = 0');
    for (let i = 0; i < 5; i++) await addApplicant(store, applicantInput({ loanNumber: `LN-WAL-${i}` }));
    const walFile = `${file}-wal`;
    const wal = `${dir}/copy`;
    mkdirSync(wal);
    copyFileSync(file, join(wal, 'assetdesk.sqlite'));
    copyFileSync(walFile, join(wal, 'assetdesk.sqlite-wal'));
    await store.close();
    holder.close();
    const copy = join(wal, 'assetdesk.sqlite');
    expect(inspectWal(`${copy}-wal`)).toEqual({ damaged: false });
    // Flip bytes in the middle of the journal (a bad sector, a partial copy).
    const size = statSync(`${copy}-wal`).size;
    const before = readFileSync(`${copy}-wal`);
    const handle = openSync(`${copy}-wal`, 'r+');
    writeSync(handle, Buffer.from('DAMAGED!'), 0, 8, 32 + 24 + 100);
    closeSync(handle);
    expect(size).toBeGreaterThan(4096 * 3);
    await expect(openAssetDeskStore({ file: copy, dataKey })).rejects.toThrowError(
      expect.objectContaining({
        code: 'STORE_DATA_CORRUPT',
        message: expect.stringMatching(/journal of recent changes.*damaged.*restore your latest backup/is),
      }),
    );
    // Left exactly as found, for support or a careful repair.
    expect(readFileSync(`${copy}-wal`).length).toBe(before.length);
  });

  it('a damaged database file gives a plain message, not a silent empty start', async () => {
    const file = join(dir, 'assetdesk.sqlite');
    const dataKey = randomBytes(32);
    const store = await openAssetDeskStore({ file, dataKey });
    for (let i = 0; i < 30; i++) await addApplicant(store, applicantInput({ loanNumber: `LN-DMG-${i}` }));
    await store.close();
    const handle = openSync(file, 'r+');
    writeSync(handle, Buffer.alloc(4096, 0x5a), 0, 4096, 4096 * 3);
    closeSync(handle);
    await expect(openAssetDeskStore({ file, dataKey })).rejects.toThrowError(
      expect.objectContaining({
        code: 'STORE_DATA_CORRUPT',
        message: expect.stringMatching(/damaged.*Restore your latest backup/s),
      }),
    );
  });

  it.skipIf(!smallDiskAvailable())('a read-only data folder says so plainly, not EROFS', async () => {
    const disk = mountSmallDisk(1024);
    try {
      const file = join(disk.dir, 'assetdesk.sqlite');
      const dataKey = randomBytes(32);
      await (await openAssetDeskStore({ file, dataKey })).close();
      disk.setReadOnly(true);
      let error: unknown;
      try {
        await (await openAssetDeskStore({ file, dataKey })).close();
      } catch (e) {
        error = e;
      }
      expect(error).toMatchObject({ code: 'DATA_FOLDER_UNWRITABLE', message: expect.stringMatching(/read-only/) });
      expect((error as Error).message).not.toMatch(/EROFS/);
      const fresh = join(disk.dir, 'sub', 'assetdesk.sqlite');
      await expect(openAssetDeskStore({ file: fresh, dataKey })).rejects.toThrowError(
        expect.objectContaining({ code: 'DATA_FOLDER_UNWRITABLE' }),
      );
    } finally {
      disk.close();
    }
  });
});
