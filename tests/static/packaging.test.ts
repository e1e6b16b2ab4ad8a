import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { dirname, join, posix, relative, sep } from 'node:path';
import { parse } from 'yaml';
import { ensureBuilt, requireBuilt, ROOT, type BuildState } from './build-output';

/**
 * What `electron-builder` would pack, computed offline from electron-builder.yml's `files` (its
 * ordered glob list; a later pattern overrides an earlier one, `${platform}`/`${arch}` expanded)
 * over the project folder, then checked three ways: every module the shipped code require()s is
 * packed, no package is packed that nothing requires, and the whole stays under a size budget.
 */

/** Unpacked size of the app without Electron itself: today about 15 MB of code and 14.5 MB of Noto fonts. */
export const PACKED_BUDGET_BYTES = 36 * 1024 * 1024;
const TARGET = { platform: 'linux', arch: 'x64' };

// The glob engine electron-builder itself matches `files` with (its own copy, resolved from it).
const fromBuilder = createRequire(createRequire(import.meta.url).resolve('app-builder-lib/package.json'));
const { Minimatch } = fromBuilder('minimatch') as {
  Minimatch: new (pattern: string, options: { dot: boolean }) => { match(path: string): boolean };
};

interface BuilderConfig {
  files: string[];
}

function walk(dir: string, base = ROOT, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, base, out);
    else if (entry.isFile()) out.push(relative(base, path).split(sep).join('/'));
  }
  return out;
}

