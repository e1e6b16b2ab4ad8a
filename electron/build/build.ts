import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleMainAndPreload } from './bundles';

/**
 * `npm run build`: main, preload and the emulator's Link UI (bundles.ts), then the renderer through
 * Vite. `--web` also builds the web-bridge renderer used by `npm run web` and the browser tests.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const withWeb = process.argv.includes('--web');

await bundleMainAndPreload(root);

execFileSync('npx', ['vite', 'build', '--mode', 'electron', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
if (withWeb)
  execFileSync('npx', ['vite', 'build', '--mode', 'web', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
