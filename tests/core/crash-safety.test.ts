import { spawn } from 'node:child_process';
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

function runChild(
  env: Record<string, string>,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
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
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      expect(crashed.stdout).not.toContain('NOT KILLED');

      const resumed = await runChild({ ...env, ACTION: 'resume' });
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
      expect(JSON.parse(again.stdout)).toEqual(outcome);
    },
    60_000,
  );
});
