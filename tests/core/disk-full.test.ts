import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
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
