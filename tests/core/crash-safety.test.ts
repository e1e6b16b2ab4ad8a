import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createMemoryLogger } from '../../electron/log/logger';
import { emulatorPlaid } from '../helpers/emulator-plaid';
import { realKeytar, requireKeychain, testKeychainService } from '../helpers/keychain';
import { startCountingProxy, type CountingProxy } from './counting-proxy';
import { EMULATOR_CLIENT_ID, EMULATOR_SECRET } from './harness';

const hasKeychain = await requireKeychain();
const child = fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url));

// A child that has not finished by itself in this time is killed, and the test fails saying so.
const CHILD_LIMIT_MS = 40_000;
const running = new Set<ChildProcess>();

function runChild(env: Record<string, string>): Promise<{
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running.add(proc);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const limit = setTimeout(() => {
      timedOut = true;
      proc.kill('SIGKILL');
    }, CHILD_LIMIT_MS);
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('close', (code, signal) => {
      clearTimeout(limit);
      running.delete(proc);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

describe.skipIf(!hasKeychain)('crash safety: SIGKILL at the dangerous moments, then restart', () => {
  let emulator: RunningEmulator;
  const folders: string[] = [];
  const services: string[] = [];
  const proxies: CountingProxy[] = [];
  beforeAll(async () => {
    emulator = await startEmulator({
      readyAfterMs: 100,
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
      logger: createMemoryLogger(),
      webhookRetryDelaysMs: [20],
    });
  });
  afterAll(async () => {
    for (const proc of running) proc.kill('SIGKILL');
    for (const proxy of proxies) await proxy.close();
    await emulator?.close();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
    const keytar = await realKeytar();
    for (const s of services) await keytar.deletePassword(s, 'data-key').catch(() => false);
  });

  type Outcome = {
    reports: Array<{
      id: string;
      kind: string;
      status: string;
      plaidReportId: string | null;
      failure: { code: string; message: string } | null;
    }>;
    readyEntries: number;
    removedIds: string[];
    removedEntries: number;
    notices: Array<{ title: string; body: string }>;
  };

  /** A data folder and keychain of its own, its children reaching the emulator through a counting proxy. */
  async function desk() {
    const userData = mkdtempSync(join(tmpdir(), 'assetdesk-crash-'));
    const keychainService = testKeychainService();
    folders.push(userData);
    services.push(keychainService);
    const proxy = await startCountingProxy(emulator.baseUrl);
    proxies.push(proxy);
    const env = {
      USER_DATA: userData,
      KEYCHAIN_SERVICE: keychainService,
      EMU_URL: proxy.url,
      EMU_CLIENT_ID: emulator.clientId,
      EMU_SECRET: emulator.secret,
    };
    return { env, proxy };
  }

  /** Kills a child at `crashAt` while it does `action`, then starts twice more on the same folder. */
  async function crashThenRestart(env: Record<string, string>, action: string, crashAt: string) {
    const crashed = await runChild({ ...env, ACTION: action, ASSETDESK_CRASH_AT: crashAt });
    expect(crashed.timedOut, 'the child was killed at its crash point, not by the time limit').toBe(false);
    expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
    expect(crashed.stdout).not.toContain('NOT KILLED');

    const resumed = await runChild({ ...env, ACTION: 'resume' });
    expect(resumed.timedOut, `the resuming child finished by itself: ${resumed.stderr}`).toBe(false);
    expect(resumed.code, resumed.stderr).toBe(0);
    const outcome = JSON.parse(resumed.stdout) as Outcome;

    // A third start finds nothing to do, changes nothing and tells nothing.
    const again = await runChild({ ...env, ACTION: 'resume' });
    expect(again.timedOut, 'the third start finished by itself').toBe(false);
    const third = JSON.parse(again.stdout) as Outcome;
    expect({ reports: third.reports, readyEntries: third.readyEntries }).toEqual({
      reports: outcome.reports,
      readyEntries: outcome.readyEntries,
    });
    expect(third.notices).toEqual([]);
    return outcome;
  }

  test(
    'killed after the pending row, before the request left: on restart it is sent once and ends ready once',
    async () => {
      const { env, proxy } = await desk();
      const outcome = await crashThenRestart(env, 'create', 'after-pending');
      expect(proxy.count('/asset_report/create')).toBe(1);
      expect(outcome.reports).toHaveLength(1);
      expect(outcome.reports[0]).toMatchObject({
        status: 'ready',
        plaidReportId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(outcome.readyEntries).toBe(1);
    },
    3 * CHILD_LIMIT_MS + 15_000,
  );

  // Plaid made (and billed) the report, but its answer, the only place its token comes from, died with the app.
  test.each([
    [
      'create',
      '/asset_report/create',
      /cannot tell whether Plaid started this report.*not billed twice.*create it again/,
    ],
    [
      'refresh',
      '/asset_report/refresh',
      /cannot tell whether Plaid started this refresh.*not billed twice.*refresh again/,
    ],
  ])(
    'killed after Plaid answered %s, before its ids were saved: never sent again, failed with an unknown outcome, the officer told',
    async (action, endpoint, told) => {
      const { env, proxy } = await desk();
      const setup = action === 'create' ? null : await runChild({ ...env, ACTION: 'setup' });
      if (setup) expect(setup.code, setup.stderr).toBe(0);
      const asked = proxy.count(endpoint);
      const outcome = await crashThenRestart(
        setup ? { ...env, SETUP: setup.stdout } : env,
        action,
        'after-plaid-reply',
      );

      expect(proxy.count(endpoint) - asked, `${endpoint} reached Plaid once`).toBe(1);
      const made = outcome.reports.filter(
        (r) => r.kind === action && r.id !== (setup && JSON.parse(setup.stdout).reportId),
      );
      expect(made).toHaveLength(1);
      expect(made[0]).toMatchObject({ status: 'failed', plaidReportId: null, failure: { code: 'OUTCOME_UNKNOWN' } });
      expect(made[0]!.failure!.message).toMatch(/^AssetDesk stopped before Plaid's answer was saved, so /);
      expect(made[0]!.failure!.message).toMatch(told);
      expect(outcome.notices).toEqual([
        { title: 'Asset Report failed', body: `Crash Test: ${made[0]!.failure!.message}` },
      ]);
      expect(outcome.reports.filter((r) => r.status === 'pending')).toEqual([]);
    },
    4 * CHILD_LIMIT_MS + 15_000,
  );

  test(
    'killed after Plaid removed the report, before it was marked removed here: the next start finishes the removal, once',
    async () => {
      const { env, proxy } = await desk();
      const setup = await runChild({ ...env, ACTION: 'setup' });
      expect(setup.code, setup.stderr).toBe(0);
      const { reportId } = JSON.parse(setup.stdout) as { reportId: string };
      const created = proxy.calls.find((c) => c.path === '/asset_report/create')!;
      const { asset_report_token: token } = JSON.parse(created.answer!.toString()) as { asset_report_token: string };

      // Plaid removes the report and answers; the app is killed before it hears the answer.
      proxy.cutAfterAnswer('/asset_report/remove', () => {
        for (const proc of running) proc.kill('SIGKILL');
      });
      const crashed = await runChild({ ...env, SETUP: setup.stdout, ACTION: 'remove' });
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      expect(crashed.stdout).not.toContain('NOT KILLED');
      expect(JSON.parse(proxy.calls.find((c) => c.path === '/asset_report/remove')!.answer!.toString())).toMatchObject({
        removed: true,
      });

      const resumed = await runChild({ ...env, ACTION: 'resume' });
      expect(resumed.timedOut, `the resuming child finished by itself: ${resumed.stderr}`).toBe(false);
      expect(resumed.code, resumed.stderr).toBe(0);
      const outcome = JSON.parse(resumed.stdout) as Outcome;
      // Before: still 'ready' here (a report Plaid no longer has), no removal entry.
      expect(outcome.reports.map((r) => r.id)).not.toContain(reportId);
      expect(outcome.removedIds).toEqual([reportId]);
      expect(outcome.removedEntries).toBe(1);
      // The start asked Plaid once more, which said the report is already gone: that counts as done.
      const removals = proxy.calls.filter((c) => c.path === '/asset_report/remove');
      expect(removals).toHaveLength(2);
      expect(JSON.parse(removals[1]!.answer!.toString())).toMatchObject({ error_code: 'INVALID_ASSET_REPORT_TOKEN' });
      // Gone at Plaid.
      const atPlaid = await emulatorPlaid(emulator)
        .assetReportGet({ asset_report_token: token })
        .then(
          () => 'still there',
          (e: { response?: { data?: { error_code?: string } } }) => e.response?.data?.error_code,
        );
      expect(atPlaid).toBe('INVALID_ASSET_REPORT_TOKEN');

      // A third start finds nothing left to do.
      const again = await runChild({ ...env, ACTION: 'resume' });
      expect(again.code, again.stderr).toBe(0);
      const third = JSON.parse(again.stdout) as Outcome;
      expect({ reports: third.reports, removedIds: third.removedIds, removedEntries: third.removedEntries }).toEqual({
        reports: outcome.reports,
        removedIds: [reportId],
        removedEntries: 1,
      });
      expect(proxy.count('/asset_report/remove')).toBe(2);
    },
    4 * CHILD_LIMIT_MS + 15_000,
  );
});
