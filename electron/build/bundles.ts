import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build, type PluginBuild } from 'esbuild';
import { LINK_UI_BUILD_OPTIONS } from '../emulator/link-ui-bundle';

/**
 * What Electron loads from out/: main and preload bundled to CommonJS (a sandboxed preload cannot
 * be an ES module), native modules left external, and the emulator's Link UI beside the main
 * bundle. `npm run build` and `npm run dev` both make them here, so the app under development is
 * the one that ships; only the renderer differs (Vite's dev server instead of out/renderer).
 */

/** Environment variables only tests may set; compiled to `undefined` in the app's bundle. */
const TEST_HOOKS_OFF = { 'process.env.ASSETDESK_CRASH_AT': 'undefined' };
// The bundle serves the prebuilt Link UI: its from-source path (and esbuild with it) is dropped.
const BUNDLED = { ASSETDESK_BUNDLED: 'true' };

const common = {
  bundle: true,
  platform: 'node' as const,
  target: 'node22',
  format: 'cjs' as const,
  sourcemap: false,
  minify: false,
  legalComments: 'none' as const,
  logLevel: 'warning' as const,
};

/**
 * `pg` offers an optional libpq binding (`pg.native`) that AssetDesk never uses: it is not shipped, and the
 * bundle answers its require the way a missing module does, which `pg` expects and ignores.
 */
const withoutPgNative = {
  name: 'without-pg-native',
  setup(pluginBuild: PluginBuild) {
    pluginBuild.onResolve({ filter: /^pg-native$/ }, () => ({ path: 'pg-native', namespace: 'not-shipped' }));
    pluginBuild.onLoad({ filter: /.*/, namespace: 'not-shipped' }, () => ({
      contents:
        "const error = new Error('pg-native is not shipped with AssetDesk'); error.code = 'MODULE_NOT_FOUND'; throw error;",
      loader: 'js',
    }));
  },
};

/** Builds out/main (with its Link UI) and out/preload from the sources under `root`, into `outDir`. */
export async function bundleMainAndPreload(root: string, outDir = join(root, 'out')): Promise<void> {
  rmSync(join(outDir, 'main'), { recursive: true, force: true });
  rmSync(join(outDir, 'preload'), { recursive: true, force: true });

  await build({
    ...common,
    entryPoints: { index: join(root, 'electron/main/index.ts') },
    outExtension: { '.js': '.cjs' },
    outdir: join(outDir, 'main'),
    external: ['electron', 'better-sqlite3', 'keytar', 'pdfkit', 'pdfjs-dist'],
    // import.meta.url is used by a few ESM dependencies; give them the bundle's own URL. Test hooks
    // read from the environment become constants: a shipped app cannot be told to crash itself.
    define: { 'import.meta.url': 'importMetaUrl', ...TEST_HOOKS_OFF, ...BUNDLED },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    // import() of a native module inside app.asar has broken in past Electron releases; require()
    // is the path Electron's asar support has always covered.
    supported: { 'dynamic-import': false },
    plugins: [withoutPgNative],
  });

  // The emulator serves its Link UI from files beside its code: beside the bundle once built (its TypeScript bundled).
  cpSync(join(root, 'electron/emulator/link'), join(outDir, 'main/link'), {
    recursive: true,
    filter: (source) => !source.endsWith('.ts') && !source.endsWith('tsconfig.json'),
  });
  await build({
    ...LINK_UI_BUILD_OPTIONS,
    entryPoints: [join(root, 'electron/emulator/link/ui/app.ts')],
    outfile: join(outDir, 'main/link/ui/app.js'),
  });

  await build({
    ...common,
    entryPoints: { index: join(root, 'electron/preload/index.ts') },
    outExtension: { '.js': '.cjs' },
    outdir: join(outDir, 'preload'),
    platform: 'browser',
    external: ['electron'],
  });
}
