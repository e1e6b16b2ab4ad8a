import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleMainAndPreload } from '../../electron/build/bundles';
import { ROOT } from './build-output';

/**
 * `npm run dev` and `npm run build` make main, preload and the emulator's Link UI the same way
 * (electron/build/bundles.ts). dev.ts used to bundle main on its own: without the Link UI's app.js and
 * with esbuild inside, so on a fresh checkout the emulator's Link failed with "The esbuild JavaScript
 * API cannot be bundled" (and after a build it served that build's stale app.js).
 */
describe('the main-process bundles npm run dev and npm run build launch', () => {
  const out = mkdtempSync(join(tmpdir(), 'assetdesk-bundles-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('carry the Link UI the emulator serves and no esbuild', async () => {
    await bundleMainAndPreload(ROOT, out);
    expect(existsSync(join(out, 'main/link/ui/app.js'))).toBe(true);
    expect(existsSync(join(out, 'main/link/ui/app.ts'))).toBe(false);
    expect(existsSync(join(out, 'preload/index.cjs'))).toBe(true);
    const main = readFileSync(join(out, 'main/index.cjs'), 'utf8');
    expect(main).not.toContain('node_modules/esbuild/');
    expect(main).not.toContain('ASSETDESK_CRASH_AT');
  }, 120_000);

  it.each(['electron/build/dev.ts', 'electron/build/build.ts'])('%s builds them through bundles.ts only', (file) => {
    const source = readFileSync(join(ROOT, file), 'utf8');
    expect(source).toMatch(/import \{ bundleMainAndPreload \} from '\.\/bundles';/);
    expect(source).toContain('await bundleMainAndPreload(root);');
    expect(source).not.toMatch(/from 'esbuild'/);
  });
});
