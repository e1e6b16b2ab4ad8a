import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { AppError, ErrorCodes } from '../../../shared/errors';

/**
 * The team data key and how it travels. Every desk of a team encrypts report content, PDFs, tokens and SSNs with
 * the team data key before anything reaches the office's PostgreSQL, so the server only ever holds ciphertext.
 * The key is made on the admin's desk, reaches a new member inside a one-time join code (invitations.ts), and reaches existing
 * members after a rotation wrapped for their own X25519 key (whose private half never leaves their keychain).
 *
 * When a member leaves (rotateTeamKey and its callers), rotate everything that member could have used:
 * - their PostgreSQL role and password (drop the role, so the server refuses them whatever they kept);
 * - the team data key, for future writes: a new version wrapped for every remaining member; old versions stay in
 *   the keyring because old rows were written with them (re-encrypting history would not take back what was read);
 * - every Plaid access token they could have decrypted: `/item/access_token/invalidate` gives each Item a new token,
 *   stored under the new key version, so a copied old token is dead at Plaid;
 * - every join code not yet redeemed: each carries the keyring as it was (without the new version), and the
 *   leaver may have seen or created it; delete those rows and issue new codes to whoever still has to join.
 */

export const TEAM_KEY_BYTES = 32;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const X25519_BYTES = 32;

export const TeamKeyErrorCodes = {
  joinCodeMistyped: 'JOIN_CODE_MISTYPED',
  joinCodeWrong: 'JOIN_CODE_WRONG',
  joinCodeExpired: 'JOIN_CODE_EXPIRED',
  joinCodeUsed: 'JOIN_CODE_USED',
  invitationDamaged: 'INVITATION_DAMAGED',
  teamKeyNotForThisDesk: 'TEAM_KEY_NOT_FOR_THIS_DESK',
} as const;

// ---- Keyring ---------------------------------------------------------------------------------------------------

/** Every version of the team data key this desk holds; `version` is the one new writes use. */
export interface TeamKeyring {
  teamId: string;
  version: number;
  keys: Map<number, Buffer>;
}

export function createTeamKeyring(teamId: string = randomBytes(16).toString('hex')): TeamKeyring {
  return { teamId, version: 1, keys: new Map([[1, randomBytes(TEAM_KEY_BYTES)]]) };
}

/** The key new writes use. */
export function currentTeamKey(keyring: TeamKeyring): Buffer {
  const key = keyring.keys.get(keyring.version);
  if (!key) throw new Error(`team keyring lacks its current version ${keyring.version}`);
  return key;
}

/**
 * A new version of the team data key (a member left). Returns a new keyring and leaves the given one untouched;
 * every earlier version is kept so rows written before the rotation still open.
 */
export function rotateTeamKey(keyring: TeamKeyring): TeamKeyring {
  const version = Math.max(keyring.version, ...keyring.keys.keys()) + 1;
  const keys = new Map(keyring.keys);
  keys.set(version, randomBytes(TEAM_KEY_BYTES));
  return { teamId: keyring.teamId, version, keys };
}

/** A new version received from the admin (unwrapped with this desk's member key) joins the keyring. */
export function addTeamKeyVersion(keyring: TeamKeyring, version: number, key: Buffer): TeamKeyring {
  checkKeyVersion(version, key);
  const keys = new Map(keyring.keys);
  keys.set(version, Buffer.from(key));
  return { teamId: keyring.teamId, version: Math.max(keyring.version, version), keys };
}

interface SerializedKeyring {
  format: 1;
  teamId: string;
  version: number;
  keys: Record<string, string>;
}

/** JSON with base64 keys, for the keychain and the join code; never written anywhere in clear. */
export function serializeKeyring(keyring: TeamKeyring): string {
  const keys: Record<string, string> = {};
  for (const [version, key] of [...keyring.keys].sort(([a], [b]) => a - b))
    keys[String(version)] = key.toString('base64');
  const value: SerializedKeyring = { format: 1, teamId: keyring.teamId, version: keyring.version, keys };
  return JSON.stringify(value);
}

export function parseKeyring(text: string): TeamKeyring {
  const value = JSON.parse(text) as Partial<SerializedKeyring>;
  if (value.format !== 1 || typeof value.teamId !== 'string' || value.teamId === '')
    throw new Error('not a team keyring');
  if (typeof value.keys !== 'object' || value.keys === null) throw new Error('team keyring without keys');
  const keys = new Map<number, Buffer>();
  for (const [versionText, base64] of Object.entries(value.keys)) {
    const version = Number(versionText);
    const key = Buffer.from(String(base64), 'base64');
    checkKeyVersion(version, key);
    keys.set(version, key);
  }
  const version = Number(value.version);
  if (!keys.has(version)) throw new Error('team keyring lacks its current version');
  return { teamId: value.teamId, version, keys };
}

function checkKeyVersion(version: number, key: Buffer): void {
  if (!Number.isInteger(version) || version < 1 || version > 0xffff_ffff) throw new Error('bad team key version');
  if (key.length !== TEAM_KEY_BYTES) throw new Error('a team data key is 32 bytes');
}

// ---- Member key pairs and wrapping -----------------------------------------------------------------------------

