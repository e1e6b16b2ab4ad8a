import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { ROOT } from './build-output';

/**
 * `npm run typecheck` is `tsc -b` over tsconfig.json's project references. A type error planted in
 * any folder fails it only if that folder's files belong to a referenced project: this checks that
 * every TypeScript file in the repository does (without paying for a type-check here).
 */
function referencedProjectFiles(): { projects: string[]; files: Set<string> } {
  const host: ts.ParseConfigFileHost = {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  };
  const solution = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, host);
  if (!solution) throw new Error('tsconfig.json could not be read');
  const projects = (solution.projectReferences ?? []).map((ref) => ts.resolveProjectReferencePath(ref));
  const files = new Set<string>();
  for (const project of projects) {
    const parsed = ts.getParsedCommandLineOfConfigFile(project, {}, host);
    if (!parsed) throw new Error(`${project} could not be read`);
    expect(parsed.options.composite, `${project} is a composite project`).toBe(true);
    for (const file of parsed.fileNames) files.add(relative(ROOT, file).split(sep).join('/'));
  }
  return { projects: projects.map((p) => relative(ROOT, p).split(sep).join('/')), files };
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') sourceFiles(path, out);
    } else if (/\.tsx?$/.test(entry.name)) out.push(path);
  }
  return out;
}

describe('npm run typecheck covers every folder', () => {
  it("references shared, renderer, electron, the emulator's Link UI, tests and the root config files", () => {
    const { projects } = referencedProjectFiles();
    expect(projects.sort()).toStrictEqual([
      'electron/emulator/link/ui/tsconfig.json',
      'electron/tsconfig.json',
      'renderer/tsconfig.json',
      'shared/tsconfig.json',
      'tests/tsconfig.json',
      'tsconfig.config.json',
    ]);
    const scripts = JSON.parse(ts.sys.readFile(join(ROOT, 'package.json')) ?? '{}') as {
      scripts: Record<string, string>;
    };
    expect(scripts.scripts.typecheck).toBe('tsc -b');
  });

  it('leaves no TypeScript file outside a referenced project', () => {
    const { files } = referencedProjectFiles();
    const all = ['shared', 'renderer', 'electron', 'tests'].flatMap((dir) => sourceFiles(dir));
    expect(all.length).toBeGreaterThan(100);
    expect(all.filter((file) => !files.has(file))).toStrictEqual([]);
    expect(files.has('vite.config.ts')).toBe(true);
  });
});
