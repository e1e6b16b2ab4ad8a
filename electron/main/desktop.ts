import { isAbsolute } from 'node:path';
import type { BrowserWindow, Clipboard, Dialog, OpenDialogOptions, Shell, SystemPreferences } from 'electron';
import type { DesktopAdapters } from '../services/desktop';

interface NotificationLike {
  show(): void;
}

/** The desktop adapters services use, implemented with Electron's dialog, clipboard, Notification and shell. */
export function createElectronDesktop(deps: {
  dialog: Pick<Dialog, 'showSaveDialog' | 'showOpenDialog'>;
  clipboard: Pick<Clipboard, 'writeText'>;
  shell: Pick<Shell, 'showItemInFolder'>;
  createNotification: (options: { title: string; body: string }) => NotificationLike;
  notificationsSupported: () => boolean;
  mainWindow: () => BrowserWindow | null;
  /** macOS only (Electron's Touch ID calls exist there alone); omitted elsewhere. */
  touchId?: Pick<SystemPreferences, 'canPromptTouchID' | 'promptTouchID'>;
}): DesktopAdapters {
  const touchId = deps.touchId;
  // Parented to the main window when there is one, so the dialog stays on top of it (a sheet on macOS).
  const openOne = async (options: OpenDialogOptions): Promise<string | null> => {
    const window = deps.mainWindow();
    const result = window
      ? await deps.dialog.showOpenDialog(window, options)
      : await deps.dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  return {
    async chooseSavePath({ title, defaultName, extensions }) {
      const options = {
        title,
        defaultPath: defaultName,
        filters: [{ name: extensions.join(', ').toUpperCase(), extensions }],
        // Windows and macOS always ask before replacing a file; GTK's dialog on Linux only when told to.
        properties: ['showOverwriteConfirmation' as const, 'createDirectory' as const],
      };
      const window = deps.mainWindow();
      const result = window
        ? await deps.dialog.showSaveDialog(window, options)
        : await deps.dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    chooseFile: ({ title, extensions }) =>
      openOne({
        title,
        properties: ['openFile'],
        filters: [{ name: extensions.join(', ').toUpperCase(), extensions }],
      }),
    chooseFolder: ({ title }) => openOne({ title, properties: ['openDirectory', 'createDirectory'] }),
    async writeClipboard(text) {
      await deps.clipboard.writeText(text);
    },
    notify(title, body) {
      if (deps.notificationsSupported()) deps.createNotification({ title, body }).show();
    },
    showInFolder(path) {
      // Only whole paths of files the services saved reach here; a relative one would resolve against the app's folder.
      if (!isAbsolute(path)) throw new Error('showInFolder needs an absolute path');
      deps.shell.showItemInFolder(path);
    },
    ...(touchId
      ? {
          officerPresence: {
            available: () => touchId.canPromptTouchID(),
            // promptTouchID resolves when the enrolled user's finger matched, and rejects on cancel or failure.
            confirm: (reason: string) =>
              touchId.promptTouchID(reason).then(
                () => true,
                () => false,
              ),
          },
        }
      : {}),
  };
}
