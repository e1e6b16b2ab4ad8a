import type { Dialog } from 'electron';
import { createMemoryLogger } from '../../electron/log/logger';
import { createElectronDesktop } from '../../electron/main/desktop';
import type { DesktopAdapters } from '../../electron/services/desktop';
import { createHandoffHandlers } from '../../electron/services/features/handoff';
import type { ServiceContext } from '../../electron/services/service-context';
import { openDeskState } from '../../electron/services/desk-state';
import { addApplicant } from '../helpers/applicant';
import { tempStore } from '../store/helpers';

/**
 * Ending a hand-off with the OS's check of the officer (Touch ID on a Mac) besides the PIN: the store and
 * handlers are real; Touch ID itself is Electron's systemPreferences, stood in for as Electron is elsewhere.
 */
describe('hand-off: OS unlock of the officer', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  afterEach(() => t.cleanup());

  function touchId(answers: ('match' | 'cancel')[], canPrompt = true) {
    const reasons: string[] = [];
    return {
      reasons,
      prefs: {
        canPromptTouchID: () => canPrompt,
        promptTouchID: (reason: string) => {
          reasons.push(reason);
          return answers.shift() === 'match' ? Promise.resolve() : Promise.reject(new Error('cancelled'));
        },
      },
    };
  }

  async function handlersWith(desktop: DesktopAdapters) {
    t = await tempStore({ start: '2026-11-02T12:00:00.000Z' });
    const ctx: ServiceContext = {
      desktop,
      events: { emit: () => undefined },
      logger: createMemoryLogger(),
      clock: () => new Date('2026-11-02T12:00:00.000Z'),
      store: () => t.store,
      openStore: () => t.store,
      environment: () => 'emulator',
      session: () => Promise.reject(new Error('no session in this test')),
      gatewayFor: () => Promise.reject(new Error('no gateway in this test')),
    };
    return createHandoffHandlers(ctx, openDeskState(t.dir));
  }

  const electronDesktop = (prefs?: ReturnType<typeof touchId>['prefs']) =>
    createElectronDesktop({
      dialog: {
        showSaveDialog: (async () => ({ canceled: true, filePath: '' })) as Dialog['showSaveDialog'],
        showOpenDialog: (async () => ({ canceled: true, filePaths: [] })) as Dialog['showOpenDialog'],
      },
      clipboard: { writeText: async () => undefined },
      shell: { showItemInFolder: () => undefined },
      createNotification: () => ({ show: () => undefined }),
      notificationsSupported: () => false,
      mainWindow: () => null,
      ...(prefs ? { touchId: prefs } : {}),
    });

  it('a matched finger ends the hand-off; a cancelled one leaves it on with a message naming the PIN', async () => {
    const touch = touchId(['cancel', 'match']);
    const h = await handlersWith(electronDesktop(touch.prefs));
    const borrower = await addApplicant(t.store);
    await h['handoff:setPin']({ pin: '4821' });
    const started = await h['handoff:start']({ applicantId: borrower.id });
    expect(started).toMatchObject({ osUnlock: true, active: { applicantId: borrower.id, loanId: borrower.loanId } });

    await expect(h['handoff:endWithOs']({})).rejects.toMatchObject({
      message: expect.stringContaining('officer PIN'),
    });
    expect((await h['handoff:status']({})).active).not.toBeNull();

    expect((await h['handoff:endWithOs']({})).active).toBeNull();
    expect(touch.reasons).toEqual(['return AssetDesk to the loan officer', 'return AssetDesk to the loan officer']);
    const ended = (await t.store.activity.list({ loanId: borrower.loanId })).find((e) => e.action === 'handoff_ended');
    expect(ended?.detail).toEqual({ by: 'os_unlock' });
  });

  it('is not offered where the OS has none (Linux, Windows, a Mac without Touch ID): the PIN stays the way back', async () => {
    for (const desktop of [electronDesktop(), electronDesktop(touchId([], false).prefs)]) {
      const h = await handlersWith(desktop);
      const borrower = await addApplicant(t.store);
      await h['handoff:setPin']({ pin: '4821' });
      expect((await h['handoff:start']({ applicantId: borrower.id })).osUnlock).toBe(false);
      await expect(h['handoff:endWithOs']({})).rejects.toMatchObject({ message: expect.stringContaining('PIN') });
      expect((await h['handoff:status']({})).active).not.toBeNull();
      await t.cleanup();
    }
    t = await tempStore();
  });
});
