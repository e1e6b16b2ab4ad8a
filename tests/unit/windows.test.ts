import { createEnvironmentPolicy, environmentSwitchListener } from '../../electron/main/environment-policy';
import { parseContentSecurityPolicy, secureWebPreferences } from '../../electron/main/security';
import {
  DEV_SERVER_ENV,
  MAIN_WINDOW_URL,
  applicationMenuTemplate,
  createMainWindow,
  createWindowController,
  mainWindowOptions,
  mainWindowUrl,
} from '../../electron/main/windows';

// Stand-in for Electron's BrowserWindow (the one allowed fake): records what the app asks of it.
class FakeBrowserWindow {
  static created: FakeBrowserWindow[] = [];
  loaded: string[] = [];
  shown = 0;
  onceListeners = new Map<string, () => void>();
  webContents = {
    events: [] as string[],
    windowOpenHandler: undefined as unknown,
    on(event: string) {
      this.events.push(event);
      return this;
    },
    setWindowOpenHandler(handler: unknown) {
      this.windowOpenHandler = handler;
    },
  };
  constructor(readonly options: Record<string, unknown>) {
    FakeBrowserWindow.created.push(this);
  }
  once(event: string, listener: () => void) {
    this.onceListeners.set(event, listener);
    return this;
  }
  show() {
    this.shown += 1;
  }
  guardsAtLoad: string[] = [];
  async loadURL(url: string) {
    this.guardsAtLoad = [...this.webContents.events];
    this.loaded.push(url);
  }
}
function create(deps: Partial<Parameters<typeof createMainWindow>[1]> = {}) {
  const window = createMainWindow(FakeBrowserWindow as unknown as Parameters<typeof createMainWindow>[0], {
    app: { isPackaged: true },
    preloadPath: '/app/out/preload/index.cjs',
    env: {},
    ...deps,
  }) as unknown as FakeBrowserWindow;
  return window;
}

