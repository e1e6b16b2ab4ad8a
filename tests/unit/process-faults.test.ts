import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The main process's uncaughtException / unhandledRejection handlers (electron/main/process-faults.ts,
 * installed by electron/main/index.ts) in a real Node process whose logger fails: the process lives.
 */
const child = fileURLToPath(new URL('./fixtures/process-faults-child.ts', import.meta.url));

async function run(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'assetdesk-faults-'));
  try {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dir], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
    const code = await new Promise<number | null>((resolve) => proc.on('exit', (c) => resolve(c)));
    clearTimeout(killer);
    return { code, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('process fault handlers with a logger that fails', () => {
  test('a log file that cannot be written: both faults are survived and the write failure is counted', async () => {
    const result = await run({ THROWING: '0' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toContain('write failed: 1');
    expect(result.stdout).toContain('alive');
    expect(result.code).toBe(0);
  }, 20_000);

  test('a logger that throws: both faults are survived (an unguarded handler would exit with code 7)', async () => {
    const result = await run({ THROWING: '1' });
    expect(result.stdout).toContain('alive');
    expect(result.code).toBe(0);
  }, 20_000);
});
