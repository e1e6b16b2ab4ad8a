import http from 'node:http';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import { type Browser, type FrameLocator, type Page } from 'playwright';
import { CountryCode, Products, type PlaidApi } from 'plaid';
import { startEmulator } from '../../electron/emulator';
import { launchChromium } from './support/chromium';
import { emulatorPlaid } from '../helpers/emulator-plaid';

/**
 * Drives the emulator's Plaid Link in real Chromium, the way the app uses it: a page on another origin loads
 * the emulator's link-initialize.js, calls Plaid.create, and gets onSuccess / onExit / onEvent callbacks.
 */

const SCREENSHOTS = 'test-results/screenshots';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EVENT_METADATA_KEYS = [
  'account_number_mask',
  'error_code',
  'error_message',
  'error_type',
  'exit_status',
  'institution_id',
  'institution_name',
  'institution_search_query',
  'is_update_mode',
  'link_session_id',
  'match_reason',
  'mfa_type',
  'request_id',
  'routing_number',
  'selection',
  'timestamp',
  'view_name',
];

interface LinkEvent {
  name: string;
  metadata: Record<string, unknown>;
}
interface LinkLog {
  loaded: boolean;
  events: LinkEvent[];
  success: { public_token: string; metadata: Record<string, unknown> } | null;
  exit: { error: Record<string, unknown> | null; metadata: Record<string, unknown> } | null;
}
declare global {
  interface Window {
    linkLog: LinkLog;
    linkHandler: { open(): void; exit(options?: { force?: boolean }): void; destroy(): void };
  }
}

let emulator: Awaited<ReturnType<typeof startEmulator>>;
let plaid: PlaidApi;
let appServer: http.Server;
let appUrl: string;
let browser: Browser;

/** The loan officer's page: another origin than the emulator, like the app's renderer. */
function applicantPage(linkScriptUrl: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>AssetDesk test page</title>
<script src="${linkScriptUrl}"></script></head>
<body><h1>Connect the applicant's bank</h1>
<script>
  window.linkLog = { loaded: false, events: [], success: null, exit: null };
  var query = new URLSearchParams(location.search);
  // Back from an OAuth bank at redirect_uri: the same link token, kept before leaving, and the full URL.
  var returning = query.has('oauth_state_id');
  if (query.get('token')) localStorage.setItem('link_token', query.get('token'));
  window.linkHandler = window.Plaid.create({
    token: returning ? localStorage.getItem('link_token') : query.get('token'),
    receivedRedirectUri: returning ? location.href : undefined,
    onLoad: function () { window.linkLog.loaded = true; if (returning) window.linkHandler.open(); },
    onSuccess: function (publicToken, metadata) { window.linkLog.success = { public_token: publicToken, metadata: metadata }; },
    onExit: function (error, metadata) { window.linkLog.exit = { error: error, metadata: metadata }; },
    onEvent: function (name, metadata) { window.linkLog.events.push({ name: name, metadata: metadata }); },
  });
</script></body></html>`;
}

async function createLinkToken(extra: Record<string, unknown> = {}): Promise<string> {
  const response = await plaid.linkTokenCreate({
    user: { client_user_id: 'applicant-42' },
    client_name: 'AssetDesk',
    products: [Products.Assets],
    country_codes: [CountryCode.Us],
    language: 'en',
    ...extra,
  });
  return response.data.link_token;
}

async function openLink(page: Page, linkToken: string): Promise<FrameLocator> {
  await page.goto(`${appUrl}/?token=${encodeURIComponent(linkToken)}`);
  await page.waitForFunction(() => window.linkLog.loaded);
  await page.evaluate(() => window.linkHandler.open());
  return page.frameLocator('iframe[data-plaid-emulator="link"]');
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/emulator-link-${name}.png` });
}

async function chooseFirstPlatypusBank(link: FrameLocator): Promise<void> {
  await link.getByTestId('consent-continue').click();
  await link.getByTestId('institution-search').fill('First Platypus');
  await link.getByTestId('institution-ins_109508').click();
  await link.getByTestId('credentials-username').waitFor();
}

