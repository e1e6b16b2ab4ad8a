import { startHarness, type CoreHarness } from './harness';

/**
 * Keys that Plaid refuses never take the place of keys already saved: a rejected replacement leaves the
 * saved keys' state as it was (Sandbox keeps working on them), and a rejected first attempt stores nothing.
 */

let h: CoreHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.close());

const WRONG_SECRET = 'f'.repeat(30);
/** Sandbox keys as the officer saves them in Settings: the emulator's client id with this secret. */
const saveSandboxKeys = (secret: string) =>
  h.services.handlers['credentials:save']({ environment: 'sandbox', clientId: h.emulator.clientId, secret });

test('a first attempt Plaid rejects stores nothing: the keys are still to be saved, with Plaid’s reason', async () => {
  const rejected = await saveSandboxKeys(WRONG_SECRET);
  expect(rejected.credentials.sandbox).toMatchObject({
    state: 'rejected',
    reason: expect.stringMatching(/INVALID_API_KEYS/),
  });
  await expect(h.handlers['settings:switchEnvironment']({ environment: 'sandbox' })).rejects.toMatchObject({
    code: 'CREDENTIALS_NOT_CONFIGURED',
  });
});

test('wrong keys after good ones: the saved keys stay configured and in use, and the rejection is told apart', async () => {
  const saved = await saveSandboxKeys(h.emulator.secret);
  expect(saved.credentials.sandbox).toEqual({ state: 'configured' });
  await h.handlers['settings:switchEnvironment']({ environment: 'sandbox' });

  const replaced = await saveSandboxKeys(WRONG_SECRET);
  expect(replaced.credentials.sandbox).toEqual({
    state: 'configured',
    replacementRejected: expect.stringMatching(/INVALID_API_KEYS/),
  });
  // Still in use: the session and the keychain hold the good keys.
  expect(replaced.environment).toBe('sandbox');
  expect(h.services.internals.gateway().environment).toBe('sandbox');
  await h.handlers['settings:switchEnvironment']({ environment: 'emulator' });
  const back = await h.handlers['settings:switchEnvironment']({ environment: 'sandbox' });
  expect(back.environment).toBe('sandbox');
  expect((await h.handlers['settings:get']({})).credentials.sandbox).toMatchObject({ state: 'configured' });

  // Good keys saved again: the rejection is forgotten.
  const again = await saveSandboxKeys(h.emulator.secret);
  expect(again.credentials.sandbox).toEqual({ state: 'configured' });
  await h.handlers['settings:switchEnvironment']({ environment: 'emulator' });
});
