import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createKeychainVault, type KeytarLike } from '../../electron/services/vault';
import { realKeytar, requireKeychain, testKeychainService } from '../helpers/keychain';

const hasKeychain = await requireKeychain();
const service = testKeychainService();

afterAll(async () => {
  if (!hasKeychain) return;
  const keytar = await realKeytar();
  for (const account of ['data-key', 'plaid:sandbox', 'plaid:production'])
    await keytar.deletePassword(service, account);
});

describe.skipIf(!hasKeychain)('against the real Secret Service', () => {
  test('the data key is 256 random bits, created once and read back by a later run', async () => {
    const first = createKeychainVault({ service });
    expect(await first.probe()).toEqual({ state: 'ok' });
    const key = await first.dataKey();
    expect(key.length).toBe(32);
    const secondRun = createKeychainVault({ service });
    expect((await secondRun.dataKey()).equals(key)).toBe(true);
    const stored = await (await realKeytar()).getPassword(service, 'data-key');
    expect(Buffer.from(stored!, 'base64').equals(key)).toBe(true);
  });

  test('Plaid credentials are kept per environment under plaid:<environment> and can be cleared', async () => {
    const vault = createKeychainVault({ service });
    expect(await vault.getCredentials('sandbox')).toBeNull();
    await vault.saveCredentials('sandbox', { clientId: 'a'.repeat(24), secret: 'b'.repeat(30) });
    expect(await vault.getCredentials('sandbox')).toEqual({ clientId: 'a'.repeat(24), secret: 'b'.repeat(30) });
    expect(await vault.getCredentials('production')).toBeNull();
    const raw = await (await realKeytar()).getPassword(service, 'plaid:sandbox');
    expect(JSON.parse(raw!)).toEqual({ clientId: 'a'.repeat(24), secret: 'b'.repeat(30) });
    await vault.clearCredentials('sandbox');
    expect(await vault.getCredentials('sandbox')).toBeNull();
  });
});

test('without a D-Bus session the probe says exactly what is missing and how to fix it (real keytar, child process)', () => {
  const env = { ...process.env };
  delete env.DBUS_SESSION_BUS_ADDRESS;
  delete env.DISPLAY;
  const script = fileURLToPath(new URL('./fixtures/probe-keychain.ts', import.meta.url));
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], { env, encoding: 'utf8', timeout: 20_000 });
  expect(child.status, child.stderr).toBe(0);
  const state = JSON.parse(child.stdout) as { state: string; message: string; howToFix: string };
  expect(state.state).toBe('unavailable');
  expect(state.message).toMatch(/D-Bus/);
  expect(state.message).toMatch(/Cannot autolaunch D-Bus/);
  expect(state.howToFix).toMatch(/dbus-run-session|desktop session/);
});

function failingKeytar(message: string): KeytarLike {
  const fail = async (): Promise<never> => {
    throw new Error(message);
  };
  return { getPassword: fail, setPassword: fail, deletePassword: fail };
}

test.each([
  ['The name org.freedesktop.secrets was not provided by any .service files', /No keychain service/, /gnome-keyring/],
  ['Cannot create an item in a locked collection', /locked/, /[Uu]nlock/],
  ['Cannot autolaunch D-Bus without X11 $DISPLAY', /D-Bus/, /dbus-run-session/],
])('keytar failing with "%s" is reported as unavailable, never a plain-file fallback', async (message, what, fix) => {
  const vault = createKeychainVault({ keytar: failingKeytar(message), platform: 'linux' });
  const state = await vault.probe();
  expect(state.state).toBe('unavailable');
  if (state.state !== 'unavailable') return;
  expect(state.message).toMatch(what);
  expect(state.howToFix).toMatch(fix);
  await expect(vault.saveCredentials('sandbox', { clientId: 'x', secret: 'y' })).rejects.toMatchObject({
    code: 'KEYCHAIN_UNAVAILABLE',
  });
  await expect(vault.dataKey()).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
});

