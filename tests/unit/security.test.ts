import {
  APP_ORIGIN,
  PLAID_LINK_CSP,
  isPermissionAllowed,
  FORBIDDEN_SWITCHES,
  applyAppSwitches,
  buildContentSecurityPolicy,
  CLEAR_LINK_SITE_DATA_AFTER,
  clearLinkSiteData,
  classifyWindowOpen,
  decideWindowOpen,
  installCspHeaders,
  installDefaultGuards,
  installNavigationGuards,
  installPermissionHandlers,
  installPopupGuards,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isAllowedPopupNavigation,
  openExternalSafely,
  parseContentSecurityPolicy,
  popupWebPreferences,
  receivedOAuthRedirect,
  secureWebPreferences,
} from '../../electron/main/security';
import { channelNames } from '../../shared/ipc/contract';

// The one allowed fake: Electron itself. A WebContents that records listeners so tests can fire events.
class FakeContents {
  listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  windowOpenHandler: ((details: { url: string }) => unknown) | undefined;
  on(event: string, listener: (...args: unknown[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown) {
    this.windowOpenHandler = handler;
  }
  /** Fires an event the way Electron ≥ 28 does (URL on the event); true when it was prevented. */
  createWindow(popup: FakeContents) {
    for (const listener of this.listeners.get('did-create-window') ?? []) listener({ webContents: popup });
  }
  fire(event: string, url: string, extra: Record<string, unknown> = {}): boolean {
    let prevented = false;
    const evt = { url, ...extra, preventDefault: () => (prevented = true) };
    for (const listener of this.listeners.get(event) ?? []) listener(evt, url);
    return prevented;
  }
}

function asContents(fake: FakeContents) {
  return fake as unknown as Parameters<typeof installNavigationGuards>[0];
}

describe('secureWebPreferences', () => {
  it('spells out every security option of the app window', () => {
    expect(secureWebPreferences('/app/out/preload/index.cjs')).toStrictEqual({
      preload: '/app/out/preload/index.cjs',
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
    });
  });

  it('gives pop-ups no preload, no Node and a sandbox', () => {
    const prefs = popupWebPreferences();
    expect('preload' in prefs).toBe(false);
    expect(prefs).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('buildContentSecurityPolicy', () => {
  const forbidden = [
    "'unsafe-eval'",
    "'unsafe-hashes'",
    "'wasm-unsafe-eval'",
    '*',
    'http:',
    'https:',
    'data:',
    'blob:',
  ];

  it('sets every directive for real Plaid exactly', () => {
    const csp = parseContentSecurityPolicy(buildContentSecurityPolicy({ plaidEnvironment: 'sandbox' }));
    expect(csp).toStrictEqual({
      'default-src': ["'self'", 'https://cdn.plaid.com/'],
      'script-src': ["'self'", 'https://cdn.plaid.com/link/v2/stable/link-initialize.js'],
      'frame-src': ['https://cdn.plaid.com/'],
      'connect-src': ["'self'", 'https://sandbox.plaid.com/'],
      'img-src': ["'self'", 'data:', 'blob:'],
      'style-src': ["'self'", "'unsafe-inline'"],
      'worker-src': ["'self'", 'blob:'],
      'font-src': ["'self'", 'data:'],
      'object-src': ["'none'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
    });
  });

  it.each(['sandbox', 'production'] as const)('contains every source Plaid publishes for Link in %s', (environment) => {
    const csp = parseContentSecurityPolicy(buildContentSecurityPolicy({ plaidEnvironment: environment }));
    for (const [directive, sources] of Object.entries(PLAID_LINK_CSP[environment])) {
      for (const source of sources) expect(csp[directive], `${directive} ${source}`).toContain(source);
    }
    // Each environment names its own API host and never the other one.
    const other = environment === 'sandbox' ? 'production' : 'sandbox';
    expect(csp['connect-src']).not.toContain(`https://${other}.plaid.com/`);
  });

  it("has nothing of Plaid's in emulator mode: only the emulator's loopback origin", () => {
    const policy = buildContentSecurityPolicy({
      plaidEnvironment: 'emulator',
      plaidLinkScriptOrigin: 'http://127.0.0.1:4010',
    });
    expect(policy).not.toContain('plaid.com');
    const csp = parseContentSecurityPolicy(policy);
    expect(csp['script-src']).toStrictEqual(["'self'", 'http://127.0.0.1:4010']);
    expect(csp['frame-src']).toStrictEqual(['http://127.0.0.1:4010']);
    expect(csp['connect-src']).toStrictEqual(["'self'", 'http://127.0.0.1:4010']);
    expect(csp['default-src']).toStrictEqual(["'self'"]);
  });

  it('allows no frames at all when no Link can run', () => {
    expect(parseContentSecurityPolicy(buildContentSecurityPolicy({}))['frame-src']).toStrictEqual(["'none'"]);
  });

  it("allows Vite's inline React preamble and hot-reload socket only with a dev server", () => {
    const dev = parseContentSecurityPolicy(
      buildContentSecurityPolicy({ plaidEnvironment: 'emulator', devServerOrigin: 'http://127.0.0.1:5173' }),
    );
    expect(dev['script-src']).toStrictEqual(["'self'", 'http://127.0.0.1:5173', "'unsafe-inline'"]);
    expect(dev['connect-src']).toStrictEqual(["'self'", 'http://127.0.0.1:5173', 'ws://127.0.0.1:5173']);
    for (const plaidEnvironment of ['emulator', 'sandbox', 'production'] as const) {
      const packaged = parseContentSecurityPolicy(buildContentSecurityPolicy({ plaidEnvironment }));
      expect(packaged['script-src']).not.toContain("'unsafe-inline'");
      expect(packaged['connect-src']?.some((s) => s.startsWith('ws:'))).toBe(false);
    }
    expect(() => buildContentSecurityPolicy({ devServerOrigin: 'http://evil.io:5173' })).toThrow(/loopback/);
  });

  it.each([undefined, 'production'] as const)(
    'never allows eval, inline scripts or wildcards (%s)',
    (plaidEnvironment) => {
      const csp = parseContentSecurityPolicy(buildContentSecurityPolicy({ plaidEnvironment }));
      const scriptish = [...(csp['script-src'] ?? []), ...(csp['default-src'] ?? []), ...(csp['connect-src'] ?? [])];
      for (const source of forbidden) expect(scriptish).not.toContain(source);
      expect(csp['script-src']).not.toContain("'unsafe-inline'");
      for (const sources of Object.values(csp)) for (const s of sources) expect(s).not.toMatch(/\*/);
    },
  );

  it('refuses a non-loopback "emulator" origin', () => {
    expect(() => buildContentSecurityPolicy({ plaidLinkScriptOrigin: 'http://evil.io:4010' })).toThrow(/loopback/);
    expect(() => buildContentSecurityPolicy({ plaidLinkScriptOrigin: 'https://127.0.0.1:4010/x' })).toThrow(/loopback/);
  });
});

describe('navigation lock', () => {
  it.each([
    ['app://assetdesk/index.html', true],
    ['app://assetdesk/#/applicants/1', true],
    ['app://evil/index.html', false],
    ['app://assetdesk.evil.io/', false],
    ['app://user@assetdesk/', false],
    ['https://cdn.plaid.com/link', false],
    ['file:///etc/passwd', false],
    ['http://127.0.0.1:5173/', false],
    ['javascript:alert(1)', false],
    ['not a url', false],
  ])('%s → %s', (url, allowed) => {
    expect(isAllowedNavigation(url)).toBe(allowed);
  });

  it('allows the dev server only when it is passed in', () => {
    expect(isAllowedNavigation('http://127.0.0.1:5173/', { devServerOrigin: 'http://127.0.0.1:5173' })).toBe(true);
    expect(isAllowedNavigation('http://127.0.0.1:5174/', { devServerOrigin: 'http://127.0.0.1:5173' })).toBe(false);
  });

  it('prevents off-origin navigation, redirects and webviews, and opens allowlisted links externally', async () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    const blocked: string[] = [];
    installNavigationGuards(asContents(contents), {
      shell: { openExternal: async (url: string) => void opened.push(url) },
      onBlocked: (kind) => blocked.push(kind),
    });
    expect(contents.fire('will-navigate', `${APP_ORIGIN}/index.html`)).toBe(false);
    expect(contents.fire('will-navigate', 'https://evil.io/')).toBe(true);
    expect(contents.fire('will-navigate', 'https://plaid.com/docs/assets/')).toBe(true);
    expect(contents.fire('will-redirect', 'https://evil.io/')).toBe(true);
    expect(contents.fire('will-attach-webview', 'https://plaid.com/')).toBe(true);
    await Promise.resolve();
    expect(opened).toStrictEqual(['https://plaid.com/docs/assets/']);
    expect(blocked).toStrictEqual(['navigation', 'navigation', 'redirect', 'webview']);
  });

  it('answers window.open through decideWindowOpen and guards the pop-ups it creates', () => {
    const contents = new FakeContents();
    const popups: unknown[] = [];
    installNavigationGuards(asContents(contents), { onPopup: (w) => popups.push(w) });
    expect(contents.windowOpenHandler?.({ url: 'http://evil.io/' })).toStrictEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://cdn.plaid.com/link/oauth' })).toMatchObject({
      action: 'allow',
    });

    const popup = new FakeContents();
    contents.createWindow(popup);
    expect(popups).toHaveLength(1);
    expect(popup.fire('will-navigate', 'https://secure.chase.com/oauth')).toBe(false);
    expect(popup.fire('will-navigate', 'app://assetdesk/index.html')).toBe(true);
    expect(popup.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(popup.fire('will-attach-webview', 'https://plaid.com/')).toBe(true);
    expect(popup.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toStrictEqual({ action: 'deny' });
  });

  it('gives pop-ups opened from pop-ups the same guards, however deep', () => {
    const contents = new FakeContents();
    const popups: unknown[] = [];
    installNavigationGuards(asContents(contents), { onPopup: (w) => popups.push(w) });
    const first = new FakeContents();
    contents.createWindow(first);
    const second = new FakeContents();
    first.createWindow(second);
    const third = new FakeContents();
    second.createWindow(third);
    expect(popups).toHaveLength(3);
    for (const popup of [second, third]) {
      expect(popup.fire('will-navigate', 'app://assetdesk/index.html')).toBe(true);
      expect(popup.fire('will-redirect', 'http://evil.io/')).toBe(true);
      expect(popup.fire('will-attach-webview', 'https://plaid.com/')).toBe(true);
      expect(popup.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toStrictEqual({ action: 'deny' });
      expect(popup.fire('will-navigate', 'https://bank.example/')).toBe(false);
    }
  });

  it("lets Plaid's frame be redirected, but not the top frame", () => {
    const contents = new FakeContents();
    installNavigationGuards(asContents(contents), {});
    expect(contents.fire('will-redirect', 'https://cdn.plaid.com/link/v2/x', { isMainFrame: false })).toBe(false);
    expect(contents.fire('will-redirect', 'https://evil.io/', { isMainFrame: true })).toBe(true);
    expect(contents.fire('will-redirect', `${APP_ORIGIN}/index.html`, { isMainFrame: true })).toBe(false);
  });

  it('reads the emulator origin at each decision, so a switch needs no new window', () => {
    let emulatorOrigin: string | undefined;
    const contents = new FakeContents();
    installNavigationGuards(asContents(contents), { emulatorOrigin: () => emulatorOrigin });
    expect(contents.windowOpenHandler?.({ url: 'http://127.0.0.1:4010/oauth' })).toStrictEqual({ action: 'deny' });
    emulatorOrigin = 'http://127.0.0.1:4010';
    expect(contents.windowOpenHandler?.({ url: 'http://127.0.0.1:4010/oauth' })).toMatchObject({ action: 'allow' });
    emulatorOrigin = undefined;
    expect(contents.windowOpenHandler?.({ url: 'http://127.0.0.1:4010/oauth' })).toStrictEqual({ action: 'deny' });
  });
});

describe('decideWindowOpen', () => {
  it.each([
    'https://cdn.plaid.com/link/v2/stable/link.html',
    'https://secure.plaid.com/oauth',
    'https://secure.chase.com/web/auth/oauth',
    'https://www.wellsfargo.com/oauth',
    // OAuth banks are many and change: any https bank page Link opens is allowed.
    'https://online.firstcommunitycu.org/oauth/authorize?state=x',
    'https://notchase.com/',
  ])('allows the Link / OAuth pop-up %s in a sandboxed window without preload', (url) => {
    const response = decideWindowOpen(url);
    expect(response.action).toBe('allow');
    const prefs = response.overrideBrowserWindowOptions?.webPreferences;
    expect(prefs).toStrictEqual(popupWebPreferences());
    expect(prefs && 'preload' in prefs).toBe(false);
    // A window.open child lives in its opener's session whatever `partition` says (clearLinkSiteData cleans it).
    expect(prefs && ('partition' in prefs || 'session' in prefs)).toBe(false);
  });

  it.each([
    'https://xn--plid-loa.com/',
    'https://cdn.xn--pld-sla.com/',
    'https://plaid.com@evil.io/',
    'https://cdn.plaid.com:8443/',
    'https://user:pw@cdn.plaid.com/',
    'http://cdn.plaid.com/',
    'https://cdn.plaid.com./',
    'https://93.184.216.34/',
    // The officer's external links go to the system browser, never a pop-up.
    'https://plaid.com/docs/',
    'https://www.fanniemae.com/',
    'app://assetdesk/index.html',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'about:blank',
    'http://127.0.0.1:4010/link',
    '',
  ])('denies %s', (url) => {
    expect(classifyWindowOpen(url)).toBe('deny');
    expect(decideWindowOpen(url)).toStrictEqual({ action: 'deny' });
  });

  it('allows the emulator origin only when given, and only that origin', () => {
    const emulatorOrigin = 'http://127.0.0.1:4010';
    expect(classifyWindowOpen('http://127.0.0.1:4010/oauth?x=1', { emulatorOrigin })).toBe('allow-link-popup');
    expect(classifyWindowOpen('http://127.0.0.1:4011/oauth', { emulatorOrigin })).toBe('deny');
    expect(classifyWindowOpen('http://localhost:4010/oauth', { emulatorOrigin })).toBe('deny');
    expect(classifyWindowOpen('http://u@127.0.0.1:4010/oauth', { emulatorOrigin })).toBe('deny');
    expect(classifyWindowOpen('http://evil.io:4010/', { emulatorOrigin: 'http://evil.io:4010' })).toBe('deny');
  });

  it('lets a pop-up move between https hosts but nowhere else', () => {
    expect(isAllowedPopupNavigation('https://bank.example.com/login')).toBe(true);
    expect(isAllowedPopupNavigation('http://bank.example.com/login')).toBe(false);
    expect(isAllowedPopupNavigation('https://x@bank.example.com/')).toBe(false);
    expect(isAllowedPopupNavigation('app://assetdesk/')).toBe(false);
  });
});

describe("clearing Link's site data", () => {
  it("clears every site's data in every context but our page's own origins", async () => {
    const calls: unknown[] = [];
    await clearLinkSiteData({ clearData: async (options) => void calls.push(options) }, [APP_ORIGIN]);
    expect(calls).toStrictEqual([{ excludeOrigins: [APP_ORIGIN], originMatchingMode: 'origin-in-all-contexts' }]);
  });

  it('follows the calls that begin and end a borrower’s turn and finish Link, all in the contract', () => {
    for (const channel of CLEAR_LINK_SITE_DATA_AFTER) expect(channelNames).toContain(channel);
    expect(CLEAR_LINK_SITE_DATA_AFTER).toEqual(
      expect.arrayContaining(['handoff:start', 'handoff:end', 'handoff:endWithOs', 'link:complete']),
    );
  });
});

describe('permissions', () => {
  it('denies every request and check', () => {
    let requestHandler: ((...a: unknown[]) => void) | undefined;
    let checkHandler: ((...a: unknown[]) => boolean) | undefined;
    let deviceHandler: ((...a: unknown[]) => boolean) | undefined;
    installPermissionHandlers({
      setPermissionRequestHandler: (h: unknown) => void (requestHandler = h as typeof requestHandler),
      setPermissionCheckHandler: (h: unknown) => void (checkHandler = h as typeof checkHandler),
      setDevicePermissionHandler: (h: unknown) => void (deviceHandler = h as typeof deviceHandler),
    } as unknown as Parameters<typeof installPermissionHandlers>[0]);

    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'clipboard-sanitized-write',
      'openExternal',
      'unknown',
    ]) {
      const answers: boolean[] = [];
      requestHandler?.({}, permission, (granted: boolean) => answers.push(granted), {});
      expect(answers).toStrictEqual([false]);
      expect(checkHandler?.(null, permission, APP_ORIGIN, {})).toBe(false);
    }
    expect(deviceHandler?.({ deviceType: 'usb', origin: APP_ORIGIN })).toBe(false);
  });

  // Chromium's Local Network Access asks before a page reaches loopback. Whether it treats
  // app://assetdesk as public is Chromium's call, so the app grants it narrowly rather than rely on it.
  it('grants loopback access to our top frame only while the emulator runs', () => {
    let emulatorOrigin: string | undefined = 'http://127.0.0.1:4010';
    let requestHandler: ((...a: unknown[]) => void) | undefined;
    let checkHandler: ((...a: unknown[]) => boolean) | undefined;
    installPermissionHandlers(
      {
        setPermissionRequestHandler: (h: unknown) => void (requestHandler = h as typeof requestHandler),
        setPermissionCheckHandler: (h: unknown) => void (checkHandler = h as typeof checkHandler),
      } as unknown as Parameters<typeof installPermissionHandlers>[0],
      { emulatorOrigin: () => emulatorOrigin },
    );
    const ask = (permission: string, requestingUrl: string, isMainFrame = true) => {
      const answers: boolean[] = [];
      requestHandler?.({}, permission, (granted: boolean) => answers.push(granted), { requestingUrl, isMainFrame });
      const check = checkHandler?.(null, permission, '', { requestingUrl, isMainFrame });
      expect(answers).toStrictEqual([check]);
      return check;
    };
    for (const permission of ['local-network-access', 'loopback-network', 'local-network']) {
      expect(ask(permission, 'app://assetdesk/index.html')).toBe(true);
      expect(ask(permission, 'app://assetdesk/index.html', false)).toBe(false);
      expect(ask(permission, 'https://cdn.plaid.com/link/v2/stable/link.html')).toBe(false);
      expect(ask(permission, 'https://bank.example/')).toBe(false);
    }
    expect(ask('clipboard-read', 'app://assetdesk/index.html')).toBe(false);
    emulatorOrigin = undefined;
    expect(ask('local-network-access', 'app://assetdesk/index.html')).toBe(false);
    expect(isPermissionAllowed('loopback-network', 'app://assetdesk/', {})).toBe(false);
  });
});

describe('external links', () => {
  it.each([
    'https://plaid.com/docs/assets/',
    'https://my.plaid.com/',
    'https://www.fanniemae.com/',
    'https://guide.freddiemac.com/app/guide/section/5501.1',
    'https://assetdesk.example/support',
  ])('opens %s', async (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
    const opened: string[] = [];
    expect(await openExternalSafely({ openExternal: async (u: string) => void opened.push(u) }, url)).toBe(true);
    expect(opened).toStrictEqual([new URL(url).href]);
  });

  it.each([
    'http://plaid.com/docs',
    'https://plaid.com.evil.io/',
    'https://evilplaid.com/',
    'https://my.plaid.com@evil.io/',
    'https://user:pw@my.plaid.com/',
    'https://my.plaid.com:444/',
    'https://docs.plaid.com.attacker.net/',
    'https://cdn.plaid.com/', // a subdomain of an allowed host is not on the list
    'https://xn--fnniemae-bxa.com/',
    'file:///etc/passwd',
    'smb://fanniemae.com/share',
    'javascript:alert(1)',
    'ms-msdt:/id PCWDiagnostic',
    'https:/\\evil.io',
    '',
  ])('refuses %s', async (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
    const opened: string[] = [];
    expect(await openExternalSafely({ openExternal: async (u: string) => void opened.push(u) }, url)).toBe(false);
    expect(opened).toStrictEqual([]);
  });
});

describe('applyAppSwitches', () => {
  it('enables the sandbox and reports forbidden switches the app was launched with', () => {
    const calls: string[] = [];
    const launched = new Set(['remote-debugging-port', 'lang']);
    const result = applyAppSwitches({
      enableSandbox: () => void calls.push('enableSandbox'),
      commandLine: { hasSwitch: (name: string) => launched.has(name) },
    });
    expect(calls).toStrictEqual(['enableSandbox']);
    expect(result.forbiddenSwitchesPresent).toStrictEqual(['remote-debugging-port']);
  });

  it('lists the insecure switches the static check looks for', () => {
    for (const name of [
      'no-sandbox',
      'disable-web-security',
      'ignore-certificate-errors',
      'allow-running-insecure-content',
      'enable-experimental-web-platform-features',
    ]) {
      expect(FORBIDDEN_SWITCHES).toContain(name);
    }
  });
});

describe('installCspHeaders', () => {
  type Listener = (
    details: { url: string; responseHeaders?: Record<string, string[]> },
    cb: (r: unknown) => void,
  ) => void;
  function install(options?: { devServerOrigin?: string }, policy: string | (() => string) = "default-src 'self'") {
    let listener: Listener | undefined;
    const session = { webRequest: { onHeadersReceived: (l: unknown) => void (listener = l as Listener) } };
    installCspHeaders(session as unknown as Parameters<typeof installCspHeaders>[0], policy, options);
    return (url: string, responseHeaders: Record<string, string[]> = {}) => {
      let answer: unknown;
      listener?.({ url, responseHeaders }, (r) => (answer = r));
      return answer as { responseHeaders?: Record<string, string[]> };
    };
  }

  it('replaces any CSP on our own responses and adds nosniff', () => {
    const respond = install();
    const answer = respond('app://assetdesk/index.html', {
      'content-security-policy': ["script-src * 'unsafe-eval'"],
      'Content-Type': ['text/html'],
    });
    expect(answer.responseHeaders).toStrictEqual({
      'Content-Type': ['text/html'],
      'Content-Security-Policy': ["default-src 'self'"],
      'X-Content-Type-Options': ['nosniff'],
    });
  });

  it('reads a policy function on every response', () => {
    let policy = "default-src 'self'";
    const respond = install({}, () => policy);
    expect(respond('app://assetdesk/').responseHeaders?.['Content-Security-Policy']).toStrictEqual([policy]);
    policy = "default-src 'none'";
    expect(respond('app://assetdesk/').responseHeaders?.['Content-Security-Policy']).toStrictEqual([policy]);
  });

  it("leaves Plaid's and other sites' headers alone", () => {
    const respond = install({ devServerOrigin: 'http://127.0.0.1:5173' });
    expect(respond('https://cdn.plaid.com/link/v2/stable/link.html')).toStrictEqual({});
    expect(respond('http://127.0.0.1:4010/link')).toStrictEqual({});
    expect(respond('http://127.0.0.1:5173/').responseHeaders?.['Content-Security-Policy']).toStrictEqual([
      "default-src 'self'",
    ]);
  });
});

describe('installDefaultGuards', () => {
  it('locks any web contents: no webview, no pop-up', () => {
    const contents = new FakeContents();
    installDefaultGuards(asContents(contents));
    expect(contents.fire('will-attach-webview', 'https://plaid.com/')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://cdn.plaid.com/link' })).toStrictEqual({ action: 'deny' });
  });
});

describe('installPopupGuards', () => {
  it('allows the emulator origin in emulator mode only', () => {
    const popup = new FakeContents();
    installPopupGuards(asContents(popup), { emulatorOrigin: 'http://127.0.0.1:4010' });
    expect(popup.fire('will-navigate', 'http://127.0.0.1:4010/oauth/done')).toBe(false);
    expect(popup.fire('will-redirect', 'http://127.0.0.1:9999/')).toBe(true);
  });
});

describe('the OAuth return to the registered redirect URI', () => {
  const registered = 'https://assetdesk.example.com/oauth-return';

  it('recognises only the registered address with Plaid’s state on it', () => {
    const back = `${registered}?oauth_state_id=421-abc`;
    expect(receivedOAuthRedirect(back, registered)).toBe(back);
    expect(receivedOAuthRedirect(back, null)).toBeNull();
    expect(receivedOAuthRedirect(registered, registered)).toBeNull();
    expect(receivedOAuthRedirect('https://assetdesk.example.com/elsewhere?oauth_state_id=1', registered)).toBeNull();
    expect(receivedOAuthRedirect('https://evil.example/oauth-return?oauth_state_id=1', registered)).toBeNull();
    expect(receivedOAuthRedirect('http://assetdesk.example.com/oauth-return?oauth_state_id=1', registered)).toBeNull();
    expect(
      receivedOAuthRedirect('https://user:pw@assetdesk.example.com/oauth-return?oauth_state_id=1', registered),
    ).toBeNull();
    // Sandbox lets the officer register http://localhost.
    expect(receivedOAuthRedirect('http://localhost:3000/cb?oauth_state_id=9', 'http://localhost:3000/cb')).toBe(
      'http://localhost:3000/cb?oauth_state_id=9',
    );
  });

  it('stops the pop-up there and hands the full address on, also in nested pop-ups and on redirects', () => {
    const window = new FakeContents();
    const returned: string[] = [];
    installNavigationGuards(asContents(window), {
      oauthRedirectUri: () => registered,
      onOAuthReturn: (url) => returned.push(url),
    });
    const popup = new FakeContents();
    window.createWindow(popup);
    expect(popup.fire('will-navigate', 'https://bank.example/consent')).toBe(false);
    expect(popup.fire('will-navigate', `${registered}?oauth_state_id=s1`)).toBe(true);
    const nested = new FakeContents();
    popup.createWindow(nested);
    expect(nested.fire('will-redirect', `${registered}?oauth_state_id=s2`)).toBe(true);
    expect(returned).toEqual([`${registered}?oauth_state_id=s1`, `${registered}?oauth_state_id=s2`]);
    // Opened as yet another window: no window, the same hand-over.
    expect(nested.windowOpenHandler?.({ url: `${registered}?oauth_state_id=s3` })).toStrictEqual({ action: 'deny' });
    expect(returned).toHaveLength(3);
    expect(nested.windowOpenHandler?.({ url: 'https://bank.example/step-2' })).toMatchObject({ action: 'allow' });
  });

  it('leaves the pop-up alone when no redirect URI is registered (emulator mode)', () => {
    const popup = new FakeContents();
    const returned: string[] = [];
    installPopupGuards(asContents(popup), { oauthRedirectUri: () => null, onOAuthReturn: (u) => returned.push(u) });
    expect(popup.fire('will-navigate', `${registered}?oauth_state_id=s1`)).toBe(false);
    expect(returned).toEqual([]);
  });
});
