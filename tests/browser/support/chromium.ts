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
