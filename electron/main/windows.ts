import type { App, BrowserWindow, BrowserWindowConstructorOptions, MenuItemConstructorOptions, Shell } from 'electron';
import { APP_ORIGIN, installNavigationGuards, loopbackOrigin, secureWebPreferences } from './security';
import type { NavigationGuardDeps } from './security';

/** Set by `npm run dev` to the Vite dev server URL; honoured only when the app is not packaged. */
export const DEV_SERVER_ENV = 'ASSETDESK_DEV_SERVER_URL';
export const MAIN_WINDOW_URL = `${APP_ORIGIN}/index.html`;
/** Windows matches toasts to the Start-menu shortcut by this id; it must equal electron-builder's appId. */
export const APP_USER_MODEL_ID = 'com.assetdesk.desktop';

/** The main window's options: the secure webPreferences, hidden until its first paint. */
export function mainWindowOptions(preloadPath: string, packaged = false): BrowserWindowConstructorOptions {
  return {
    title: 'AssetDesk',
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 640,
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: false,
    // Developer tools are for development: a packaged app cannot open them, by shortcut or menu.
    webPreferences: { ...secureWebPreferences(preloadPath), devTools: !packaged },
  };
}

/**
 * The packaged app's menu: editing shortcuts (copy/paste need it on macOS) and window handling,
 * nothing that reloads the page or opens developer tools. Null while developing: keep Electron's.
 */
export function applicationMenuTemplate(
  platform: NodeJS.Platform,
  packaged: boolean,
): MenuItemConstructorOptions[] | null {
  if (!packaged) return null;
  if (platform === 'darwin') return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }];
  return [{ role: 'fileMenu' }, { role: 'editMenu' }];
}

/**
 * The dev server origin, or undefined. A packaged app never loads from http, whatever the
 * environment says; in development only a loopback dev server is accepted.
 */
export function devServerOrigin(
  app: Pick<App, 'isPackaged'>,
  env: Record<string, string | undefined>,
): string | undefined {
  const url = env[DEV_SERVER_ENV];
  if (app.isPackaged || url === undefined || url === '') return undefined;
  return loopbackOrigin(new URL(url).origin);
}

/** Where the main window loads from: app://assetdesk/index.html, or the dev server while developing. */
export function mainWindowUrl(app: Pick<App, 'isPackaged'>, env: Record<string, string | undefined>): string {
  const origin = devServerOrigin(app, env);
  return origin === undefined ? MAIN_WINDOW_URL : `${origin}/`;
}

export interface MainWindowDeps {
  app: Pick<App, 'isPackaged'>;
  preloadPath: string;
  env?: Record<string, string | undefined>;
  /** Emulator loopback origin in emulator mode (read at each decision: it changes on environment switch). */
  emulatorOrigin?: NavigationGuardDeps['emulatorOrigin'];
  /** Allowlisted links the page tries to open go to the system browser. */
  shell?: Pick<Shell, 'openExternal'>;
  onBlocked?: NavigationGuardDeps['onBlocked'];
  onPopup?: NavigationGuardDeps['onPopup'];
  /** The registered OAuth redirect URI and who hears of a bank's return there (see security.ts). */
  oauthRedirectUri?: NavigationGuardDeps['oauthRedirectUri'];
  onOAuthReturn?: NavigationGuardDeps['onOAuthReturn'];
  /** Told when the first load fails (e.g. the build is missing). */
  onLoadFailed?: (error: unknown) => void;
  /** Told when the first load finished (the page and its scripts came from app://). */
  onLoaded?: () => void;
}

type WindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** Creates the one app window with the security baseline in place before anything loads. */
export function createMainWindow(BrowserWindowClass: WindowConstructor, deps: MainWindowDeps): BrowserWindow {
  const env = deps.env ?? process.env;
  const window = new BrowserWindowClass(mainWindowOptions(deps.preloadPath, deps.app.isPackaged));
  window.once('ready-to-show', () => window.show());
  installNavigationGuards(window.webContents, {
    devServerOrigin: devServerOrigin(deps.app, env),
    emulatorOrigin: deps.emulatorOrigin,
    shell: deps.shell,
    onBlocked: deps.onBlocked,
    onPopup: deps.onPopup,
    oauthRedirectUri: deps.oauthRedirectUri,
    onOAuthReturn: deps.onOAuthReturn,
  });
  window.loadURL(mainWindowUrl(deps.app, env)).then(
    () => deps.onLoaded?.(),
    (error: unknown) => deps.onLoadFailed?.(error),
  );
  return window;
}

type ManagedWindow = Pick<BrowserWindow, 'on' | 'isDestroyed' | 'isMinimized' | 'restore' | 'focus'>;

export interface WindowController<W extends ManagedWindow> {
  /**
   * Shows the app window: waits for start-up (protocol, IPC handlers, services), then focuses the
   * existing window or makes a new one. Every path (first start, Dock click, second launch) comes here.
   */
  open(): Promise<W>;
  /** The live window, or null (never a destroyed one). */
  current(): W | null;
}

/** The one way windows are made: each tracked until it closes, none before start-up finished. */
export function createWindowController<W extends ManagedWindow>(deps: {
  started: Promise<unknown>;
  create: () => W;
}): WindowController<W> {
  let window: W | null = null;
  let opening: Promise<W> | null = null;
  const live = () => (window !== null && !window.isDestroyed() ? window : null);

  function open(): Promise<W> {
    const existing = live();
    if (existing) {
      if (existing.isMinimized()) existing.restore();
      existing.focus();
      return Promise.resolve(existing);
    }
    // Two Dock clicks during a slow start make one window, not two.
    opening ??= deps.started
      .then(() => {
        const made = deps.create();
        window = made;
        made.on('closed', () => {
          if (window === made) window = null;
        });
        return made;
      })
      .finally(() => {
        opening = null;
      });
    return opening;
  }

  return { open, current: live };
}
