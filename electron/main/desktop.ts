import type { BrowserWindow, Clipboard, Dialog } from 'electron';
import type { DesktopAdapters } from '../services/desktop';

interface NotificationLike {
  show(): void;
}

/** The desktop adapters services use, implemented with Electron's dialog, clipboard and Notification. */
export function createElectronDesktop(deps: {
  dialog: Pick<Dialog, 'showSaveDialog' | 'showOpenDialog'>;
  clipboard: Pick<Clipboard, 'writeText'>;
  createNotification: (options: { title: string; body: string }) => NotificationLike;
  notificationsSupported: () => boolean;
  mainWindow: () => BrowserWindow | null;
}): DesktopAdapters {
  return {
    async chooseSavePath({ title, defaultName, extensions }) {
      const options = {
        title,
        defaultPath: defaultName,
        filters: [{ name: extensions.join(', ').toUpperCase(), extensions }],
      };
      const window = deps.mainWindow();
      const result = window
        ? await deps.dialog.showSaveDialog(window, options)
        : await deps.dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    async chooseFolder({ title }) {
      const options = { title, properties: ['openDirectory' as const, 'createDirectory' as const] };
      const window = deps.mainWindow();
      const result = window
        ? await deps.dialog.showOpenDialog(window, options)
        : await deps.dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async writeClipboard(text) {
      await deps.clipboard.writeText(text);
    },
    notify(title, body) {
      if (deps.notificationsSupported()) deps.createNotification({ title, body }).show();
    },
  };
}
