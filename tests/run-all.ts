import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm test`: every check in one run — type-check per folder, lint, build, unit + contract +
 * static tests, browser tests — closing with one "N passed, N failed" line. Tests that need the
 * OS keychain get a real Secret Service: when no D-Bus session is present, this script re-runs
 * itself inside a private D-Bus session with a freshly unlocked gnome-keyring (nothing is left
 * running afterwards).
 */

const root = new URL('..', import.meta.url).pathname;
const onlyArg = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

if (!process.env.DBUS_SESSION_BUS_ADDRESS && !process.env.ASSETDESK_IN_PRIVATE_DBUS) {
  const hasDbus =
    spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon']).status === 0;
  if (hasDbus) {
    const dataHome = mkdtempSync(join(tmpdir(), 'assetdesk-keyring-'));
    const inner = `printf assetdesk-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec npx tsx tests/run-all.ts ${process.argv.slice(2).join(' ')}`;
    const child = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, XDG_DATA_HOME: dataHome, ASSETDESK_IN_PRIVATE_DBUS: '1' },
    });
    rmSync(dataHome, { recursive: true, force: true });
    process.exit(child.status ?? 1);
  }
  process.stderr.write(
    'warning: no D-Bus session and no dbus-run-session/gnome-keyring-daemon: keychain tests will fail.\n' +
      '         Install them (Debian: apt-get install dbus gnome-keyring) — see README.\n',
  );
}

interface StepResult {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; output: string }> {
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: root, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env } });
    let output = '';
    const collect = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      process.stdout.write(text);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('close', (code) => done({ code: code ?? 1, output }));
  });
}

async function simpleStep(name: string, command: string, args: string[]): Promise<StepResult> {
  process.stdout.write(`\n── ${name}: ${command} ${args.join(' ')}\n`);
  const { code } = await run(command, args);
  return { name, passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
}

async function vitestStep(name: string, project: string): Promise<StepResult> {
  const reportFile = join(root, 'test-results', `vitest-${project}.json`);
  mkdirSync(join(root, 'test-results'), { recursive: true });
  process.stdout.write(`\n── ${name}: vitest --project ${project}\n`);
  const { code } = await run('npx', [
    'vitest',
    'run',
    '--project',
    project,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${reportFile}`,
  ]);
  try {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      numPendingTests: number;
      numTodoTests: number;
      numTotalTests: number;
    };
    // A crashed file counts as a failure even when no test inside it ran.
    const failed = report.numFailedTests + (code !== 0 && report.numFailedTests === 0 ? 1 : 0);
    return { name, passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests };
  } catch {
    return { name, passed: 0, failed: 1, skipped: 0 };
  }
}

const steps: { id: string; run: () => Promise<StepResult> }[] = [
  { id: 'typecheck-shared', run: () => simpleStep('type-check shared/', 'npx', ['tsc', '-p', 'shared']) },
  { id: 'typecheck-renderer', run: () => simpleStep('type-check renderer/', 'npx', ['tsc', '-p', 'renderer']) },
  { id: 'typecheck-electron', run: () => simpleStep('type-check electron/', 'npx', ['tsc', '-p', 'electron']) },
  { id: 'typecheck-tests', run: () => simpleStep('type-check tests/', 'npx', ['tsc', '-p', 'tests']) },
  {
    id: 'typecheck-link-ui',
    run: () => simpleStep("type-check the emulator's Link UI", 'npx', ['tsc', '-p', 'electron/emulator/link/ui']),
  },
  {
    id: 'typecheck-root',
    run: () => simpleStep('type-check config files', 'npx', ['tsc', '-p', 'tsconfig.config.json']),
  },
  { id: 'lint', run: () => simpleStep('lint', 'npx', ['eslint', '.', '--max-warnings=0']) },
  { id: 'format', run: () => simpleStep('format check', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']) },
  {
    id: 'build',
    run: () =>
      simpleStep('build (main, preload, renderer, web renderer)', 'npx', ['tsx', 'electron/build/build.ts', '--web']),
  },
  { id: 'unit', run: () => vitestStep('unit, contract, store, core, emulator, static', 'unit') },
  {
    id: 'store-postgres',
    run: () => vitestStep('store tests again on PostgreSQL', 'store-postgres'),
  },
  { id: 'browser', run: () => vitestStep('browser (Chromium)', 'browser') },
];

const results: StepResult[] = [];
for (const step of steps) {
  if (onlyArg && !onlyArg.split(',').includes(step.id)) continue;
  results.push(await step.run());
}

const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const skipped = results.reduce((n, r) => n + r.skipped, 0);
process.stdout.write('\n── summary\n');
for (const r of results) {
  process.stdout.write(
    `  ${r.failed === 0 ? 'ok  ' : 'FAIL'} ${r.name}: ${r.passed} passed, ${r.failed} failed${r.skipped ? `, ${r.skipped} skipped` : ''}\n`,
  );
}
writeFileSync(
  join(root, 'test-results', 'summary.json'),
  JSON.stringify({ passed, failed, skipped, results }, null, 2),
);
process.stdout.write(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
