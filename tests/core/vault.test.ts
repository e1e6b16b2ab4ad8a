import { spawnSync } from 'node:child_process';
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
