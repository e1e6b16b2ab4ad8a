import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BenchSuite } from './types';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** JavaScript the first screen loads: the entry script plus every module it preloads (not lazy chunks). */
export function initialScripts(rendererDir: string): string[] {
  const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*rel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  return [...new Set(refs)].map((ref) => join(rendererDir, ref.replace(/^\.\//, '')));
}

export const suite: BenchSuite = {
  name: 'renderer bundle',
  async run() {
    execFileSync('npx', ['vite', 'build', '--mode', 'electron', '--logLevel', 'error'], {
      cwd: root,
      stdio: 'inherit',
    });
    const files = initialScripts(join(root, 'out/renderer'));
    let raw = 0;
    let gzip = 0;
    for (const file of files) {
      const bytes = readFileSync(file);
      raw += bytes.length;
      gzip += gzipSync(bytes, { level: 9 }).length;
    }
    return [
      { name: 'renderer initial JavaScript (gzip)', value: gzip / 1024, unit: 'KB', target: 250 },
      { name: 'renderer initial JavaScript (raw)', value: raw / 1024, unit: 'KB' },
      { name: 'renderer initial script files', value: files.length, unit: 'files' },
    ];
  },
};
