import type {
  App,
  BrowserWindow,
  Session,
  Shell,
  WebContents,
  WebPreferences,
  WindowOpenHandlerResponse,
} from 'electron';
import { PLAID_LINK_SCRIPT_URL } from '../services/link/items';

/**
 * The Electron security baseline. Everything here is either a pure function or takes the Electron
 * object it configures as a parameter, so unit tests run under Node with small fakes and the
 * static checks can import the lists (FORBIDDEN_SWITCHES) without loading Electron.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'assetdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export { PLAID_LINK_SCRIPT_URL };
export const PLAID_CDN_ORIGIN = 'https://cdn.plaid.com';
export const PLAID_API_ORIGINS = {
  sandbox: 'https://sandbox.plaid.com',
  production: 'https://production.plaid.com',
} as const;

export type LinkEnvironment = 'emulator' | 'sandbox' | 'production';

/**
 * What Plaid publishes as the policy a page hosting Link needs, per environment, in Plaid's own
 * spelling. The page's policy is built from this table, and a test checks each entry is present.
 */
export const PLAID_LINK_CSP: Record<'sandbox' | 'production', CspDirectives> = {
  sandbox: plaidLinkDirectives('https://sandbox.plaid.com/'),
  production: plaidLinkDirectives('https://production.plaid.com/'),
};

function plaidLinkDirectives(apiHost: string): CspDirectives {
  return {
    'default-src': ['https://cdn.plaid.com/'],
    'script-src': [PLAID_LINK_SCRIPT_URL],
    'frame-src': ['https://cdn.plaid.com/'],
    'connect-src': [apiHost],
    // Link injects style attributes into the host page; scripts stay non-inline.
    'style-src': ["'unsafe-inline'"],
  };
}

// ---------------------------------------------------------------------------------------------
// webPreferences

/** Every security-relevant webPreferences option spelled out, none left to Electron's defaults. */
const LOCKED_DOWN_PREFERENCES = {
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInSubFrames: false,
  nodeIntegrationInWorker: false,
  sandbox: true,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  enableBlinkFeatures: undefined,
  spellcheck: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
} as const satisfies WebPreferences;

/** The app window's webPreferences: the locked-down set plus our preload (the only window that gets it). */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return { preload: preloadPath, ...LOCKED_DOWN_PREFERENCES };
}

/**
 * Plaid Link / bank OAuth pop-ups: the same locked-down set but without our preload, so a bank page
 * never sees the window API. `window.opener` still works (Link needs it to finish OAuth), and that is
 * why no `partition` is given: a window.open child is made by Chromium in its opener's session, where
 * Electron ignores one. What Link and the banks leave in that session is cleared instead (clearLinkSiteData).
 */
export function popupWebPreferences(): WebPreferences {
  return { ...LOCKED_DOWN_PREFERENCES, devTools: false };
}

/**
 * Calls after whose success Link's and the banks' site data is cleared: a borrower's turn begins and ends,
 * Link finished. A bank's sign-in cookies must not greet the next borrower, nor stay on disk.
 */
export const CLEAR_LINK_SITE_DATA_AFTER: readonly string[] = [
  'handoff:start',
  'handoff:end',
  'handoff:endWithOs',
  'link:complete',
  'link:updateComplete',
];

/**
 * Clears every site's cookies, storage and cache in our page's session except our own page's origins, in
 * every context (Plaid's frame inside our page included): only Link, its frames and the banks' pop-ups use it.
 */
export function clearLinkSiteData(session: Pick<Session, 'clearData'>, ownOrigins: readonly string[]): Promise<void> {
  return session.clearData({ excludeOrigins: [...ownOrigins], originMatchingMode: 'origin-in-all-contexts' });
}

// ---------------------------------------------------------------------------------------------
// Content-Security-Policy

