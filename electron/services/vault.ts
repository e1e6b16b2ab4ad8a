import { randomBytes } from 'node:crypto';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { KeychainState } from '../../shared/domain';
import {
  classify,
  describeKeychainFailure,
  keychainAccess,
  keychainError,
  KeychainErrorCodes,
} from './keychain-failures';

export { describeKeychainFailure, KeychainErrorCodes, keychainUnavailableError } from './keychain-failures';

/**
 * Secrets live in the OS keychain only (macOS Keychain, Windows Credential Manager, Linux Secret
 * Service) through keytar. There is deliberately no plain-file fallback: without a keychain the app
 * reports what is missing and how to fix it, and every secret-needing action refuses.
 */

/** The part of keytar we use; tests may pass keytar itself or one that throws keytar's real errors. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export type CredentialEnvironment = 'sandbox' | 'production';

export interface PlaidCredentials {
  clientId: string;
  secret: string;
}

/** What the caller knows about the history: a database that exists means its key must exist too. */
export interface DataKeyOptions {
  /** True when the history database file exists: then a missing key is never replaced by a new one. */
  databaseExists?: boolean;
}

export interface KeychainVault {
  /** Whether the keychain works right now (reads, and on a true first run creates, the data key). */
  probe(options?: DataKeyOptions): Promise<KeychainState>;
  getCredentials(environment: CredentialEnvironment): Promise<PlaidCredentials | null>;
  saveCredentials(environment: CredentialEnvironment, credentials: PlaidCredentials): Promise<void>;
  clearCredentials(environment: CredentialEnvironment): Promise<void>;
  /**
   * The 256-bit key the history store encrypts tokens and report data with. Created only on a first
   * run (no database). With a database and no readable key it throws KEYCHAIN_LOCKED (unlock, then retry)
   * or DATA_KEY_MISSING (open the history with the recovery key) and writes nothing.
   */
  dataKey(options?: DataKeyOptions): Promise<Buffer>;
  /**
   * Puts a recovered data key into an unlocked keychain (recovery key, restore on a new machine). A different
   * key already there is refused, unless `keepPreviousAs` names the entry it is kept under (restoring a backup
   * made under another key keeps the replaced history openable).
   */
  restoreDataKey(key: Buffer, options?: { keepPreviousAs?: string }): Promise<void>;
  /** Forgets the key held in memory, so the next dataKey() reads the keychain again (retry after unlock). */
  forget(): void;
  /**
   * Whether this run last found Plaid keys saved for the environment (undefined: never looked). A locked keychain
   * hides its entries, so this is what tells keys locked away from keys never saved.
   */
  savedAtLastLook(environment: CredentialEnvironment): boolean | undefined;
}

export const KEYCHAIN_SERVICE = 'AssetDesk';
export const DATA_KEY_ACCOUNT = 'data-key';
/** A throw-away entry written (and deleted) to learn whether the keychain is locked; never the data key. */
export const UNLOCK_CHECK_ACCOUNT = 'unlock-check';
const credentialAccount = (environment: CredentialEnvironment): string => `plaid:${environment}`;

export interface KeychainVaultOptions {
  keytar?: KeytarLike;
  service?: string;
  platform?: NodeJS.Platform;
}

