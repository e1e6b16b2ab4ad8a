import type { App, BrowserWindow, BrowserWindowConstructorOptions, Shell } from 'electron';
import { APP_ORIGIN, installNavigationGuards, loopbackOrigin, secureWebPreferences } from './security';
import type { NavigationGuardDeps } from './security';

/** Set by `npm run dev` to the Vite dev server URL; honoured only when the app is not packaged. */
export const DEV_SERVER_ENV = 'ASSETDESK_DEV_SERVER_URL';
export const MAIN_WINDOW_URL = `${APP_ORIGIN}/index.html`;

/** The main window's options: the secure webPreferences, hidden until its first paint. */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'AssetDesk',
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 640,
    show: false,
    backgroundColor: '#ffffff',
    autoHideMenuBar: false,
    webPreferences: secureWebPreferences(preloadPath),
  };
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
  /** Emulator loopback origin in emulator mode: its Link pop-up may open. */
  emulatorOrigin?: string | undefined;
  /** Allowlisted links the page tries to open go to the system browser. */
  shell?: Pick<Shell, 'openExternal'>;
  onBlocked?: NavigationGuardDeps['onBlocked'];
  /** Told when the first load fails (e.g. the build is missing). */
  onLoadFailed?: (error: unknown) => void;
}

type WindowConstructor = new (options: BrowserWindowConstructorOptions) => BrowserWindow;

/** Creates the one app window with the security baseline in place before anything loads. */
export function createMainWindow(BrowserWindowClass: WindowConstructor, deps: MainWindowDeps): BrowserWindow {
  const env = deps.env ?? process.env;
  const window = new BrowserWindowClass(mainWindowOptions(deps.preloadPath));
  window.once('ready-to-show', () => window.show());
  installNavigationGuards(window.webContents, {
    devServerOrigin: devServerOrigin(deps.app, env),
    emulatorOrigin: deps.emulatorOrigin,
    shell: deps.shell,
    onBlocked: deps.onBlocked,
  });
  window.loadURL(mainWindowUrl(deps.app, env)).catch((error: unknown) => deps.onLoadFailed?.(error));
  return window;
}