export interface ContentSecurityPolicyOptions {
  /**
   * The emulator's loopback origin in emulator mode, e.g. `http://127.0.0.1:4010`: its Link script,
   * frame and API. Omit it with real Plaid.
   */
  plaidLinkScriptOrigin?: string | undefined;
  /** The active Plaid environment; Plaid's published Link sources are added for Sandbox and Production only. */
  plaidEnvironment?: LinkEnvironment | undefined;
  /**
   * Development only: the Vite dev server. Its React refresh preamble is an inline module script and
   * hot reload talks over a WebSocket, so the dev policy allows both; the packaged policy never does.
   */
  devServerOrigin?: string | undefined;
}

export type CspDirectives = Record<string, string[]>;

/** The directives of the app page's policy, for callers (and tests) that want the structure. */
export function contentSecurityPolicyDirectives(options: ContentSecurityPolicyOptions = {}): CspDirectives {
  const emulator = options.plaidLinkScriptOrigin === undefined ? [] : [loopbackOrigin(options.plaidLinkScriptOrigin)];
  const env = options.plaidEnvironment;
  const plaid: CspDirectives = env === 'sandbox' || env === 'production' ? PLAID_LINK_CSP[env] : {};
  const dev = options.devServerOrigin === undefined ? undefined : new URL(loopbackOrigin(options.devServerOrigin));
  const devScript = dev ? [dev.origin, "'unsafe-inline'"] : [];
  const devConnect = dev ? [dev.origin, `ws://${dev.host}`] : [];
  const from = (name: string) => plaid[name] ?? [];
  return {
    'default-src': ["'self'", ...from('default-src')],
    'script-src': ["'self'", ...from('script-src'), ...emulator, ...devScript],
    'frame-src': orNone([...from('frame-src'), ...emulator]),
    'connect-src': ["'self'", ...from('connect-src'), ...emulator, ...devConnect],
    'img-src': ["'self'", 'data:', 'blob:'],
    // Link (and the emulator's Link) set inline styles on our page; scripts stay strictly non-inline.
    'style-src': uniq(["'self'", "'unsafe-inline'", ...from('style-src')]),
    // pdf.js and the report analysis run their workers from our origin (pdf.js may also use a blob:).
    'worker-src': ["'self'", 'blob:'],
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
}

function orNone(values: string[]): string[] {
  return values.length === 0 ? ["'none'"] : values;
}

function uniq(values: string[]): string[] {
  return [...new Set(values)];
}

/** The strict CSP for the app page: no eval, no inline scripts, no wildcards, remote code only from Plaid. */
export function buildContentSecurityPolicy(options: ContentSecurityPolicyOptions = {}): string {
  return Object.entries(contentSecurityPolicyDirectives(options))
    .map(([directive, sources]) => `${directive} ${sources.join(' ')}`)
    .join('; ');
}

/** Parses a policy string into directives (lower-cased names), for tests and header checks. */
export function parseContentSecurityPolicy(policy: string): CspDirectives {
  const directives: CspDirectives = {};
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives[name.toLowerCase()] = sources;
  }
  return directives;
}

/** Accepts only `http://127.0.0.1:<port>`, `http://localhost:<port>` or `http://[::1]:<port>`; returns the normalised origin. */
export function loopbackOrigin(origin: string): string {
  const url = parseUrl(origin);
  if (
    !url ||
    url.protocol !== 'http:' ||
    !LOOPBACK_HOSTS.has(url.hostname) ||
    url.port === '' ||
    url.username !== '' ||
    url.password !== '' ||
    (url.pathname !== '/' && url.pathname !== '') ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new Error(`Not a loopback origin: ${origin}`);
  }
  return url.origin;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

// ---------------------------------------------------------------------------------------------
// Navigation and pop-ups

export interface NavigationOptions {
  /** Vite dev server origin, allowed only in development (see windows.ts). */
  devServerOrigin?: string | undefined;
}

/** The app window may only ever show our own origin (plus the dev server while developing). */
export function isAllowedNavigation(url: string, options: NavigationOptions = {}): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (isAppUrl(parsed)) return true;
  if (options.devServerOrigin !== undefined) {
    return (
      parsed.origin === loopbackOrigin(options.devServerOrigin) && parsed.username === '' && parsed.password === ''
    );
  }
  return false;
}

