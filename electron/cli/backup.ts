/**
 * Back up and restore from the command line (the same code as Settings):
 *   npm run backup -- --to DIR [--data DIR]
 *   npm run restore -- FILE [--data DIR] [--recovery-key CODE]
 * The data folder defaults to the app's own (Electron's userData for "AssetDesk"). Quit AssetDesk before
 * restoring. The data key comes from the keychain, or from the recovery key for a backup made elsewhere.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { openAssetDeskStore } from '../db';
import { backupStore, restoreBackup } from '../db/backup';
import { readWrappedDataKey, unwrapDataKey } from '../db/recovery';
import { createKeychainVault } from '../services/vault';

function defaultDataDir(): string {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'AssetDesk');
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'AssetDesk');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'AssetDesk');
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      to: { type: 'string' },
      data: { type: 'string' },
      'recovery-key': { type: 'string' },
      'keychain-service': { type: 'string' },
    },
  });
  const dataDir = resolve(values.data ?? defaultDataDir());
  const databaseFile = join(dataDir, 'assetdesk.sqlite');
  const vault = createKeychainVault(values['keychain-service'] ? { service: values['keychain-service'] } : {});

  if (command === 'backup') {
    if (!values.to) throw new Error('Say where to put the backup: npm run backup -- --to DIR');
    if (!existsSync(databaseFile)) throw new Error(`There is no AssetDesk history in ${dataDir}.`);
    const folder = resolve(values.to);
    mkdirSync(folder, { recursive: true });
    const store = await openAssetDeskStore({
      file: databaseFile,
      dataKey: await vault.dataKey({ databaseExists: true }),
    });
    try {
      const result = await backupStore(store, folder);
      await store.settings.set('lastBackup', { at: result.createdAt, path: result.path });
      await store.activity.append({
        action: 'backup_created',
        detail: { path: result.path, bytes: result.bytes, via: 'cli' },
      });
      process.stdout.write(`Backup saved: ${result.path} (${result.bytes} bytes)\n`);
    } finally {
      await store.close();
    }
    return;
  }
  if (command === 'restore') {
    const file = positionals[0];
    if (!file) throw new Error('Name the backup file: npm run restore -- FILE');
    const recoveryKey = values['recovery-key'];
    let dataKey: Buffer;
    if (recoveryKey) {
      const wrapped = readWrappedDataKey(resolve(file));
      if (!wrapped) throw new Error('This backup has no recovery key set up; restore it on the computer that made it.');
      dataKey = unwrapDataKey(wrapped, recoveryKey);
    } else {
      dataKey = await vault.dataKey({ databaseExists: true }); // never a new key: it could not open the backup
    }
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const restored = restoreBackup({ backupFile: resolve(file), databaseFile, dataKey });
    if (recoveryKey) await vault.restoreDataKey(dataKey);
    process.stdout.write(
      `Restored ${restored.loans} loan files and ${restored.reports} reports into ${dataDir}.` +
        (restored.previous ? ` The replaced history is kept as ${restored.previous}.` : '') +
        '\n',
    );
    return;
  }
  throw new Error('Usage: npm run backup -- --to DIR   |   npm run restore -- FILE [--recovery-key CODE]');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof AppError || error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
