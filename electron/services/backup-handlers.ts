import { existsSync, renameSync, rmSync } from 'node:fs';
import type { KeychainState } from '../../shared/domain';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { BackupStatus, ContractHandlers } from '../../shared/ipc/contract';
import type { AssetDeskStore } from '../db';
import { BACKUP_EXTENSION, backupStore, restoreBackup, verifyBackup } from '../db/backup';
import { newRecoveryKey, readWrappedDataKey, unwrapDataKey, wrapDataKey } from '../db/recovery';
import type { Logger } from '../log/logger';
import type { DesktopAdapters } from './desktop';
import { DATA_KEY_ACCOUNT, KeychainErrorCodes, type KeychainVault } from './vault';

/**
 * Backup, restore and key recovery behind the IPC contract. The app services own the store's life;
 * these handlers ask them to close it around a restore and to start again after an unlock.
 */
export type BackupChannels =
  | 'backup:status'
  | 'backup:create'
  | 'backup:restore'
  | 'backup:setReminder'
  | 'recovery:newKey'
  | 'recovery:confirmSaved'
  | 'recovery:unlock'
  | 'keychain:retry';

export interface BackupHandlerDeps {
  databaseFile: string;
  store(): AssetDeskStore | null;
  vault: KeychainVault;
  desktop: DesktopAdapters;
  clock: () => Date;
  logger: Logger;
  /** Stops the services, runs `work` with the database closed, then starts them again (also on failure). */
  withStoreClosed<T>(work: () => T | Promise<T>): Promise<T>;
  /** Starts the services again (after the keychain was unlocked or a key recovered); the new keychain state. */
  restart(): Promise<KeychainState>;
}

/** For the browser bridge, which has no file dialog: the newest backup in a folder stands in for the pick. */
export { newestBackupIn } from '../db/backup';

export const DEFAULT_BACKUP_REMINDER_DAYS = 7;
const KEYS = { lastBackup: 'lastBackup', reminderDays: 'backupReminderDays', recoverySaved: 'recoveryKeySavedAt' };

type Log = ReturnType<Logger['child']>;

export function createBackupHandlers(deps: BackupHandlerDeps): Pick<ContractHandlers, BackupChannels> {
  const log = deps.logger.child({ component: 'backup' });
  return {
    'backup:status': () => backupStatus(deps),
    'backup:setReminder': async ({ days }) => {
      await requireLocalStore(deps).settings.set(KEYS.reminderDays, days);
      return backupStatus(deps);
    },
    'backup:create': async () => {
      const store = requireStore(deps);
      const folder = await deps.desktop.chooseFolder({ title: 'Choose where to keep the AssetDesk backup' });
      if (!folder) return { saved: false as const };
      const result = await backupStore(store, folder, deps.clock());
      await store.settings.set(KEYS.lastBackup, { at: result.createdAt, path: result.path });
      await store.activity.append({ action: 'backup_created', detail: { path: result.path, bytes: result.bytes } });
      log.info('backup created', { path: result.path, bytes: result.bytes });
      return { saved: true as const, path: result.path };
    },
    'backup:restore': ({ recoveryKey }) => restoreFromFile(deps, log, recoveryKey),
    ...recoveryHandlers(deps, log),
  };
}

function requireStore(deps: BackupHandlerDeps): AssetDeskStore {
  const store = deps.store();
  if (!store) {
    throw new AppError({
      code: ErrorCodes.keychainUnavailable,
      message: 'Your history is not open yet. Unlock the keychain or enter your recovery key first.',
      retryable: true,
    });
  }
  return store;
}

/**
 * The open history when it is this desk's own: a team's is backed up by the office, and its key is the team's
 * (in every member's keychain), so this desk has no backup reminder or recovery key to keep there.
 */
function requireLocalStore(deps: BackupHandlerDeps): AssetDeskStore {
  const store = requireStore(deps);
  if (store.kind === 'team')
    throw new AppError({
      code: 'TEAM_BACKUP_BY_OFFICE',
      message:
        "The team's history is backed up by the office's database administrator, and its key is kept in every member's keychain: " +
        'there is no backup reminder or recovery key to set for it at this desk.',
      retryable: false,
    });
  return store;
}

async function needsRecoveryKey(deps: BackupHandlerDeps): Promise<boolean> {
  if (deps.store() || !existsSync(deps.databaseFile)) return false;
  const code = await deps.vault.dataKey({ databaseExists: true }).then(
    () => null,
    (error: unknown) => (error as { code?: string }).code,
  );
  return code === KeychainErrorCodes.dataKeyMissing || code === 'STORE_KEY_MISMATCH';
}

async function backupStatus(deps: BackupHandlerDeps): Promise<BackupStatus> {
  const store = deps.store();
  if (!store) {
    return {
      lastBackupAt: null,
      lastBackupPath: null,
      reminderDays: DEFAULT_BACKUP_REMINDER_DAYS,
      reminderDue: false,
      recoveryKeySaved: false,
      recoveryKeyMade: false,
      needsRecoveryKey: await needsRecoveryKey(deps),
    };
  }
  if (store.kind === 'team') {
    // The team's history is on the office's server and backed up there; its key is the team's, held by every
    // member's keychain: this desk has no backup reminder and no recovery key of its own to make.
    return {
      lastBackupAt: null,
      lastBackupPath: null,
      reminderDays: DEFAULT_BACKUP_REMINDER_DAYS,
      reminderDue: false,
      recoveryKeySaved: true,
      recoveryKeyMade: true,
      needsRecoveryKey: false,
    };
  }
  const last = await store.settings.get<{ at: string; path: string } | null>(KEYS.lastBackup, null);
  const reminderDays = await store.settings.get(KEYS.reminderDays, DEFAULT_BACKUP_REMINDER_DAYS);
  const hasHistory = (await store.activity.list({ limit: 1 })).length > 0;
  const recoveryKeyMade = await store.hasRecoveryKey();
  const dueSince = last ? new Date(last.at).getTime() + reminderDays * 86_400_000 : 0;
  return {
    lastBackupAt: last?.at ?? null,
    lastBackupPath: last?.path ?? null,
    reminderDays,
    reminderDue: hasHistory && deps.clock().getTime() >= dueSince,
    recoveryKeySaved: recoveryKeyMade && (await store.settings.get<string | null>(KEYS.recoverySaved, null)) !== null,
    recoveryKeyMade,
    needsRecoveryKey: false,
  };
}

