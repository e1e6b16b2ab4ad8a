import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('install never fetches from outside the npm registry', () => {
  it('keytar builds from source on purpose: its prebuild-install step is told not to download', () => {
    expect(readFileSync(`${root}.prebuild-installrc`, 'utf8')).toMatch(/^buildFromSource=true$/m);
    // keytar's real install step, run where npm runs it: it must stop before any download.
    const keytarDir = `${root}node_modules/keytar`;
    const script = JSON.parse(readFileSync(`${keytarDir}/package.json`, 'utf8')).scripts.install as string;
    expect(script).toMatch(/^prebuild-install \|\| npm run build$/);
    const run = spawnSync(process.execPath, [`${root}node_modules/prebuild-install/bin.js`, '--verbose'], {
      cwd: keytarDir,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, npm_config_build_from_source: '' },
    });
    expect(run.stderr).toMatch(/--build-from-source specified, not attempting download/);
    expect(run.stderr).not.toMatch(/https?:\/\//);
    expect(run.status).toBe(1); // so `|| npm run build` compiles it
  });
});
