import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
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
const windows: {
  options: Record<string, unknown>;
  loaded: string[];
  webContents: Record<string, unknown> & { url: string; sent: [string, unknown][] };
  focused: number;
  emit(name: string): void;
}[] = [];
let protocolHandler: ((request: Request) => Promise<Response>) | null = null;
let permissionRequest: ((c: unknown, p: string, cb: (ok: boolean) => void, d: unknown) => void) | null = null;
let readyResolve: () => void = () => undefined;
let lockAvailable = true;
const clipboardWrites: string[] = [];
let finishClipboardWrite: () => void = () => undefined;
let clipboardStarted = 0;
const partitions: string[] = [];
const cleared: unknown[] = [];
/** Clearings asked for and not finished yet, while the test holds them (it then finishes them). */
const clearing: (() => void)[] = [];
let holdClearing = false;
const userData = mkdtempSync(join(tmpdir(), 'assetdesk-main-'));
// The log "file" is a folder: every log write fails, as on a full disk, for the whole run.
mkdirSync(join(userData, 'logs', 'assetdesk.log'), { recursive: true });
const faultListenersBefore = {
  uncaughtException: process.listeners('uncaughtException'),
  unhandledRejection: process.listeners('unhandledRejection'),
};

vi.mock('electron', () => {
  class FakeWebContents {
    listeners = new Map<string, unknown>();
    windowOpenHandler: unknown = null;
    mainFrame = {};
    url = '';
    sent: [string, unknown][] = [];
    getURL() {
      return this.url;
    }
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
    send(event: string, payload: unknown) {
      this.sent.push([event, payload]);
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
    listeners = new Map<string, (() => void)[]>();
    destroyed = false;
    focused = 0;
    once() {
      return this;
    }
    on(name: string, fn: () => void) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), fn]);
      return this;
    }
    emit(name: string) {
      if (name === 'closed') this.destroyed = true;
      for (const fn of this.listeners.get(name) ?? []) fn();
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return false;
    }
    restore() {}
    focus() {
      this.focused += 1;
    }
    show() {}
    async loadURL(url: string) {
      this.loaded.push(url);
      this.webContents.url = url;
    }
  }
  const app = {
    isPackaged: false,
    commandLine: { hasSwitch: () => false },
    enableSandbox: () => calls.push('enableSandbox'),
    requestSingleInstanceLock: () => {
      calls.push('requestSingleInstanceLock');
      return lockAvailable;
    },
    setAppUserModelId: (id: string) => calls.push(`appUserModelId:${id}`),
    getPath: () => userData,
    getVersion: () => '0.0.0-test',
    whenReady: () => {
      calls.push('whenReady');
      return new Promise<void>((r) => (readyResolve = r));
    },
    on: (name: string, fn: (...args: unknown[]) => void) => appListeners.set(name, fn),
    quit: () => calls.push('quit'),
    exit: (code?: number) => calls.push(`exit:${code ?? 0}`),
  };
  const permissionOnly = {
    setPermissionRequestHandler: () => undefined,
    setPermissionCheckHandler: () => undefined,
    setDevicePermissionHandler: () => undefined,
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
      clearData: (options: unknown) =>
        new Promise<void>((resolve) => {
          const finish = () => {
            cleared.push(options);
            resolve();
          };
          if (holdClearing) clearing.push(finish);
          else finish();
        }),
    },
    fromPartition: (name: string) => {
      partitions.push(name);
      return permissionOnly;
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
    // Electron 45's writeText answers a promise: the handler must wait for it.
    clipboard: {
      writeText: (text: string) =>
        new Promise<void>((resolve) => {
          clipboardStarted += 1;
          finishClipboardWrite = () => {
            clipboardWrites.push(text);
            resolve();
          };
        }),
    },
    Menu: {
      buildFromTemplate: (template: unknown) => template,
      setApplicationMenu: () => calls.push('setApplicationMenu'),
    },
    shell: { openExternal: async () => undefined },
    Notification: Object.assign(
      function Notification() {
        return { show() {} };
      },
      { isSupported: () => false },
    ),
  };
});

/** A channel called by our own page's top frame, as the preload sends it. */
const call = (channel: string, payload: unknown) => {
  const mainFrame = { url: 'app://assetdesk/index.html', parent: null };
  return handlers.get(channel)!({ senderFrame: mainFrame, sender: { mainFrame } }, payload) as Promise<{
    ok: boolean;
    value: { borrowers: { id: string }[] };
  }>;
};

/** A one-borrower purchase loan opened through loans:create. */
const createLoan = (loanNumber: string, borrower: { firstName: string; lastName: string; email: string }) =>
  call('loans:create', {
    loan: {
      loanNumber,
      loanPurpose: 'purchase',
      applicationDate: new Date().toISOString().slice(0, 10),
      qualifyingMonthlyIncome: 8000,
      fundsToClose: 20000,
    },
    borrowers: [{ ...borrower, phone: '+1 415 555 0100' }],
  });

