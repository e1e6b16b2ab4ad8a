import { builtinModules } from 'node:module';
import { readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { ROOT, listFiles } from './build-output';

/**
 * The folder boundaries, checked on the TypeScript AST: renderer/ reaches neither Node nor
 * Electron nor electron/; shared/ reaches neither Node, Electron, React nor the DOM.
 */

export type Area = 'renderer' | 'shared';

export interface SourceFile {
  /** Path relative to the project root, e.g. renderer/src/App.tsx. */
  path: string;
  text: string;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, name.replace(/\/.*$/, '')]));
const DOM_GLOBALS = new Set([
  'window',
  'document',
  'localStorage',
  'sessionStorage',
  'navigator',
  'location',
  'indexedDB',
  'HTMLElement',
  'alert',
]);

function isNodeBuiltin(specifier: string): boolean {
  return (
    specifier.startsWith('node:') || NODE_BUILTINS.has(specifier) || NODE_BUILTINS.has(specifier.split('/')[0] ?? '')
  );
}

/** Every module specifier a file names: imports, re-exports, import types, require() and import(). */
export function moduleSpecifiers(file: SourceFile): string[] {
  const source = ts.createSourceFile(
    file.path,
    file.text,
    ts.ScriptTarget.Latest,
    true,
    file.path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
  );
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) found.push(expression.text);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal.text);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const first = node.arguments[0];
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      if ((isRequire || isDynamicImport) && first && ts.isStringLiteralLike(first)) found.push(first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Identifiers used as DOM globals (free references, not property names or local declarations). */
function domGlobalUses(file: SourceFile): string[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const used: string[] = [];
  const declared = new Set<string>();
  const collect = (node: ts.Node) => {
    if (
      (ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isFunctionDeclaration(node)) &&
      node.name &&
      ts.isIdentifier(node.name)
    ) {
      declared.add(node.name.text);
    }
    ts.forEachChild(node, collect);
  };
  collect(source);
  const visit = (node: ts.Node) => {
    if (ts.isIdentifier(node) && DOM_GLOBALS.has(node.text) && !declared.has(node.text)) {
      const parent = node.parent;
      const isPropertyName =
        (ts.isPropertyAccessExpression(parent) && parent.name === node) ||
        (ts.isPropertyAssignment(parent) && parent.name === node) ||
        (ts.isPropertySignature(parent) && parent.name === node) ||
        (ts.isPropertyDeclaration(parent) && parent.name === node) ||
        (ts.isMethodDeclaration(parent) && parent.name === node) ||
        ts.isQualifiedName(parent);
      if (!isPropertyName) used.push(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return [...new Set(used)];
}

/** Violations of one area's boundary, as `<path>: <what>` lines. */
export function boundaryViolations(area: Area, files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    for (const specifier of moduleSpecifiers(file)) {
      if (isNodeBuiltin(specifier)) violations.push(`${file.path}: imports the Node built-in '${specifier}'`);
      else if (specifier === 'electron' || specifier.startsWith('electron/'))
        violations.push(`${file.path}: imports '${specifier}'`);
      else if (specifier.startsWith('.')) {
        const target = relative(ROOT, resolve(ROOT, file.path, '..', specifier))
          .split(sep)
          .join('/');
        if (target === 'electron' || target.startsWith('electron/'))
          violations.push(`${file.path}: reaches into ${target}`);
        if (area === 'shared' && !(target === 'shared' || target.startsWith('shared/')))
          violations.push(`${file.path}: reaches outside shared/ (${target})`);
      } else if (area === 'shared' && /^(?:react|react-dom)(?:\/|$)/.test(specifier)) {
        violations.push(`${file.path}: imports '${specifier}'`);
      }
    }
    if (area === 'shared') {
      for (const name of domGlobalUses(file)) violations.push(`${file.path}: uses the DOM global '${name}'`);
    }
  }
  return violations;
}

/** The project's own source files of an area (TypeScript only). */
export function areaSources(area: Area): SourceFile[] {
  const dir = join(ROOT, area);
  return listFiles(dir, ['.ts', '.tsx', '.mts', '.cts'])
    .filter((file) => !file.split(sep).includes('node_modules') && !file.endsWith('.d.ts'))
    .map((file) => ({ path: `${area}/${file.split(sep).join('/')}`, text: readFileSync(join(dir, file), 'utf8') }));
}
