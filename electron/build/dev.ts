import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { bundleMainAndPreload } from './bundles';

/**
 * `npm run dev`: the renderer from Vite's dev server with hot reload; main, preload and the
 * emulator's Link UI built once, exactly as `npm run build` makes them (bundles.ts); Electron
 * launched against the dev server. ASSETDESK_DEV_SERVER_URL is honoured by the main process only
 * when the app is not packaged.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));

const server = await createServer({
  configFile: `${root}vite.config.ts`,
  mode: 'electron',
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
});
await server.listen();
const devUrl = `http://127.0.0.1:${server.config.server.port}`;

await bundleMainAndPreload(root);

const electron = spawn('npx', ['electron', '.'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, ASSETDESK_DEV_SERVER_URL: devUrl },
});
electron.on('close', (code) => {
  void server.close().then(() => process.exit(code ?? 0));
});