/** The data key that opens a backup: this computer's, or the one the recovery key unwraps from the file. */
async function keyForBackup(deps: BackupHandlerDeps, file: string, recoveryKey?: string): Promise<Buffer> {
  if (recoveryKey) {
    const wrapped = readWrappedDataKey(file);
    if (!wrapped) throw noRecoveryKeyIn('This backup');
    return unwrapDataKey(wrapped, recoveryKey);
  }
  return deps.vault.dataKey({ databaseExists: true });
}

/** Restores the backup file the officer picks, opened with this computer's key or the backup's recovery key. */
async function restoreFromFile(
  deps: BackupHandlerDeps,
  log: Log,
  recoveryKey: string | undefined,
): ReturnType<ContractHandlers['backup:restore']> {
  const file = await deps.desktop.chooseFile({
    title: 'Choose the AssetDesk backup to restore',
    extensions: [BACKUP_EXTENSION.slice(1)],
  });
  if (!file) return { restored: false as const };
  const dataKey = await keyForBackup(deps, file, recoveryKey);
  verifyBackup(file, dataKey); // before anything stops or moves
  const ownKey = await deps.vault.dataKey({ databaseExists: true }).catch(() => null);
  const now = deps.clock();
  const restored = await deps.withStoreClosed(async () => {
    const result = restoreBackup({ backupFile: file, databaseFile: deps.databaseFile, dataKey, now });
    if (ownKey?.equals(dataKey)) return result;
    // Made under another key: that key goes into the keychain; the replaced history's key is kept beside it.
    try {
      await deps.vault.restoreDataKey(dataKey, {
        keepPreviousAs: `${DATA_KEY_ACCOUNT}.before-restore-${stamp(now)}`,
      });
    } catch (error) {
      putBack(deps.databaseFile, result.previous);
      throw error;
    }
    return result;
  });
  await deps
    .store()
    ?.activity.append({ action: 'backup_restored', detail: { path: file, previous: restored.previous } });
  log.info('backup restored', { path: file, previous: restored.previous, otherKey: !ownKey?.equals(dataKey) });
  return { restored: true as const, path: file, loans: restored.loans, reports: restored.reports };
}

function recoveryHandlers(
  deps: BackupHandlerDeps,
  log: Log,
): Pick<ContractHandlers, 'recovery:newKey' | 'recovery:confirmSaved' | 'recovery:unlock' | 'keychain:retry'> {
  return {
    'recovery:newKey': async () => {
      const store = requireLocalStore(deps);
      const recoveryKey = newRecoveryKey();
      await store.saveRecoveryWrappedKey(wrapDataKey(await deps.vault.dataKey({ databaseExists: true }), recoveryKey));
      await store.settings.set(KEYS.recoverySaved, null); // a new key counts as saved only once the officer says so
      await store.activity.append({ action: 'recovery_key_created', detail: {} });
      return { recoveryKey };
    },
    'recovery:confirmSaved': async () => {
      const store = requireLocalStore(deps);
      if (!(await store.hasRecoveryKey())) {
        throw new AppError({ code: ErrorCodes.conflict, message: 'Create a recovery key first.', retryable: false });
      }
      await store.settings.set(KEYS.recoverySaved, deps.clock().toISOString());
      return backupStatus(deps);
    },
    'recovery:unlock': async ({ recoveryKey }) => {
      if (deps.store()) return { ok: true as const };
      const wrapped = existsSync(deps.databaseFile) ? readWrappedDataKey(deps.databaseFile) : null;
      if (!wrapped) throw noRecoveryKeyIn('This history');
      const dataKey = unwrapDataKey(wrapped, recoveryKey);
      verifyBackup(deps.databaseFile, dataKey); // proves the key against the history before the keychain gets it
      await deps.vault.restoreDataKey(dataKey);
      const state = await deps.restart();
      if (state.state !== 'ok')
        throw new AppError({
          code: ErrorCodes.keychainUnavailable,
          message: `${state.message} ${state.howToFix}`,
          retryable: true,
        });
      log.info('history opened with the recovery key; data key put back in the keychain');
      return { ok: true as const };
    },
    'keychain:retry': async () => ({ keychain: await deps.restart() }),
  };
}

const stamp = (now: Date): string => now.toISOString().slice(0, 19).replace(/:/g, '-');

/** Undoes a restore whose key could not be stored: the replaced history goes back in place. */
function putBack(databaseFile: string, previous: string | null): void {
  rmSync(databaseFile, { force: true });
  for (const suffix of ['-wal', '-shm']) rmSync(databaseFile + suffix, { force: true });
  if (!previous) return;
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(previous + suffix)) renameSync(previous + suffix, databaseFile + suffix);
  }
}

function noRecoveryKeyIn(what: string): AppError {
  return new AppError({
    code: 'RECOVERY_NOT_SET_UP',
    message: `${what} has no recovery key set up, so it can only be opened with the original keychain entry. Restore the keychain from a backup of this computer, or restore an AssetDesk backup made after a recovery key was created.`,
    retryable: false,
  });
}
