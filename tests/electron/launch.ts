import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright';
import { addApplicant, chooseBank, emulatorLink, finishLink, logIn } from '../browser/support/desk';
import { appArguments, electronBinary, packagedBinary, ROOT as root, startState } from './launch-plan';

/**
 * `npm run test:electron`: the real app. The build in out/ is driven by Playwright's Electron support:
 * launch, first screen, add an applicant, link a bank in the emulator's Link, create a report, open it,
 * the PDF tab, quit. Playwright cannot drive a packaged app (it adds --inspect and --remote-debugging-port,
 * which the packaged app refuses and its fuses disable), so the app from `npm run dist -- --dir`, when
 * present, is started as the officer starts it and must open its history, start the emulator and load its
 * page, with no error in its log. Every run gets a fresh profile (appArguments).
 *
 * Where the Electron binary is not installed (it is fetched on first launch, and some machines
 * cannot fetch it) this says so and exits with code 77, the conventional "skipped": never 0.
 */
export const SKIPPED_EXIT_CODE = 77;
const TIMEOUT = 120_000;

async function officerStory(app: ElectronApplication, label: string): Promise<void> {
  const page: Page = await app.firstWindow();
  page.setDefaultTimeout(TIMEOUT);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));

  await page.getByTestId('nav-loans').waitFor();
  expect(new URL(page.url()).protocol === 'app:', `${label}: the page is served from app://`);

  await addApplicant(page, {
    firstName: 'Alberta',
    lastName: 'Charleson',
    loanNumber: 'EL-1001',
    income: '8200',
    fundsToClose: '45000',
  });
  await page.getByTestId('hand-to-applicant').click();
  // A fresh profile has no officer PIN: set it, then the applicant's screen opens.
  await page.getByTestId('handoff-needs-pin').waitFor();
  await page.getByTestId('pin-new').fill('2468');
  await page.getByTestId('pin-again').fill('2468');
  await page.getByTestId('pin-save').click();
  await page.getByTestId('link-start').click();
  const link = emulatorLink(page);
  await chooseBank(link, 'First Platypus', 'ins_109508');
  await logIn(link, 'user_good', 'pass_good');
  await finishLink(link);
  await page.getByTestId('link-success').waitFor();
  await page.getByTestId('link-done').click();
  await page.getByTestId('officer-pin').fill('2468');
  await page.getByTestId('officer-pin-submit').click();
  await page.getByTestId('loan-screen').waitFor();

  await page.getByTestId('create-report').click();
  await page.getByTestId('create-report-submit').click();
  await page.locator('[data-testid=report-screen][data-status=ready]').waitFor();
  await page.getByTestId('tab-pdf').click();
  await page.locator('.rp-pdf-container .page[data-page-number="1"] canvas').first().waitFor();
  expect(errors.length === 0, `${label}: no page errors (${errors.join('; ')})`);
}

function expect(condition: boolean, what: string): void {
  if (!condition) throw new Error(`FAILED: ${what}`);
  process.stdout.write(`  ok  ${what}\n`);
}

async function run(label: string, executablePath: string): Promise<void> {
  process.stdout.write(`\n── ${label}\n`);
  const profile = mkdtempSync(join(tmpdir(), 'assetdesk-electron-'));
  const app = await electron.launch({ executablePath, args: appArguments(profile, root), cwd: root, timeout: TIMEOUT });
  try {
    await officerStory(app, label);
    await app.close();
    expect(true, `${label}: quit`);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The packaged app, started plainly in a fresh profile: ready per its log, then asked to quit. */
async function packagedStart(label: string, binary: string): Promise<void> {
  process.stdout.write(`\n── ${label}\n`);
  const profile = mkdtempSync(join(tmpdir(), 'assetdesk-packaged-'));
  const logFile = join(profile, 'logs', 'assetdesk.log');
  const child = spawn(binary, appArguments(profile), { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));
  try {
    const deadline = Date.now() + TIMEOUT;
    for (;;) {
      const state = startState(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
      if (state.state === 'failed') throw new Error(`FAILED: ${label}: its log has an error: ${state.reason}`);
      if (state.state === 'ready') break;
      if (!running) throw new Error(`FAILED: ${label}: exited before it was ready. Its stderr:\n${stderr}`);
      if (Date.now() > deadline) throw new Error(`FAILED: ${label}: not ready within ${TIMEOUT / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(
      existsSync(join(profile, 'assetdesk.sqlite')),
      `${label}: opened its history (better-sqlite3 and keytar load)`,
    );
    expect(true, `${label}: started the emulator and loaded its page from app.asar`);
  } finally {
    // SIGTERM quits Electron on macOS and Linux; Windows has no such signal, so the process is ended.
    if (running) child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000))]);
    if (code === 'timeout') child.kill('SIGKILL');
    // Windows may hold the profile's files a moment after the process ended.
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
  }
}

async function main(): Promise<number> {
  const binary = electronBinary();
  if (binary === null) {
    process.stdout.write(
      'test:electron SKIPPED: the Electron binary is not installed on this machine (node_modules/electron/dist is missing;\n' +
        'it is downloaded on first launch). Nothing was tested. Run `npx electron --version` where downloads work, then retry.\n',
    );
    return SKIPPED_EXIT_CODE;
  }
  if (!existsSync(join(root, 'out/main/index.cjs'))) {
    execFileSync('npx', ['tsx', 'electron/build/build.ts'], { cwd: root, stdio: 'inherit' });
  }
  await run('the built app (out/)', binary);
  const packaged = packagedBinary();
  if (packaged === null) {
    process.stdout.write('\n── the packaged app: not built (run `npm run dist -- --dir` first to test it too)\n');
  } else {
    await packagedStart('the packaged app (electron-builder --dir)', packaged);
  }
  return 0;
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
});