test('a locked keychain is told apart from a first run: no key is written, a clear message, and the history opens after unlock (real gnome-keyring, locked over D-Bus)', () => {
  // A private D-Bus session and keyring of its own: locking the shared test keyring would disturb other tests.
  const dir = mkdtempSync(join(tmpdir(), 'assetdesk-locked-'));
  const dataHome = mkdtempSync(join(tmpdir(), 'assetdesk-keyring-'));
  try {
    const fixture = fileURLToPath(new URL('./fixtures/locked-keychain.ts', import.meta.url));
    const node = `'${process.execPath}' --import tsx '${fixture}'`;
    const script = [
      'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
      `${node} setup '${dir}'`,
      'dbus-send --session --print-reply --dest=org.freedesktop.secrets /org/freedesktop/secrets org.freedesktop.Secret.Service.Lock array:objpath:/org/freedesktop/secrets/collection/login >/dev/null',
      `${node} locked '${dir}'`,
      // Unlocking: the officer types the password (here: the daemon restarted with it).
      'printf pw | gnome-keyring-daemon --replace --unlock --components=secrets >/dev/null 2>&1',
      'sleep 0.3',
      `${node} open '${dir}'`,
    ].join('; ');
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: dataHome };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const child = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], { env, encoding: 'utf8', timeout: 60_000 });
    const lines = child.stdout
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const [setup, locked, opened] = lines;
    expect(lines, child.stderr).toHaveLength(3);
    expect(setup).toMatchObject({ phase: 'setup', writes: ['data-key'] }); // first run: the one time a key is created
    expect(locked!.rawWhileLocked).toBeNull(); // what keytar answers for an existing entry while locked
    expect(locked!.code).toBe('KEYCHAIN_LOCKED');
    expect(locked!.writes).not.toContain('data-key'); // never a new key over an existing history
    expect(locked!.state).toMatchObject({ state: 'unavailable', message: expect.stringMatching(/locked/) });
    expect((locked!.state as { howToFix: string }).howToFix).toMatch(/Try the keychain again/);
    expect(opened).toMatchObject({ phase: 'open', keyHash: setup!.keyHash, loans: ['LN-LOCKED'], writes: [] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(dataHome, { recursive: true, force: true });
  }
}, 90_000);

test('the keychain locked while AssetDesk runs: saved Plaid keys are said to be locked away, not missing (real gnome-keyring)', () => {
  const dataHome = mkdtempSync(join(tmpdir(), 'assetdesk-keyring-'));
  try {
    const fixture = fileURLToPath(new URL('./fixtures/locked-midway.ts', import.meta.url));
    const script = [
      'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null',
      `'${process.execPath}' --import tsx '${fixture}'`,
    ].join('; ');
    const env: NodeJS.ProcessEnv = { ...process.env, XDG_DATA_HOME: dataHome };
    delete env.DBUS_SESSION_BUS_ADDRESS;
    const child = spawnSync('dbus-run-session', ['--', 'sh', '-c', script], { env, encoding: 'utf8', timeout: 60_000 });
    const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
    expect(line, child.stderr).toBeDefined();
    const { switchBack, credentials, stillWorks } = JSON.parse(line!) as {
      switchBack: { code: string; message: string } | null;
      credentials: Record<'sandbox' | 'production', { state: string; howToUnlock?: string }>;
      stillWorks: number;
    };
    // Before: CREDENTIALS_NOT_CONFIGURED, "No Plaid keys are saved for Sandbox. Enter your client ID and secret…".
    expect(switchBack).toMatchObject({
      code: 'KEYCHAIN_LOCKED',
      message: expect.stringMatching(
        /^Your keychain is locked, so AssetDesk cannot read its Plaid keys \(they are still saved\)\. Unlock .*, then try again\.$/,
      ),
    });
    // Settings says the saved keys are locked away and how to unlock (before: Sandbox 'not_configured', as if none
    // were saved); Production, which this run saw without keys, stays not configured.
    expect(credentials.sandbox).toEqual({
      state: 'locked',
      howToUnlock: expect.stringMatching(/^Unlock your "login" keyring .*gnome-keyring-daemon --unlock.*\)$/),
    });
    expect(credentials.production).toEqual({ state: 'not_configured' });
    expect(stillWorks).toBe(0);
  } finally {
    rmSync(dataHome, { recursive: true, force: true });
  }
}, 90_000);

test.each(['linux', 'darwin', 'win32'] as const)(
  'the locked-keychain message on %s names how to unlock and then to try again, once',
  async (platform) => {
    // What keytar answers once the keychain locks: null for every entry, the data key included.
    let locked = false;
    const entries = new Map<string, string>();
    const keytar: KeytarLike = {
      getPassword: async (_s, account) => (locked ? null : (entries.get(account) ?? null)),
      setPassword: async (_s, account, password) => void entries.set(account, password),
      deletePassword: async (_s, account) => entries.delete(account),
    };
    const vault = createKeychainVault({ service: 'AssetDesk-wording', keytar, platform });
    await vault.dataKey({ databaseExists: false });
    await vault.saveCredentials('sandbox', { clientId: 'id', secret: 'secret' });
    expect(await vault.getCredentials('production')).toBeNull(); // unlocked and never saved: simply none
    locked = true;
    const error = await vault.getCredentials('sandbox').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'KEYCHAIN_LOCKED' });
    const message = (error as Error).message;
    expect(message).toMatch(
      /^Your keychain is locked, so AssetDesk cannot read its Plaid keys \(they are still saved\)\. \S.*, then try again\.$/,
    );
    expect(message).not.toMatch(/restart AssetDesk|\.,/);
    // Locked, the keychain cannot say whether any were saved: the same answer.
    expect(await vault.getCredentials('production').catch((e: unknown) => e)).toMatchObject({
      code: 'KEYCHAIN_LOCKED',
    });
  },
);