/** `app://assetdesk/...` with nothing unusual: Node's URL gives custom schemes a `null` origin, so compare parts. */
export function isAppUrl(url: URL): boolean {
  return (
    url.protocol === `${APP_SCHEME}:` &&
    url.hostname === APP_HOST &&
    url.port === '' &&
    url.username === '' &&
    url.password === ''
  );
}

/** The emulator's origin, fixed or read at call time (it changes when the officer switches environment). */
export type EmulatorOriginSource =
  string | readonly string[] | undefined | (() => string | readonly string[] | undefined);

export interface WindowOpenOptions {
  /** The emulator's loopback origin in emulator mode (its OAuth pop-up comes from there). */
  emulatorOrigin?: EmulatorOriginSource;
}

/** The emulator's loopback origins (its API and, for pop-ups, its OAuth bank's site). */
function currentEmulatorOrigins(options: WindowOpenOptions): readonly string[] {
  const source = options.emulatorOrigin;
  const value = typeof source === 'function' ? source() : source;
  return value === undefined ? [] : typeof value === 'string' ? [value] : value;
}

export type WindowOpenDecision = 'deny' | 'allow-link-popup';

/**
 * Pure decision. Our own page never calls window.open except through links on the external
 * allowlist (those go to the system browser), so any other plain https pop-up is one Link opened:
 * a bank's OAuth consent page, which can be on any bank's host. The emulator's loopback origin is
 * allowed while it runs.
 */
export function classifyWindowOpen(url: string, options: WindowOpenOptions = {}): WindowOpenDecision {
  const parsed = parseUrl(url);
  if (!parsed) return 'deny';
  if (currentEmulatorOrigins(options).some((origin) => isSameLoopbackOrigin(parsed, origin))) return 'allow-link-popup';
  if (!isPlainHttpsUrl(parsed)) return 'deny';
  if (EXTERNAL_URL_HOSTS.includes(parsed.hostname)) return 'deny';
  return 'allow-link-popup';
}

/** The `setWindowOpenHandler` answer: allowed pop-ups get sandboxed, preload-free windows. */
export function decideWindowOpen(url: string, options: WindowOpenOptions = {}): WindowOpenHandlerResponse {
  if (classifyWindowOpen(url, options) === 'deny') return { action: 'deny' };
  return {
    action: 'allow',
    overrideBrowserWindowOptions: {
      width: 520,
      height: 720,
      title: 'Connect your bank',
      autoHideMenuBar: true,
      webPreferences: popupWebPreferences(),
    },
  };
}

/** Inside a Link / OAuth pop-up: https anywhere (banks redirect through their own hosts) or the emulator. */
export function isAllowedPopupNavigation(url: string, options: WindowOpenOptions = {}): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (currentEmulatorOrigins(options).some((origin) => isSameLoopbackOrigin(parsed, origin))) return true;
  return isPlainHttpsUrl(parsed);
}

/**
 * The officer's registered OAuth redirect URI for the current environment (read at each decision:
 * it changes with Settings and the environment), and who is told when a bank sends the pop-up there.
 */
export interface OAuthReturnOptions {
  oauthRedirectUri?: (() => string | null | undefined) | undefined;
  /** Given the full URL the bank sent the pop-up to (with `oauth_state_id`), already checked. */
  onOAuthReturn?: ((receivedRedirectUri: string) => void) | undefined;
}

/**
 * The bank has sent the pop-up back to the registered redirect URI: same origin and path, https,
 * no credentials. Returns the URL to hand to Link as `receivedRedirectUri`, else null.
 */