export function createKeychainVault(options: KeychainVaultOptions = {}): KeychainVault {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const platform = options.platform ?? process.platform;
  let cachedDataKey: Buffer | undefined;
  const savedAtLastLook = new Map<CredentialEnvironment, boolean>();
  const guarded = keychainAccess({ ...(options.keytar ? { keytar: options.keytar } : {}), platform });

  const dataKey = async (options: DataKeyOptions = {}): Promise<Buffer> => {
    cachedDataKey ??= await guarded(async (k) => {
      const stored = await k.getPassword(service, DATA_KEY_ACCOUNT);
      if (stored !== null) return decodeKey(stored, service);
      if (options.databaseExists) return keyForExistingDatabase(k, service, platform);
      return createDataKey(k, service);
    });
    return cachedDataKey;
  };

  const getCredentials = (environment: CredentialEnvironment) =>
    guarded(async (k) => {
      const found = await readCredentials(k, service, environment);
      // keytar answers null for an entry of a locked keychain too: the data key this run read tells which it is.
      if (found === null && cachedDataKey && (await k.getPassword(service, DATA_KEY_ACCOUNT)) === null)
        throw lockedAway(platform);
      savedAtLastLook.set(environment, found !== null);
      return found;
    });

  return {
    async probe(options) {
      const state = await probeDataKey(() => dataKey(options), platform);
      // Looked at once while the keychain is open, so that a lock later can be told from keys never saved.
      if (state.state === 'ok')
        for (const environment of ['sandbox', 'production'] as const)
          await getCredentials(environment).catch(() => null);
      return state;
    },
    getCredentials,
    saveCredentials: (environment, credentials) =>
      guarded(async (k) => {
        await k.setPassword(
          service,
          credentialAccount(environment),
          JSON.stringify({ clientId: credentials.clientId, secret: credentials.secret }),
        );
        savedAtLastLook.set(environment, true);
      }),
    clearCredentials: (environment) =>
      guarded(async (k) => {
        await k.deletePassword(service, credentialAccount(environment));
        savedAtLastLook.set(environment, false);
      }),
    savedAtLastLook: (environment) => savedAtLastLook.get(environment),
    dataKey,
    async restoreDataKey(key, restoreOptions = {}) {
      await guarded((k) => putDataKey(k, service, key, restoreOptions.keepPreviousAs));
      cachedDataKey = Buffer.from(key);
    },
    forget: () => {
      cachedDataKey = undefined;
    },
  };
}

function decodeKey(stored: string, service: string): Buffer {
  const decoded = Buffer.from(stored, 'base64');
  if (decoded.length !== 32) {
    throw new AppError({
      code: ErrorCodes.keychainUnavailable,
      message: `The AssetDesk data key in your keychain is damaged (expected 32 bytes, found ${decoded.length}). Open your history with your recovery key (Settings → Recovery), or restore the keychain entry "${service} / ${DATA_KEY_ACCOUNT}" from a backup; AssetDesk will not replace it, because the saved reports can only be read with the original key.`,
      retryable: false,
    });
  }
  return decoded;
}

/** The keychain was locked after AssetDesk read its data key: saved Plaid keys cannot be read until it is unlocked. */
function lockedAway(platform: NodeJS.Platform): AppError {
  return new AppError({
    code: KeychainErrorCodes.locked,
    message: `Your keychain is locked, so AssetDesk cannot read its Plaid keys (they are still saved). ${howToUnlock(platform)}, then try again.`,
    retryable: true,
  });
}

/** This platform's way to unlock the keychain, without its "then restart AssetDesk…" (unlocking is enough here). */
export function howToUnlock(platform: NodeJS.Platform = process.platform): string {
  return describeKeychainFailure(new Error('locked'), platform).howToFix.replace(/,? then restart AssetDesk.*$/s, '');
}

/** "Locked" and "missing" become a state the officer can act on; anything else, the platform's fix. */
async function probeDataKey(read: () => Promise<Buffer>, platform: NodeJS.Platform): Promise<KeychainState> {
  try {
    await read();
    return { state: 'ok' };
  } catch (error) {
    if (
      error instanceof AppError &&
      (error.code === KeychainErrorCodes.locked || error.code === KeychainErrorCodes.dataKeyMissing)
    ) {
      const [message, ...rest] = error.message.split('. ');
      return { state: 'unavailable', message: `${message}.`, howToFix: rest.join('. ') };
    }
    const described = describeKeychainFailure(error, platform);
    return { state: 'unavailable', message: described.message, howToFix: described.howToFix };
  }
}

/** A damaged credentials entry counts as not configured, so the officer can save again. */
async function readCredentials(
  k: KeytarLike,
  service: string,
  environment: CredentialEnvironment,
): Promise<PlaidCredentials | null> {
  const raw = await k.getPassword(service, credentialAccount(environment));
  if (raw === null) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<PlaidCredentials>;
    if (typeof parsed.clientId === 'string' && typeof parsed.secret === 'string') {
      return { clientId: parsed.clientId, secret: parsed.secret };
    }
  } catch {
    // fall through
  }
  return null;
}

