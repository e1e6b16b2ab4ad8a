import { join } from 'node:path';
import { app, BrowserWindow, clipboard, dialog, ipcMain, net, Notification, protocol, session, shell } from 'electron';
import { createAppServices, type AppServices } from '../services/app-services';
import { createIpcDispatcher } from '../services/ipc-dispatcher';
import { createLogger } from '../log/logger';
import { createAppProtocolHandler, registerAppSchemePrivileges } from './app-protocol';
import { createElectronDesktop } from './desktop';
import { createWindowEventSink, registerIpcHandlers } from './ipc';
import {
  APP_ORIGIN,
  applyAppSwitches,
  buildContentSecurityPolicy,
  installPermissionHandlers,
  isAllowedNavigation,
  withSecurityHeaders,
} from './security';
import { createMainWindow, devServerOrigin } from './windows';

/**
 * Startup, kept thin: security switches before ready, then services, the app:// protocol, IPC
 * and the window. Everything with logic lives in modules that are tested without Electron.
 */

// Before ready: sandbox every renderer and give app:// the privileges of a secure origin.
const { forbiddenSwitchesPresent } = applyAppSwitches(app);
if (app.isPackaged && forbiddenSwitchesPresent.length > 0) {
  dialog.showErrorBox(
    'AssetDesk',
    `AssetDesk will not start with these switches: ${forbiddenSwitchesPresent.join(', ')}`,
  );
  app.exit(1);
}
registerAppSchemePrivileges(protocol);
if (!app.requestSingleInstanceLock()) app.quit();

const userDataDir = app.getPath('userData');
const logger = createLogger({
  file: join(userDataDir, 'logs', 'assetdesk.log'),
  level: app.isPackaged ? 'info' : 'debug',
});
let mainWindow: BrowserWindow | null = null;
let services: AppServices | null = null;

process.on('uncaughtException', (error) => logger.error('uncaught exception', { error }));
process.on('unhandledRejection', (error) => logger.error('unhandled rejection', { error }));

async function start(): Promise<void> {
  installPermissionHandlers(session.defaultSession);

  services = createAppServices({
    userDataDir,
    logger,
    version: app.getVersion(),
    transport: 'electron',
    events: createWindowEventSink(() => BrowserWindow.getAllWindows().map((w) => w.webContents)),
    desktop: createElectronDesktop({
      dialog,
      clipboard,
      createNotification: (options) => new Notification(options),
      notificationsSupported: () => Notification.isSupported(),
      mainWindow: () => mainWindow,
    }),
  });
  await services.start();

  // The policy follows the environment: in emulator mode Link's script comes from the emulator.
  const currentPolicy = () =>
    buildContentSecurityPolicy({ plaidLinkScriptOrigin: services?.emulatorOrigin() ?? undefined });
  const rendererDir = join(__dirname, '..', 'renderer');
  protocol.handle('app', (request) => createAppProtocolHandler(net, rendererDir, currentPolicy())(request));
  const devOrigin = devServerOrigin(app, process.env);
  // Our own pages (the dev server while developing) get today's policy; Plaid's pages keep theirs.
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    if (!isAllowedNavigation(details.url, { devServerOrigin: devOrigin })) return callback({});
    callback({ responseHeaders: withSecurityHeaders(details.responseHeaders ?? {}, currentPolicy()) });
  });

  const allowedOrigins = devOrigin === undefined ? [APP_ORIGIN] : [APP_ORIGIN, devOrigin];
  registerIpcHandlers(ipcMain, createIpcDispatcher(services.handlers, logger), { allowedOrigins, logger });

  mainWindow = createMainWindow(BrowserWindow, {
    app,
    preloadPath: join(__dirname, '..', 'preload', 'index.cjs'),
    emulatorOrigin: services.emulatorOrigin() ?? undefined,
    shell,
    onBlocked: (kind, url) => logger.warn('blocked', { kind, url }),
    onLoadFailed: (error) => logger.error('the window failed to load', { error }),
  });
  mainWindow.on('closed', () => (mainWindow = null));
}

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('activate', () => {
  if (mainWindow === null && services) {
    mainWindow = createMainWindow(BrowserWindow, {
      app,
      preloadPath: join(__dirname, '..', 'preload', 'index.cjs'),
      emulatorOrigin: services.emulatorOrigin() ?? undefined,
      shell,
    });
  }
});

let stopping = false;
app.on('before-quit', (event) => {
  if (stopping || !services) return;
  stopping = true;
  event.preventDefault();
  void services
    .stop()
    .catch((error: unknown) => logger.error('stopping services failed', { error }))
    .finally(() => app.quit());
});

app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    logger.error('AssetDesk failed to start', { error });
    dialog.showErrorBox('AssetDesk could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
