import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createMemoryLogger } from '../../electron/log/logger';
import { realKeytar, requireKeychain, testKeychainService } from '../helpers/keychain';
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
    await emulator?.close();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
    const keytar = await realKeytar();
    for (const s of services) await keytar.deletePassword(s, 'data-key').catch(() => false);
  });

  test.each(['after-pending', 'after-plaid-reply'])(
    'killed %s: on restart the report ends ready exactly once',
    async (crashAt) => {
      const userData = mkdtempSync(join(tmpdir(), 'assetdesk-crash-'));
      const keychainService = testKeychainService();
      folders.push(userData);
      services.push(keychainService);
      const env = {
        USER_DATA: userData,
        KEYCHAIN_SERVICE: keychainService,
        EMU_URL: emulator.baseUrl,
        EMU_CLIENT_ID: emulator.clientId,
        EMU_SECRET: emulator.secret,
      };

      const crashed = await runChild({ ...env, ACTION: 'create', ASSETDESK_CRASH_AT: crashAt });
      expect(crashed.timedOut, 'the creating child was killed at its crash point, not by the time limit').toBe(false);
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      expect(crashed.stdout).not.toContain('NOT KILLED');

      const resumed = await runChild({ ...env, ACTION: 'resume' });
      expect(resumed.timedOut, `the resuming child finished by itself: ${resumed.stderr}`).toBe(false);
      expect(resumed.code, resumed.stderr).toBe(0);
      const outcome = JSON.parse(resumed.stdout) as {
        reports: Array<{ status: string; plaidReportId: string | null }>;
        readyEntries: number;
      };
      expect(outcome.reports).toHaveLength(1);
      expect(outcome.reports[0]).toMatchObject({
        status: 'ready',
        plaidReportId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      });
      expect(outcome.readyEntries).toBe(1);

      // A third start finds nothing to do and changes nothing.
      const again = await runChild({ ...env, ACTION: 'resume' });
      expect(again.timedOut, 'the third start finished by itself').toBe(false);
      expect(JSON.parse(again.stdout)).toEqual(outcome);
    },
    3 * CHILD_LIMIT_MS + 15_000,
  );
});
