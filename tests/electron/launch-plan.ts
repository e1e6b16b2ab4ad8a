import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How `npm run test:electron` starts AssetDesk (tests/electron/launch.ts runs it; the unit test
 * tests/unit/electron-launch.test.ts checks it without the Electron binary).
 */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The switches Playwright's `_electron.launch` always adds (its Node inspector and DevTools endpoints, and on
 * Linux `--no-sandbox` unless `chromiumSandbox` is set). A packaged AssetDesk refuses every one of them
 * (FORBIDDEN_SWITCHES), and its fuses disable `--inspect`: Playwright can drive only the unpackaged build.
 */
export const PLAYWRIGHT_ELECTRON_SWITCHES = ['inspect', 'remote-debugging-port', 'no-sandbox'] as const;

/** The Electron binary the npm package would run (as node_modules/electron/index.js finds it), without downloading it. */
export function electronBinary(
  env: Record<string, string | undefined> = process.env,
  electronDir = join(ROOT, 'node_modules/electron'),
): string | null {
  const pathFile = join(electronDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  const binary = override
    ? join(override, relative ?? 'electron')
    : relative === null
      ? null
      : join(electronDir, 'dist', relative);
  return binary !== null && existsSync(binary) ? binary : null;
}

/** The unpacked app `npm run dist -- --dir` made for this platform, if any. */
export function packagedBinary(platform: NodeJS.Platform = process.platform, arch = process.arch): string | null {
  const candidates: Partial<Record<NodeJS.Platform, string>> = {
    linux: 'release/linux-unpacked/assetdesk',
    win32: 'release/win-unpacked/AssetDesk.exe',
    darwin: `release/mac${arch === 'arm64' ? '-arm64' : ''}/AssetDesk.app/Contents/MacOS/AssetDesk`,
  };
  const path = candidates[platform];
  return path !== undefined && existsSync(join(ROOT, path)) ? join(ROOT, path) : null;
}

/**
 * The app's arguments for a run in `profileDir`. `--user-data-dir` is Electron's userData on every OS (and the
 * single-instance lock goes with it), so a run never opens the officer's own history nor waits on a running
 * AssetDesk; XDG_CONFIG_HOME alone did that on Linux only.
 */
export function appArguments(profileDir: string, appDir?: string): string[] {
  return [`--user-data-dir=${profileDir}`, ...(appDir === undefined ? [] : [appDir])];
}

/** What the app's log says about its start: ready once its history and emulator are up and the page loaded. */
export type StartState = { state: 'starting' } | { state: 'ready' } | { state: 'failed'; reason: string };

/** Reads the app's log (JSON lines, logs/assetdesk.log in the profile). Any error line is a failed start. */
export function startState(logText: string): StartState {
  const messages: string[] = [];
  for (const line of logText.split('\n')) {
    if (line.trim() === '') continue;
    let entry: { level?: unknown; msg?: unknown };
    try {
      entry = JSON.parse(line) as { level?: unknown; msg?: unknown };
    } catch {
      continue; // a line still being written
    }
    if (entry.level === 'error' || entry.level === 'fatal') return { state: 'failed', reason: line.slice(0, 500) };
    if (typeof entry.msg === 'string') messages.push(entry.msg);
  }
  return messages.includes('emulator started') && messages.includes('the window loaded')
    ? { state: 'ready' }
    : { state: 'starting' };
}
