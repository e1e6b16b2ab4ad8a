import { join } from 'node:path';
import {
  app,
  BrowserWindow,
  clipboard,
  dialog,
  ipcMain,
  Menu,
  net,
  Notification,
  protocol,
  session,
  shell,
  systemPreferences,
} from 'electron';
import type { PlaidEnvironment } from '../../shared/domain';
import type { ContractHandlers } from '../../shared/ipc/contract';
import { createAppServices } from '../services/app-services';
import { createIpcDispatcher } from '../services/ipc-dispatcher';
import { QUIT_DEADLINE_MS, stopWithin } from '../services/stopping';
import { createLogger } from '../log/logger';
import { handleAppProtocol, registerAppSchemePrivileges } from './app-protocol';
import { createElectronDesktop } from './desktop';
import { installProcessFaultHandlers } from './process-faults';
import {
  createEnvironmentPolicy,
  createOAuthReturn,
  environmentSwitchListener,
  type EnvironmentPolicy,
} from './environment-policy';
import { createWindowEventSink, registerIpcHandlers } from './ipc';
import {
  APP_ORIGIN,
  applyAppSwitches,
  CLEAR_LINK_SITE_DATA_AFTER,
  clearLinkSiteData,
  installCspHeaders,
  installDefaultGuards,
  installPermissionHandlers,
  type PopupWindow,
} from './security';
import {
  APP_USER_MODEL_ID,
  applicationMenuTemplate,
  createMainWindow,
  createWindowController,
  devServerOrigin,
} from './windows';

/**
 * Startup, kept thin: security switches before ready, then services, the app:// protocol, IPC
 * and the window. Everything with logic lives in modules that are tested without Electron.
 */

/** What the main process uses of the services. */
export interface MainServices {
  handlers: ContractHandlers;
  start(): Promise<void>;
  stop(): Promise<void>;
  emulatorOrigin(): string | null;
  emulatorBankOrigin(): string | null;
  secretsInUse(): readonly string[];
  onEnvironmentChanged(
    listener: (change: {
      environment: PlaidEnvironment;
      emulatorOrigin: string | null;
      emulatorBankOrigin: string | null;
    }) => void,
  ): () => void;
}

