import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openAssetDeskStore } from '../../electron/db';
import { pipeline } from './helpers';

const WRITER = fileURLToPath(new URL('./fixtures/kill-writer.ts', import.meta.url));

describe('report history store: killed mid-write', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assetdesk-crash-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('SIGKILL during a big transaction leaves a database that opens with every committed report intact', async () => {
    const file = join(dir, 'assetdesk.sqlite');
    const dataKey = randomBytes(32);
    const committedTarget = 4;
    // node --import tsx (not the tsx CLI, which forks): the pid we kill is the writer itself.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', WRITER, file, dataKey.toString('hex'), String(committedTarget)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let committed = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exit = new Promise<NodeJS.Signals | number | null>((resolve) =>
      child.on('exit', (code, signal) => resolve(signal ?? code)),
    );
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout.on('data', (d: Buffer) => {
        buffered += d.toString();
        for (const m of buffered.matchAll(/committed (\d+)\n/g)) committed = Math.max(committed, Number(m[1]));
        if (buffered.includes('writing\n')) {
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`writer exited before the big write: ${stderr}`)));
    });
    expect(await exit).toBe('SIGKILL');
    expect(committed).toBe(committedTarget);

    // The committed reports take ~1.5 MB of WAL; the rest are uncommitted frames recovery must ignore.
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(8 * 1024 * 1024);
    const raw = new Database(file);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.pragma('foreign_key_check')).toEqual([]);
    raw.close();

    const store = await openAssetDeskStore({ file, dataKey });
    const { rows, total } = await store.reports.search({ environment: 'sandbox', limit: 100 });
    expect(total).toBe(committedTarget);
    for (const report of rows) {
      expect(report.status).toBe('ready');
      const content = (await store.reports.readContent(report.id)) as {
        json: { report: { items: unknown[] } };
        pdf: Uint8Array;
      };
      expect(content.json.report.items.length).toBeGreaterThan(0);
      expect(content.pdf.length).toBe(64 * 1024);
      expect(await store.reports.reportToken(report.id)).toMatch(/^assets-sandbox-/);
    }
    const applicant = (await pipeline(store)).rows[0]!.borrowers[0]!;
    expect(await store.applicants.revealSsn(applicant.id)).toBe('512-44-8123');
    await store.close();
  });
});
