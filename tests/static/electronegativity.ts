import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transformSync } from 'esbuild';
import { ROOT, listFiles } from './build-output';

/** Electronegativity over the compiled app, gated on HIGH and MEDIUM findings. */

export interface ElectronegativityFinding {
  id: string;
  severity: 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
  confidence: string;
  file: string;
  location: string;
  sample: string | null;
  description: string;
  manualReview: boolean;
}

export interface ElectronegativityResult {
  checks: number;
  issues: ElectronegativityFinding[];
  errors: { file: string; message: string; tolerable: boolean }[];
}

export interface FindingSuppression {
  id: string;
  /** Path inside the scanned tree (main/index.js, preload/index.js, renderer/assets/…); omit for global checks. */
  file?: string;
  /** Text the finding's source line must contain, so a suppression covers one call and not every one. */
  sample?: string;
  reason: string;
}

export interface SuppressionList {
  excludedChecks: { check: string; reason: string }[];
  findings: FindingSuppression[];
}

export const SUPPRESSIONS_FILE = join(ROOT, 'tests', 'static', 'electronegativity-suppressions.json');

export function loadSuppressions(file = SUPPRESSIONS_FILE): SuppressionList {
  return JSON.parse(readFileSync(file, 'utf8')) as SuppressionList;
}

/** Entries without a real reason are themselves errors: a suppression must say why. */
export function invalidSuppressions(list: SuppressionList): string[] {
  const problems: string[] = [];
  for (const entry of list.excludedChecks) {
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < 20)
      problems.push(`excluded check ${entry.check} has no reason`);
  }
  for (const entry of list.findings) {
    if (typeof entry.id !== 'string' || entry.id === '') problems.push('a finding suppression has no id');
    if (typeof entry.reason !== 'string' || entry.reason.trim().length < 20)
      problems.push(`suppression of ${entry.id} has no reason`);
  }
  return problems;
}

function matches(finding: ElectronegativityFinding, suppression: FindingSuppression): boolean {
  if (finding.id !== suppression.id) return false;
  if (suppression.file !== undefined && finding.file !== suppression.file) return false;
  if (suppression.sample !== undefined && !(finding.sample ?? '').includes(suppression.sample)) return false;
  return true;
}

/** HIGH and MEDIUM findings that no suppression covers. */
export function blockingFindings(
  issues: ElectronegativityFinding[],
  suppressions: FindingSuppression[],
): ElectronegativityFinding[] {
  return issues.filter(
    (finding) =>
      (finding.severity === 'HIGH' || finding.severity === 'MEDIUM') && !suppressions.some((s) => matches(finding, s)),
  );
}

export function unusedSuppressions(
  issues: ElectronegativityFinding[],
  suppressions: FindingSuppression[],
): FindingSuppression[] {
  return suppressions.filter((s) => !issues.some((finding) => matches(finding, s)));
}

/**
 * Copies the compiled folders into `stageDir` for scanning. Electronegativity only reads .js,
 * .jsx, .ts, .tsx and .html files: our .cjs/.mjs bundles would be skipped silently, so they are
 * staged as .js. Its AST walker also predates ES2022 class private members (pdf.js uses them)
 * and skips such files, so those are rewritten first: same code, older syntax.
 * Returns the staged code files.
 */
// ES2022 class syntax the scanner's walker rejects; esbuild rewrites it (WeakMaps and plain assignments).
const OLD_PARSER_SYNTAX = {
  'class-field': false,
  'class-private-field': false,
  'class-private-method': false,
  'class-private-accessor': false,
  'class-private-brand-check': false,
  'class-private-static-field': false,
  'class-private-static-method': false,
  'class-private-static-accessor': false,
  'class-static-field': false,
  'class-static-blocks': false,
};

export function stageForScan(outDir: string, folders: readonly string[], stageDir: string): string[] {
  const staged: string[] = [];
  for (const folder of folders) {
    for (const file of listFiles(join(outDir, folder), ['.js', '.cjs', '.mjs', '.html', '.htm'])) {
      const target = join(folder, file.replace(/\.(?:cjs|mjs)$/, '.js'));
      mkdirSync(dirname(join(stageDir, target)), { recursive: true });
      const source = readFileSync(join(outDir, folder, file), 'utf8');
      const code = /\.html?$/.test(file)
        ? source
        : transformSync(source, { loader: 'js', supported: OLD_PARSER_SYNTAX, legalComments: 'none' }).code;
      writeFileSync(join(stageDir, target), code);
      staged.push(target);
    }
  }
  return staged;
}

export function electronVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** Runs the scanner in a child process (see electronegativity-run.cjs for why not the CLI). */
export function runElectronegativity(inputDir: string, excludedChecks: readonly string[]): ElectronegativityResult {
  const stdout = execFileSync(
    process.execPath,
    [join(ROOT, 'tests', 'static', 'electronegativity-run.cjs'), inputDir, electronVersion(), excludedChecks.join(',')],
    { cwd: ROOT, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(stdout) as ElectronegativityResult;
}

function csvField(value: string | null): string {
  return value === null ? 'N/A' : `"${value.replace(/"/g, '""')}"`;
}

/** Electronegativity's own CSV layout, written in one piece (a report for people, not the gate). */
export function writeCsvReport(file: string, issues: ElectronegativityFinding[]): void {
  const lines = ['issue,severity,confidence,filename,location,sample,description,url'];
  for (const i of issues) {
    lines.push(
      [
        i.id,
        csvField(i.severity),
        csvField(i.confidence),
        csvField(i.file),
        csvField(i.location),
        csvField(i.sample),
        csvField(i.description),
        `https://github.com/doyensec/electronegativity/wiki/${i.id}`,
      ].join(','),
    );
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${lines.join('\n')}\n`);
}

export function describeFinding(f: ElectronegativityFinding): string {
  return `${f.severity} ${f.id} ${f.file}:${f.location} ${f.sample ?? ''} — ${f.description}`;
}
