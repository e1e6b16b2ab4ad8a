import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Layering, as one table: which folder may import which (its own files always), and whether it may
 * use Node built-ins, Electron or React. A folder not listed is unrestricted (tests, build scripts
 * at the root); a folder listed may import only what its row names.
 */
export const LAYERS = {
  shared: { imports: [], node: false, electron: false, react: false },
  renderer: { imports: ['shared'], node: false, electron: false, react: true },
  // The sandboxed preload: Electron's renderer-side modules and the contract's names, nothing else.
  'electron/preload': { imports: ['shared'], node: false, electron: true, react: false },
  'electron/main': {
    imports: ['shared', 'electron/services', 'electron/log'],
    node: true,
    electron: true,
    react: false,
  },
  'electron/services': {
    imports: ['shared', 'electron/db', 'electron/emulator', 'electron/log', 'electron/pdf'],
    node: true,
    electron: false,
    react: false,
  },
  'electron/db': { imports: ['shared', 'electron/log'], node: true, electron: false, react: false },
  'electron/emulator': { imports: ['electron/log', 'electron/pdf'], node: true, electron: false, react: false },
  // The bottom layers: the logger (with its redaction) and the pdfkit toolkit import nothing of ours.
  'electron/log': { imports: [], node: true, electron: false, react: false },
  'electron/pdf': { imports: [], node: true, electron: false, react: false },
  // Command-line tools: the store, the vault (and the team's keychain and team.json), never Electron.
  'electron/cli': {
    imports: ['shared', 'electron/db', 'electron/services/vault', 'electron/services/team', 'electron/log'],
    node: true,
    electron: false,
    react: false,
  },
  'electron/dev': {
    imports: ['shared', 'electron/main', 'electron/services', 'electron/log'],
    node: true,
    electron: false,
    react: false,
  },
  // The build bundles the emulator's Link UI with the emulator's own esbuild options.
  'electron/build': { imports: ['electron/emulator/link-ui-bundle'], node: true, electron: false, react: false },
};

const AREAS = Object.keys(LAYERS).sort((x, y) => y.length - x.length);
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const ROOT = path.dirname(fileURLToPath(import.meta.url));

/** The table's area of a repository-relative path ('electron/services/x.ts' → 'electron/services'). */
function areaOf(relativePath) {
  return AREAS.find((area) => relativePath === area || relativePath.startsWith(`${area}/`)) ?? null;
}

function layerProblem(fromArea, fromFile, specifier) {
  const rule = LAYERS[fromArea];
  if (NODE_BUILTINS.has(specifier) || specifier.startsWith('node:')) {
    return rule.node ? null : `${fromArea}/ may not use the Node built-in '${specifier}'.`;
  }
  const bare = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  if (bare === 'electron')
    return rule.electron
      ? null
      : `${fromArea}/ may not import Electron (it stays in electron/main and electron/preload).`;
  if (bare === 'react' || bare === 'react-dom') return rule.react ? null : `${fromArea}/ may not import React.`;
  if (!specifier.startsWith('.')) return null;
  const target = path
    .relative(ROOT, path.resolve(path.dirname(fromFile), specifier))
    .split(path.sep)
    .join('/');
  const targetArea = areaOf(target);
  if (targetArea === null || targetArea === fromArea) return null;
  const allowed = rule.imports.some(
    (entry) => target === entry || target.startsWith(`${entry}/`) || target.startsWith(`${entry}.`),
  );
  return allowed
    ? null
    : `${fromArea}/ may not import ${target} (allowed: ${rule.imports.join(', ') || 'nothing outside itself'}).`;
}

/** The one layering rule: every way a module can be named (import, export from, import(), require, import type). */
const layersPlugin = {
  rules: {
    'allowed-imports': {
      meta: { type: 'problem', schema: [], messages: { layer: '{{problem}}' } },
      create(context) {
        const file = context.filename;
        const fromArea = areaOf(path.relative(ROOT, file).split(path.sep).join('/'));
        if (fromArea === null) return {};
        const check = (node, source) => {
          if (!source || typeof source.value !== 'string') return;
          const problem = layerProblem(fromArea, file, source.value);
          if (problem) context.report({ node, messageId: 'layer', data: { problem } });
        };
        return {
          ImportDeclaration: (node) => check(node, node.source),
          ExportNamedDeclaration: (node) => check(node, node.source),
          ExportAllDeclaration: (node) => check(node, node.source),
          ImportExpression: (node) => check(node, node.source),
          TSImportType: (node) =>
            check(node, node.argument?.type === 'Literal' ? node.argument : node.argument?.literal),
          TSExternalModuleReference: (node) => check(node, node.expression),
          CallExpression: (node) => {
            if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, node.arguments[0]);
          },
        };
      },
    },
  },
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'out/',
      'release/',
      'test-results/',
      '.tmp/',
      'electron/emulator/link/link-initialize.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='ipcRenderer']",
          message: 'Use the preload window API built from shared/ipc/contract.ts, never ipcRenderer directly.',
        },
        {
          selector: "MemberExpression[object.name='ipcMain']",
          message: 'Register handlers through electron/main/ipc.ts (registerIpcHandlers), never ipcMain directly.',
        },
      ],
    },
  },
  {
    files: ['**/*.{ts,tsx,js,mjs,cjs}'],
    plugins: { layers: layersPlugin },
    rules: { 'layers/allowed-imports': 'error' },
  },
  {
    files: ['electron/**/*.ts', 'tests/**/*.ts', '*.ts', '*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The store is asynchronous (SQLite or the team's PostgreSQL): a store call nobody awaits is a lost write or an
    // unhandled failure, so the main-process code and the tests are linted with types for promises left floating.
    files: ['electron/**/*.ts', 'tests/**/*.ts'],
    ignores: ['electron/emulator/link/ui/**'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: ROOT } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': [
        'error',
        { checksVoidReturn: { arguments: false, attributes: false } },
      ],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The emulator's Link UI runs in the browser.
    files: ['electron/emulator/link/ui/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // The only two places allowed to touch Electron's raw IPC objects.
    files: ['electron/main/ipc.ts', 'electron/preload/index.ts', 'electron/main/index.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Advice for the React Compiler, which this project does not use (TanStack Virtual trips it).
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'localStorage',
        'sessionStorage',
        'navigator',
        'process',
        'Buffer',
      ],
    },
  },
);
