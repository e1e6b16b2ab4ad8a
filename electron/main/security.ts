import type {
  App,
  BrowserWindow,
  Session,
  Shell,
  WebContents,
  WebPreferences,
  WindowOpenHandlerResponse,
} from 'electron';

/**
 * The Electron security baseline. Everything here is either a pure function or takes the Electron
 * object it configures as a parameter, so unit tests run under Node with small fakes and the
 * static checks can import the lists (FORBIDDEN_SWITCHES) without loading Electron.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'assetdesk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

export const PLAID_CDN_ORIGIN = 'https://cdn.plaid.com';
/** Plaid requires loading Link from this exact, unversioned URL (ASSETS-API.md §7.1). */
export const PLAID_LINK_SCRIPT_URL = `${PLAID_CDN_ORIGIN}/link/v2/stable/link-initialize.js`;
export const PLAID_API_ORIGINS = {
  sandbox: 'https://sandbox.plaid.com',
  production: 'https://production.plaid.com',
} as const;

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
 * never sees the window API. `window.opener` still works (Link needs it to finish OAuth).
 */
export function popupWebPreferences(): WebPreferences {
  return { ...LOCKED_DOWN_PREFERENCES };
}

// ---------------------------------------------------------------------------------------------
// Content-Security-Policy

export interface ContentSecurityPolicyOptions {
  /**
   * Where the emulated Link script comes from in emulator mode: the emulator's loopback origin,
   * e.g. `http://127.0.0.1:4010`. Omit it with real Plaid (Link then comes only from Plaid's CDN).
   */
  plaidLinkScriptOrigin?: string | undefined;
  /** Which Plaid API host Link's script may call from the page (§7.1 lists it under connect-src). */
  plaidEnvironment?: 'sandbox' | 'production' | undefined;
}

export type CspDirectives = Record<string, string[]>;

/** The directives of the app page's policy, for callers (and tests) that want the structure. */
export function contentSecurityPolicyDirectives(options: ContentSecurityPolicyOptions = {}): CspDirectives {
  const emulator = options.plaidLinkScriptOrigin === undefined ? [] : [loopbackOrigin(options.plaidLinkScriptOrigin)];
  const plaidApi = options.plaidEnvironment === undefined ? [] : [PLAID_API_ORIGINS[options.plaidEnvironment]];
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", PLAID_LINK_SCRIPT_URL, ...emulator],
    'frame-src': [PLAID_CDN_ORIGIN, ...emulator],
    'connect-src': ["'self'", ...plaidApi, ...emulator],
    'img-src': ["'self'", 'data:', 'blob:'],
    // Plaid Link injects inline styles into our page (§7.1); scripts stay strictly non-inline.
    'style-src': ["'self'", "'unsafe-inline'"],
    // pdf.js runs its worker from our origin (or a blob: it creates).
    'worker-src': ["'self'", 'blob:'],
    'font-src': ["'self'", 'data:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
  };
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

/**
 * Banks whose OAuth pages Link may open as a pop-up. Kept to the registrable domains of the large
 * US banks that use OAuth with Plaid: Link normally opens its pop-up on a plaid.com page, which
 * then moves to the bank inside the pop-up (allowed by installPopupGuards). A pop-up has no preload
 * and no Node, so the worst an allowed bank host can do is show its own page.
 */
export const BANK_OAUTH_DOMAINS: readonly string[] = [
  'chase.com',
  'bankofamerica.com',
  'wellsfargo.com',
  'capitalone.com',
  'citi.com',
  'usbank.com',
  'pnc.com',
  'schwab.com',
];

export interface WindowOpenOptions {
  /** The emulator's loopback origin in emulator mode (its OAuth pop-up comes from there). */
  emulatorOrigin?: string | undefined;
}

export type WindowOpenDecision = 'deny' | 'allow-link-popup';

/** Pure decision: only Plaid, the listed banks (https, exact host or dot-bounded suffix) and the emulator. */
export function classifyWindowOpen(url: string, options: WindowOpenOptions = {}): WindowOpenDecision {
  const parsed = parseUrl(url);
  if (!parsed) return 'deny';
  if (options.emulatorOrigin !== undefined && isSameLoopbackOrigin(parsed, options.emulatorOrigin)) {
    return 'allow-link-popup';
  }
  if (!isPlainHttpsUrl(parsed)) return 'deny';
  const host = parsed.hostname;
  if (hostMatchesDomain(host, 'plaid.com')) return 'allow-link-popup';
  if (BANK_OAUTH_DOMAINS.some((domain) => hostMatchesDomain(host, domain))) return 'allow-link-popup';
  return 'deny';
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
  if (options.emulatorOrigin !== undefined && isSameLoopbackOrigin(parsed, options.emulatorOrigin)) return true;
  return isPlainHttpsUrl(parsed);
}

/** What the navigation guards need; Electron objects come in as parameters. */
export interface NavigationGuardDeps extends NavigationOptions, WindowOpenOptions {
  /** When given, a denied link that is on the external allowlist opens in the system browser. */
  shell?: Pick<Shell, 'openExternal'> | undefined;
  /** Told about every blocked navigation or pop-up (the URL is not secret, but keep it short). */
  onBlocked?: ((kind: 'navigation' | 'redirect' | 'webview' | 'window-open', url: string) => void) | undefined;
}

type GuardedContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;

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
  contents.on('will-redirect', (event, legacyUrl?: string) => {
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
  contents.on('did-create-window', (window: Pick<BrowserWindow, 'webContents'>) => {
    installPopupGuards(window.webContents, deps);
  });
}

/** Guards for a Link / OAuth pop-up: https navigation only, no webviews, nested pop-ups by the same rules. */
export function installPopupGuards(contents: GuardedContents, deps: WindowOpenOptions = {}): void {
  const guard = (event: { preventDefault(): void }, legacyUrl?: string) => {
    if (!isAllowedPopupNavigation(navigationUrl(event, legacyUrl), deps)) event.preventDefault();
  };
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => decideWindowOpen(url, deps));
}

// Electron ≥ 28 passes the URL on the event; older signatures passed it as the second argument.
function navigationUrl(event: unknown, legacyUrl: unknown): string {
  const fromEvent = (event as { url?: unknown } | null)?.url;
  if (typeof fromEvent === 'string') return fromEvent;
  return typeof legacyUrl === 'string' ? legacyUrl : '';
}

// ---------------------------------------------------------------------------------------------
// Permissions

/**
 * Denies every permission request and check. The app needs none: the main process writes the
 * clipboard and shows notifications, so the page never asks for clipboard or notification rights.
 */
export function installPermissionHandlers(
  session: Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'> &
    Partial<Pick<Session, 'setDevicePermissionHandler'>>,
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
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

export const SUPPORT_URL = 'https://assetdesk.example/support';

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