/** The files `patterns` select under the project root, for one target. */
export function packedFiles(patterns: readonly string[], target = TARGET): string[] {
  const rules = patterns.map((raw) => {
    const expanded = raw.replaceAll('${platform}', target.platform).replaceAll('${arch}', target.arch);
    const negated = expanded.startsWith('!');
    return { negated, matcher: new Minimatch(negated ? expanded.slice(1) : expanded, { dot: true }) };
  });
  // Only the top-level folders a pattern can name are walked (not .git, release/, …).
  const roots = ['package.json', 'out', 'node_modules'].filter((p) => existsSync(join(ROOT, p)));
  const candidates = roots.flatMap((p) => (statSync(join(ROOT, p)).isDirectory() ? walk(join(ROOT, p)) : [p]));
  return candidates.filter((file) => {
    let included = false;
    for (const rule of rules) if (rule.matcher.match(file)) included = !rule.negated;
    return included;
  });
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));
// A real call, not code inside a string (ajv keeps `require("ajv/…")` text for code generation); also the
// bundle's renamed createRequire() functions (`require2("fontkit")`, `require2.resolve("@embedpdf/fonts-sc")`).
const REQUIRE = /(?<!["'`\w.$])require\d*(?:\.resolve)?\(\s*["']([^"']+)["']\s*\)/g;

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Node's resolution of a bare package from a packed file, within the packed set. */
function resolvePackage(fromFile: string, name: string, packed: Set<string>): string | null {
  let dir = dirname(fromFile);
  for (;;) {
    const candidate = posix.join(dir === '.' ? '' : dir, 'node_modules', name);
    if (packed.has(`${candidate}/package.json`)) return candidate;
    if (dir === '.' || dir === '') return null;
    dir = dirname(dir);
  }
}

/** Every bare require() in the packed JavaScript, resolved: what is missing, and which packages are used. */
export function requireClosure(files: readonly string[]): { missing: string[]; used: Set<string> } {
  const packed = new Set(files);
  const missing: string[] = [];
  const used = new Set<string>();
  for (const file of files) {
    if (!/\.(?:c?js)$/.test(file) || file.startsWith('out/renderer/') || file.startsWith('out/main/link/')) continue;
    const text = readFileSync(join(ROOT, file), 'utf8');
    for (const match of text.matchAll(REQUIRE)) {
      const specifier = match[1] ?? '';
      if (specifier.startsWith('.') || specifier.startsWith('#') || BUILTINS.has(specifier) || specifier === 'electron')
        continue;
      const where = resolvePackage(file, packageOf(specifier), packed);
      if (where === null) missing.push(`${file} requires ${specifier}`);
      else used.add(where);
    }
  }
  return { missing, used };
}

describe('the packed file list', () => {
  const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
  let built: BuildState | undefined;
  let files: string[] = [];
  beforeAll(() => {
    built = ensureBuilt();
    files = packedFiles(config.files);
  }, 300_000);

  it('has every module the shipped code requires, pdfkit font data and the one prebuild for the target', () => {
    requireBuilt(built);
    const { missing } = requireClosure(files);
    expect(missing).toStrictEqual([]);
    expect(files).toContain('out/main/index.cjs');
    expect(files).toContain('out/preload/index.cjs');
    expect(files).toContain('out/renderer/index.html');
    expect(files).toContain('node_modules/better-sqlite3/prebuilds/linux-x64.node');
    expect(files).toContain('node_modules/keytar/build/Release/keytar.node');
    expect(files).toContain('node_modules/pdfkit/js/data/sRGB_IEC61966_2_1.icc');
    expect(files.some((f) => f.startsWith('node_modules/pdfkit/js/standard-fonts/'))).toBe(true);
    // Every face electron/pdf/fonts.ts draws with, and nothing else of the font packages' files.
    const fontFiles = files.filter((f) => f.startsWith('node_modules/@embedpdf/') && /\.(?:ttf|otf)$/.test(f));
    expect(fontFiles.map((f) => f.split('/').pop()).sort()).toStrictEqual(
      [
        'NotoNaskhArabic-Bold.ttf',
        'NotoNaskhArabic-Regular.ttf',
        'NotoSans-Bold.ttf',
        'NotoSans-Regular.ttf',
        'NotoSansHans-Regular.otf',
        'NotoSansHebrew-Bold.ttf',
        'NotoSansHebrew-Regular.ttf',
        'NotoSansKR-Regular.otf',
      ].sort(),
    );
  });

  it('packs no package that nothing requires, and no other platform’s binaries, sources or maps', () => {
    requireBuilt(built);
    const { used } = requireClosure(files);
    const packedPackages = new Set(
      files
        .filter((f) => f.endsWith('/package.json') && f.startsWith('node_modules/'))
        .map((f) => f.slice(0, -'/package.json'.length))
        // A package root sits right under node_modules/; deeper package.json files only mark a folder.
        .filter((p) =>
          /^(?:@[^/]+\/)?[^/@][^/]*$/.test(p.slice(p.lastIndexOf('node_modules/') + 'node_modules/'.length)),
        ),
    );
    const unused = [...packedPackages].filter((p) => !used.has(p));
    expect(unused).toStrictEqual([]);
    for (const heavy of ['react', 'react-dom', 'plaid', 'pdfjs-dist', '@napi-rs/canvas', 'zod', 'jose', 'uplot']) {
      expect(files.some((f) => f.startsWith(`node_modules/${heavy}/`))).toBe(false);
    }
    const prebuilds = files.filter((f) => f.startsWith('node_modules/better-sqlite3/prebuilds/'));
    expect(prebuilds).toStrictEqual(['node_modules/better-sqlite3/prebuilds/linux-x64.node']);
    expect(files.filter((f) => /\.(?:map|tsx?)$/.test(f) && !f.endsWith('.d.ts'))).toStrictEqual([]);
    expect(files.some((f) => f.startsWith('out/renderer-web/'))).toBe(false);
    expect(files.some((f) => f.startsWith('node_modules/better-sqlite3/deps/'))).toBe(false);
  });

  it(`stays under ${PACKED_BUDGET_BYTES / 1024 / 1024} MB unpacked (without Electron itself)`, () => {
    requireBuilt(built);
    const bytes = files.reduce((sum, f) => sum + statSync(join(ROOT, f)).size, 0);
    process.stdout.write(`packed: ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB\n`);
    expect(bytes).toBeLessThan(PACKED_BUDGET_BYTES);
  });

  it('is the budget the README states', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const stated = /fails above \*\*(\d+) MB\s+unpacked without Electron\*\*/.exec(readme)?.[1];
    expect(Number(stated)).toBe(PACKED_BUDGET_BYTES / 1024 / 1024);
  });

  it('the pattern engine honours order, negation and the platform macros', () => {
    const patterns = ['out/main/**/*', '!**/*.map', 'node_modules/better-sqlite3/prebuilds/${platform}-${arch}.node'];
    const linux = packedFiles(patterns);
    expect(linux.some((f) => f.endsWith('.map'))).toBe(false);
    expect(linux.filter((f) => f.includes('/prebuilds/'))).toStrictEqual([
      'node_modules/better-sqlite3/prebuilds/linux-x64.node',
    ]);
    expect(
      packedFiles(patterns, { platform: 'win32', arch: 'arm64' }).filter((f) => f.includes('/prebuilds/')),
    ).toStrictEqual(['node_modules/better-sqlite3/prebuilds/win32-arm64.node']);
    // A module the bundle requires but the list leaves out is reported.
    const withoutPdfkit = packedFiles(config.files.filter((p) => !p.startsWith('node_modules/pdfkit/')));
    expect(requireClosure(withoutPdfkit).missing.join('\n')).toContain('requires pdfkit');
  });
});