async function logIn(link: FrameLocator, password: string): Promise<void> {
  await link.getByTestId('credentials-username').fill('user_good');
  await link.getByTestId('credentials-password').fill(password);
  await link.getByTestId('credentials-password').press('Enter'); // Enter submits, as in Plaid's Link
}

async function finishAfterLogin(page: Page, link: FrameLocator, screenshots: boolean): Promise<LinkLog['success']> {
  await link.getByTestId('accounts-continue').waitFor();
  if (screenshots) await screenshot(page, 'select-account');
  await link.getByTestId('accounts-continue').click();
  await link.getByTestId('connected-continue').waitFor();
  if (screenshots) await screenshot(page, 'connected');
  await link.getByTestId('connected-continue').click();
  await page.waitForFunction(() => window.linkLog.success !== null);
  return page.evaluate(() => window.linkLog.success);
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  emulator = await startEmulator({ readyAfterMs: 0 });
  plaid = emulatorPlaid(emulator);
  const page = applicantPage(emulator.linkScriptUrl);
  appServer = http.createServer((_request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    response.end(page);
  });
  await new Promise<void>((resolve) => appServer.listen(0, '127.0.0.1', resolve));
  appUrl = `http://127.0.0.1:${(appServer.address() as AddressInfo).port}`;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  if (appServer) {
    appServer.closeAllConnections();
    await new Promise<void>((resolve) => appServer.close(() => resolve()));
  }
  await emulator?.close();
});

