import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { channelNames } from '../../shared/ipc/contract';

/**
 * electron/main/index.ts with Electron mocked (the binary cannot run here) and every other part
 * real: services, store, keychain (Secret Service from `npm test`), emulator.
 */
const calls: string[] = [];
const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
const appListeners = new Map<string, (...args: unknown[]) => void>();
const windows: { options: Record<string, unknown>; loaded: string[]; webContents: Record<string, unknown> }[] = [];
let protocolHandler: ((request: Request) => Promise<Response>) | null = null;
let permissionRequest: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | null = null;
let readyResolve: () => void = () => undefined;
const userData = mkdtempSync(join(tmpdir(), 'assetdesk-main-'));

vi.mock('electron', () => {
  class FakeWebContents {
    listeners = new Map<string, unknown>();
    windowOpenHandler: unknown = null;
    mainFrame = {};
    on(name: string, fn: unknown) {
      this.listeners.set(name, fn);
      return this;
    }
    setWindowOpenHandler(fn: unknown) {
      this.windowOpenHandler = fn;
    }
    isDestroyed() {
      return false;
    }
    send() {
      /* events */
    }
  }
  class BrowserWindow {
    static all: BrowserWindow[] = [];
    static getAllWindows() {
      return BrowserWindow.all;
    }
    webContents = new FakeWebContents();
    loaded: string[] = [];
    constructor(public options: Record<string, unknown>) {
      calls.push('BrowserWindow');
      BrowserWindow.all.push(this);
      windows.push(this as never);
    }
    once() {
      return this;
    }
    on() {
      return this;
    }
    show() {}
    async loadURL(url: string) {
      this.loaded.push(url);
    }
  }
  const app = {
    isPackaged: false,
    commandLine: { hasSwitch: () => false },
    enableSandbox: () => calls.push('enableSandbox'),
    requestSingleInstanceLock: () => true,
    getPath: () => userData,
    getVersion: () => '0.0.0-test',
    whenReady: () => {
      calls.push('whenReady');
      return new Promise<void>((r) => (readyResolve = r));
    },
    on: (name: string, fn: (...args: unknown[]) => void) => appListeners.set(name, fn),
    quit: () => calls.push('quit'),
    exit: () => calls.push('exit'),
  };
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (fn: never) => {
        permissionRequest = fn;
        calls.push('setPermissionRequestHandler');
      },
      setPermissionCheckHandler: () => calls.push('setPermissionCheckHandler'),
      setDevicePermissionHandler: () => undefined,
      webRequest: { onHeadersReceived: () => calls.push('onHeadersReceived') },
    },
  };
  return {
    app,
    BrowserWindow,
    session,
    ipcMain: { handle: (name: string, fn: never) => handlers.set(name, fn) },
    protocol: {
      registerSchemesAsPrivileged: () => calls.push('registerSchemesAsPrivileged'),
      handle: (scheme: string, fn: never) => {
        calls.push(`protocol.handle:${scheme}`);
        protocolHandler = fn;
      },
    },
    net: { fetch: (url: string) => fetch(url) },
    dialog: {
      showErrorBox: (...a: unknown[]) => calls.push(`error:${String(a[1])}`),
      showSaveDialog: async () => ({ canceled: true }),
      showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    },
    clipboard: { writeText: () => undefined },
    shell: { openExternal: async () => undefined },
    Notification: Object.assign(
      function Notification() {
        return { show() {} };
      },
      { isSupported: () => false },
    ),
  };
});

describe('main process startup (Electron mocked, services real)', () => {
  beforeAll(async () => {
    await import('../../electron/main/index');
    expect(calls.slice(0, 2)).toEqual(['enableSandbox', 'registerSchemesAsPrivileged']);
    readyResolve();
    await vi.waitFor(() => expect(windows.length).toBe(1), { timeout: 30_000, interval: 50 });
  }, 60_000);

  afterAll(async () => {
    const beforeQuit = appListeners.get('before-quit');
    beforeQuit?.({ preventDefault: () => undefined });
    await vi.waitFor(() => expect(calls).toContain('quit'), { timeout: 20_000 });
  }, 30_000);

  it('sandboxes renderers and registers app:// privileges before the app is ready', () => {
    expect(calls.indexOf('enableSandbox')).toBeLessThan(calls.indexOf('whenReady'));
    expect(calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(calls.indexOf('whenReady'));
  });

  it('denies permission requests and serves the UI from app://', async () => {
    expect(calls).toContain('setPermissionCheckHandler');
    let granted: boolean | null = null;
    permissionRequest!({}, 'media', (ok) => (granted = ok));
    expect(granted).toBe(false);
    expect(calls).toContain('protocol.handle:app');
    const traversal = await protocolHandler!(new Request('app://assetdesk/..%2f..%2fpackage.json'));
    expect(traversal.status).toBe(404);
  });

  it('opens one window with the secure preferences and the app URL', () => {
    const prefs = windows[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, nodeIntegration: false, sandbox: true, webSecurity: true });
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(windows[0]!.loaded).toEqual(['app://assetdesk/index.html']);
  });

  it('registers every contract channel, answers our page and refuses a subframe', async () => {
    expect([...handlers.keys()].sort()).toEqual([...channelNames].sort());
    const mainFrame = { url: 'app://assetdesk/index.html' };
    const info = (await handlers.get('app:info')!({ senderFrame: mainFrame, sender: { mainFrame } }, {})) as {
      ok: boolean;
      value: { environment: string };
    };
    expect(info).toMatchObject({ ok: true, value: { environment: 'emulator', transport: 'electron' } });
    const sub = { url: 'app://assetdesk/index.html' };
    expect(await handlers.get('app:info')!({ senderFrame: sub, sender: { mainFrame } }, {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
  });
});