describe('createMainWindow', () => {
  it('uses the secure webPreferences, a minimum size and the AssetDesk title', () => {
    const window = create();
    expect(window.options).toMatchObject({ title: 'AssetDesk', show: false, minWidth: 960, minHeight: 640 });
    expect(window.options.webPreferences).toStrictEqual({
      ...secureWebPreferences('/app/out/preload/index.cjs'),
      devTools: false,
    });
    expect(mainWindowOptions('/p').webPreferences).toStrictEqual({ ...secureWebPreferences('/p'), devTools: true });
  });

  it('has no developer tools in a packaged app', () => {
    expect(mainWindowOptions('/p', true).webPreferences?.devTools).toBe(false);
    expect(create({ app: { isPackaged: true } }).options.webPreferences).toMatchObject({ devTools: false });
  });

  it('loads app://assetdesk/index.html and shows only when ready', () => {
    const window = create();
    expect(window.loaded).toStrictEqual(['app://assetdesk/index.html']);
    expect(window.shown).toBe(0);
    window.onceListeners.get('ready-to-show')?.();
    expect(window.shown).toBe(1);
  });

  it('installs the navigation guards before loading', () => {
    const window = create();
    expect(window.guardsAtLoad).toEqual(
      expect.arrayContaining(['will-navigate', 'will-redirect', 'will-attach-webview', 'did-create-window']),
    );
    expect(typeof window.webContents.windowOpenHandler).toBe('function');
  });

  it('reports a failed first load', async () => {
    const failures: unknown[] = [];
    class Failing extends FakeBrowserWindow {
      override async loadURL(): Promise<void> {
        throw new Error('ERR_FILE_NOT_FOUND');
      }
    }
    createMainWindow(Failing as unknown as Parameters<typeof createMainWindow>[0], {
      app: { isPackaged: true },
      preloadPath: '/p',
      env: {},
      onLoadFailed: (e) => failures.push(e),
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toHaveLength(1);
  });

  it('says when the first load finished, and only then', async () => {
    let finish: () => void = () => undefined;
    class Slow extends FakeBrowserWindow {
      override loadURL(): Promise<void> {
        return new Promise((resolve) => (finish = resolve));
      }
    }
    const loaded: string[] = [];
    createMainWindow(Slow as unknown as Parameters<typeof createMainWindow>[0], {
      app: { isPackaged: true },
      preloadPath: '/p',
      env: {},
      onLoaded: () => loaded.push('loaded'),
      onLoadFailed: () => loaded.push('failed'),
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(loaded).toStrictEqual([]);
    finish();
    await new Promise((resolve) => setImmediate(resolve));
    expect(loaded).toStrictEqual(['loaded']);
  });
});

describe('mainWindowUrl', () => {
  it('ignores the dev server in a packaged app', () => {
    expect(mainWindowUrl({ isPackaged: true }, { [DEV_SERVER_ENV]: 'http://127.0.0.1:5173' })).toBe(MAIN_WINDOW_URL);
  });

  it('uses a loopback dev server only when unpackaged and the variable is set', () => {
    expect(mainWindowUrl({ isPackaged: false }, {})).toBe(MAIN_WINDOW_URL);
    expect(mainWindowUrl({ isPackaged: false }, { [DEV_SERVER_ENV]: 'http://localhost:5173/' })).toBe(
      'http://localhost:5173/',
    );
    expect(() => mainWindowUrl({ isPackaged: false }, { [DEV_SERVER_ENV]: 'https://evil.io/' })).toThrow(/loopback/);
  });

  it('lets the dev-server window navigate within the dev server', () => {
    const window = create({ app: { isPackaged: false }, env: { [DEV_SERVER_ENV]: 'http://127.0.0.1:5173' } });
    expect(window.loaded).toStrictEqual(['http://127.0.0.1:5173/']);
  });
});

describe('applicationMenuTemplate', () => {
  it('keeps editing and window roles only in a packaged app (no reload, no developer tools)', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const template = applicationMenuTemplate(platform, true);
      expect(template).not.toBeNull();
      const roles = (template ?? []).map((item) => item.role);
      expect(roles).toContain('editMenu');
      for (const role of ['viewMenu', 'toggleDevTools', 'reload', 'forceReload']) expect(roles).not.toContain(role);
    }
    expect(applicationMenuTemplate('darwin', true)?.[0]?.role).toBe('appMenu');
    expect(applicationMenuTemplate('linux', false)).toBeNull();
  });
});

/** A window as the controller sees it: Electron's 'closed' fires once, then the object is destroyed. */
class TrackedWindow {
  static made = 0;
  destroyed = false;
  minimized = false;
  restored = 0;
  focused = 0;
  private closedListeners: (() => void)[] = [];
  constructor() {
    TrackedWindow.made += 1;
  }
  on(event: string, listener: () => void) {
    if (event === 'closed') this.closedListeners.push(listener);
    return this;
  }
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
    return this.minimized;
  }
  restore() {
    this.restored += 1;
  }
  focus() {
    if (this.destroyed) throw new TypeError('Object has been destroyed');
    this.focused += 1;
  }
  close() {
    this.destroyed = true;
    for (const listener of this.closedListeners) listener();
  }
}

function controller(started: Promise<unknown> = Promise.resolve()) {
  const made: TrackedWindow[] = [];
  const windows = createWindowController({
    started,
    create: () => {
      const window = new TrackedWindow();
      made.push(window);
      return window as unknown as ReturnType<Parameters<typeof createWindowController>[0]['create']>;
    },
  });
  return { windows, made };
}

describe('createWindowController', () => {
  it('makes a new window after every close, however the previous one was opened (macOS Dock)', async () => {
    const { windows, made } = controller();
    for (let round = 1; round <= 3; round += 1) {
      const window = await windows.open();
      expect(made).toHaveLength(round);
      (window as unknown as TrackedWindow).close();
      expect(windows.current()).toBeNull();
    }
  });

  it('focuses (and restores) the live window on a second launch instead of making another', async () => {
    const { windows, made } = controller();
    const first = (await windows.open()) as unknown as TrackedWindow;
    first.minimized = true;
    expect(await windows.open()).toBe(first);
    expect(made).toHaveLength(1);
    expect(first.restored).toBe(1);
    expect(first.focused).toBe(1);
  });

  it('never touches a destroyed window: a second launch after the window closed opens a new one', async () => {
    const { windows, made } = controller();
    const first = (await windows.open()) as unknown as TrackedWindow;
    // Destroyed without our 'closed' listener having run (e.g. destroyed during teardown).
    first.destroyed = true;
    await expect(windows.open()).resolves.not.toBe(first);
    expect(made).toHaveLength(2);
  });

  it('makes no window before start-up finished, and one window for several early requests', async () => {
    let finish: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (finish = resolve));
    const { windows, made } = controller(started);
    const first = windows.open();
    const second = windows.open();
    await new Promise((resolve) => setImmediate(resolve));
    expect(made).toHaveLength(0);
    finish();
    expect(await first).toBe(await second);
    expect(made).toHaveLength(1);
  });

  it('makes no window when start-up fails', async () => {
    const { windows, made } = controller(Promise.reject(new Error('keychain locked')));
    await expect(windows.open()).rejects.toThrow('keychain locked');
    await expect(windows.open()).rejects.toThrow('keychain locked');
    expect(made).toHaveLength(0);
  });
});

