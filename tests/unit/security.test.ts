import {
  APP_ORIGIN,
  FORBIDDEN_SWITCHES,
  PLAID_LINK_SCRIPT_URL,
  applyAppSwitches,
  buildContentSecurityPolicy,
  classifyWindowOpen,
  decideWindowOpen,
  installCspHeaders,
  installNavigationGuards,
  installPermissionHandlers,
  installPopupGuards,
  isAllowedExternalUrl,
  isAllowedNavigation,
  isAllowedPopupNavigation,
  openExternalSafely,
  parseContentSecurityPolicy,
  popupWebPreferences,
  secureWebPreferences,
} from '../../electron/main/security';

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
  fire(event: string, url: string): boolean {
    let prevented = false;
    const evt = { url, preventDefault: () => (prevented = true) };
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
      'default-src': ["'self'"],
      'script-src': ["'self'", 'https://cdn.plaid.com/link/v2/stable/link-initialize.js'],
      'frame-src': ['https://cdn.plaid.com'],
      'connect-src': ["'self'", 'https://sandbox.plaid.com'],
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

  it('adds only the emulator loopback origin in emulator mode', () => {
    const csp = parseContentSecurityPolicy(
      buildContentSecurityPolicy({ plaidLinkScriptOrigin: 'http://127.0.0.1:4010' }),
    );
    expect(csp['script-src']).toStrictEqual(["'self'", PLAID_LINK_SCRIPT_URL, 'http://127.0.0.1:4010']);
    expect(csp['frame-src']).toStrictEqual(['https://cdn.plaid.com', 'http://127.0.0.1:4010']);
    expect(csp['connect-src']).toStrictEqual(["'self'", 'http://127.0.0.1:4010']);
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
    installNavigationGuards(asContents(contents), {});
    expect(contents.windowOpenHandler?.({ url: 'https://evil.io/' })).toStrictEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'https://cdn.plaid.com/link/oauth' })).toMatchObject({
      action: 'allow',
    });

    const popup = new FakeContents();
    for (const listener of contents.listeners.get('did-create-window') ?? []) listener({ webContents: popup });
    expect(popup.fire('will-navigate', 'https://secure.chase.com/oauth')).toBe(false);
    expect(popup.fire('will-navigate', 'app://assetdesk/index.html')).toBe(true);
    expect(popup.fire('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(popup.fire('will-attach-webview', 'https://plaid.com/')).toBe(true);
    expect(popup.windowOpenHandler?.({ url: 'https://evil.io/' })).toStrictEqual({ action: 'deny' });
  });
});

describe('decideWindowOpen', () => {
  it.each([
    'https://cdn.plaid.com/link/v2/stable/link.html',
    'https://plaid.com/',
    'https://secure.plaid.com/oauth',
    'https://secure.chase.com/web/auth/oauth',
    'https://www.wellsfargo.com/oauth',
  ])('allows the Link / OAuth pop-up %s in a sandboxed window without preload', (url) => {
    const response = decideWindowOpen(url);
    expect(response.action).toBe('allow');
    const prefs = response.overrideBrowserWindowOptions?.webPreferences;
    expect(prefs).toStrictEqual(popupWebPreferences());
    expect(prefs && 'preload' in prefs).toBe(false);
  });

  it.each([
    'https://plaid.com.evil.io/',
    'https://evilplaid.com/',
    'https://xn--plid-loa.com/',
    'https://cdn.xn--pld-sla.com/',
    'https://plaid.com@evil.io/',
    'https://cdn.plaid.com:8443/',
    'https://user:pw@cdn.plaid.com/',
    'http://cdn.plaid.com/',
    'https://cdn.plaid.com./',
    'https://notchase.com/',
    'https://chase.com.evil.io/',
    'https://93.184.216.34/',
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

describe('installPopupGuards', () => {
  it('allows the emulator origin in emulator mode only', () => {
    const popup = new FakeContents();
    installPopupGuards(asContents(popup), { emulatorOrigin: 'http://127.0.0.1:4010' });
    expect(popup.fire('will-navigate', 'http://127.0.0.1:4010/oauth/done')).toBe(false);
    expect(popup.fire('will-redirect', 'http://127.0.0.1:9999/')).toBe(true);
  });
});
