import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchSuite } from './types';
import { launchBenchChromium } from '../browser/support/chromium';
import { median } from './measure';
import { buildRenderer } from './renderer-seed';

const root = fileURLToPath(new URL('../../', import.meta.url));
const mainScript = fileURLToPath(new URL('./startup-main.ts', import.meta.url));
const RUNS = 3;

/**
 * Start-up with 10,000 reports: a fresh main process starts its services (the real keychain through a
 * private Secret Service, the store, the built-in emulator) until the loan pipeline is painted in Chromium.
 * Chromium is already running (Electron's window creation is not part of the figure).
 */
export const suite: BenchSuite = {
  name: 'start-up',
  async run() {
    const workDir = mkdtempSync(join(tmpdir(), 'assetdesk-startup-bench-'));
    const userDataDir = join(workDir, 'user-data');
    const staticDir = join(workDir, 'renderer-web');
    buildRenderer(staticDir);
    const script =
      'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ' +
      '"$BENCH_NODE" --import tsx "$BENCH_MAIN" seed "$BENCH_DATA" && ' +
      `for i in ${Array.from({ length: RUNS }, (_, i) => i + 1).join(' ')}; do ` +
      '"$BENCH_NODE" --import tsx "$BENCH_MAIN" start "$BENCH_DATA" "$BENCH_STATIC" || exit 1; done';
    const session = spawn('dbus-run-session', ['--', 'sh', '-c', script], {
      cwd: root,
      env: {
        ...process.env,
        XDG_DATA_HOME: join(workDir, 'xdg'),
        BENCH_NODE: process.execPath,
        BENCH_MAIN: mainScript,
        BENCH_DATA: userDataDir,
        BENCH_STATIC: staticDir,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    // Kept for the error message only: dbus-daemon's warnings would otherwise fill the figures' output.
    let stderr = '';
    session.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4000);
    });
    const exited = new Promise<number | null>((resolve) => session.on('exit', (code) => resolve(code)));
    const messages = createInterface({ input: session.stdout })[Symbol.asyncIterator]();
    const next = async (): Promise<Record<string, number | string>> => {
      for (;;) {
        const { value, done } = await messages.next();
        if (done) throw new Error(`the start-up process ended early (exit code ${await exited}):\n${stderr}`);
        if (value.startsWith('BENCH ')) return JSON.parse(value.slice(6)) as Record<string, number | string>;
      }
    };
    const browser = await launchBenchChromium();
    try {
      await next(); // seeded
      const toScreen: number[] = [];
      const services: number[] = [];
      const imports: number[] = [];
      const rss: number[] = [];
      const heap: number[] = [];
      const rssAdded: number[] = [];
      const heapAdded: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        const page = await context.newPage();
        const started = await next();
        await page.goto(String(started.url));
        await page.getByTestId('loan-row').first().waitFor();
        await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));
        const painted = performance.timeOrigin + performance.now();
        toScreen.push(painted - Number(started.t0));
        services.push(Number(started.servicesReady) - Number(started.t0));
        imports.push(Number(started.importMs));
        session.stdin.write('rss\n');
        const memory = await next();
        rss.push(Number(memory.rss));
        heap.push(Number(memory.heapUsed));
        rssAdded.push(Number(memory.rss) - Number(started.rssBefore));
        heapAdded.push(Number(memory.heapUsed) - Number(started.heapBefore));
        await context.close();
        session.stdin.write('exit\n');
        await next(); // closed
      }
      const code = await exited;
      if (code !== 0) throw new Error(`the start-up process exited with code ${code}:\n${stderr}`);
      return [
        {
          name: 'Start-up: services start (keychain, store with 10,000 reports, emulator) to first screen painted (median of 3)',
          value: Math.round(median(toScreen)),
          unit: 'ms',
          target: 1000,
        },
        {
          name: 'Start-up: services started (keychain + store open + emulator + bridge listening) (median of 3)',
          value: Math.round(median(services)),
          unit: 'ms',
        },
        {
          name: 'Start-up: main-process code loaded before the clock starts (tsx, not a bundle) (median of 3)',
          value: Math.round(median(imports)),
          unit: 'ms',
        },
        {
          name: 'Main-process memory: RSS with 10,000 reports, first screen shown (median of 3)',
          value: median(rss) / 1024 / 1024,
          unit: 'MB',
        },
        {
          name: 'Main-process memory: JS heap used with 10,000 reports, first screen shown (median of 3)',
          value: median(heap) / 1024 / 1024,
          unit: 'MB',
        },
        {
          name: 'Main-process memory: RSS added by starting the services and showing the first screen (median of 3)',
          value: median(rssAdded) / 1024 / 1024,
          unit: 'MB',
        },
        {
          name: 'Main-process memory: JS heap added by starting the services and showing the first screen (median of 3)',
          value: median(heapAdded) / 1024 / 1024,
          unit: 'MB',
        },
      ];
    } finally {
      await browser.close();
      if (session.exitCode === null) session.kill();
      await exited;
      rmSync(workDir, { recursive: true, force: true });
    }
  },
};
