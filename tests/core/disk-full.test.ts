import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteEngine } from '../../electron/db/sql';
import { createLogger } from '../../electron/log/logger';
import { requireKeychain } from '../helpers/keychain';
import { mountSmallDisk, smallDiskAvailable, type SmallDisk } from '../helpers/small-disk';
import { createApplicant, linkBank, startHarness, until, type CoreHarness } from './harness';

const hasKeychain = await requireKeychain();

describe.skipIf(!hasKeychain || !smallDiskAvailable())('a full disk under the log while a report is made', () => {
  let disk: SmallDisk;
  let h: CoreHarness;
  const lines: string[] = [];
  let logFile = '';
  beforeAll(async () => {
    disk = mountSmallDisk(256);
    logFile = join(disk.dir, 'logs', 'assetdesk.log');
    // The app's real file logger, on a disk about to be full (the history stays on a healthy disk).
    const logger = createLogger({
      file: logFile,
      sinks: [{ write: (l) => lines.push(l) }],
      console: false,
      level: 'debug',
    });
    h = await startHarness({ services: { logger } });
  });
  afterAll(async () => {
    await h?.close();
    disk?.close();
  });

  test('the app keeps working, the officer is told once, and the report is complete', async () => {
    disk.fill();
    // Take the last free bytes too (the slack in the log file's last block): not one more byte fits.
    try {
      for (;;) appendFileSync(logFile, 'x'.repeat(64));
    } catch {
      // ENOSPC: full
    }
    const { id: applicantId, loanId } = await createApplicant(h.handlers);
    const item = await linkBank(h, applicantId);
    const report = await h.handlers['reports:create']({
      loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await until(
      () =>
        h.events.find(
          (e) =>
            e.event === 'report:progress' &&
            (e.payload as { reportId: string; status: string }).reportId === report.id &&
            (e.payload as { status: string }).status === 'ready',
        ),
      'the report to be ready',
    );
    const told = h.events.filter((e) => e.event === 'log:writeFailed');
    expect(told).toHaveLength(1);
    expect((told[0]!.payload as { message: string }).message).toMatch(/disk is full/);
    const got = await h.handlers['reports:get']({ reportId: report.id });
    expect(got.summary.status).toBe('ready');
    expect((await h.handlers['reports:pdf']({ reportId: report.id })).pdf.byteLength).toBeGreaterThan(1000);
    // The lines that could not reach the file still reached the other sink: nothing was thrown away silently.
    expect(lines.some((l) => l.includes('webhook accepted'))).toBe(true);
  });
});

describe.skipIf(!hasKeychain || !smallDiskAvailable())('a full disk under the history while the officer works', () => {
  let disk: SmallDisk;
  let h: CoreHarness;
  beforeAll(async () => {
    disk = mountSmallDisk(6 * 1024);
    h = await startHarness({ userDataDir: join(disk.dir, 'data'), readyAfterMs: 1_500 });
  });
  afterAll(async () => {
    rmSync(join(disk.dir, '.filler'), { force: true }); // a failed test may leave it full: closing needs room
    try {
      await h?.close();
    } finally {
      disk?.close();
    }
  });
  const free = () => rmSync(join(disk.dir, '.filler'), { force: true });

  test('what cannot be saved says the disk is full and where; nothing saved before is lost', async () => {
    const { id: applicantId, loanId } = await createApplicant(h.handlers);
    const item = await linkBank(h, applicantId);
    disk.fill();
    const full = {
      code: 'DISK_FULL',
      retryable: true,
      message: expect.stringMatching(
        new RegExp(
          `^The disk holding AssetDesk's history \\(${join(disk.dir, 'data')}\\) is full, so this was not saved\\. Free some space`,
        ),
      ),
    };
    await expect(createApplicant(h.handlers, { loanNumber: 'LN-FULL-2' })).rejects.toMatchObject(full);
    await expect(
      h.handlers['reports:create']({ loanId, itemIds: [item.id], daysRequested: 61, includeApplicantDetails: false }),
    ).rejects.toMatchObject(full);
    free();
    expect((await h.handlers['loans:list']({})).rows.map((r) => r.id)).toContain(loanId);
    await createApplicant(h.handlers, { loanNumber: 'LN-FULL-3' });
  });

  test('a report Plaid finishes while the disk is full: the officer is told once, and it is saved when space is freed', async () => {
    const { id: applicantId, loanId } = await createApplicant(h.handlers, { loanNumber: 'LN-FULL-4' });
    const item = await linkBank(h, applicantId);
    const report = await h.handlers['reports:create']({
      loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    disk.fill();
    const told = await until(
      () =>
        h.events.find(
          (e) =>
            e.event === 'report:progress' &&
            (e.payload as { reportId: string }).reportId === report.id &&
            /disk holding AssetDesk's history is full/.test((e.payload as { message?: string }).message ?? ''),
        ),
      'the officer to be told the report cannot be saved',
    );
    expect((told.payload as { status: string }).status).toBe('pending');
    // Several polls fail meanwhile; the officer hears it once.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(h.notifications.filter((n) => n.title === 'Asset Report not saved yet')).toHaveLength(1);
    free();
    await until(
      async () => (await h.handlers['reports:summary']({ reportId: report.id })).status === 'ready',
      'the report to be saved once the disk has room',
    );
  });
});

test('a history that turned read-only says so (real SQLite answering SQLITE_READONLY), not "something went wrong"', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'assetdesk-ro-'));
  try {
    const file = join(folder, 'history.sqlite');
    new Database(file).exec('CREATE TABLE t (x)').close();
    const engine = sqliteEngine(new Database(file, { readonly: true }));
    await expect(engine.statement('INSERT INTO t (x) VALUES (1)').run()).rejects.toMatchObject({
      code: 'DATA_FOLDER_UNWRITABLE',
      message: expect.stringMatching(
        /can no longer be written: its disk or file was made read-only\. This was not saved\./,
      ),
    });
    await expect(
      engine.transaction(async () => engine.statement('INSERT INTO t (x) VALUES (2)').run()),
    ).rejects.toMatchObject({ code: 'DATA_FOLDER_UNWRITABLE' });
    // What is not the disk's fault is left as it is.
    await expect(engine.statement('SELECT nothing FROM nowhere').all()).rejects.toMatchObject({ code: 'SQLITE_ERROR' });
    await engine.close();
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
