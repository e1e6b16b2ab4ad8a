import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright';

/**
 * Debian's Chromium, the one browser the tests and benchmarks drive (Playwright's own download is not
 * available here). `.ci/run` installs it; CHROMIUM_PATH points elsewhere on a machine that keeps it elsewhere.
 */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install the chromium package (see .ci/run) or set CHROMIUM_PATH to its binary.`,
    );
  }
  return path;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}

/**
 * Chromium's headless shell (Debian's chromium-headless-shell): the same Blink, V8 and compositor as Chromium without
 * Chrome's browser layer. Electron's renderer has no such layer either: no tab strip or address bar redrawn on each
 * navigation, no autofill scanning every form the page shows. It is also what Playwright runs for headless Chromium.
 */
export const HEADLESS_SHELL_PATH = '/usr/bin/chromium-headless-shell';

/**
 * The benchmarks' browser: the headless shell when installed (see .ci/run), else Chromium; BENCH_CHROMIUM_PATH names
 * another (e.g. /usr/bin/chromium, to compare). Says which one it runs, in the bench's output.
 */
export async function launchBenchChromium(): Promise<Browser> {
  const path =
    process.env.BENCH_CHROMIUM_PATH ?? (existsSync(HEADLESS_SHELL_PATH) ? HEADLESS_SHELL_PATH : chromiumPath());
  if (!existsSync(path)) throw new Error(`BENCH_CHROMIUM_PATH: no browser at ${path}`);
  const browser = await chromium.launch({ executablePath: path, args: CHROMIUM_ARGS });
  const note =
    path === HEADLESS_SHELL_PATH
      ? ''
      : ": not the headless shell, so the figures include Chrome's own browser work (install chromium-headless-shell)";
  process.stdout.write(`  (browser: ${path}, ${browser.version()}${note})\n`);
  return browser;
}
