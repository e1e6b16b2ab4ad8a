import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLogger } from '../../electron/log/logger';
import { FORBIDDEN_SWITCHES } from '../../electron/main/security';
import { appArguments, electronBinary, PLAYWRIGHT_ELECTRON_SWITCHES, ROOT, startState } from '../electron/launch-plan';

/** `npm run test:electron` checked without the Electron binary: how it starts the app and reads its start. */
describe('test:electron', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'assetdesk-launch-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the app in a fresh profile on every OS, with no switch the packaged app refuses', () => {
    // --user-data-dir is Electron's userData (and single-instance lock) on macOS and Windows too; the test
    // used to set XDG_CONFIG_HOME only, so elsewhere it opened the officer's own history.
    expect(appArguments('/tmp/p', '/repo')).toStrictEqual(['--user-data-dir=/tmp/p', '/repo']);
    expect(appArguments('/tmp/p')).toStrictEqual(['--user-data-dir=/tmp/p']);
    const names = appArguments('/tmp/p').map((arg) => arg.replace(/^--/, '').split('=')[0]);
    expect(names.filter((name) => FORBIDDEN_SWITCHES.includes(name!))).toStrictEqual([]);
  });

  it('never hands the packaged app to Playwright, whose switches it refuses', () => {
    // What Playwright's Electron launcher adds to every launch, read from the installed Playwright.
    const require = createRequire(import.meta.url);
    const bundle = readFileSync(
      join(dirname(require.resolve('playwright-core/package.json')), 'lib/coreBundle.js'),
      'utf8',
    );
    expect(bundle).toContain('electronArguments = ["--inspect=0", "--remote-debugging-port=0"');
    expect(bundle).toContain('electronArguments.unshift("--no-sandbox")');
    for (const name of PLAYWRIGHT_ELECTRON_SWITCHES) expect(FORBIDDEN_SWITCHES).toContain(name);
    const launch = readFileSync(join(ROOT, 'tests/electron/launch.ts'), 'utf8');
    expect(launch.match(/electron\.launch\(/g)).toHaveLength(1);
    expect(launch).toContain("await run('the built app (out/)', binary);");
    expect(launch).toContain("await packagedStart('the packaged app (electron-builder --dir)', packaged);");
  });

  it("reads the app's own log: ready once the emulator started and the page loaded, failed at any error", () => {
    const file = join(dir, 'logs', 'assetdesk.log');
    const logger = createLogger({ file, level: 'info', console: false });
    const read = () => startState(readFileSync(file, 'utf8'));
    logger.info('database migrated');
    expect(read()).toStrictEqual({ state: 'starting' });
    logger.child({ component: 'app' }).info('emulator started', { baseUrl: 'http://127.0.0.1:4010' });
    expect(read()).toStrictEqual({ state: 'starting' });
    logger.info('the window loaded');
    expect(read()).toStrictEqual({ state: 'ready' });
    logger.warn('IPC from an untrusted frame rejected');
    expect(read()).toStrictEqual({ state: 'ready' });
    logger.error('keychain unavailable', { message: 'no Secret Service' });
    expect(read()).toMatchObject({ state: 'failed', reason: expect.stringContaining('keychain unavailable') });
    expect(startState('{"level":"info","msg":"emulator st')).toStrictEqual({ state: 'starting' });
  });

  it('waits for the lines the app really writes', () => {
    // The two messages startState waits for, where the app writes them.
    expect(readFileSync(join(ROOT, 'electron/main/index.ts'), 'utf8')).toContain("logger.info('the window loaded')");
    expect(readFileSync(join(ROOT, 'electron/services/environment-session.ts'), 'utf8')).toContain(
      "log.info('emulator started'",
    );
  });

  it('finds the Electron binary as the electron package does, ELECTRON_OVERRIDE_DIST_PATH included', () => {
    const electronDir = join(dir, 'electron');
    mkdirSync(join(electronDir, 'dist'), { recursive: true });
    expect(electronBinary({}, electronDir)).toBeNull();
    writeFileSync(join(electronDir, 'path.txt'), 'electron');
    expect(electronBinary({}, electronDir)).toBeNull();
    writeFileSync(join(electronDir, 'dist', 'electron'), '');
    expect(electronBinary({}, electronDir)).toBe(join(electronDir, 'dist', 'electron'));
    // An override needs no path.txt: the package then runs <override>/electron.
    rmSync(join(electronDir, 'path.txt'));
    const override = join(dir, 'custom');
    mkdirSync(override);
    writeFileSync(join(override, 'electron'), '');
    expect(electronBinary({ ELECTRON_OVERRIDE_DIST_PATH: override }, electronDir)).toBe(join(override, 'electron'));
  });
});
