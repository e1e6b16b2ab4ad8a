import { ESLint } from 'eslint';
import { ROOT } from './build-output';

/**
 * Layering is one ESLint rule (eslint.config.js, `layers/allowed-imports`, from one table). These
 * tests plant bad imports in each folder and check the project's own lint configuration refuses
 * them, so loosening the table or dropping the rule fails here.
 */
// The planted files are not in any tsconfig, so the type-aware rules (which need one) are left out here.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'off',
      '@typescript-eslint/no-misused-promises': 'off',
      '@typescript-eslint/await-thenable': 'off',
    },
  },
});

async function problems(filePath: string, text: string): Promise<string[]> {
  const [result] = await eslint.lintText(text, { filePath });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'layers/allowed-imports' || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

describe('the layering rule refuses planted bad imports', () => {
  it.each([
    [
      'renderer/src/App.tsx',
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;",
      "Node built-in 'node:fs'",
    ],
    ['renderer/src/App.tsx', "import path from 'path';\nexport const p = path;", "Node built-in 'path'"],
    ['renderer/src/App.tsx', "import { ipcRenderer } from 'electron';\nexport const i = ipcRenderer;", 'Electron'],
    ['renderer/src/App.tsx', "import type { WebContents } from 'electron';\nexport type W = WebContents;", 'Electron'],
    [
      'renderer/src/App.tsx',
      "import { createLogger } from '../../electron/log/logger';\nexport const c = createLogger;",
      'electron/log/logger',
    ],
    ['renderer/src/App.tsx', "export { APP_ORIGIN } from '../../electron/main/security';", 'electron/main/security'],
    ['renderer/src/App.tsx', "export const m = () => import('child_process');", "Node built-in 'child_process'"],
    ['renderer/src/App.tsx', "export type L = import('../../electron/log/logger').Logger;", 'electron/log/logger'],
    [
      'shared/money.ts',
      "import { createHash } from 'node:crypto';\nexport const h = createHash;",
      "Node built-in 'node:crypto'",
    ],
    ['shared/money.ts', "import { app } from 'electron';\nexport const a = app;", 'Electron'],
    ['shared/money.ts', "import { useState } from 'react';\nexport const u = useState;", 'React'],
    ['shared/money.ts', "import { createRoot } from 'react-dom/client';\nexport const c = createRoot;", 'React'],
    ['shared/money.ts', "import { api } from '../renderer/src/api';\nexport const a = api;", 'renderer/src/api'],
    ['shared/money.ts', 'export const width = () => window.innerWidth;', "'window'"],
    ['shared/money.ts', "export const read = () => localStorage.getItem('k');", "'localStorage'"],
    ['electron/services/x.ts', "import { app } from 'electron';\nexport const a = app;", 'Electron'],
    [
      'electron/services/x.ts',
      "import { APP_ORIGIN } from '../main/security';\nexport const o = APP_ORIGIN;",
      'electron/main/security',
    ],
    [
      'electron/db/x.ts',
      "import { createAppServices } from '../services/app-services';\nexport const c = createAppServices;",
      'electron/services/app-services',
    ],
    [
      'electron/log/x.ts',
      "import { openAssetDeskStore } from '../db';\nexport const o = openAssetDeskStore;",
      'electron/db',
    ],
    [
      'electron/cli/x.ts',
      "import { createAppServices } from '../services/app-services';\nexport const c = createAppServices;",
      'electron/services/app-services',
    ],
    [
      'electron/emulator/x.ts',
      "import { contract } from '../../shared/ipc/contract';\nexport const c = contract;",
      'shared/ipc/contract',
    ],
    [
      'electron/preload/x.ts',
      "import { readFileSync } from 'node:fs';\nexport const r = readFileSync;",
      "Node built-in 'node:fs'",
    ],
    [
      'electron/preload/x.ts',
      "import { createLogger } from '../log/logger';\nexport const c = createLogger;",
      'electron/log/logger',
    ],
    ['electron/dev/x.ts', "import { app } from 'electron';\nexport const a = app;", 'Electron'],
    ['electron/main/x.ts', "import { App } from '../../renderer/src/App';\nexport const a = App;", 'renderer/src/App'],
  ])('%s: %s', async (filePath, text, expected) => {
    const found = await problems(filePath, text);
    expect(found.join('\n')).toContain(expected);
  });

  it('accepts what each folder may use', async () => {
    expect(
      await problems(
        'renderer/src/App.tsx',
        "import { z } from 'zod';\nimport { contract } from '../../shared/ipc/contract';\nimport React from 'react';\nexport const x = [z, contract, React];",
      ),
    ).toStrictEqual([]);
    expect(
      await problems(
        'shared/x.ts',
        "import { z } from 'zod';\nimport { AppError } from './errors';\nconst o = { window: 1 };\nexport const x = [z, AppError, o.window];",
      ),
    ).toStrictEqual([]);
    expect(
      await problems(
        'electron/main/x.ts',
        "import { app } from 'electron';\nimport { join } from 'node:path';\nimport { createLogger } from '../log/logger';\nexport const x = [app, join, createLogger];",
      ),
    ).toStrictEqual([]);
    expect(
      await problems('tests/unit/x.test.ts', "import { app } from 'electron';\nexport const a = app;"),
    ).toStrictEqual([]);
  });
});
