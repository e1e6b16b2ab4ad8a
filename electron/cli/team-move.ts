/**
 * Moves this desk's local history into the team database it joined (the same code as Settings → Team):
 *   npm run team:move -- [--database-url postgres://user@host:5432/db] [--ca office-ca.pem] [--data DIR]
 * The address and CA default to the ones saved when the desk joined (team.json); the local data key and the
 * team key come from the keychain. Moving twice moves nothing twice. Exit code 0: moved; 1: nothing moved.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../shared/errors';
import { canUse, roleRefusal } from '../../shared/team';
import { createValueCipher } from '../db/cipher';
import { moveLocalHistory, type MoveProgress, type MoveResult } from '../db/move-history';
import { openTeamStore } from '../db/team-store';
import { createTeamKeychain } from '../services/team/keychain';
import { readTeamConfig, withPassword } from '../services/team/team-desk';
import { createTeamValueCipher } from '../services/team/value-cipher';
import { createKeychainVault } from '../services/vault';

function defaultDataDir(): string {
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'AssetDesk');
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'AssetDesk');
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'AssetDesk');
}

const TABLE_NAMES: Record<string, string> = {
  loans: 'loan files',
  applicants: 'borrowers',
  items: 'bank connections',
  reports: 'Asset Reports',
  report_items: 'report banks',
  report_content: 'report contents and PDFs',
  audit_copies: 'audit copies',
  sourced_deposits: 'sourced deposits',
  account_confirmations: 'account confirmations',
  hosted_link_sessions: 'Hosted Link sessions',
  activity: 'activity entries',
};

function printProgress({ table, done, total }: MoveProgress): void {
  if (done === total || done % 1000 === 0) process.stdout.write(`  ${TABLE_NAMES[table] ?? table}: ${done}/${total}\n`);
}

function summary(result: MoveResult): string {
  return (
    `Moved ${result.loans} loan files, ${result.borrowers} borrowers, ${result.items} bank connections, ` +
    `${result.reports} Asset Reports, ${result.auditCopies} audit copies and ${result.activity} activity entries ` +
    `in ${(result.tookMs / 1000).toFixed(1)} s.` +
    (result.skipped > 0
      ? ` ${result.skipped} records were already in the team database and were left as they are.`
      : '')
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      'database-url': { type: 'string' },
      ca: { type: 'string' },
      data: { type: 'string' },
      'keychain-service': { type: 'string' },
      'team-keychain-service': { type: 'string' },
    },
  });
  const dataDir = resolve(values.data ?? defaultDataDir());
  const databaseFile = join(dataDir, 'assetdesk.sqlite');
  if (!existsSync(databaseFile)) throw new Error(`There is no AssetDesk history to move in ${dataDir}.`);
  const config = readTeamConfig(dataDir);
  if (!config)
    throw new Error(
      'This desk has not joined a team yet. Join it in AssetDesk (Settings → Team), then move the history.',
    );
  if (!canUse(config.role, 'team:moveHistory')) throw new AppError(roleRefusal(config.role, 'team:moveHistory'));

  const teamKeychain = createTeamKeychain(
    values['team-keychain-service'] ? { service: values['team-keychain-service'] } : {},
  );
  const secrets = await teamKeychain.load(config.teamId);
  if (!secrets)
    throw new Error(
      `The team key of ${config.teamName} is not in this computer's keychain. Ask your AssetDesk admin for a new join code.`,
    );
  const vault = createKeychainVault(values['keychain-service'] ? { service: values['keychain-service'] } : {});
  const dataKey = await vault.dataKey({ databaseExists: true }); // never a new key: it could not open the history

  const address = values['database-url'] ?? config.url;
  // The desk's own password stays in the keychain; an address typed with a password keeps it.
  const url = new URL(address).password ? address : withPassword(address, secrets.databasePassword);
  const caPem = values.ca ? readFileSync(resolve(values.ca), 'utf8') : config.caPem;
  const teamCipher = createTeamValueCipher(secrets.keyring);
  const team = await openTeamStore({
    url,
    caPem,
    cipher: teamCipher,
    migrate: config.role === 'admin',
    applicationName: 'AssetDesk history move',
  });
  try {
    process.stdout.write(`Moving the history in ${dataDir} into ${config.teamName}…\n`);
    const result = await moveLocalHistory({
      sqliteFile: databaseFile,
      localCipher: createValueCipher(dataKey),
      team: { engine: team.engine, cipher: teamCipher },
      movedBy: config.memberName,
      onProgress: printProgress,
    });
    process.stdout.write(`${summary(result)}\n`);
  } finally {
    await team.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