export function receivedOAuthRedirect(url: string, registered: string | null | undefined): string | null {
  if (!registered) return null;
  const parsed = parseUrl(url);
  const expected = parseUrl(registered);
  if (!parsed || !expected || parsed.username !== '' || parsed.password !== '') return null;
  // Plaid accepts http only for localhost, in Sandbox.
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && parsed.hostname === 'localhost')) return null;
  if (parsed.origin !== expected.origin || parsed.pathname !== expected.pathname) return null;
  // Link needs the state Plaid added; anything else at that address is not a bank's return.
  if (!parsed.searchParams.get('oauth_state_id')) return null;
  return parsed.href;
}

/** What the navigation guards need; Electron objects come in as parameters. */
export interface NavigationGuardDeps extends NavigationOptions, WindowOpenOptions, OAuthReturnOptions {
  /** When given, a denied link that is on the external allowlist opens in the system browser. */
  shell?: Pick<Shell, 'openExternal'> | undefined;
  /** Told about every blocked navigation or pop-up (the URL is not secret, but keep it short). */
  onBlocked?: ((kind: 'navigation' | 'redirect' | 'webview' | 'window-open', url: string) => void) | undefined;
  /** Told about every Link pop-up window created, so it can be closed when Link finishes. */
  onPopup?: ((window: PopupWindow) => void) | undefined;
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;
export type PopupWindow = Pick<BrowserWindow, 'webContents'> & Partial<Pick<BrowserWindow, 'close' | 'isDestroyed'>>;
interface RedirectEvent {
  preventDefault(): void;
  url?: string;
  isMainFrame?: boolean;
}

/** Locks the app window: no navigation off our origin, no webviews, pop-ups only for Link. */
export function installNavigationGuards(contents: GuardedContents, deps: NavigationGuardDeps = {}): void {
  const blocked = (kind: Parameters<NonNullable<NavigationGuardDeps['onBlocked']>>[0], url: string) => {
    deps.onBlocked?.(kind, url.slice(0, 200));
    if (deps.shell && (kind === 'navigation' || kind === 'window-open')) void openExternalSafely(deps.shell, url);
  };
  contents.on('will-navigate', (event, legacyUrl?: string) => {
    const url = navigationUrl(event, legacyUrl);
    if (isAllowedNavigation(url, deps)) return;
    event.preventDefault();
    blocked('navigation', url);
  });
  // Fires for every frame: Plaid's cdn.plaid.com frame may be redirected by its own server; only
  // the top frame must stay on our origin (frame-src in the CSP governs what subframes load).
  contents.on('will-redirect', (event: RedirectEvent, legacyUrl?: string) => {
    if (event.isMainFrame === false) return;
    const url = navigationUrl(event, legacyUrl);
    if (isAllowedNavigation(url, deps)) return;
    event.preventDefault();
    blocked('redirect', url);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    blocked('webview', '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const response = decideWindowOpen(url, deps);
    if (response.action === 'deny') blocked('window-open', url);
    return response;
  });
  contents.on('did-create-window', (window: PopupWindow) => {
    installPopupGuards(window.webContents, deps);
    deps.onPopup?.(window);
  });
}

/**
 * For every web contents the app ever makes, before anything else configures it: no webviews and
 * no pop-ups. The app window and Link's pop-ups then install their own guards over these; anything
 * created some other way stays locked.
 */
export function installDefaultGuards(contents: GuardedContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/**
 * Guards for a Link / OAuth pop-up: https navigation only, no webviews, and pop-ups it opens in
 * turn get these same guards, however deep.
 */
export function installPopupGuards(
  contents: GuardedContents,
  deps: WindowOpenOptions & OAuthReturnOptions & Pick<NavigationGuardDeps, 'onPopup'> = {},
): void {
  const guard = (event: { preventDefault(): void }, legacyUrl?: string) => {
    const url = navigationUrl(event, legacyUrl);
    // Back from the bank at the officer's redirect URI: Link carries on in our page, not here.
    const received = receivedOAuthRedirect(url, deps.oauthRedirectUri?.());
    if (received !== null) {
      event.preventDefault();
      deps.onOAuthReturn?.(received);
      return;
    }
    if (!isAllowedPopupNavigation(url, deps)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // A bank that opens the return address in a new window instead: same outcome, no window.
    const received = receivedOAuthRedirect(url, deps.oauthRedirectUri?.());
    if (received === null) return decideWindowOpen(url, deps);
    deps.onOAuthReturn?.(received);
    return { action: 'deny' };
  });
  contents.on('did-create-window', (window: PopupWindow) => {
    installPopupGuards(window.webContents, deps);
    deps.onPopup?.(window);
  });
}

// Electron ≥ 28 passes the URL on the event; older signatures passed it as the second argument.
function navigationUrl(event: unknown, legacyUrl: unknown): string {
  const fromEvent = (event as { url?: unknown } | null)?.url;
  if (typeof fromEvent === 'string') return fromEvent;
  return typeof legacyUrl === 'string' ? legacyUrl : '';
}

// ---------------------------------------------------------------------------------------------
// Permissions

/** Chromium's names for "may this page reach a private or loopback address" (Local Network Access). */
export const LOOPBACK_PERMISSIONS: readonly string[] = ['local-network-access', 'loopback-network', 'local-network'];

export interface PermissionPolicyOptions {
  /**
   * The emulator's loopback origin while emulator mode is active, else undefined. Only then may our
   * own page (app://assetdesk, top frame) reach loopback: the CSP's connect-src and frame-src
   * narrow that to exactly this origin.
   */
  emulatorOrigin?: EmulatorOriginSource;
}

/**
 * The one permission decision: the loopback permission for our own page while the emulator runs;
 * everything else is refused (the main process writes the clipboard and shows notifications).
 */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
  options: PermissionPolicyOptions = {},
): boolean {
  if (!LOOPBACK_PERMISSIONS.includes(permission)) return false;
  if (currentEmulatorOrigins(options).length === 0) return false;
  const parsed = parseUrl(requestingUrl ?? '');
  return parsed !== null && isAppUrl(parsed);
}

/** Installs the permission policy on a session: request, check and device handlers. */
export function installPermissionHandlers(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> &
    Partial<Pick<Session, 'setDevicePermissionHandler'>>,
  options: PermissionPolicyOptions = {},
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    callback(details.isMainFrame === true && isPermissionAllowed(permission, details.requestingUrl, options));
  });
  session.setPermissionCheckHandler(
    (_contents, permission, _origin, details) =>
      details.isMainFrame === true && isPermissionAllowed(permission, details.requestingUrl, options),
  );
  session.setDevicePermissionHandler?.(() => false);
}

