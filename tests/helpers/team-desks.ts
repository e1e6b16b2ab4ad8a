import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TeamRole } from '../../shared/team';
import { createMemberKeyPair, type MemberKeyPair, type TeamKeyring } from '../../electron/services/team/keys';
import { createTeamKeychain } from '../../electron/services/team/keychain';
import { writeTeamConfig } from '../../electron/services/team/team-desk';
import { realKeytar, testKeychainService } from './keychain';
import type { TestDatabase } from './postgres';

/**
 * A desk's user-data folder and keychain set up for a team the way joining leaves them (team.json and
 * the keychain entry), signed in as `user`/`password` — for tests of the runtime that are not about
 * joining itself.
 */
export async function teamDeskFolder(options: {
  db: TestDatabase;
  keyring: TeamKeyring;
  role: TeamRole;
  memberName: string;
  memberId?: string;
  user?: string;
  password?: string;
  teamName?: string;
  /** The member's own key pair (a joined member's, to fetch key versions wrapped for them); a new one otherwise. */
  memberKeyPair?: MemberKeyPair;
}): Promise<{ userDataDir: string; keychainService: string }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'assetdesk-team-desk-'));
  mkdirSync(userDataDir, { recursive: true });
  const keychainService = testKeychainService();
  const memberId = options.memberId ?? `member-${options.memberName.toLowerCase().replace(/\W+/g, '-')}`;
  const user = options.user ?? options.db.superuser;
  writeTeamConfig(userDataDir, {
    format: 1,
    url: `postgres://${encodeURIComponent(user)}@${options.db.host}:${options.db.port}/${options.db.name}`,
    caPem: options.db.caPem,
    teamId: options.keyring.teamId,
    teamName: options.teamName ?? 'Northside branch',
    memberId,
    memberName: options.memberName,
    role: options.role,
  });
  await createTeamKeychain({ keytar: await realKeytar(), service: `${keychainService} team` }).save({
    teamId: options.keyring.teamId,
    memberId,
    memberKeyPair: options.memberKeyPair ?? createMemberKeyPair(),
    keyring: options.keyring,
    databasePassword: options.password ?? options.db.password,
  });
  return { userDataDir, keychainService };
}