describe('createEnvironmentPolicy', () => {
  it("follows a switch: Plaid's sources for Sandbox, the emulator's origin for the emulator", () => {
    const policy = createEnvironmentPolicy({ environment: 'sandbox', emulatorOrigin: null });
    expect(policy.csp()).toContain('https://sandbox.plaid.com/');
    expect(policy.emulatorOrigin()).toBeUndefined();

    expect(policy.update('emulator', 'http://127.0.0.1:4010')).toBe(true);
    const emulator = parseContentSecurityPolicy(policy.csp());
    expect(emulator['script-src']).toContain('http://127.0.0.1:4010');
    expect(policy.csp()).not.toContain('plaid.com');
    expect(policy.emulatorOrigin()).toBe('http://127.0.0.1:4010');
    expect(policy.update('emulator', 'http://127.0.0.1:4010')).toBe(false);

    expect(policy.update('production', 'http://127.0.0.1:4010')).toBe(true);
    expect(policy.emulatorOrigin()).toBeUndefined();
    expect(policy.csp()).toContain('https://production.plaid.com/');
    expect(policy.csp()).not.toContain('127.0.0.1');
  });
});

describe('environmentSwitchListener', () => {
  it('closes Link pop-ups and reloads the page when the policy changed, and only then', () => {
    const policy = createEnvironmentPolicy({ environment: 'emulator', emulatorOrigin: 'http://127.0.0.1:4010' });
    const done: string[] = [];
    const listener = environmentSwitchListener({
      policy: () => policy,
      closeLinkPopups: () => done.push('close pop-ups'),
      reloadPage: () => done.push('reload'),
    });
    listener('emulator', 'http://127.0.0.1:4010');
    expect(done).toStrictEqual([]);
    listener('sandbox', null);
    expect(done).toStrictEqual(['close pop-ups', 'reload']);
    expect(policy.csp()).toContain('https://sandbox.plaid.com/');
    // The emulator restarted on another port: its new origin is a change too.
    listener('emulator', 'http://127.0.0.1:4999');
    expect(done).toHaveLength(4);
    expect(policy.emulatorOrigin()).toBe('http://127.0.0.1:4999');
  });

  it('does nothing before start-up has made a policy', () => {
    const done: string[] = [];
    environmentSwitchListener({
      policy: () => null,
      closeLinkPopups: () => done.push('x'),
      reloadPage: () => done.push('y'),
    })('sandbox', null);
    expect(done).toStrictEqual([]);
  });
});
