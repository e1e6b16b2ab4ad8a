import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUT_DIR, ROOT, ensureBuilt, requireBuilt } from './build-output';
import type { BuildState } from './build-output';
import {
  blockingFindings,
  describeFinding,
  invalidSuppressions,
  loadSuppressions,
  runElectronegativity,
  stageForScan,
  unusedSuppressions,
  writeCsvReport,
} from './electronegativity';

// Electronegativity parses every bundle with Babel: slow by design, hence the long timeouts.
const SCAN_TIMEOUT = 240_000;
const suppressions = loadSuppressions();
const excludedChecks = suppressions.excludedChecks.map((entry) => entry.check);

let stageRoot: string;
beforeAll(() => {
  stageRoot = mkdtempSync(join(tmpdir(), 'assetdesk-electronegativity-'));
});
afterAll(() => rmSync(stageRoot, { recursive: true, force: true }));

describe('Electronegativity suppressions', () => {
  it('each suppression and excluded check says why', () => {
    expect(invalidSuppressions(suppressions)).toStrictEqual([]);
    expect(invalidSuppressions({ excludedChecks: [], findings: [{ id: 'X', reason: '' }] })).toHaveLength(1);
  });
});

describe('Electronegativity gate', () => {
  it(
    'catches an insecure window in a fixture (the gate is not vacuous)',
    () => {
      const fixture = join(stageRoot, 'fixture');
      mkdirSync(join(fixture, 'main'), { recursive: true });
      writeFileSync(
        join(fixture, 'main', 'index.js'),
        `const { BrowserWindow } = require('electron');
new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, webSecurity: false } });`,
      );
      const result = runElectronegativity(fixture, excludedChecks);
      const ids = blockingFindings(result.issues, suppressions.findings).map((f) => f.id);
      expect(ids).toEqual(
        expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'WEB_SECURITY_JS_CHECK']),
      );
    },
    SCAN_TIMEOUT,
  );

  describe('compiled main, preload and renderer', () => {
    let built: BuildState | undefined;
    beforeAll(() => {
      built = ensureBuilt();
    }, SCAN_TIMEOUT);

    it(
      'has no HIGH or MEDIUM finding that is not suppressed with a reason',
      () => {
        requireBuilt(built);
        const stage = join(stageRoot, 'app');
        const staged = stageForScan(OUT_DIR, ['main', 'preload', 'renderer'], stage);
        expect(staged).toEqual(expect.arrayContaining(['main/index.js', 'preload/index.js', 'renderer/index.html']));

        const result = runElectronegativity(stage, excludedChecks);
        writeCsvReport(join(ROOT, 'test-results', 'electronegativity.csv'), result.issues);

        // A bundle the scanner could not parse was not checked at all.
        expect(result.errors.filter((e) => !e.tolerable)).toStrictEqual([]);
        expect(result.checks).toBeGreaterThan(30);

        const unused = unusedSuppressions(result.issues, suppressions.findings);
        if (unused.length > 0)
          console.warn(`Electronegativity suppressions no longer needed: ${unused.map((s) => s.id).join(', ')}`);

        expect(blockingFindings(result.issues, suppressions.findings).map(describeFinding)).toStrictEqual([]);
      },
      SCAN_TIMEOUT,
    );
  });
});
