import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, type PluginBuild } from 'esbuild';
import { LINK_UI_BUILD_OPTIONS } from '../emulator/link-ui-bundle';

/**
 * Builds what Electron loads: main and preload bundled to CommonJS (a sandboxed preload cannot
 * be an ES module), native modules left external, and the renderer through Vite.
 * `--web` also builds the web-bridge renderer used by `npm run web` and the browser tests.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const withWeb = process.argv.includes('--web');

rmSync(`${root}out/main`, { recursive: true, force: true });
rmSync(`${root}out/preload`, { recursive: true, force: true });

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

await build({
  ...common,
  entryPoints: { index: `${root}electron/main/index.ts` },
  outExtension: { '.js': '.cjs' },
  outdir: `${root}out/main`,
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
cpSync(`${root}electron/emulator/link`, `${root}out/main/link`, {
  recursive: true,
  filter: (source) => !source.endsWith('.ts') && !source.endsWith('tsconfig.json'),
});
await build({
  ...LINK_UI_BUILD_OPTIONS,
  entryPoints: [`${root}electron/emulator/link/ui/app.ts`],
  outfile: `${root}out/main/link/ui/app.js`,
});

await build({
  ...common,
  entryPoints: { index: `${root}electron/preload/index.ts` },
  outExtension: { '.js': '.cjs' },
  outdir: `${root}out/preload`,
  platform: 'browser',
  external: ['electron'],
});

execFileSync('npx', ['vite', 'build', '--mode', 'electron', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (withWeb)
  execFileSync('npx', ['vite', 'build', '--mode', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
