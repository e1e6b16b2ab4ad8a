import type { KeytarLike } from '../vault';
import { keychainAccess, keychainError } from '../keychain-failures';
import { parseKeyring, serializeKeyring, teamKeyringDamagedError, type MemberKeyPair, type TeamKeyring } from './keys';

/**
 * A member's team secrets in the OS keychain: the team keyring (every key version) and this desk's X25519 member
 * key, in one entry per team so they are saved and removed together. The entry is base64 of a small JSON
 * document; like the vault, there is no plain-file fallback.
 */
export const TEAM_KEYCHAIN_SERVICE = 'AssetDesk team';
const account = (teamId: string): string => `team:${teamId}`;

export interface TeamMembershipSecrets {
  teamId: string;
  memberId: string;
  memberKeyPair: MemberKeyPair;
  keyring: TeamKeyring;
  /** This desk's password for its own login on the team database (set at join, changed from the join code's). */
  databasePassword?: string;
}

export interface TeamKeychain {
  save(secrets: TeamMembershipSecrets): Promise<void>;
  /** The team's secrets on this desk, or null when this desk has not joined that team. */
  load(teamId: string): Promise<TeamMembershipSecrets | null>;
  /** Forgets the team on this desk (left or removed); true when there was an entry. */
  remove(teamId: string): Promise<boolean>;
}

export interface TeamKeychainOptions {
  keytar?: KeytarLike;
  service?: string;
  platform?: NodeJS.Platform;
}

interface StoredMembership {
  format: 1;
  memberId: string;
  publicKey: string;
  privateKey: string;
  keyring: string;
  databasePassword?: string;
}

export function createTeamKeychain(options: TeamKeychainOptions = {}): TeamKeychain {
  const service = options.service ?? TEAM_KEYCHAIN_SERVICE;
  const platform = options.platform ?? process.platform;
  const guarded = keychainAccess({ ...(options.keytar ? { keytar: options.keytar } : {}), platform });

  return {
    save: async (secrets) => {
      if (secrets.keyring.teamId !== secrets.teamId) throw new Error('the keyring belongs to another team');
      const text = encode(secrets);
      await guarded(async (k) => {
        await k.setPassword(service, account(secrets.teamId), text);
        // Read back: a keychain that silently drops the write would lose the only copy of the member key.
        if ((await k.getPassword(service, account(secrets.teamId))) !== text) {
          throw keychainError(new Error('the keychain did not keep the team key'), platform);
        }
      });
    },
    load: (teamId) =>
      guarded(async (k) => {
        const text = await k.getPassword(service, account(teamId));
        return text === null ? null : decode(teamId, text);
      }),
    remove: (teamId) => guarded((k) => k.deletePassword(service, account(teamId))),
  };
}

function encode(secrets: TeamMembershipSecrets): string {
  const stored: StoredMembership = {
    format: 1,
    memberId: secrets.memberId,
    publicKey: secrets.memberKeyPair.publicKey.toString('base64'),
    privateKey: secrets.memberKeyPair.privateKey.toString('base64'),
    keyring: serializeKeyring(secrets.keyring),
    ...(secrets.databasePassword !== undefined ? { databasePassword: secrets.databasePassword } : {}),
  };
  return Buffer.from(JSON.stringify(stored), 'utf8').toString('base64');
}

function decode(teamId: string, text: string): TeamMembershipSecrets {
  try {
    const stored = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as Partial<StoredMembership>;
    if (stored.format !== 1 || typeof stored.memberId !== 'string' || typeof stored.keyring !== 'string')
      throw new Error('not a team membership entry');
    const publicKey = Buffer.from(String(stored.publicKey), 'base64');
    const privateKey = Buffer.from(String(stored.privateKey), 'base64');
    if (publicKey.length !== 32 || privateKey.length !== 32) throw new Error('member key has the wrong length');
    const keyring = parseKeyring(stored.keyring);
    if (keyring.teamId !== teamId) throw new Error('the entry holds another team’s keyring');
    return {
      teamId,
      memberId: stored.memberId,
      memberKeyPair: { publicKey, privateKey },
      keyring,
      ...(typeof stored.databasePassword === 'string' ? { databasePassword: stored.databasePassword } : {}),
    };
  } catch (error) {
    throw teamKeyringDamagedError(error);
  }
}
