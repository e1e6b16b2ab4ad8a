import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright';
import { addApplicant, launchChromium, recordPage, startDesk, type Desk, type PageRecorder } from './support/desk';

/**
 * Creating a Hosted Link is the officer's press, not the dialog's rendering. The page here is React's development
 * build, as `npm run dev` serves it: StrictMode runs every effect twice, as any remount would once.
 */

let workDir: string;
let desk: Desk;
let browser: Browser;
let page: Page;
let recorder: PageRecorder;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'assetdesk-hosted-dev-'));
  const staticDir = join(workDir, 'renderer-web');
  execFileSync(
    'npx',
    ['vite', 'build', '--mode', 'web', '--logLevel', 'error', '--outDir', staticDir, '--emptyOutDir'],
    {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'development' },
    },
  );
  // A production build here would prove nothing: make sure React's development JSX runtime is what the page runs.
  const bundles = readdirSync(join(staticDir, 'assets')).filter((name) => name.endsWith('.js'));
  expect(bundles.some((name) => readFileSync(join(staticDir, 'assets', name), 'utf8').includes('jsxDEV'))).toBe(true);
  desk = await startDesk(workDir, staticDir);
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  recorder = recordPage(page);
  await page.goto(desk.bridge.url);
  await page.getByTestId('pipeline-screen').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await desk?.bridge.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** The borrower's Hosted Link sessions at Plaid, as the main process recorded them. */
async function sessionsOf(loanId: string) {
  const { loan } = await desk.app.handlers['loans:get']({ loanId });
  return desk.app.handlers['link:hostedSessions']({ applicantId: loan.borrowers[0]!.id });
}

/** Any second creation would have left with the first; give it time to land before counting. */
const settle = () => page.waitForTimeout(1_500);

test('one press on Send Hosted Link makes one Hosted Link, and one press on Create a new link one more', async () => {
  const loanId = await addApplicant(page, {
    firstName: 'Rosa',
    lastName: 'Delgado',
    loanNumber: 'HD-3001',
    income: '6400',
    fundsToClose: '18000',
  });

  await page.getByTestId('send-hosted-link').click();
  await page.getByTestId('hosted-url').waitFor();
  const first = await page.getByTestId('hosted-url').inputValue();
  await settle();
  expect((await sessionsOf(loanId)).map((s) => s.status)).toEqual(['waiting']);

  // Rosa opens it at home and leaves without linking a bank: the dialog offers a new link.
  const applicant = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  const hostedPage = await applicant.newPage();
  await hostedPage.goto(first);
  await hostedPage.getByTestId('consent-continue').click();
  await hostedPage.getByTestId('link-close').click();
  await hostedPage.getByTestId('exit-confirm-yes').click();
  await applicant.close();
  await page.getByTestId('hosted-status').getByText('Rosa Delgado left without linking a bank.').waitFor({
    timeout: 60_000,
  });

  await page.getByTestId('new-hosted-link').click();
  await page.waitForFunction(
    (old) => {
      const input = document.querySelector<HTMLInputElement>('[data-testid="hosted-url"]');
      return input !== null && input.value !== old;
    },
    first,
    { timeout: 30_000 },
  );
  await settle();
  expect((await sessionsOf(loanId)).map((s) => s.status).sort()).toEqual(['exited', 'waiting']);
  expect(await page.getByTestId('hosted-status').textContent()).toContain('Waiting for Rosa Delgado');

  // Closing and pressing again is a new press: one more link, not two.
  await page.getByTestId('hosted-link-dialog').getByRole('button', { name: 'Close' }).last().click();
  await page.getByTestId('hosted-link-dialog').waitFor({ state: 'detached' });
  await page.getByTestId('send-hosted-link').click();
  await page.getByTestId('hosted-url').waitFor();
  await settle();
  expect(await sessionsOf(loanId)).toHaveLength(3);
  await page.getByTestId('hosted-link-dialog').getByRole('button', { name: 'Close' }).last().click();
  expect(recorder.errors).toEqual([]);
});

test('a Hosted Link Plaid cannot create shows the error, and Try again makes one', async () => {
  const loanId = await addApplicant(page, {
    firstName: 'Tomas',
    lastName: 'Weller',
    loanNumber: 'HD-3002',
    income: '5900',
    fundsToClose: '12000',
  });
  // Plaid fails every attempt of this press (the gateway retries a 500 up to five times).
  desk.emulator().faults.failNext('/link/token/create', 500, 5);
  await page.getByTestId('send-hosted-link').click();
  const dialog = page.getByTestId('hosted-link-dialog');
  await dialog.getByText('The Hosted Link could not be created').waitFor({ timeout: 60_000 });
  expect(await sessionsOf(loanId)).toEqual([]);

  await dialog.getByRole('button', { name: 'Try again' }).click();
  await page.getByTestId('hosted-url').waitFor();
  await settle();
  expect((await sessionsOf(loanId)).map((s) => s.status)).toEqual(['waiting']);
});