/** Raw 32-byte X25519 keys: the public half goes to the server, the private half stays in the member's keychain. */
export interface MemberKeyPair {
  publicKey: Buffer;
  privateKey: Buffer;
}

// DER headers of X25519 keys, so raw 32-byte keys can be handed to Node's KeyObject API.
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');

export function createMemberKeyPair(): MemberKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).subarray(SPKI_PREFIX.length),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }).subarray(PKCS8_PREFIX.length),
  };
}

function publicKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== X25519_BYTES) throw new Error('an X25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

function privateKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== X25519_BYTES) throw new Error('an X25519 private key is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, raw]), format: 'der', type: 'pkcs8' });
}

export interface MemberWrapContext {
  teamId: string;
  memberId: string;
  version: number;
}

const WRAP_FORMAT = 1;
const WRAP_INFO = Buffer.from('assetdesk/team-key-wrap/v1');

const memberWrapAad = (where: MemberWrapContext): Buffer =>
  Buffer.from(`assetdesk/team-key-wrap/v${WRAP_FORMAT}/${where.teamId}/${where.memberId}/${where.version}`, 'utf8');

/** Both ends derive the same AES key: HKDF-SHA256 over the X25519 secret, salted with both public keys. */
function wrapKeyFrom(shared: Buffer, ephemeralPublic: Buffer, memberPublic: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephemeralPublic, memberPublic]), WRAP_INFO, 32));
}

/**
 * One version of the team key, readable only with the member's private key. Layout:
 * [format 1][ephemeral public key 32][nonce 12][wrapped key 32][tag 16]; the AAD names team, member and version, so
 * a wrap copied onto another member's or another version's row fails to open.
 */
export function wrapForMember(input: MemberWrapContext & { teamKey: Buffer; memberPublicKey: Uint8Array }): Buffer {
  checkKeyVersion(input.version, input.teamKey);
  const memberPublic = Buffer.from(input.memberPublicKey);
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralPublic = ephemeral.publicKey.export({ type: 'spki', format: 'der' }).subarray(SPKI_PREFIX.length);
  const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: publicKeyObject(memberPublic) });
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', wrapKeyFrom(shared, ephemeralPublic, memberPublic), nonce, {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(memberWrapAad(input));
  const body = Buffer.concat([cipher.update(input.teamKey), cipher.final()]);
  return Buffer.concat([Buffer.of(WRAP_FORMAT), ephemeralPublic, nonce, body, cipher.getAuthTag()]);
}

const WRAPPED_BYTES = 1 + X25519_BYTES + NONCE_BYTES + TEAM_KEY_BYTES + TAG_BYTES;

export function unwrapForMember(
  input: MemberWrapContext & { wrapped: Uint8Array; memberKeyPair: MemberKeyPair },
): Buffer {
  const wrapped = Buffer.from(input.wrapped);
  try {
    if (wrapped.length !== WRAPPED_BYTES || wrapped[0] !== WRAP_FORMAT) throw new Error('not a wrapped team key');
    const ephemeralPublic = wrapped.subarray(1, 1 + X25519_BYTES);
    const nonce = wrapped.subarray(1 + X25519_BYTES, 1 + X25519_BYTES + NONCE_BYTES);
    const body = wrapped.subarray(1 + X25519_BYTES + NONCE_BYTES, wrapped.length - TAG_BYTES);
    const shared = diffieHellman({
      privateKey: privateKeyObject(input.memberKeyPair.privateKey),
      publicKey: publicKeyObject(ephemeralPublic),
    });
    const decipher = createDecipheriv(
      'aes-256-gcm',
      wrapKeyFrom(shared, ephemeralPublic, Buffer.from(input.memberKeyPair.publicKey)),
      nonce,
      { authTagLength: TAG_BYTES },
    );
    decipher.setAAD(memberWrapAad(input));
    decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch (error) {
    throw new AppError(
      {
        code: TeamKeyErrorCodes.teamKeyNotForThisDesk,
        message:
          'The team key sent to you could not be opened with this computer’s member key (it was made for another member or computer, or changed on the way). Ask your team admin to send the team key to you again.',
        retryable: false,
      },
      { cause: error },
    );
  }
}

export interface MemberPublicKey {
  memberId: string;
  publicKey: Uint8Array;
}

/** After a rotation: the current version wrapped for each remaining member, one row per member for the server. */
export function wrapCurrentKeyForMembers(
  keyring: TeamKeyring,
  members: readonly MemberPublicKey[],
): { memberId: string; version: number; wrapped: Buffer }[] {
  const teamKey = currentTeamKey(keyring);
  return members.map(({ memberId, publicKey }) => ({
    memberId,
    version: keyring.version,
    wrapped: wrapForMember({
      teamId: keyring.teamId,
      memberId,
      version: keyring.version,
      teamKey,
      memberPublicKey: publicKey,
    }),
  }));
}

/** For callers that must refuse a keyring whose key has the wrong length (a damaged keychain entry). */
export function teamKeyringDamagedError(cause?: unknown): AppError {
  return new AppError(
    {
      code: ErrorCodes.keychainUnavailable,
      message:
        'The team key in your keychain is damaged. Remove this computer from the team in Settings and join again with a new join code from your team admin.',
      retryable: false,
    },
    cause === undefined ? undefined : { cause },
  );
}
