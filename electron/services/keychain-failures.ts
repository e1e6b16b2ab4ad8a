import type { KeychainState } from '../../shared/domain';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { KeytarLike } from './vault';

/**
 * What a keychain failure means for the officer: keytar's raw errors (no D-Bus, no Secret Service,
 * locked, library missing, access refused) turned into what is missing and how to fix it, per platform.
 */

export const KeychainErrorCodes = {
  locked: 'KEYCHAIN_LOCKED',
  dataKeyMissing: 'DATA_KEY_MISSING',
} as const;

interface KeychainFailure {
  message: string;
  howToFix: string;
}

/** Turns keytar's raw failures into what is missing and how to fix it, per platform. */
export function describeKeychainFailure(error: unknown, platform: NodeJS.Platform = process.platform): KeychainFailure {
  if (
    error instanceof AppError &&
    (error.code === ErrorCodes.keychainUnavailable || error.code === KeychainErrorCodes.locked)
  ) {
    // Our own wrapper: describe keytar's original failure when there is one.
    if (error.cause !== undefined) return describeKeychainFailure(error.cause, platform);
    return { message: error.message, howToFix: fixFor('other', platform) };
  }
  const raw = error instanceof Error ? error.message : String(error);
  const kind = classify(raw);
  const messages: Record<FailureKind, string> = {
    'no-dbus':
      'AssetDesk cannot reach a desktop session bus (D-Bus), so it cannot open your keychain to keep Plaid keys and the data key safe.',
    'no-secret-service':
      'No keychain service (Secret Service, such as GNOME Keyring or KWallet) is running, so AssetDesk has nowhere safe to keep Plaid keys and the data key.',
    locked: 'Your keychain is locked, so AssetDesk cannot read or save its Plaid keys and data key.',
    'no-module':
      'The keychain library could not be loaded on this computer, so AssetDesk cannot keep Plaid keys and the data key safe.',
    denied: 'Access to the keychain was refused, so AssetDesk cannot read or save its Plaid keys and data key.',
    other: 'AssetDesk could not use your keychain to keep Plaid keys and the data key safe.',
  };
  return { message: `${messages[kind]} (${raw.slice(0, 160)})`, howToFix: fixFor(kind, platform) };
}

type FailureKind = 'no-dbus' | 'no-secret-service' | 'locked' | 'no-module' | 'denied' | 'other';

export function classify(raw: string): FailureKind {
  if (
    /autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|Failed to connect to socket|Could not connect to.*bus|Unable to autolaunch/i.test(
      raw,
    )
  )
    return 'no-dbus';
  if (
    /org\.freedesktop\.secrets|ServiceUnknown|was not provided by any \.service files|No such secret collection/i.test(
      raw,
    )
  )
    return 'no-secret-service';
  // A Secret Service runs but has no unlocked default keyring (a fresh gnome-keyring started without a password).
  if (/locked|unlock|prompt (was )?dismissed|Object does not exist at path .*collection/i.test(raw)) return 'locked';
  if (/Cannot find module|libsecret|\.node|ERR_DLOPEN_FAILED|cannot open shared object/i.test(raw)) return 'no-module';
  if (/denied|not allowed|refused|-128|errSecAuthFailed/i.test(raw)) return 'denied';
  return 'other';
}

function fixFor(kind: FailureKind, platform: NodeJS.Platform): string {
  if (platform === 'darwin') {
    return kind === 'locked' || kind === 'denied'
      ? 'Open Keychain Access, unlock the "login" keychain, then restart AssetDesk and choose "Always Allow" when asked.'
      : 'Open Keychain Access and make sure the "login" keychain exists and is unlocked, then restart AssetDesk.';
  }
  if (platform === 'win32') {
    return 'Make sure the Windows "Credential Manager" service is running (services.msc) and that you are signed in with your own Windows account, then restart AssetDesk.';
  }
  switch (kind) {
    case 'no-dbus':
      return "Start AssetDesk from your desktop session (GNOME, KDE, …) rather than a bare terminal or SSH session. On a minimal system run it inside a D-Bus session with GNOME Keyring started and unlocked in it: `dbus-run-session -- sh -c 'gnome-keyring-daemon --unlock --components=secrets; assetdesk'`, typing the keyring's password when it waits (the first time, that password creates the keyring).";
    case 'no-secret-service':
      return 'Install and run a Secret Service: e.g. `sudo apt install gnome-keyring libsecret-1-0`, then log out and back in (or start `gnome-keyring-daemon --start --components=secrets`), and restart AssetDesk.';
    case 'locked':
      return 'Unlock your "login" keyring (GNOME: open "Passwords and Keys" and unlock "Login"; KDE: unlock KWallet; without a desktop: start `gnome-keyring-daemon --unlock --components=secrets` and type its password), then restart AssetDesk.';
    case 'no-module':
      return 'Install the Secret Service client library (`sudo apt install libsecret-1-0`, or `libsecret` on your distribution) and restart AssetDesk.';
    case 'denied':
      return 'Allow AssetDesk to use the keyring when your desktop asks, or unlock the "login" keyring, then restart AssetDesk.';
    default:
      return 'Make sure a Secret Service (gnome-keyring or KWallet) is installed, running and unlocked in your desktop session, then restart AssetDesk.';
  }
}

export function keychainError(error: unknown, platform: NodeJS.Platform): AppError {
  const described = describeKeychainFailure(error, platform);
  return new AppError(
    { code: ErrorCodes.keychainUnavailable, message: `${described.message} ${described.howToFix}`, retryable: true },
    { cause: error },
  );
}

/** The error every secret-needing channel answers while the keychain is unavailable. */
export function keychainUnavailableError(state: Extract<KeychainState, { state: 'unavailable' }>): AppError {
  return new AppError({
    code: ErrorCodes.keychainUnavailable,
    message: `${state.message} ${state.howToFix}`,
    retryable: true,
  });
}

/**
 * Runs keychain work with keytar loaded on first use (it is native: a missing libsecret becomes a reported
 * state, not a crash at import); every failure leaves as KEYCHAIN_UNAVAILABLE with this platform's fix.
 * Shared by the vault and the team keychain.
 */
export function keychainAccess(options: { keytar?: KeytarLike; platform?: NodeJS.Platform } = {}) {
  const platform = options.platform ?? process.platform;
  let keytarPromise: Promise<KeytarLike> | undefined;
  const keytar = (): Promise<KeytarLike> => {
    if (options.keytar) return Promise.resolve(options.keytar);
    keytarPromise ??= import('keytar').then(
      (m) => (m as { default?: KeytarLike }).default ?? (m as unknown as KeytarLike),
    );
    return keytarPromise;
  };
  return async <T>(work: (k: KeytarLike) => Promise<T>): Promise<T> => {
    try {
      return await work(await keytar());
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw keychainError(error, platform);
    }
  };
}