describe('main process startup (Electron mocked, services real)', () => {
  beforeAll(async () => {
    await import('../../electron/main/index');
    expect(calls.slice(0, 2)).toEqual(['enableSandbox', 'registerSchemesAsPrivileged']);
    // A Dock click while the app is still starting makes no window yet.
    appListeners.get('activate')?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(windows).toHaveLength(0);
    readyResolve();
    await vi.waitFor(() => expect(windows.length).toBe(1), { timeout: 30_000, interval: 50 });
  }, 60_000);

  afterAll(async () => {
    const beforeQuit = appListeners.get('before-quit');
    beforeQuit?.({ preventDefault: () => undefined });
    await vi.waitFor(() => expect(calls).toContain('quit'), { timeout: 20_000 });
    rmSync(userData, { recursive: true, force: true });
  }, 30_000);

  it('sandboxes renderers and registers app:// privileges before the app is ready', () => {
    expect(calls.indexOf('enableSandbox')).toBeLessThan(calls.indexOf('whenReady'));
    expect(calls.indexOf('registerSchemesAsPrivileged')).toBeLessThan(calls.indexOf('whenReady'));
  });

  it('denies permission requests and serves the UI from app://', async () => {
    expect(calls).toContain('setPermissionCheckHandler');
    let granted: boolean | null = null;
    const page = { isMainFrame: true, requestingUrl: 'app://assetdesk/index.html' };
    permissionRequest!({}, 'media', (ok) => (granted = ok), page);
    expect(granted).toBe(false);
    // Emulator mode: our page may reach the emulator on loopback (the CSP narrows it to that origin).
    permissionRequest!({}, 'local-network-access', (ok) => (granted = ok), page);
    expect(granted).toBe(true);
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
    // A top frame is one without a parent, whatever wrapper object Electron hands over.
    const mainFrame = { url: 'app://assetdesk/index.html', parent: null };
    const info = (await handlers.get('app:info')!({ senderFrame: { ...mainFrame }, sender: { mainFrame } }, {})) as {
      ok: boolean;
      value: { environment: string };
    };
    expect(info).toMatchObject({ ok: true, value: { environment: 'emulator', transport: 'electron' } });
    const sub = { url: 'app://assetdesk/index.html', parent: mainFrame };
    expect(await handlers.get('app:info')!({ senderFrame: sub, sender: { mainFrame } }, {})).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN_SENDER' },
    });
  });

  it('locks every web contents as it is created', () => {
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    appListeners.get('web-contents-created')?.({}, contents);
    expect(contents.on).toHaveBeenCalledWith('will-attach-webview', expect.any(Function));
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce();
    const handler = contents.setWindowOpenHandler.mock.calls[0]![0] as () => unknown;
    expect(handler()).toStrictEqual({ action: 'deny' });
  });

  it('made one window for the early Dock click and the start itself', () => {
    expect(windows).toHaveLength(1);
    // Link's pop-ups live in the page's session (window.open children): no separate partition is made.
    expect(partitions).toStrictEqual([]);
  });

  it('serves the page with the policy of the active environment (emulator: its origin, nothing of Plaid)', async () => {
    const response = await protocolHandler!(new Request('app://assetdesk/index.html'));
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/script-src 'self' http:\/\/127\.0\.0\.1:\d+/);
    expect(policy).not.toContain('plaid.com');
  });

  it('copies through the main process and answers only once the clipboard write finished', async () => {
    const mainFrame = { url: 'app://assetdesk/index.html', parent: null };
    let answered = false;
    const answer = handlers.get('clipboard:writeText')!(
      { senderFrame: mainFrame, sender: { mainFrame } },
      { text: 'https://hosted.plaid.com/link/abc' },
    ).then((value) => {
      answered = true;
      return value;
    });
    await vi.waitFor(() => expect(clipboardStarted).toBe(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    finishClipboardWrite();
    expect(await answer).toStrictEqual({ ok: true, value: { ok: true } });
    expect(clipboardWrites).toStrictEqual(['https://hosted.plaid.com/link/abc']);
    const multiLine = await handlers.get('clipboard:writeText')!(
      { senderFrame: mainFrame, sender: { mainFrame } },
      { text: 'a\nb' },
    );
    expect(multiLine).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('survives an uncaught exception and an unhandled rejection while its log cannot be written', async () => {
    type Handler = (error: unknown) => void;
    const added = (name: 'uncaughtException' | 'unhandledRejection'): Handler[] => {
      const before = faultListenersBefore[name] as unknown[];
      return (process.listeners(name as 'uncaughtException') as unknown[]).filter(
        (l) => !before.includes(l),
      ) as Handler[];
    };
    // Exactly the main process's own handlers (called directly: emitting would reach the test runner's too).
    expect(added('uncaughtException')).toHaveLength(1);
    expect(added('unhandledRejection')).toHaveLength(1);
    expect(() => added('uncaughtException')[0]!(new Error('nobody caught this'))).not.toThrow();
    expect(() => added('unhandledRejection')[0]!(new Error('nobody awaited this'))).not.toThrow();
    // Still answering the officer afterwards.
    const mainFrame = { url: 'app://assetdesk/index.html', parent: null };
    expect(await handlers.get('app:info')!({ senderFrame: mainFrame, sender: { mainFrame } }, {})).toMatchObject({
      ok: true,
      value: { keychain: { state: 'ok' } },
    });
  });

  it('a second window request after the close opens a new window; a second launch focuses it', async () => {
    const first = windows[0]!;
    first.emit('closed');
    appListeners.get('second-instance')?.();
    await vi.waitFor(() => expect(windows).toHaveLength(2));
    appListeners.get('second-instance')?.();
    await new Promise((resolve) => setImmediate(resolve));
    expect(windows).toHaveLength(2);
    expect(windows[1]!.focused).toBe(1);
  });

  it('sends events to the app window only, never to a Link or bank pop-up', async () => {
    const { BrowserWindow } = await import('electron');
    const main = windows[1]!;
    // A bank's OAuth page Link opened: Electron makes it a BrowserWindow like any other.
    const popup = new BrowserWindow({}) as unknown as (typeof windows)[number];
    popup.webContents.url = 'https://oauth.some-bank.example/consent';
    const loan = await createLoan('LN-EVENTS-1', { firstName: 'Ana', lastName: 'Lima', email: 'ana@example.com' });
    expect(loan).toMatchObject({ ok: true });
    expect((await call('handoff:setPin', { pin: '2468' })).ok).toBe(true);
    expect((await call('handoff:start', { applicantId: loan.value.borrowers[0]!.id })).ok).toBe(true);
    expect((await call('handoff:end', { pin: '2468' })).ok).toBe(true);
    expect(main.webContents.sent).toContainEqual(['handoff:ended', {}]);
    expect(popup.webContents.sent).toEqual([]);
  });

  it("clears Link's and the banks' site data before answering a borrower's turn, and not after a refused call", async () => {
    const loan = await createLoan('LN-CLEAR-1', { firstName: 'Rui', lastName: 'Costa', email: 'rui@example.com' });
    expect(loan.ok).toBe(true);
    // The events test's turn above was cleared as it began and as it ended; this PIN is the one it set.
    expect(cleared).toHaveLength(2);
    expect((await call('handoff:setPin', { pin: '2468', currentPin: '2468' })).ok).toBe(true);
    cleared.length = 0;
    holdClearing = true;
    let answered = false;
    const started = call('handoff:start', { applicantId: loan.value.borrowers[0]!.id }).then((answer) => {
      answered = true;
      return answer;
    });
    await vi.waitFor(() => expect(clearing).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(answered).toBe(false);
    clearing.shift()!();
    expect((await started).ok).toBe(true);
    expect(cleared).toStrictEqual([
      { excludeOrigins: ['app://assetdesk'], originMatchingMode: 'origin-in-all-contexts' },
    ]);
    // A wrong PIN ends nothing: nothing is cleared.
    expect((await call('handoff:end', { pin: '1111' })).ok).toBe(false);
    expect(clearing).toHaveLength(0);
    const ended = call('handoff:end', { pin: '2468' });
    await vi.waitFor(() => expect(clearing).toHaveLength(1));
    clearing.shift()!();
    expect((await ended).ok).toBe(true);
    expect(cleared).toHaveLength(2);
  });

  it('once quitting, opens no window for a second launch or a Dock click, and quits when the services stopped', async () => {
    for (const window of windows)
      if (!(window as unknown as { isDestroyed(): boolean }).isDestroyed()) window.emit('closed');
    const before = windows.length;
    let prevented = 0;
    appListeners.get('before-quit')!({ preventDefault: () => (prevented += 1) });
    expect(prevented).toBe(1);
    // The window was closed (Windows, Linux: that is what quits); the officer starts AssetDesk again meanwhile.
    appListeners.get('second-instance')!();
    appListeners.get('activate')!();
    await vi.waitFor(() => expect(calls).toContain('quit'), { timeout: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(windows).toHaveLength(before);
  }, 30_000);
});

describe('a second launch (single-instance lock held by the first)', () => {
  it('exits at once: no ready handler, no services, no window', async () => {
    vi.resetModules();
    lockAvailable = false;
    calls.length = 0;
    const windowsBefore = windows.length;
    await import('../../electron/main/index');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toContain('exit:0');
    expect(calls).not.toContain('whenReady');
    expect(calls).not.toContain('quit');
    expect(windows.length).toBe(windowsBefore);
  });
});