// ---------------------------------------------------------------------------------------------
// External links

/** Hosts the officer may be sent to in the system browser; exact host match only. */
export const EXTERNAL_URL_HOSTS: readonly string[] = [
  'plaid.com', // docs live under plaid.com/docs
  'www.plaid.com',
  'my.plaid.com', // where borrowers manage the connections they shared
  'fanniemae.com',
  'www.fanniemae.com',
  'selling-guide.fanniemae.com',
  'freddiemac.com',
  'www.freddiemac.com',
  'guide.freddiemac.com',
  'assetdesk.example', // the project's support page (placeholder domain until one is registered)
];

/** Only https URLs on the allowlist, parsed with URL: look-alikes, userinfo tricks and ports are rejected. */
export function isAllowedExternalUrl(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed !== null && isPlainHttpsUrl(parsed) && EXTERNAL_URL_HOSTS.includes(parsed.hostname);
}

/** Opens an allowlisted URL in the system browser; returns false (and opens nothing) otherwise. */
export async function openExternalSafely(shell: Pick<Shell, 'openExternal'>, url: string): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) return false;
  // Hand over the re-serialised URL, not the caller's string, so what we checked is what opens.
  await shell.openExternal(new URL(url).href);
  return true;
}

// ---------------------------------------------------------------------------------------------
// Command-line switches

