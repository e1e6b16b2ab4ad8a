import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers for the static checks: find (or build once) the compiled app in out/. */

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const OUT_DIR = join(ROOT, 'out');
export const BUILT_ENTRIES = [
  'main/index.cjs',
  'main/link/link-initialize.js',
  'main/link/ui/index.html',
  'preload/index.cjs',
  'renderer/index.html',
] as const;

export type BuildState = { ok: true } | { ok: false; reason: string };

function missingEntries(): string[] {
  return BUILT_ENTRIES.filter((entry) => !existsSync(join(OUT_DIR, entry)));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Uses out/ when `npm test` has already built it; otherwise runs electron/build/build.ts once
 * (with --web, so the bridge check has out/renderer-web). A lock folder keeps parallel test
 * files from building at the same time.
 */
export function ensureBuilt(): BuildState {
  if (missingEntries().length === 0) return { ok: true };
  const buildScript = join(ROOT, 'electron', 'build', 'build.ts');
  if (!existsSync(buildScript)) {
    return { ok: false, reason: 'FAILED: out/ is not built and electron/build/build.ts does not exist yet.' };
  }
  const lock = join(ROOT, '.tmp', 'static-build.lock');
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline)
        return { ok: false, reason: `FAILED: waited 5 minutes for ${lock} (remove it if no build is running).` };
      sleep(500);
    }
  }
  try {
    if (missingEntries().length === 0) return { ok: true }; // another test file built it meanwhile
    execFileSync('npx', ['tsx', 'electron/build/build.ts', '--web'], { cwd: ROOT, stdio: 'pipe', timeout: 240_000 });
  } catch (error) {
    const output = (error as { stderr?: Buffer; stdout?: Buffer }).stderr?.toString() ?? String(error);
    return { ok: false, reason: `FAILED: electron/build/build.ts did not build out/:\n${output.slice(0, 1500)}` };
  } finally {
    rmdirSync(lock);
  }
  const missing = missingEntries();
  return missing.length === 0
    ? { ok: true }
    : { ok: false, reason: `FAILED: the build did not produce ${missing.join(', ')}` };
}

/** Throws the build failure as the test's error, so the report says why nothing was checked. */
export function requireBuilt(state: BuildState | undefined): void {
  if (!state) throw new Error('FAILED: ensureBuilt() did not run');
  if (!state.ok) throw new Error(state.reason);
}

/** Every file under `dir` (relative paths, sorted), optionally only some extensions. */
export function listFiles(dir: string, extensions?: readonly string[]): string[] {
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  const walk = (current: string) => {
    for (const name of readdirSync(current)) {
      const full = join(current, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (!extensions || extensions.some((ext) => name.endsWith(ext))) files.push(relative(dir, full));
    }
  };
  walk(dir);
  return files.sort();
}

/** The text of every code file in one out/ folder, keyed by path relative to that folder. */
export function readBundle(
  folder: string,
  extensions: readonly string[] = ['.js', '.cjs', '.mjs', '.html'],
): Map<string, string> {
  const dir = join(OUT_DIR, folder);
  return new Map(listFiles(dir, extensions).map((file) => [file, readFileSync(join(dir, file), 'utf8')]));
}
