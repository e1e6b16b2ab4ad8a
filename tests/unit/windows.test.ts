import { secureWebPreferences } from '../../electron/main/security';
import {
  DEV_SERVER_ENV,
  MAIN_WINDOW_URL,
  createMainWindow,
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
    expect(window.options.webPreferences).toStrictEqual(secureWebPreferences('/app/out/preload/index.cjs'));
    expect(mainWindowOptions('/p').webPreferences).toStrictEqual(secureWebPreferences('/p'));
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