/**
 * Chromium/Electron switches that weaken the app. Nothing in our code may append them and the
 * packaged app refuses to start with them (applyAppSwitches reports them); the static check
 * scans the built main bundle for `appendSwitch` calls using any of these.
 */
export const FORBIDDEN_SWITCHES: readonly string[] = [
  'no-sandbox',
  'disable-web-security',
  'allow-running-insecure-content',
  'ignore-certificate-errors',
  'ignore-certificate-errors-spki-list',
  'allow-insecure-localhost',
  'unsafely-treat-insecure-origin-as-secure',
  'enable-experimental-web-platform-features',
  'enable-blink-features',
  'disable-site-isolation-trials',
  'disable-features',
  'allow-file-access-from-files',
  'remote-debugging-port',
  'remote-debugging-pipe',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'js-flags',
  'host-rules',
  'host-resolver-rules',
];

type SwitchApp = Pick<App, 'enableSandbox'> & { commandLine: Pick<App['commandLine'], 'hasSwitch'> };

/**
 * Must run before `app` is ready: sandboxes every renderer. Returns the forbidden switches the
 * app was launched with, so startup can refuse to continue in the packaged app.
 */
export function applyAppSwitches(app: SwitchApp): { forbiddenSwitchesPresent: string[] } {
  app.enableSandbox();
  return { forbiddenSwitchesPresent: FORBIDDEN_SWITCHES.filter((name) => app.commandLine.hasSwitch(name)) };
}

// ---------------------------------------------------------------------------------------------
// Response headers

/** The headers every page we serve carries (merged over what the server sent, CSP replaced). */
export function withSecurityHeaders(
  headers: Record<string, string | string[]>,
  policy: string,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-security-policy' || lower === 'x-content-type-options') continue;
    out[name] = value;
  }
  out['Content-Security-Policy'] = [policy];
  out['X-Content-Type-Options'] = ['nosniff'];
  return out;
}

/**
 * Adds the CSP to responses from our own origins (app:// and, in development, the dev server).
 * Plaid's and the emulator's pages keep their own headers: overriding them would break Link.
 * A function policy is read per response (it changes when the emulator starts).
 */
export function installCspHeaders(
  session: { webRequest: Pick<Session['webRequest'], 'onHeadersReceived'> },
  policy: string | (() => string),
  options: NavigationOptions = {},
): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAllowedNavigation(details.url, options)) {
      callback({});
      return;
    }
    const current = typeof policy === 'function' ? policy() : policy;
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders ?? {}, current) });
  });
}

// ---------------------------------------------------------------------------------------------
// URL helpers

function parseUrl(url: string): URL | null {
  if (typeof url !== 'string' || url.length > 8192) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** https, default port, no credentials, no punycode label (look-alike hosts), not an IP literal. */
function isPlainHttpsUrl(url: URL): boolean {
  if (url.protocol !== 'https:' || url.port !== '' || url.username !== '' || url.password !== '') return false;
  const labels = url.hostname.split('.');
  if (labels.some((label) => label === '' || label.startsWith('xn--'))) return false;
  return !/^\d+$/.test(labels[labels.length - 1] ?? '') && !url.hostname.startsWith('[');
}

/** `host` is `domain` or a subdomain of it, with a dot boundary (so `evilplaid.com` is not `plaid.com`). */
export function hostMatchesDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function isSameLoopbackOrigin(url: URL, origin: string): boolean {
  let expected: string;
  try {
    expected = loopbackOrigin(origin);
  } catch {
    return false;
  }
  return url.origin === expected && url.username === '' && url.password === '';
}
