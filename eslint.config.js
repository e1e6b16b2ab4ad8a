import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'process',
  'readline',
  'stream',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];

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
    files: ['electron/**/*.ts', 'tests/**/*.ts', '*.ts', '*.js'],
    languageOptions: { globals: { ...globals.node } },
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
    files: ['electron/services/**/*.ts', 'electron/db/**/*.ts', 'electron/emulator/**/*.ts', 'electron/dev/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', message: 'Electron stays in electron/main and electron/preload.' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Advice for the React Compiler, which this project does not use (TanStack Virtual trips it).
      'react-hooks/incompatible-library': 'off',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to the main process only through renderer/src/api.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'No Node built-ins in the renderer.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'No Node built-ins in the renderer.' },
            { group: ['**/electron/**'], message: 'The renderer must not import main-process code.' },
          ],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'shared/ runs everywhere: no Electron.' },
            { name: 'react', message: 'shared/ runs everywhere: no React.' },
            { name: 'react-dom', message: 'shared/ runs everywhere: no React.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'shared/ runs everywhere: no Node built-ins.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'shared/ runs everywhere: no Node built-ins.' },
            { group: ['**/electron/**', '**/renderer/**'], message: 'shared/ must not depend on a process side.' },
          ],
        },
      ],
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
