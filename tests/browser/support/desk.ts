import type { DesktopAdapters } from '../../../electron/services/desktop';
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, FrameLocator, Page } from 'playwright';
import { startWebBridge, type WebBridge } from '../../../electron/dev/web-bridge';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../../electron/emulator';
import { createAppServices, type AppServices } from '../../../electron/services/app-services';
import { createMemoryLogger } from '../../../electron/log/logger';
import type { EventSink } from '../../../shared/ipc/contract';
import { launchChromium as launchBrowser } from './chromium';

export { pdfPageTexts } from '../../helpers/pdf-text';

/**
 * The officer's desk for whole-story browser tests: the web build, the web bridge over the REAL
 * app services (store, keychain, gateway, report lifecycle) and the built-in emulator, plus the
 * page-side recorders the secret scan needs. Only the emulator's clock and readiness delay are
 * the test's to move, so "pending" can be shown for as long as the test needs to look at it.
 */

export const SCREENSHOTS = 'test-results/screenshots';
/** The officer PIN every desk page starts with. */
export const OFFICER_PIN = '2468';

/** "Done — return to officer" (or the top bar's button), then the officer's PIN: back on the loan screen. */
export async function returnToOfficer(page: Page, via: 'link-done' | 'return-to-officer' = 'link-done'): Promise<void> {
  await page.getByTestId(via).click();
  await page.getByTestId('officer-pin-dialog').waitFor();
  await page.getByTestId('officer-pin').fill(OFFICER_PIN);
  await page.getByTestId('officer-pin-submit').click();
  await page.getByTestId('loan-screen').waitFor();
}
const root = fileURLToPath(new URL('../../../', import.meta.url));
const WEB_BUILD = join(root, 'out/renderer-web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * out/renderer-web, built when missing or older than the renderer's sources, then copied into
 * `workDir`: another engineer rebuilding out/renderer-web mid-run cannot pull chunks from under us.
 */
export function webBuildCopy(workDir: string): string {
  const index = join(WEB_BUILD, 'index.html');
  const sources = Math.max(newestMtime(join(root, 'renderer')), newestMtime(join(root, 'shared')));
  if (!existsSync(index) || statSync(index).mtimeMs < sources) {
    // NODE_ENV as `npm run build` has it: inside vitest it is "test", and Vite would bundle React's development
    // build (StrictMode then runs every effect twice, e.g. two Hosted Links for one click).
    execFileSync('npx', ['tsx', 'electron/build/build.ts', '--web'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    });
  }
  const copy = join(workDir, 'renderer-web');
  cpSync(WEB_BUILD, copy, { recursive: true });
  if (!existsSync(join(copy, 'index.html'))) throw new Error('the web build has no index.html');
  return copy;
}

export interface Desk {
  bridge: WebBridge;
  app: AppServices;
  emulator(): RunningEmulator;
  /** Moves the emulator's clock forward (reports whose ready time has passed answer /asset_report/get). */
  advanceEmulatorClock(ms: number): void;
  logLines: string[];
  /** Pushes an event to the page as the main process would (for screens that show main-process news). */
  publish: EventSink['emit'];
}

export async function startDesk(
  workDir: string,
  staticDir: string,
  options: { officerPresence?: DesktopAdapters['officerPresence'] } = {},
): Promise<Desk> {
  const userDataDir = join(workDir, 'user-data');
  mkdirSync(userDataDir, { recursive: true });
  const logger = createMemoryLogger({ level: 'debug' });
  let offsetMs = 0;
  let app: AppServices | null = null;
  let running: RunningEmulator | null = null;
  let sink: EventSink | null = null;
  const bridge = await startWebBridge({
    userDataDir,
    staticDir,
    port: 0,
    logger,
    ...(options.officerPresence ? { officerPresence: options.officerPresence } : {}),
    createServices: (deps) => {
      sink = deps.events;
      app = createAppServices({
        ...deps,
        keychainService: `AssetDesk-browser-test-${process.pid}`,
        transport: 'web-bridge',
        // Short polls: a report whose ready time has passed is picked up within a second.
        pollIntervals: { initialMs: 200, factor: 1.5, maxMs: 1_000 },
        startEmulator: async (options) => {
          running = await startEmulator({
            ...(options as EmulatorOptions),
            readyAfterMs: 0,
            clock: () => new Date(Date.now() + offsetMs),
          });
          return running;
        },
      });
      return app;
    },
  });
  return {
    bridge,
    app: app!,
    emulator: () => {
      if (!running) throw new Error('the emulator has not started yet');
      return running;
    },
    advanceEmulatorClock: (ms) => void (offsetMs += ms),
    logLines: logger.lines,
    publish: (event, payload) => sink!.emit(event, payload),
  };
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return launchBrowser();
}

/** One test file's desk: its own work folder, services and emulator, and one Chromium page on the pipeline. */
export interface DeskSession {
  desk: Desk;
  page: Page;
  recorder: PageRecorder;
  close(): Promise<void>;
}

export async function openDeskPage(
  name: string,
  options: { initScript?: () => void; officerPresence?: DesktopAdapters['officerPresence'] } = {},
): Promise<DeskSession> {
  const workDir = mkdtempSync(join(tmpdir(), `assetdesk-${name}-`));
  let desk: Desk | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    await desk?.bridge.close();
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    desk = await startDesk(
      workDir,
      webBuildCopy(workDir),
      options.officerPresence ? { officerPresence: options.officerPresence } : {},
    );
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    if (options.initScript) await context.addInitScript(options.initScript);
    const page = await context.newPage();
    const recorder = recordPage(page);
    await page.goto(desk.bridge.url);
    await page.getByTestId('pipeline-screen').waitFor();
    // The officer has set their PIN (shell.test.ts walks setting it from the hand-off itself).
    await desk.app.handlers['handoff:setPin']({ pin: OFFICER_PIN });
    return { desk, page, recorder, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** What the page received from the bridge: every /__bridge/ response body and every pushed event. */
export interface PageRecorder {
  bodies: string[];
  errors: string[];
  events(): Promise<string[]>;
  settled(): Promise<void>;
}

export function recordPage(page: Page): PageRecorder {
  const bodies: string[] = [];
  const errors: string[] = [];
  const pending: Promise<void>[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Plaid's Link answers a wrong password with HTTP 400, which Chromium logs in Link's own frame.
    const { url } = message.location();
    if (/\/link\/ui\/_api\/credentials$/.test(url) && message.text().includes('status of 400')) return;
    errors.push(`${message.text()} (${url})`);
  });
  page.on('response', (response) => {
    const url = new URL(response.url());
    // The event stream never ends: its frames are recorded inside the page instead.
    if (!url.pathname.startsWith('/__bridge/') || url.pathname === '/__bridge/events') return;
    pending.push(
      response.body().then(
        (body) => void bodies.push(body.toString('utf8')),
        () => undefined, // a response dropped by a navigation has no body to scan
      ),
    );
  });
  return {
    bodies,
    errors,
    events: () => page.evaluate(() => (window as unknown as { __bridgeEvents?: string[] }).__bridgeEvents ?? []),
    settled: async () => void (await Promise.all(pending)),
  };
}

/** Installed before the app's scripts: keeps the data of every server-sent event the page gets. */
export function recordBridgeEvents(): void {
  const store: string[] = [];
  (window as unknown as { __bridgeEvents: string[] }).__bridgeEvents = store;
  const add = EventSource.prototype.addEventListener as (
    this: EventSource,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) => void;
  EventSource.prototype.addEventListener = function (
    this: EventSource,
    type: string,
    listener: EventListenerOrEventListenerObject | null,
    options?: boolean | AddEventListenerOptions,
  ) {
    const recordFirst = (event: Event) => {
      store.push(String((event as MessageEvent).data));
      if (typeof listener === 'function') listener.call(this, event);
      else listener?.handleEvent(event);
    };
    return add.call(this, type, listener ? recordFirst : listener, options);
  } as typeof EventSource.prototype.addEventListener;
}

/**
 * Rules below serious impact that failed once and were fixed (accessibility.test.ts): checked wherever the serious
 * ones are, so they stay fixed on every screen the tests walk.
 */
export const KEPT_FIXED_RULES = ['landmark-unique', 'page-has-heading-one'];

export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa']).analyze();
  const kept = await new AxeBuilder({ page }).withRules(KEPT_FIXED_RULES).analyze();
  return [
    ...results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
    ...kept.violations,
  ].map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** Every axe finding, whatever its impact (minor and moderate too), with axe's best practices. */
export async function allViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map(
    (v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
  );
}

export interface NewBorrower {
  firstName: string;
  middleName?: string;
  lastName: string;
  email?: string;
  phone?: string;
}

export interface NewApplicant {
  firstName: string;
  lastName: string;
  loanNumber: string;
  loanPurpose?: 'purchase' | 'refinance' | 'cash_out_refinance';
  income: string;
  fundsToClose: string;
  /** Co-borrowers after the primary borrower, in order. */
  coBorrowers?: NewBorrower[];
}

/** Fills one borrower's fields in the new-loan form (`index` 0 is the primary borrower). */
async function fillBorrower(page: Page, index: number, borrower: NewBorrower, loanNumber: string): Promise<void> {
  const fields = page.getByTestId(`borrower-${index}`);
  await fields.getByTestId('field-firstName').fill(borrower.firstName);
  if (borrower.middleName) await fields.getByTestId('field-middleName').fill(borrower.middleName);
  await fields.getByTestId('field-lastName').fill(borrower.lastName);
  await fields
    .getByTestId('field-email')
    .fill(borrower.email ?? `${borrower.firstName.toLowerCase()}.${loanNumber.toLowerCase()}@example.com`);
  await fields.getByTestId('field-phone').fill(borrower.phone ?? '+1 415 555 0100');
}

/** The officer fills in the new-loan form (terms and borrowers) and lands on the loan screen; answers the loan id. */
export async function addApplicant(page: Page, applicant: NewApplicant): Promise<string> {
  await page.getByTestId('nav-loans').click();
  await page.getByTestId('pipeline-screen').waitFor();
  await page.getByTestId('new-loan').click();
  await page.getByTestId('loan-form').waitFor();
  await fillBorrower(page, 0, applicant, applicant.loanNumber);
  for (const [i, coBorrower] of (applicant.coBorrowers ?? []).entries()) {
    await page.getByTestId('add-co-borrower').click();
    await fillBorrower(page, i + 1, coBorrower, applicant.loanNumber);
  }
  await page.getByTestId('field-loanNumber').fill(applicant.loanNumber);
  await page.getByTestId('field-loanPurpose').selectOption(applicant.loanPurpose ?? 'purchase');
  await page.getByTestId('field-qualifyingMonthlyIncome').fill(applicant.income);
  await page.getByTestId('field-fundsToClose').fill(applicant.fundsToClose);
  await page.getByTestId('save-loan').click();
  await page.getByTestId('loan-screen').waitFor();
  await page.getByTestId('loan-number').getByText(applicant.loanNumber, { exact: true }).waitFor();
  return loanIdOf(page);
}

/** The loan id of the loan screen on show. */
export function loanIdOf(page: Page): string {
  return decodeURIComponent(new URL(page.url()).hash.split('/')[2]!.split('?')[0]!);
}

/** The borrower on the link screen on show (#/link/<applicantId>?loan=…). */
export function linkApplicantIdOf(page: Page): string {
  return decodeURIComponent(new URL(page.url()).hash.split('/')[2]!.split('?')[0]!);
}

export function emulatorLink(page: Page): FrameLocator {
  return page.frameLocator('iframe[data-plaid-emulator="link"]');
}

/** The applicant's steps in the emulator's Link: consent, the bank, a login. */
export async function chooseBank(link: FrameLocator, search: string, institutionId: string): Promise<void> {
  await link.getByTestId('consent-continue').click();
  await link.getByTestId('institution-search').fill(search);
  await link.getByTestId(`institution-${institutionId}`).click();
  await link.getByTestId('credentials-username').waitFor();
}

export async function logIn(link: FrameLocator, username: string, password: string): Promise<void> {
  await link.getByTestId('credentials-username').fill(username);
  await link.getByTestId('credentials-password').fill(password);
  await link.getByTestId('credentials-password').press('Enter');
}

export async function finishLink(link: FrameLocator): Promise<void> {
  await link.getByTestId('accounts-continue').click();
  await link.getByTestId('connected-continue').click();
}

/** Plaid token shapes that must never reach the page, its responses or the logs. */
export const TOKEN_SHAPES: Record<string, RegExp> = {
  access: /access-(?:sandbox|emulator|production)-/,
  assets: /assets-(?:sandbox|emulator|production)-/,
  auditCopy: /(?<![A-Za-z0-9])a-(?:sandbox|emulator|production)-/,
  public: /public-(?:sandbox|emulator|production)-/,
};

/** Which token shapes (and known secrets) occur in `text`. */
export function leaks(
  text: string,
  { includePublic, secrets }: { includePublic: boolean; secrets: string[] },
): string[] {
  const found = Object.entries(TOKEN_SHAPES)
    .filter(([name, shape]) => (includePublic || name !== 'public') && shape.test(text))
    .map(([name]) => name);
  for (const secret of secrets) if (secret && text.includes(secret)) found.push('known secret');
  return found;
}