describe('emulated Plaid Link', () => {
  it('links First Platypus Bank with user_good and hands back an exchangeable public token', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    const link = await openLink(page, await createLinkToken());

    await link.getByTestId('link-view-consent').waitFor();
    await screenshot(page, 'consent');
    // Only OPEN is delivered live; Plaid hands over the other events at the end.
    expect((await page.evaluate(() => window.linkLog.events)).map((event) => event.name)).toEqual(['OPEN']);

    await link.getByTestId('consent-continue').click();
    await link.getByTestId('institution-ins_109508').waitFor();
    await screenshot(page, 'select-institution');
    await link.getByTestId('institution-search').fill('First Platypus');
    await link.getByTestId('institution-ins_109508').click();
    await expect(link.getByTestId('credentials-hint').textContent()).resolves.toContain('user_good / pass_good');
    await link.getByTestId('credentials-username').fill('user_good');
    await link.getByTestId('credentials-password').fill('pass_good');
    await screenshot(page, 'credentials');
    await link.getByTestId('credentials-password').press('Enter');

    await link.getByTestId('accounts-continue').waitFor();
    const boxes = link.locator('input[type="checkbox"]');
    expect(await boxes.count()).toBeGreaterThan(1);
    for (const box of await boxes.all()) expect(await box.isChecked()).toBe(true); // all pre-selected
    const success = await finishAfterLogin(page, link, true);

    expect(success?.public_token).toMatch(/^public-sandbox-[0-9a-f-]{36}$/);
    const metadata = success!.metadata as {
      institution: { name: string; institution_id: string };
      accounts: Record<string, unknown>[];
      link_session_id: string;
      transfer_status: unknown;
    };
    expect(Object.keys(metadata).sort()).toEqual(['accounts', 'institution', 'link_session_id', 'transfer_status']);
    expect(metadata.institution).toEqual({ name: 'First Platypus Bank', institution_id: 'ins_109508' });
    expect(metadata.link_session_id).toMatch(UUID);
    expect(metadata.transfer_status).toBeNull();
    for (const account of metadata.accounts) {
      expect(Object.keys(account).sort()).toEqual([
        'class_type',
        'id',
        'mask',
        'name',
        'subtype',
        'type',
        'verification_status',
      ]);
      expect(account.id).toMatch(/^[A-Za-z0-9]{37}$/);
    }
    expect(metadata.accounts).toContainEqual(
      expect.objectContaining({ name: 'Plaid Checking', mask: '0000', type: 'depository', subtype: 'checking' }),
    );

    const events = await page.evaluate(() => window.linkLog.events);
    const names = events.map((event) => event.name);
    expect(names[0]).toBe('OPEN');
    expect(names.at(-1)).toBe('HANDOFF');
    expect(names).toEqual(expect.arrayContaining(['SEARCH_INSTITUTION', 'SELECT_INSTITUTION', 'SUBMIT_CREDENTIALS']));
    const views = events.filter((event) => event.name === 'TRANSITION_VIEW').map((event) => event.metadata.view_name);
    expect(views).toEqual([
      'CONSENT',
      'SELECT_INSTITUTION',
      'CREDENTIAL',
      'LOADING',
      'SELECT_ACCOUNT',
      'LOADING',
      'CONNECTED',
    ]);
    for (const event of events) {
      expect(Object.keys(event.metadata).sort()).toEqual(EVENT_METADATA_KEYS);
      expect(event.metadata.link_session_id).toBe(metadata.link_session_id);
      expect(Number.isNaN(Date.parse(String(event.metadata.timestamp)))).toBe(false);
    }
    expect(await page.locator('iframe[data-plaid-emulator="link"]').isVisible()).toBe(false);

    const exchange = await plaid.itemPublicTokenExchange({ public_token: success!.public_token });
    expect(exchange.data.access_token).toMatch(/^access-sandbox-[0-9a-f-]{36}$/);
    const item = await plaid.itemGet({ access_token: exchange.data.access_token });
    expect(item.data.item.item_id).toBe(exchange.data.item_id);
    expect(item.data.item.institution_id).toBe('ins_109508');
    await page.close();
  });

  it('shows the display message for an error password, then succeeds after "Try again"', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    const link = await openLink(page, await createLinkToken());
    await chooseFirstPlatypusBank(link);
    await logIn(link, 'error_INVALID_CREDENTIALS');

    await link.getByTestId('link-view-error').waitFor();
    await screenshot(page, 'error');
    await expect(link.getByTestId('error-message').textContent()).resolves.toBe(
      'The provided credentials were not correct. Please try again.',
    );

    await link.getByTestId('error-retry').click();
    await logIn(link, 'pass_good');
    const success = await finishAfterLogin(page, link, false);
    expect(success?.public_token).toMatch(/^public-sandbox-/);

    const events = await page.evaluate(() => window.linkLog.events);
    const error = events.find((event) => event.name === 'ERROR');
    expect(error?.metadata).toMatchObject({
      error_type: 'ITEM_ERROR',
      error_code: 'INVALID_CREDENTIALS',
      view_name: 'ERROR',
      institution_id: 'ins_109508',
    });
    expect(await page.evaluate(() => window.linkLog.exit)).toBeNull();
    await page.close();
  });

  it('asks before exiting and reports onExit with status and link_session_id', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    const link = await openLink(page, await createLinkToken());
    await chooseFirstPlatypusBank(link);

    await link.getByTestId('link-close').click();
    await link.getByTestId('exit-confirm').waitFor();
    await screenshot(page, 'exit-confirm');
    await link.getByTestId('exit-confirm-no').click(); // "Go back" keeps Link open
    expect(await link.getByTestId('link-view-credentials').isVisible()).toBe(true);

    await link.getByTestId('credentials-username').press('Escape'); // Esc asks too
    await link.getByTestId('exit-confirm-yes').click();
    await page.waitForFunction(() => window.linkLog.exit !== null);

    const exit = await page.evaluate(() => window.linkLog.exit);
    expect(exit?.error).toBeNull();
    expect(Object.keys(exit!.metadata).sort()).toEqual(['institution', 'link_session_id', 'request_id', 'status']);
    expect(exit?.metadata).toMatchObject({
      status: 'requires_credentials',
      institution: { name: 'First Platypus Bank', institution_id: 'ins_109508' },
    });
    expect(exit?.metadata.link_session_id).toMatch(UUID);
    const events = await page.evaluate(() => window.linkLog.events);
    expect(events.at(-1)).toMatchObject({ name: 'EXIT', metadata: { exit_status: 'requires_credentials' } });
    expect(await page.evaluate(() => window.linkLog.success)).toBeNull();
    expect(await page.locator('iframe[data-plaid-emulator="link"]').isVisible()).toBe(false);
    await page.close();
  });

  it('exit({force: true}) closes Link at once and destroy() removes its frame', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    const link = await openLink(page, await createLinkToken());
    await link.getByTestId('consent-continue').click();
    await link.getByTestId('institution-search').waitFor();

    await page.evaluate(() => window.linkHandler.exit({ force: true }));
    await page.waitForFunction(() => window.linkLog.exit !== null);
    expect(await page.evaluate(() => window.linkLog.exit?.metadata.status)).toBe('institution_not_found');

    await page.evaluate(() => window.linkHandler.destroy());
    expect(await page.locator('iframe[data-plaid-emulator="link"]').count()).toBe(0);
    await page.close();
  });

  it('links Platypus OAuth Bank through the bank consent pop-up', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    const link = await openLink(page, await createLinkToken());
    await link.getByTestId('consent-continue').click();
    await link.getByTestId('institution-search').fill('OAuth');
    await link.getByTestId('institution-ins_127287').click();
    const [popup] = await Promise.all([page.waitForEvent('popup'), link.getByTestId('oauth-continue').click()]);
    await expect(popup.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Platypus OAuth Bank \u2014 Allow access?',
    );
    // The bank is another site: a different origin from Link's and from the app's.
    expect(new URL(popup.url()).origin).toBe(emulator.bankOrigin);
    expect(emulator.bankOrigin).not.toBe(new URL(emulator.baseUrl).origin);
    await popup.screenshot({ path: `${SCREENSHOTS}/emulator-link-oauth-popup.png` });
    await Promise.all([popup.waitForEvent('close'), popup.getByTestId('oauth-allow').click()]);

    const success = await finishAfterLogin(page, link, false);
    expect(success?.metadata).toMatchObject({
      institution: { institution_id: 'ins_127287', name: 'Platypus OAuth Bank' },
    });
    const names = (await page.evaluate(() => window.linkLog.events)).map((event) => event.name);
    expect(names).toEqual(expect.arrayContaining(['OPEN_OAUTH', 'CLOSE_OAUTH']));
    await page.close();
  });

  it('shows OAUTH_USER_REVOKED when the customer denies access at the OAuth bank', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    const link = await openLink(page, await createLinkToken());
    await link.getByTestId('consent-continue').click();
    await link.getByTestId('institution-search').fill('OAuth');
    await link.getByTestId('institution-ins_127287').click();
    const [popup] = await Promise.all([page.waitForEvent('popup'), link.getByTestId('oauth-continue').click()]);
    await Promise.all([popup.waitForEvent('close'), popup.getByTestId('oauth-deny').click()]);
    await expect(link.getByTestId('error-code').textContent()).resolves.toBe('Error code: OAUTH_USER_REVOKED');
    await link.getByTestId('error-exit').click();
    await page.waitForFunction(() => window.linkLog.exit !== null);
    expect(await page.evaluate(() => window.linkLog.exit?.error?.error_code)).toBe('OAUTH_USER_REVOKED');
    await page.close();
  });

  it('comes back from the OAuth bank to redirect_uri and carries on in Link re-created with receivedRedirectUri', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    const link = await openLink(page, await createLinkToken({ redirect_uri: `${appUrl}/oauth-return` }));
    await link.getByTestId('consent-continue').click();
    await link.getByTestId('institution-search').fill('OAuth');
    await link.getByTestId('institution-ins_127287').click();
    const [popup] = await Promise.all([page.waitForEvent('popup'), link.getByTestId('oauth-continue').click()]);
    await popup.getByTestId('oauth-allow').click();
    // The bank sends the customer to the app's redirect_uri, where the app re-creates Link with the same token.
    await popup.waitForURL(/\/oauth-return\?oauth_state_id=/);
    await popup.waitForFunction(() => window.linkLog.loaded);
    const resumed = popup.frameLocator('iframe[data-plaid-emulator="link"]');
    const success = await finishAfterLogin(popup, resumed, false);
    expect(success?.metadata).toMatchObject({
      institution: { institution_id: 'ins_127287', name: 'Platypus OAuth Bank' },
    });
    const exchanged = await plaid.itemPublicTokenExchange({ public_token: success?.public_token ?? '' });
    expect((await plaid.itemGet({ access_token: exchanged.data.access_token })).data.item.institution_id).toBe(
      'ins_127287',
    );
    await popup.close();
    await page.close();
  });

  it('repairs an Item in ITEM_LOGIN_REQUIRED in update mode, skipping the bank search', async () => {
    const publicToken = (
      await plaid.sandboxPublicTokenCreate({ institution_id: 'ins_109508', initial_products: [Products.Assets] })
    ).data.public_token;
    const accessToken = (await plaid.itemPublicTokenExchange({ public_token: publicToken })).data.access_token;
    await plaid.sandboxItemResetLogin({ access_token: accessToken });
    expect((await plaid.itemGet({ access_token: accessToken })).data.item.error?.error_code).toBe(
      'ITEM_LOGIN_REQUIRED',
    );

    const page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    const link = await openLink(page, await createLinkToken({ access_token: accessToken, products: undefined }));
    await link.getByTestId('link-view-reconnect').waitFor();
    await expect(link.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Reconnect First Platypus Bank');
    await screenshot(page, 'update-mode');
    await link.getByTestId('reconnect-continue').click();
    await logIn(link, 'pass_good');
    await link.getByTestId('connected-continue').click();
    await page.waitForFunction(() => window.linkLog.success !== null);

    const events = await page.evaluate(() => window.linkLog.events);
    expect(events.every((event) => event.metadata.is_update_mode === 'yes')).toBe(true);
    expect(events.map((event) => event.metadata.view_name)).not.toContain('SELECT_INSTITUTION');
    expect((await plaid.itemGet({ access_token: accessToken })).data.item.error).toBeNull();
    await page.close();
  });

  it('runs Hosted Link as a full page and reports the result through /link/token/get', async () => {
    const created = await plaid.linkTokenCreate({
      user: { client_user_id: 'applicant-43' },
      client_name: 'AssetDesk',
      products: [Products.Assets],
      country_codes: [CountryCode.Us],
      language: 'en',
      hosted_link: {},
    });
    const hostedUrl = created.data.hosted_link_url;
    expect(hostedUrl).toBeTruthy();

    const context = await browser.newContext({ viewport: { width: 1000, height: 760 } }); // axe needs its own context
    const page = await context.newPage();
    await page.goto(hostedUrl!);
    await page.getByTestId('consent-continue').waitFor();
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
    await page.getByTestId('consent-continue').click();
    await page.getByTestId('institution-ins_109508').click();
    await page.getByTestId('credentials-username').waitFor();
    expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);
    await page.getByTestId('credentials-username').fill('user_good');
    await page.getByTestId('credentials-password').fill('pass_good');
    await page.getByTestId('credentials-password').press('Enter');
    await page.getByTestId('accounts-continue').click();
    await page.getByTestId('connected-continue').click();
    await page.getByTestId('hosted-done').waitFor();
    await expect(page.getByTestId('hosted-done').textContent()).resolves.toContain('you can close this window');
    await page.screenshot({ path: `${SCREENSHOTS}/emulator-link-hosted-done.png` });

    const session = (await plaid.linkTokenGet({ link_token: created.data.link_token })).data.link_sessions?.[0];
    const publicToken = session?.results?.item_add_results?.[0]?.public_token;
    expect(publicToken).toMatch(/^public-sandbox-/);
    const exchange = await plaid.itemPublicTokenExchange({ public_token: publicToken! });
    expect(exchange.data.access_token).toMatch(/^access-sandbox-/);
    await context.close();
  });
});
