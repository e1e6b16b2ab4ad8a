import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '../../electron/log/logger';
import type { DesktopAdapters } from '../../electron/services/desktop';
import { createFileHandlers, savedFilesOf } from '../../electron/services/features/files';
import { createIpcDispatcher } from '../../electron/services/ipc-dispatcher';
import type { ContractHandlers } from '../../shared/ipc/contract';

/**
 * "Show in folder": the page names a receipt, never a path; only files these services saved are shown,
 * through the real dispatcher (the contract's validation) and a recording desktop.
 */
let folder: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'saved-files-'));
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

function desktopRecording(): { desktop: DesktopAdapters; shown: string[] } {
  const shown: string[] = [];
  const desktop: DesktopAdapters = {
    chooseSavePath: async () => null,
    chooseFolder: async () => null,
    chooseFile: async () => null,
    writeClipboard: () => undefined,
    notify: () => undefined,
    showInFolder: (path) => void shown.push(path),
  };
  return { desktop, shown };
}

function dispatcherFor(desktop: DesktopAdapters) {
  return createIpcDispatcher(createFileHandlers(desktop) as ContractHandlers, createMemoryLogger());
}

describe('files:showInFolder', () => {
  it('shows the file a save answered this receipt for', async () => {
    const { desktop, shown } = desktopRecording();
    const path = join(folder, 'LN-7_Nunez_AssetReport.pdf');
    writeFileSync(path, '%PDF-');
    const receipt = savedFilesOf(desktop).remember(path);
    expect(receipt).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(await dispatcherFor(desktop).dispatch('files:showInFolder', { receipt })).toEqual({
      ok: true,
      value: { ok: true },
    });
    expect(shown).toEqual([path]);
  });

  it('refuses a path, an unknown receipt and another session’s receipt, and shows nothing', async () => {
    const { desktop, shown } = desktopRecording();
    const other = desktopRecording();
    const path = join(folder, 'a.csv');
    writeFileSync(path, 'x');
    const foreign = savedFilesOf(other.desktop).remember(path);
    const dispatcher = dispatcherFor(desktop);

    const byPath = await dispatcher.dispatch('files:showInFolder', { receipt: path });
    expect(byPath).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    for (const receipt of ['A'.repeat(22), foreign]) {
      const answer = await dispatcher.dispatch('files:showInFolder', { receipt });
      expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      if (!answer.ok) expect(answer.error.message).toContain('only show files it saved');
    }
    expect(await dispatcher.dispatch('files:showInFolder', { receipt: foreign, path })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(shown).toEqual([]);
  });

  it('says so when the saved file was moved or deleted', async () => {
    const { desktop, shown } = desktopRecording();
    const path = join(folder, 'gone.json');
    writeFileSync(path, '{}');
    const receipt = savedFilesOf(desktop).remember(path);
    rmSync(path);
    const answer = await dispatcherFor(desktop).dispatch('files:showInFolder', { receipt });
    expect(answer).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    if (!answer.ok) expect(answer.error.message).toContain('moved or deleted');
    expect(shown).toEqual([]);
  });

  it('without a file manager, tells the officer where the file is', async () => {
    const { desktop } = desktopRecording();
    delete desktop.showInFolder;
    const path = join(folder, 'kept.pdf');
    writeFileSync(path, '%PDF-');
    const answer = await dispatcherFor(desktop).dispatch('files:showInFolder', {
      receipt: savedFilesOf(desktop).remember(path),
    });
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.message).toContain(path);
  });
});