function main(): void {
  // Before ready: sandbox every renderer and give app:// the privileges of a secure origin.
  const { forbiddenSwitchesPresent } = applyAppSwitches(app);
  if (app.isPackaged && forbiddenSwitchesPresent.length > 0) {
    dialog.showErrorBox(
      'AssetDesk',
      `AssetDesk will not start with these switches: ${forbiddenSwitchesPresent.join(', ')}`,
    );
    app.exit(1);
    return;
  }
  registerAppSchemePrivileges(protocol);
  // A second launch hands over to the first (its 'second-instance') and stops here: exit, not quit,
  // so nothing below runs — no keychain probe, no second opening of the same database.
  if (!app.requestSingleInstanceLock()) {
    app.exit(0);
    return;
  }
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);

  const userDataDir = app.getPath('userData');
  let services: MainServices | null = null;
  const logger = createLogger({
    file: join(userDataDir, 'logs', 'assetdesk.log'),
    level: app.isPackaged ? 'info' : 'debug',
    // Read at each line: the Plaid keys and team database password the services hold by then.
    secrets: () => services?.secretsInUse() ?? [],
  });
  installProcessFaultHandlers(process, logger);

  const devOrigin = devServerOrigin(app, process.env);
  // Our page's origins: the only frames that may call the main process, and the only windows sent its events.
  const allowedOrigins = devOrigin === undefined ? [APP_ORIGIN] : [APP_ORIGIN, devOrigin];
  const popups = new Set<PopupWindow>();
  const closeLinkPopups = () => {
    for (const popup of popups) if (popup.isDestroyed?.() === false) popup.close?.();
    popups.clear();
  };
  let policy: EnvironmentPolicy | null = null;
  // The app's window only: Link's and the banks' pop-ups are BrowserWindows too, and must hear nothing.
  const events = createWindowEventSink(
    () => {
      const current = windows.current();
      return current ? [current.webContents] : [];
    },
    { allowedOrigins, logger },
  );
  // A bank sent Link's pop-up to the officer's redirect URI: the page re-opens Link there.
  const oauthReturn = createOAuthReturn({
    environment: () => policy?.environment(),
    settings: () => services?.handlers['settings:get']({}) ?? Promise.reject(new Error('not started')),
    closeLinkPopups,
    events,
    onRefused: (reason) => logger.warn('OAuth return refused', { reason }),
  });
  const refreshOAuthReturn = () =>
    void oauthReturn.refresh().catch((error: unknown) => logger.warn('could not read the redirect URI', { error }));

  async function start(): Promise<void> {
    const template = applicationMenuTemplate(process.platform, app.isPackaged);
    if (template) Menu.setApplicationMenu(Menu.buildFromTemplate(template));

    const started: MainServices = createAppServices({
      userDataDir,
      logger,
      version: app.getVersion(),
      transport: 'electron',
      events,
      desktop: createElectronDesktop({
        dialog,
        clipboard,
        shell,
        createNotification: (options) => new Notification(options),
        notificationsSupported: () => Notification.isSupported(),
        mainWindow: () => windows.current(),
        ...(process.platform === 'darwin' ? { touchId: systemPreferences } : {}),
      }),
    });
    services = started;

    // Protocol, headers, permissions and IPC exist before any window can: a window opened by a
    // Dock click waits for `ready` below.
    const current = () => policy;
    const emulatorOrigin = () => current()?.emulatorOrigin();
    // Link's and the banks' pop-ups share this session (window.open children): the same policy refuses them everything.
    installPermissionHandlers(session.defaultSession, { emulatorOrigin });
    const pagePolicy = () =>
      current()?.csp() ?? createEnvironmentPolicy({ environment: 'emulator', emulatorOrigin: null }).csp();
    handleAppProtocol(protocol, net, join(__dirname, '..', 'renderer'), pagePolicy);
    installCspHeaders(session.defaultSession, pagePolicy, { devServerOrigin: devOrigin });
    registerIpcHandlers(ipcMain, createIpcDispatcher(started.handlers, logger), {
      allowedOrigins,
      logger,
      afterCall: async (channel, result) => {
        if (!result.ok) return;
        // Link reported its result: the bank's consent pop-ups have done their job.
        if (channel === 'link:complete' || channel === 'link:updateComplete') closeLinkPopups();
        if (channel === 'settings:update' || channel === 'settings:switchEnvironment') refreshOAuthReturn();
        // Answered once the bank's cookies are gone: the next borrower's Link starts clean.
        if (CLEAR_LINK_SITE_DATA_AFTER.includes(channel))
          await clearLinkSiteData(session.defaultSession, allowedOrigins).catch((error: unknown) =>
            logger.warn("could not clear Link's site data", { error }),
          );
      },
    });

    await started.start();
    const info = await started.handlers['app:info']({});
    policy = createEnvironmentPolicy({
      environment: info.environment,
      emulatorOrigin: started.emulatorOrigin(),
      emulatorBankOrigin: started.emulatorBankOrigin(),
      devServerOrigin: devOrigin,
    });
    await oauthReturn.refresh();
    started.onEnvironmentChanged(({ environment, emulatorOrigin, emulatorBankOrigin }) => {
      applyEnvironment(environment, emulatorOrigin, emulatorBankOrigin);
      refreshOAuthReturn();
    });
  }

  const applyEnvironment = environmentSwitchListener({
    policy: () => policy,
    closeLinkPopups,
    reloadPage: () => windows.current()?.webContents.reload(),
    onChanged: (environment) => logger.info('page policy follows the environment', { environment }),
  });

  const ready = app.whenReady().then(start);
  const windows = createWindowController({
    started: ready,
    create: () =>
      createMainWindow(BrowserWindow, {
        app,
        preloadPath: join(__dirname, '..', 'preload', 'index.cjs'),
        // Pop-ups and their navigation: the emulator and its OAuth bank's site (emulator mode only).
        emulatorOrigin: () => policy?.popupOrigins(),
        shell,
        onBlocked: (kind, url) => logger.warn('blocked', { kind, url }),
        onPopup: (popup) => popups.add(popup),
        oauthRedirectUri: () => oauthReturn.redirectUri(),
        onOAuthReturn: (receivedRedirectUri) => oauthReturn.returned(receivedRedirectUri),
        onLoadFailed: (error) => logger.error('the window failed to load', { error }),
        // The log says the page loaded: support reads it, and so does test:electron's packaged-app check.
        onLoaded: () => logger.info('the window loaded'),
      }),
  });

  // Every web contents starts locked, however it was made; known windows then get their own guards.
  app.on('web-contents-created', (_event, contents) => installDefaultGuards(contents));
  let stopping = false;
  // While quitting, the services stop under any window: a second launch or a Dock click opens none.
  const openWindow = () => {
    if (!stopping) void windows.open().catch(() => undefined);
  };
  app.on('second-instance', openWindow);
  app.on('activate', openWindow);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', (event) => {
    const running = services;
    if (stopping || !running) return;
    stopping = true;
    event.preventDefault();
    void stopWithin(() => running.stop()).then((result) => {
      if (result.outcome === 'failed') logger.error('stopping services failed', { error: result.error });
      if (result.outcome === 'timed-out')
        logger.warn(`the services had not stopped after ${QUIT_DEADLINE_MS / 1000} s; quitting anyway`);
      app.quit();
    });
  });

  windows.open().catch((error: unknown) => {
    logger.error('AssetDesk failed to start', { error });
    dialog.showErrorBox('AssetDesk could not start', error instanceof Error ? error.message : String(error));
    app.exit(1);
  });
}

main();
