import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BUILT_ENTRIES, OUT_DIR, ensureBuilt } from './build-output';

describe('what the packaged app needs beside its bundles', () => {
  it('ships the emulator Link UI next to the main bundle (it serves those files at run time)', () => {
    const state = ensureBuilt();
    expect(state).toEqual({ ok: true });
    for (const entry of BUILT_ENTRIES) expect(existsSync(join(OUT_DIR, entry)), entry).toBe(true);
  });
});
