import { randomUUID } from 'node:crypto';
import type { KeytarLike } from '../../electron/services/vault';

/**
 * Keychain tests run against a REAL Secret Service. `npm test` provides one (a private D-Bus
 * session with an unlocked gnome-keyring). Without it these tests fail with instructions — unless
 * ASSETDESK_ALLOW_NO_KEYCHAIN=1, which turns them into skips for machines that cannot have one.
 */
export const RUN_KEYCHAIN_TESTS_HOW =
  "XDG_DATA_HOME=$(mktemp -d) dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; NO_COLOR=1 npx vitest run tests/core'  (or `npm test`, which does this itself)";

export interface KeychainAvailability {
  ok: boolean;
  reason: string;
}

let cached: Promise<KeychainAvailability> | undefined;

/** Whether a Secret Service answers a real keytar round trip. */
export function keychainAvailability(): Promise<KeychainAvailability> {
  cached ??= (async () => {
    if (!process.env.DBUS_SESSION_BUS_ADDRESS)
      return { ok: false, reason: 'DBUS_SESSION_BUS_ADDRESS is not set (no D-Bus session)' };
    try {
      const keytar = await realKeytar();
      const account = `probe-${randomUUID()}`;
      await keytar.setPassword('AssetDesk-test-probe', account, 'x');
      const read = await keytar.getPassword('AssetDesk-test-probe', account);
      await keytar.deletePassword('AssetDesk-test-probe', account);
      return read === 'x' ? { ok: true, reason: '' } : { ok: false, reason: 'the keychain did not keep a test entry' };
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
  })();
  return cached;
}

export async function realKeytar(): Promise<KeytarLike> {
  const module = (await import('keytar')) as unknown as { default?: KeytarLike } & KeytarLike;
  return module.default ?? module;
}

/**
 * Call at the top of a keychain test file: returns true when tests should run; otherwise fails
 * (or, with ASSETDESK_ALLOW_NO_KEYCHAIN=1, skips) every test with the reason and the fix.
 */
export async function requireKeychain(): Promise<boolean> {
  const availability = await keychainAvailability();
  if (availability.ok) return true;
  if (process.env.ASSETDESK_ALLOW_NO_KEYCHAIN === '1') return false;
  throw new Error(
    `These tests need a real Secret Service, and none works here: ${availability.reason}.\nRun them with:\n  ${RUN_KEYCHAIN_TESTS_HOW}\nor set ASSETDESK_ALLOW_NO_KEYCHAIN=1 to skip them knowingly.`,
  );
}

/** A keychain service name per test run, so tests never touch (or leave) the real 'AssetDesk' entries. */
export function testKeychainService(): string {
  return `AssetDesk-test-${randomUUID().slice(0, 8)}`;
}
