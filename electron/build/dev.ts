import { spawn } from 'node:child_process';
import { cpSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createServer } from 'vite';

/**
 * `npm run dev`: the renderer from Vite's dev server with hot reload, main and preload rebuilt
 * once, Electron launched against the dev server. ASSETDESK_DEV_SERVER_URL is honoured by the main
 * process only when the app is not packaged.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));

const server = await createServer({
  configFile: `${root}vite.config.ts`,
  mode: 'electron',
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
});
await server.listen();
const devUrl = `http://127.0.0.1:${server.config.server.port}`;

for (const [entry, out, platform] of [
  ['electron/main/index.ts', 'out/main', 'node'],
  ['electron/preload/index.ts', 'out/preload', 'browser'],
] as const) {
  await build({
    entryPoints: { index: `${root}${entry}` },
    outdir: `${root}${out}`,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform,
    format: 'cjs',
    target: 'node22',
    external: ['electron', 'better-sqlite3', 'keytar', 'pdfkit', 'pdfjs-dist'],
    define: { 'import.meta.url': 'importMetaUrl' },
    // Load native modules with require(), as the production build does.
    supported: { 'dynamic-import': false },
    banner: {
      js: platform === 'node' ? "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" : '',
    },
  });
}

cpSync(`${root}electron/emulator/link`, `${root}out/main/link`, { recursive: true });

const electron = spawn('npx', ['electron', '.'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ASSETDESK_DEV_SERVER_URL: devUrl },
});
electron.on('close', (code) => {
  void server.close().then(() => process.exit(code ?? 0));
});
