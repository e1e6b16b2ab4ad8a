import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openAssetDeskStore } from '../../electron/db';
import { backupStore, restoreBackup } from '../../electron/db/backup';
import { requireKeychain } from '../helpers/keychain';
import { createApplicant, linkBank, startHarness, type CoreHarness } from './harness';

const hasKeychain = await requireKeychain();
const HOLDER = fileURLToPath(new URL('./fixtures/hold-history-child.ts', import.meta.url));

/**
 * One AssetDesk at a time on a history. Two (a second window, `npm run web` on the app's folder) both carried on
 * the same pending reports: the second, starting while the first waited for Plaid's answer to a create, took the
 * report for one a crash had interrupted and failed it (or, before that rule, sent it to Plaid again).
 */
describe.skipIf(!hasKeychain)('a second AssetDesk on the same data folder', () => {
  const harnesses: CoreHarness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0).reverse()) await h.close();
  });

  test('is told another AssetDesk has the history open, and leaves its reports alone; it opens once the first quits', async () => {
    const first = await startHarness({ readyAfterMs: 60_000 });
    harnesses.push(first);
    const { id: applicantId, loanId } = await createApplicant(first.handlers);
    const item = await linkBank(first, applicantId);
    // Plaid takes its time to answer the create: the report is pending, sent, without Plaid's ids yet.
    first.emulator.faults.addLatency('/asset_report/create', 2_000);
    const creating = first.handlers['reports:create']({
      loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));

    const second = await startHarness({
      emulator: first.emulator,
      userDataDir: first.userDataDir,
      keychainService: first.keychainService,
    });
    harnesses.push(second);
    const inUse = new RegExp(
      `^Another AssetDesk is already open on this history \\(${first.userDataDir}\\)\\. Use that window, or quit it and start AssetDesk again\\.`,
    );
    await expect(second.handlers['loans:list']({})).rejects.toMatchObject({ message: expect.stringMatching(inUse) });

    const report = await creating;
    await second.services.internals.settled();
    expect(report).toMatchObject({ status: 'pending', plaidReportId: expect.any(String) });
    const store = first.services.internals.store()!;
    expect((await store.reports.get(report.id))?.status).toBe('pending');
    expect((await store.activity.list({ reportId: report.id })).map((a) => a.action)).not.toContain('report_failed');
    expect(second.notifications).toEqual([]);

    await first.services.stop();
    const { keychain } = await second.handlers['keychain:retry']({});
    expect(keychain.state).toBe('ok');
    expect((await second.handlers['loans:list']({})).rows.map((r) => r.id)).toEqual([loanId]);
  });
});

describe('the hold on a history', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assetdesk-hold-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('an AssetDesk killed while holding it leaves it free for the next start', async () => {
    const file = join(dir, 'assetdesk.sqlite');
    const dataKey = randomBytes(32);
    const child = spawn(process.execPath, ['--import', 'tsx', HOLDER, file, dataKey.toString('hex')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => d.includes('holding') && resolve()));
    await expect(openAssetDeskStore({ file, dataKey, hold: true })).rejects.toMatchObject({ code: 'HISTORY_IN_USE' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const store = await openAssetDeskStore({ file, dataKey, hold: true });
    await store.close();
  });

  test('a restore under a running AssetDesk is refused, nothing replaced; tools that share the history still open it', async () => {
    const file = join(dir, 'data', 'assetdesk.sqlite');
    const dataKey = randomBytes(32);
    const app = await openAssetDeskStore({ file, dataKey, hold: true });
    mkdirSync(join(dir, 'backups'));
    const { path } = await backupStore(app, join(dir, 'backups'));
    expect(() => restoreBackup({ backupFile: path, databaseFile: file, dataKey })).toThrowError(
      expect.objectContaining({
        code: 'HISTORY_IN_USE',
        message: `AssetDesk is open on this history (${join(dir, 'data')}), so nothing was replaced. Quit AssetDesk, then restore again.`,
      }),
    );
    // `npm run backup` beside the running app is fine (SQLite's online backup).
    const tool = await openAssetDeskStore({ file, dataKey });
    await tool.close();
    await app.close();
    expect(restoreBackup({ backupFile: path, databaseFile: file, dataKey }).previous).toMatch(/before-restore/);
  });
});
