import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openAssetDeskStore } from '../../electron/db';
import { newRecoveryKey, wrapDataKey } from '../../electron/db/recovery';
import { createKeychainVault } from '../../electron/services/vault';
import { applicantInput } from '../helpers/applicant';
import { realKeytar, requireKeychain, testKeychainService } from '../helpers/keychain';
import { addApplicant } from '../helpers/applicant';

const hasKeychain = await requireKeychain();
const CLI = fileURLToPath(new URL('../../electron/cli/backup.ts', import.meta.url));

describe.skipIf(!hasKeychain)('npm run backup / npm run restore', () => {
  const services = [testKeychainService(), testKeychainService()];
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'assetdesk-cli-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    const keytar = await realKeytar();
    for (const service of services) await keytar.deletePassword(service, 'data-key');
  });

  const cli = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

  test('backs up a history and restores it on "another computer" (empty keychain) with the recovery key', async () => {
    const data = join(dir, 'data');
    const vault = createKeychainVault({ service: services[0]! });
    const key = await vault.dataKey({ databaseExists: false });
    const store = await openAssetDeskStore({ file: join(data, 'assetdesk.sqlite'), dataKey: key });
    await addApplicant(store, applicantInput({ loanNumber: 'LN-CLI' }));
    const recoveryKey = newRecoveryKey();
    await store.saveRecoveryWrappedKey(wrapDataKey(key, recoveryKey));
    await store.close();

    const backups = join(dir, 'backups');
    const made = cli('backup', '--to', backups, '--data', data, '--keychain-service', services[0]!);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toMatch(/Backup saved: .*AssetDesk-backup-.*\.assetdesk-backup/);
    const [file] = readdirSync(backups);

    const elsewhere = join(dir, 'new-computer');
    const withoutKey = cli('restore', join(backups, file!), '--data', elsewhere, '--keychain-service', services[1]!);
    expect(withoutKey.status).toBe(1); // no key on the new computer, and none is invented
    expect(await (await realKeytar()).getPassword(services[1]!, 'data-key')).toBeNull();

    const restored = cli(
      'restore',
      join(backups, file!),
      '--data',
      elsewhere,
      '--keychain-service',
      services[1]!,
      '--recovery-key',
      recoveryKey,
    );
    expect(restored.status, restored.stderr).toBe(0);
    expect(restored.stdout).toMatch(/Restored 1 loan files/);
    const reopened = await createKeychainVault({ service: services[1]! }).dataKey({ databaseExists: true });
    expect(reopened.equals(key)).toBe(true);
    const opened = await openAssetDeskStore({ file: join(elsewhere, 'assetdesk.sqlite'), dataKey: reopened });
    expect(
      (
        await opened.loans.pipeline({ environment: 'sandbox', documentAgeRule: 'fannie_4_months', today: '2026-11-02' })
      ).rows.map((r) => r.loanNumber),
    ).toEqual(['LN-CLI']);
    await opened.close();
  }, 90_000);
});
