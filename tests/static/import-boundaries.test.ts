import { areaSources, boundaryViolations, moduleSpecifiers } from './import-boundaries';

const file = (path: string, text: string) => ({ path, text });

describe('import boundaries of the real sources', () => {
  it('renderer/ imports no Node built-in, no electron and nothing under electron/', () => {
    const sources = areaSources('renderer');
    expect(sources.length).toBeGreaterThan(0);
    expect(boundaryViolations('renderer', sources)).toStrictEqual([]);
  });

  it('shared/ imports no Node built-in, electron, React, and uses no DOM global', () => {
    const sources = areaSources('shared');
    expect(sources.length).toBeGreaterThan(0);
    expect(boundaryViolations('shared', sources)).toStrictEqual([]);
  });
});

describe('the boundary check catches violations', () => {
  it('finds every kind of module reference', () => {
    expect(
      moduleSpecifiers(
        file(
          'renderer/src/x.ts',
          `import a from 'a'; import type { B } from 'b'; export * from 'c'; export { d } from 'd';
           import e = require('e'); const f = require('f'); const g = await import('g'); type H = import('h').H;`,
        ),
      ),
    ).toStrictEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
  });

  it.each([
    ["import { readFileSync } from 'node:fs';", "Node built-in 'node:fs'"],
    ["import path from 'path';", "Node built-in 'path'"],
    ["import { promises } from 'fs/promises';", "Node built-in 'fs/promises'"],
    ["import { ipcRenderer } from 'electron';", "imports 'electron'"],
    ["import type { WebContents } from 'electron';", "imports 'electron'"],
    ["const { shell } = require('electron');", "imports 'electron'"],
    ["import { createLogger } from '../../electron/log/logger';", 'reaches into electron/log/logger'],
    ["export { x } from '../../electron/main/security';", 'reaches into electron/main/security'],
    ["const m = await import('child_process');", "Node built-in 'child_process'"],
  ])('renderer: %s', (text, expected) => {
    const violations = boundaryViolations('renderer', [file('renderer/src/App.tsx', text)]);
    expect(violations.join('\n')).toContain(expected);
  });

  it.each([
    ["import { createHash } from 'node:crypto';", "Node built-in 'node:crypto'"],
    ["import { app } from 'electron';", "imports 'electron'"],
    ["import { useState } from 'react';", "imports 'react'"],
    ["import { createRoot } from 'react-dom/client';", "imports 'react-dom/client'"],
    ["import { x } from '../renderer/src/api/client';", 'reaches outside shared/'],
    ["import { y } from '../electron/log/logger';", 'reaches into electron/log/logger'],
    ['export const width = () => window.innerWidth;', "DOM global 'window'"],
    ["export const read = () => localStorage.getItem('k');", "DOM global 'localStorage'"],
    ['export const lang = navigator.language;', "DOM global 'navigator'"],
    ['export function title() { return document.title; }', "DOM global 'document'"],
  ])('shared: %s', (text, expected) => {
    const violations = boundaryViolations('shared', [file('shared/money.ts', text)]);
    expect(violations.join('\n')).toContain(expected);
  });

  it('accepts what each area may use', () => {
    expect(
      boundaryViolations('renderer', [
        file(
          'renderer/src/App.tsx',
          "import { z } from 'zod'; import { contract } from '../../shared/ipc/contract'; import React from 'react';",
        ),
      ]),
    ).toStrictEqual([]);
    expect(
      boundaryViolations('shared', [
        file(
          'shared/x.ts',
          "import { z } from 'zod'; import { AppError } from './errors'; const o = { window: 1, document: 2 }; o.window; export function f(location: string) { return location; }",
        ),
      ]),
    ).toStrictEqual([]);
  });
});
