import type { BrowserWindow, Dialog, OpenDialogOptions, SaveDialogOptions } from 'electron';
import { createElectronDesktop } from '../../electron/main/desktop';

/**
 * The desktop adapters over Electron's dialog (Electron itself mocked: a recording dialog): the open-file
 * dialog asks for one existing file of the given kind, over the main window, and a cancel answers null.
 */
function desktopWith(answer: { canceled: boolean; filePaths: string[] }, window: BrowserWindow | null) {
  const calls: { parent: unknown; options: OpenDialogOptions }[] = [];
  const saves: { parent: unknown; options: SaveDialogOptions }[] = [];
  const shown: string[] = [];
  const showOpenDialog = (async (...args: unknown[]) => {
    const options = (args.length === 2 ? args[1] : args[0]) as OpenDialogOptions;
    calls.push({ parent: args.length === 2 ? args[0] : null, options });
    return answer;
  }) as Dialog['showOpenDialog'];
  const desktop = createElectronDesktop({
    dialog: {
      showOpenDialog,
      showSaveDialog: (async (...args: unknown[]) => {
        saves.push({
          parent: args.length === 2 ? args[0] : null,
          options: (args.length === 2 ? args[1] : args[0]) as SaveDialogOptions,
        });
        return { canceled: false, filePath: '/loan files/LN-7_Nunez_AssetReport.pdf' };
      }) as Dialog['showSaveDialog'],
    },
    clipboard: { writeText: async () => undefined },
    shell: { showItemInFolder: (path: string) => void shown.push(path) },
    createNotification: () => ({ show() {} }),
    notificationsSupported: () => false,
    mainWindow: () => window,
  });
  return { desktop, calls, saves, shown };
}

describe('createElectronDesktop', () => {
  const window = { id: 1 } as unknown as BrowserWindow;

  test('chooseFile asks for one existing file of the given kind, over the main window', async () => {
    const { desktop, calls } = desktopWith({ canceled: false, filePaths: ['/backups/a.assetdesk-backup'] }, window);
    expect(await desktop.chooseFile({ title: 'Pick', extensions: ['assetdesk-backup'] })).toBe(
      '/backups/a.assetdesk-backup',
    );
    expect(calls).toEqual([
      {
        parent: window,
        options: {
          title: 'Pick',
          properties: ['openFile'],
          filters: [{ name: 'ASSETDESK-BACKUP', extensions: ['assetdesk-backup'] }],
        },
      },
    ]);
  });

  test('a cancelled or empty pick answers null; without a window the dialog has no parent', async () => {
    const cancelled = desktopWith({ canceled: true, filePaths: ['/ignored'] }, null);
    expect(await cancelled.desktop.chooseFile({ title: 'Pick', extensions: ['x'] })).toBeNull();
    expect(cancelled.calls[0]!.parent).toBeNull();
    const empty = desktopWith({ canceled: false, filePaths: [] }, window);
    expect(await empty.desktop.chooseFolder({ title: 'Folder' })).toBeNull();
    expect(empty.calls[0]!.options.properties).toEqual(['openDirectory', 'createDirectory']);
  });

  test('the save dialog asks before replacing a file, on Linux too, and offers to make a folder', async () => {
    const { desktop, saves } = desktopWith({ canceled: true, filePaths: [] }, window);
    expect(
      await desktop.chooseSavePath({ title: 'Save Asset Report', defaultName: 'LN-7_Nunez.pdf', extensions: ['pdf'] }),
    ).toBe('/loan files/LN-7_Nunez_AssetReport.pdf');
    // Electron asks before replacing a file on Windows and macOS always; on Linux only when told to.
    expect(saves).toEqual([
      {
        parent: window,
        options: {
          title: 'Save Asset Report',
          defaultPath: 'LN-7_Nunez.pdf',
          filters: [{ name: 'PDF', extensions: ['pdf'] }],
          properties: ['showOverwriteConfirmation', 'createDirectory'],
        },
      },
    ]);
  });

  test('showInFolder hands a whole path to the shell, and refuses a relative one', () => {
    const { desktop, shown } = desktopWith({ canceled: true, filePaths: [] }, window);
    desktop.showInFolder?.('/home/officer/LN-7_Nunez_AssetReport.pdf');
    expect(shown).toEqual(['/home/officer/LN-7_Nunez_AssetReport.pdf']);
    expect(() => desktop.showInFolder?.('../secrets.txt')).toThrow(/absolute/);
    expect(shown).toHaveLength(1);
  });
});
