import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The Link UI is TypeScript (link/ui/app.ts and its modules). The build bundles it to link/ui/app.js beside
 * the main bundle; running from source (tests, `npm run emulator`), the emulator bundles it once in memory.
 */
export const LINK_UI_BUILD_OPTIONS = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  legalComments: 'none',
  logLevel: 'warning',
} as const;

/** Defined as true by the build: the bundle then carries no path to esbuild at all. */
declare const ASSETDESK_BUNDLED: boolean | undefined;

const bundles = new Map<string, Promise<Buffer>>();

async function bundleFromSource(uiDir: string): Promise<Buffer> {
  // In the bundle the whole branch below folds away, and esbuild (a dev tool) never ships.
  if (typeof ASSETDESK_BUNDLED !== 'undefined' && ASSETDESK_BUNDLED) {
    throw new Error(`the Link UI (link/ui/app.js) is missing beside the bundle in ${uiDir}`);
  } else {
    // Only reached from source (tests, `npm run emulator`).
    const { build } = await import('esbuild');
    const result = await build({ ...LINK_UI_BUILD_OPTIONS, entryPoints: [join(uiDir, 'app.ts')], write: false });
    const output = result.outputFiles[0];
    if (!output) throw new Error('the Link UI bundle came out empty');
    return Buffer.from(output.contents);
  }
}

/** The Link UI script: the built app.js when present, else app.ts bundled now (and kept). */
export function linkUiScript(uiDir: string): Promise<Buffer> {
  const built = join(uiDir, 'app.js');
  if (existsSync(built)) return readFile(built);
  let bundle = bundles.get(uiDir);
  if (!bundle) {
    bundle = bundleFromSource(uiDir);
    bundles.set(uiDir, bundle);
    bundle.catch(() => bundles.delete(uiDir));
  }
  return bundle;
}
