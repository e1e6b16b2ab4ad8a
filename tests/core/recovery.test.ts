import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newestBackupIn } from '../../electron/db/backup';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import type { KeytarLike } from '../../electron/services/vault';
import { realKeytar, requireKeychain, testKeychainService } from '../helpers/keychain';
import { createApplicant, APPLICANT, EMULATOR_CLIENT_ID, EMULATOR_SECRET, startHarness } from './harness';

const hasKeychain = await requireKeychain();

describe.skipIf(!hasKeychain)('keychain loss, recovery key, backup and restore through the app services', () => {
  let emulator: RunningEmulator;
  let userDataDir: string;
  let backupDir: string;
  const keychainService = testKeychainService();
  // The other computer the officer's older backup was made on.
  const otherKeychainService = testKeychainService();
  let savedRecoveryKey = '';

  beforeAll(async () => {
    emulator = await startEmulator({ readyAfterMs: 100, clientId: EMULATOR_CLIENT_ID, secret: EMULATOR_SECRET });
    userDataDir = mkdtempSync(join(tmpdir(), 'assetdesk-recovery-'));
    backupDir = join(userDataDir, '..', `${userDataDir.split('/').pop()}-backups`);
    mkdirSync(backupDir);
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(backupDir, { recursive: true, force: true });
    const keytar = (await realKeytar()) as KeytarWithList;
    for (const service of [keychainService, otherKeychainService]) {
      for (const { account } of await keytar.findCredentials(service)) await keytar.deletePassword(service, account);
    }
  });

  const open = (chooseFolder = backupDir, dataDir = userDataDir, service = keychainService, keychain?: KeytarLike) =>
    startHarness({
      emulator,
      userDataDir: dataDir,
      keychainService: service,
      services: {
        ...(keychain ? { keychain } : {}),
        desktop: {
          chooseSavePath: async () => null,
          chooseFolder: async () => chooseFolder,
          // The officer picks the newest backup file in that folder.
          chooseFile: async ({ extensions }) => {
            expect(extensions).toEqual(['assetdesk-backup']);
            return newestBackupIn(chooseFolder);
          },
          writeClipboard: () => undefined,
          notify: () => undefined,
        },
      },
    });

  test('first run: a recovery key is made and confirmed; a backup is made and the reminder clears', async () => {
    const h = await open();
    try {
      await createApplicant(h.handlers);
      const first = await h.handlers['backup:status']({});
      expect(first).toMatchObject({ recoveryKeySaved: false, recoveryKeyMade: false, reminderDue: true });
      expect(first.lastBackupAt).toBeNull();
      const { recoveryKey } = await h.handlers['recovery:newKey']({});
      expect(recoveryKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
      // Made but not yet confirmed (the dialog closed first): the key is in place, and the status says so.
      expect(await h.handlers['backup:status']({})).toMatchObject({ recoveryKeyMade: true, recoveryKeySaved: false });
      savedRecoveryKey = recoveryKey; // what the officer printed
      expect(await h.handlers['recovery:confirmSaved']({})).toMatchObject({
        recoveryKeySaved: true,
        recoveryKeyMade: true,
      });
      const saved = await h.handlers['backup:create']({});
      expect(saved.saved).toBe(true);
      expect(readdirSync(backupDir)).toHaveLength(1);
      const after = await h.handlers['backup:status']({});
      expect(after.reminderDue).toBe(false);
      expect(after.lastBackupAt).not.toBeNull();
      // The code itself is stored nowhere: not in the database, not in the log.
      expect(readFileSync(join(userDataDir, 'assetdesk.sqlite')).includes(recoveryKey)).toBe(false);
      expect(h.logger.lines.join('\n')).not.toContain(recoveryKey);
    } finally {
      await h.close();
    }
  });

  test('keychain entry lost: no new key is created, the officer is told to use the recovery key, and it opens the history', async () => {
    const keytar = await realKeytar();
    await keytar.deletePassword(keychainService, 'data-key'); // a new OS profile, a reinstall
    const h = await open();
    try {
      const info = await h.handlers['app:info']({});
      expect(info.keychain).toMatchObject({
        state: 'unavailable',
        message: expect.stringMatching(/key is not in this computer/),
      });
      expect(await keytar.getPassword(keychainService, 'data-key')).toBeNull(); // never replaced by a fresh key
      expect(await h.handlers['backup:status']({})).toMatchObject({ needsRecoveryKey: true });
      await expect(h.handlers['loans:list']({})).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
      await expect(
        h.handlers['recovery:unlock']({ recoveryKey: 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH' }),
      ).rejects.toMatchObject({ code: 'RECOVERY_KEY_WRONG' });
      expect(await keytar.getPassword(keychainService, 'data-key')).toBeNull();
      await h.handlers['recovery:unlock']({ recoveryKey: savedRecoveryKey });
      expect((await h.handlers['app:info']({})).keychain).toEqual({ state: 'ok' });
      const list = await h.handlers['loans:list']({});
      expect(list.rows.map((r) => r.loanNumber)).toEqual([APPLICANT.loanNumber]);
      expect(await keytar.getPassword(keychainService, 'data-key')).not.toBeNull();
    } finally {
      await h.close();
    }
  });

  test('restore from Settings brings back the backed-up history and keeps the replaced one', async () => {
    const h = await open();
    try {
      await createApplicant(h.handlers, { loanNumber: 'LN-AFTER-BACKUP' });
      expect((await h.handlers['loans:list']({})).total).toBe(2);
      const restored = await h.handlers['backup:restore']({});
      expect(restored).toMatchObject({ restored: true, loans: 1 });
      const list = await h.handlers['loans:list']({});
      expect(list.rows.map((r) => r.loanNumber)).toEqual([APPLICANT.loanNumber]);
      expect(readdirSync(userDataDir).some((n) => n.startsWith('assetdesk.sqlite.before-restore-'))).toBe(true);
    } finally {
      await h.close();
    }
  });

  test('a backup made under another key is refused without its recovery key, and restores with it', async () => {
    const otherDataDir = mkdtempSync(join(tmpdir(), 'assetdesk-other-computer-'));
    const otherBackups = mkdtempSync(join(tmpdir(), 'assetdesk-other-backups-'));
    try {
      // Another computer: its own data key, its own recovery key, one backup.
      const other = await open(otherBackups, otherDataDir, otherKeychainService);
      let otherRecoveryKey = '';
      try {
        await createApplicant(other.handlers, { loanNumber: 'LN-OTHER-COMPUTER' });
        otherRecoveryKey = (await other.handlers['recovery:newKey']({})).recoveryKey;
        await other.handlers['recovery:confirmSaved']({});
        expect(await other.handlers['backup:create']({})).toMatchObject({ saved: true });
      } finally {
        await other.close();
      }
      const keytar = (await realKeytar()) as KeytarWithList;
      const ownKey = await keytar.getPassword(keychainService, 'data-key');

      // A keychain that refuses to take the backup's key: the restore is undone, the history left as it was.
      const refusing: KeytarLike = {
        getPassword: (service, account) => keytar.getPassword(service, account),
        deletePassword: (service, account) => keytar.deletePassword(service, account),
        setPassword: (service, account, password) =>
          account === 'data-key'
            ? Promise.reject(new Error('Cannot create an item in a locked collection'))
            : keytar.setPassword(service, account, password),
      };
      const files = () => readdirSync(userDataDir).sort();
      const refused = await open(otherBackups, userDataDir, keychainService, refusing);
      try {
        const before = (await refused.handlers['loans:list']({})).rows.map((r) => r.loanNumber);
        const filesBefore = files();
        await expect(refused.handlers['backup:restore']({ recoveryKey: otherRecoveryKey })).rejects.toMatchObject({
          code: 'KEYCHAIN_UNAVAILABLE',
        });
        expect(files()).toEqual(filesBefore);
        expect((await refused.handlers['app:info']({})).keychain).toEqual({ state: 'ok' });
        expect((await refused.handlers['loans:list']({})).rows.map((r) => r.loanNumber)).toEqual(before);
        expect(await keytar.getPassword(keychainService, 'data-key')).toBe(ownKey);
      } finally {
        await refused.close();
      }
      for (const { account } of await keytar.findCredentials(keychainService)) {
        if (account.startsWith('data-key.before-restore-')) await keytar.deletePassword(keychainService, account);
      }

      const h = await open(otherBackups);
      try {
        const before = (await h.handlers['loans:list']({})).rows.map((r) => r.loanNumber);
        // This computer's key does not open it: refused, nothing replaced, the officer is told to use its recovery key.
        await expect(h.handlers['backup:restore']({})).rejects.toMatchObject({
          code: 'STORE_KEY_MISMATCH',
          message: expect.stringMatching(/recovery key/),
        });
        await expect(
          h.handlers['backup:restore']({ recoveryKey: savedRecoveryKey }), // this computer's recovery key: wrong one
        ).rejects.toMatchObject({ code: 'RECOVERY_KEY_WRONG' });
        expect((await h.handlers['loans:list']({})).rows.map((r) => r.loanNumber)).toEqual(before);
        expect(await keytar.getPassword(keychainService, 'data-key')).toBe(ownKey);

        const restored = await h.handlers['backup:restore']({ recoveryKey: otherRecoveryKey });
        expect(restored).toMatchObject({ restored: true, loans: 1 });
        expect((await h.handlers['app:info']({})).keychain).toEqual({ state: 'ok' });
        expect((await h.handlers['loans:list']({})).rows.map((r) => r.loanNumber)).toEqual(['LN-OTHER-COMPUTER']);
      } finally {
        await h.close();
      }
      // The backup's key now opens the history; the replaced history's key is kept, not lost.
      const entries = await keytar.findCredentials(keychainService);
      const kept = entries.filter((e) => e.account.startsWith('data-key.before-restore-'));
      expect(kept.map((e) => e.password)).toEqual([ownKey]);
      expect(await keytar.getPassword(keychainService, 'data-key')).not.toBe(ownKey);
      const again = await open(otherBackups);
      try {
        expect((await again.handlers['loans:list']({})).rows.map((r) => r.loanNumber)).toEqual(['LN-OTHER-COMPUTER']);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(otherDataDir, { recursive: true, force: true });
      rmSync(otherBackups, { recursive: true, force: true });
    }
  });
});

type KeytarWithList = Awaited<ReturnType<typeof realKeytar>> & {
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
};