/** First run only: a new key, read back so a keychain that silently drops writes cannot lose it. */
async function createDataKey(k: KeytarLike, service: string): Promise<Buffer> {
  const created = randomBytes(32);
  await k.setPassword(service, DATA_KEY_ACCOUNT, created.toString('base64'));
  if ((await k.getPassword(service, DATA_KEY_ACCOUNT)) !== created.toString('base64')) {
    throw new AppError({
      code: ErrorCodes.keychainUnavailable,
      message:
        'Your keychain accepted the AssetDesk data key but did not keep it. Check that the keychain is unlocked and writable, then restart AssetDesk.',
      retryable: true,
    });
  }
  return created;
}

/**
 * keytar answers null both for "no entry" and "entry in a locked collection". A database exists, so the
 * key must: learn which by writing a throw-away entry (a locked collection refuses it, or the desktop asks
 * the officer to unlock), then read the key once more. The data key itself is never written here.
 */
async function keyForExistingDatabase(k: KeytarLike, service: string, platform: NodeJS.Platform): Promise<Buffer> {
  try {
    await k.setPassword(service, UNLOCK_CHECK_ACCOUNT, 'ok');
    await k.deletePassword(service, UNLOCK_CHECK_ACCOUNT).catch(() => false);
  } catch (error) {
    if (classify(error instanceof Error ? error.message : String(error)) === 'locked') {
      throw new AppError(
        {
          code: KeychainErrorCodes.locked,
          message: `Your keychain is locked, so AssetDesk cannot read the key to your saved history. ${howToUnlock(platform)}, then choose “Try the keychain again” in Settings → Backup and recovery (or restart AssetDesk).`,
          retryable: true,
        },
        { cause: error },
      );
    }
    throw keychainError(error, platform);
  }
  const again = await k.getPassword(service, DATA_KEY_ACCOUNT);
  if (again !== null) return decodeKey(again, service);
  throw new AppError({
    code: KeychainErrorCodes.dataKeyMissing,
    message:
      'Your saved history is here, but its key is not in this computer’s keychain (a new computer, a new user profile or a reinstalled system?). ' +
      'Open Settings → Recovery and enter the recovery key you saved when AssetDesk was first set up. AssetDesk will not create a new key, because that would lock the history away for good.',
    retryable: false,
  });
}

/**
 * Puts a recovered key in place. A different key already there is replaced only when the caller names
 * an entry to keep it under (a restore keeps the replaced history openable); every write is read back.
 */
async function putDataKey(k: KeytarLike, service: string, key: Buffer, keepPreviousAs?: string): Promise<void> {
  if (key.length !== 32) throw new Error('a data key is 32 bytes');
  const existing = await k.getPassword(service, DATA_KEY_ACCOUNT);
  const differs = existing !== null && !decodeKey(existing, service).equals(key);
  if (differs && !keepPreviousAs) {
    throw new AppError({
      code: ErrorCodes.conflict,
      message:
        'This computer’s keychain already holds a different AssetDesk data key. AssetDesk will not overwrite it; restore the backup on a computer without AssetDesk history, or move the current history aside first.',
      retryable: false,
    });
  }
  const notKept = (): AppError =>
    new AppError({
      code: ErrorCodes.keychainUnavailable,
      message: 'Your keychain did not keep the recovered key. Unlock the keychain and try again.',
      retryable: true,
    });
  if (differs && keepPreviousAs) {
    await k.setPassword(service, keepPreviousAs, existing);
    if ((await k.getPassword(service, keepPreviousAs)) !== existing) throw notKept();
  }
  if (existing === null || differs) await k.setPassword(service, DATA_KEY_ACCOUNT, key.toString('base64'));
  if ((await k.getPassword(service, DATA_KEY_ACCOUNT)) !== key.toString('base64')) throw notKept();
}
