import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright';
import { addApplicant, chooseBank, emulatorLink, finishLink, logIn } from '../browser/support/desk';

/**
 * `npm run test:electron`: the real app, driven by Playwright's Electron support. Launch, first
 * screen, add an applicant, link a bank in the emulator's Link, create a report, open it, the PDF
 * tab, quit — first from the build in out/, then (when present) from `npm run dist -- --dir`.
 *
 * Where the Electron binary is not installed (it is fetched on first launch, and some machines
 * cannot fetch it) this says so and exits with code 77, the conventional "skipped": never 0.
 */
export const SKIPPED_EXIT_CODE = 77;
const root = fileURLToPath(new URL('../../', import.meta.url));
const TIMEOUT = 120_000;

/** The Electron binary the npm package would run, without triggering its download. */
export function electronBinary(): string | null {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(root, 'node_modules/electron/path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (relative === null) return null;
  const binary = join(override ?? join(root, 'node_modules/electron/dist'), relative);
  return existsSync(binary) ? binary : null;
}

/** The unpacked app electron-builder --dir made for this platform, if any. */
function packagedBinary(): string | null {
  const candidates: Record<string, string> = {
    linux: 'release/linux-unpacked/assetdesk',
    win32: 'release/win-unpacked/AssetDesk.exe',
    darwin: `release/mac${process.arch === 'arm64' ? '-arm64' : ''}/AssetDesk.app/Contents/MacOS/AssetDesk`,
  };
  const path = candidates[process.platform];
  return path !== undefined && existsSync(join(root, path)) ? join(root, path) : null;
}

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

async function run(label: string, launch: Parameters<typeof electron.launch>[0]): Promise<void> {
  process.stdout.write(`\n── ${label}\n`);
  const configHome = mkdtempSync(join(tmpdir(), 'assetdesk-electron-'));
  // userData lands in a fresh folder: XDG_CONFIG_HOME on Linux, the profile path elsewhere.
  const app = await electron.launch({
    ...launch,
    env: { ...(process.env as Record<string, string>), XDG_CONFIG_HOME: configHome },
    timeout: TIMEOUT,
  });
  try {
    await officerStory(app, label);
    await app.close();
    expect(true, `${label}: quit`);
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  } finally {
    rmSync(configHome, { recursive: true, force: true });
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
  await run('the built app (out/)', { executablePath: binary, args: [root], cwd: root });
  const packaged = packagedBinary();
  if (packaged === null) {
    process.stdout.write('\n── the packaged app: not built (run `npm run dist -- --dir` first to test it too)\n');
  } else {
    await run('the packaged app (electron-builder --dir)', { executablePath: packaged, args: [], cwd: root });
  }
  return 0;
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  return 1;
});
