import type { Page } from 'playwright';
import { createKeychainVault, type KeytarLike } from '../../electron/services/vault';
import { FAKE_CLIENT_ID, FAKE_SECRET } from '../helpers/fake-tokens';
import { KEYCHAIN_SERVICE } from '../bench/renderer-seed';
import { seriousViolations } from './support/desk';
import { openSeededPage, type SeededPage } from './support/seeded-page';

/**
 * Settings → Plaid keys while the keychain is locked under a running AssetDesk (the real gnome-keyring case is
 * tests/core/vault.test.ts): saved keys are said to be saved and locked away, with how to unlock, and no form
 * invites the officer to type them again. The keychain here answers as a locked Secret Service does through
 * keytar: every entry reads as absent, and writing is refused.
 */

let desk: SeededPage | undefined;
let page: Page;
let keytar: KeytarLike;
const unlocked: Partial<KeytarLike> = {};

beforeAll(async () => {
  desk = await openSeededPage('locked-keys', async (_store, seeded) => {
    keytar = seeded;
    await createKeychainVault({ keytar, service: KEYCHAIN_SERVICE }).saveCredentials('sandbox', {
      clientId: FAKE_CLIENT_ID,
      secret: FAKE_SECRET,
    });
  });
  ({ page } = desk);
});

afterAll(() => desk?.close());

function lockKeychain(): void {
  unlocked.getPassword = keytar.getPassword;
  unlocked.setPassword = keytar.setPassword;
  keytar.getPassword = async () => null;
  keytar.setPassword = async () => {
    throw new Error('Cannot create an item in a locked collection');
  };
}

function unlockKeychain(): void {
  keytar.getPassword = unlocked.getPassword!;
  keytar.setPassword = unlocked.setPassword!;
}

test('saved Sandbox keys hidden by a locked keychain read as saved and locked away, with how to unlock', async () => {
  lockKeychain();
  await page.evaluate(() => void (location.hash = '#/settings'));
  const sandbox = page.getByTestId('credentials-sandbox');
  await sandbox.waitFor();

  expect(await sandbox.getByTestId('credential-state').textContent()).toBe('Saved, keychain locked');
  const told = await sandbox.getByTestId('credentials-sandbox-locked').textContent();
  expect(told).toMatch(
    /^Your Sandbox keys are saved, but your keychain is locked, so AssetDesk cannot read them\. Nothing is lost and there is no need to enter them again\. Unlock your "login" keyring .*, then choose Check again\.$/,
  );
  // Nothing asks for the keys again (before: "Not configured", "Save Sandbox keys here", client_id and secret boxes).
  expect(await sandbox.getByText(/Not configured|Save Sandbox keys here/).count()).toBe(0);
  expect(await sandbox.locator('input').count()).toBe(0);
  expect(await page.getByTestId('env-sandbox-needs-keys').textContent()).toBe(
    'Its keys are saved but your keychain is locked: see Plaid keys → Sandbox below.',
  );
  // Production never had keys: it still offers to save them.
  const production = page.getByTestId('credentials-production');
  expect(await production.getByTestId('credential-state').textContent()).toBe('Not configured');
  expect(await production.locator('input').count()).toBe(2);

  // Still locked: looking again says so.
  await sandbox.getByRole('button', { name: 'Check again' }).click();
  await page.getByText('Your keychain is still locked.').waitFor();
  expect(await sandbox.getByTestId('credential-state').textContent()).toBe('Saved, keychain locked');

  // Unlocked: the same keys are configured again, nothing typed.
  unlockKeychain();
  await sandbox.getByRole('button', { name: 'Check again' }).click();
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid=credentials-sandbox] [data-testid=credential-state]')?.textContent ===
      'Configured',
  );
  expect(await seriousViolations(page)).toEqual([]);
  expect(desk!.pageErrors).toEqual([]);
});
