import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  randomInt,
  scrypt,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';
import { AppError, ErrorCodes } from '../../../shared/errors';
import {
  formatJoinCode,
  isWellFormedJoinCode,
  JOIN_CODE_ALPHABET,
  JOIN_CODE_ID_CHARS,
  JOIN_CODE_SECRET_CHARS,
  joinCodeCheckCharacter,
  normalizeJoinCode,
  splitJoinCode,
  TeamRole,
} from '../../../shared/team';

/**
 * The team data key and how it travels. Every desk of a team encrypts report content, PDFs, tokens and SSNs with
 * the team data key before anything reaches the office's PostgreSQL, so the server only ever holds ciphertext.
 * The key is made on the admin's desk, reaches a new member inside a one-time join code, and reaches existing
 * members after a rotation wrapped for their own X25519 key (whose private half never leaves their keychain).
 *
 * When a member leaves (rotateTeamKey and its callers), rotate everything that member could have used:
 * - their PostgreSQL role and password (drop the role, so the server refuses them whatever they kept);
 * - the team data key, for future writes: a new version wrapped for every remaining member; old versions stay in
 *   the keyring because old rows were written with them (re-encrypting history would not take back what was read);
 * - every Plaid access token they could have decrypted: `/item/access_token/invalidate` gives each Item a new token,
 *   stored under the new key version, so a copied old token is dead at Plaid;
 * - their outstanding join codes (invitations they created and nobody redeemed yet): delete those rows.
 */

export const TEAM_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
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

// ---- Join codes ------------------------------------------------------------------------------------------------

/**
 * What the server keeps for an invitation: nothing here opens the keyring without the code. Keep it verbatim (JSON
 * text): team id, invitation id, role and expiry are bound into the seal, so a reformatted expiry no longer opens.
 */
export interface InvitationRecord {
  format: 1;
  invitationId: string;
  teamId: string;
  role: TeamRole;
  createdAt: string;
  expiresAt: string;
  /** Set by the caller once a member redeemed it. */
  usedAt?: string | null;
  kdf: { name: 'scrypt'; N: number; r: number; p: number };
  salt: string;
  /** The whole keyring (every version), sealed with the key derived from the code. */
  wrappedKeyring: string;
  /** SHA-256 of the proof only a holder of the code can compute: the server matches the row without the code. */
  verifier: string;
}

// ≈0.1 s and 32 MiB per guess: cheap once for the new member, costly for anyone guessing codes in bulk.
const SCRYPT = { N: 2 ** 15, r: 8, p: 1 } as const;
const MIN_SCRYPT_N = 2 ** 15;
const MAX_SCRYPT_N = 2 ** 20;
let derivations = 0;

/** How many scrypt derivations this process has run: lets a test prove a mistyped code is refused before any. */
export function joinCodeDerivationCount(): number {
  return derivations;
}

async function deriveFromCode(
  normalizedCode: string,
  salt: Buffer,
  kdf: InvitationRecord['kdf'],
): Promise<{ wrapKey: Buffer; proof: Buffer }> {
  derivations += 1;
  const body = normalizedCode.slice(0, JOIN_CODE_ID_CHARS + JOIN_CODE_SECRET_CHARS);
  const out = await new Promise<Buffer>((resolve, reject) =>
    scrypt(body, salt, 64, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
  return { wrapKey: out.subarray(0, 32), proof: out.subarray(32) };
}

const invitationAad = (r: Pick<InvitationRecord, 'teamId' | 'invitationId' | 'role' | 'expiresAt'>): Buffer =>
  Buffer.from(`assetdesk/team-invitation/v1/${r.teamId}/${r.invitationId}/${r.role}/${r.expiresAt}`, 'utf8');

const randomCharacters = (count: number): string =>
  Array.from({ length: count }, () => JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)]!).join('');

export interface CreatedInvitation {
  /** Shown once to the admin, e.g. `7QK2-M0PA-…` (8 groups of 4); never stored. */
  code: string;
  record: InvitationRecord;
}

export async function createInvitation(input: {
  teamId?: string;
  role: TeamRole;
  teamKeyring: TeamKeyring;
  expiresAt: Date;
  now?: Date;
}): Promise<CreatedInvitation> {
  const role = TeamRole.parse(input.role);
  const teamId = input.teamId ?? input.teamKeyring.teamId;
  if (teamId !== input.teamKeyring.teamId) throw new Error('the keyring belongs to another team');
  const now = input.now ?? new Date();
  if (input.expiresAt.getTime() <= now.getTime()) throw new Error('an invitation must expire in the future');
  const body = randomCharacters(JOIN_CODE_ID_CHARS + JOIN_CODE_SECRET_CHARS);
  const normalized = body + joinCodeCheckCharacter(body);
  const { invitationId } = splitJoinCode(normalized);
  const salt = randomBytes(16);
  const kdf = { name: 'scrypt' as const, ...SCRYPT };
  const { wrapKey, proof } = await deriveFromCode(normalized, salt, kdf);
  const expiresAt = input.expiresAt.toISOString();
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', wrapKey, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(invitationAad({ teamId, invitationId, role, expiresAt }));
  const sealed = Buffer.concat([cipher.update(serializeKeyring(input.teamKeyring), 'utf8'), cipher.final()]);
  return {
    code: formatJoinCode(normalized),
    record: {
      format: 1,
      invitationId,
      teamId,
      role,
      createdAt: now.toISOString(),
      expiresAt,
      usedAt: null,
      kdf,
      salt: salt.toString('base64'),
      wrappedKeyring: Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString('base64'),
      verifier: createHash('sha256').update(proof).digest('base64'),
    },
  };
}

/** The invitation id in a code as typed (to find the server row), or a JOIN_CODE_MISTYPED error. */
export function invitationIdOf(code: string): string {
  return splitJoinCode(checkedJoinCode(code)).invitationId;
}

function checkedJoinCode(code: string): string {
  const normalized = normalizeJoinCode(code);
  if (!isWellFormedJoinCode(normalized)) throw joinCodeError('mistyped');
  return normalized;
}

export interface RedeemedInvitation {
  teamId: string;
  role: TeamRole;
  keyring: TeamKeyring;
  /** Shown to the server to mark the invitation used: it hashes to the record's verifier. */
  proof: Buffer;
}

/**
 * Opens an invitation with the code the new member typed. Typos, a code for another invitation, a used or an
 * expired invitation are refused before the slow key derivation; marking the record used is the caller's job.
 */
export async function redeemInvitation(
  code: string,
  storedRecord: InvitationRecord,
  now: Date = new Date(),
): Promise<RedeemedInvitation> {
  const normalized = checkedJoinCode(code);
  const record = parseInvitationRecord(storedRecord);
  if (splitJoinCode(normalized).invitationId !== record.invitationId) throw joinCodeError('wrong');
  if (record.usedAt) throw joinCodeError('used');
  if (new Date(record.expiresAt).getTime() <= now.getTime()) throw joinCodeError('expired');
  const { wrapKey, proof } = await deriveFromCode(normalized, Buffer.from(record.salt, 'base64'), record.kdf);
  if (!checkInvitationProof(record, proof)) throw joinCodeError('wrong');
  let keyring: TeamKeyring;
  try {
    const wrapped = Buffer.from(record.wrappedKeyring, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', wrapKey, wrapped.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(invitationAad(record));
    decipher.setAuthTag(wrapped.subarray(wrapped.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(wrapped.subarray(NONCE_BYTES, wrapped.length - TAG_BYTES)),
      decipher.final(),
    ]);
    keyring = parseKeyring(plain.toString('utf8'));
  } catch (error) {
    throw joinCodeError('damaged', error);
  }
  if (keyring.teamId !== record.teamId) throw joinCodeError('damaged');
  return { teamId: record.teamId, role: record.role, keyring, proof: Buffer.from(proof) };
}

/** The server-side match: does this proof belong to the invitation's code? (Constant time.) */
export function checkInvitationProof(record: Pick<InvitationRecord, 'verifier'>, proof: Uint8Array): boolean {
  const expected = Buffer.from(record.verifier, 'base64');
  const actual = createHash('sha256').update(proof).digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

const InvitationRecordSchema = z.object({
  format: z.literal(1),
  invitationId: z.string().length(JOIN_CODE_ID_CHARS),
  teamId: z.string().min(1),
  role: TeamRole,
  createdAt: z.string(),
  expiresAt: z.iso.datetime(),
  usedAt: z.string().nullable().optional(),
  kdf: z.object({
    name: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .min(MIN_SCRYPT_N)
      .max(MAX_SCRYPT_N)
      .refine((n) => (n & (n - 1)) === 0, 'a power of two'),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(4),
  }),
  salt: z.base64(),
  wrappedKeyring: z.base64(),
  verifier: z.base64(),
});

/** The record as the server returned it, checked before any work is spent on it. */
export function parseInvitationRecord(value: unknown): InvitationRecord {
  const parsed = InvitationRecordSchema.safeParse(value);
  if (!parsed.success) throw joinCodeError('damaged', parsed.error);
  return parsed.data;
}

type JoinCodeProblem = 'mistyped' | 'wrong' | 'expired' | 'used' | 'damaged';

function joinCodeError(problem: JoinCodeProblem, cause?: unknown): AppError {
  const shapes: Record<JoinCodeProblem, { code: string; message: string; retryable: boolean }> = {
    mistyped: {
      code: TeamKeyErrorCodes.joinCodeMistyped,
      message:
        'This join code has a typing mistake (it is 8 groups of 4 letters and digits, and one of them does not fit). Check it against what your team admin gave you and type it again.',
      retryable: true,
    },
    wrong: {
      code: TeamKeyErrorCodes.joinCodeWrong,
      message:
        'This join code does not match the invitation. Check that you have the latest code from your team admin, or ask them for a new one.',
      retryable: true,
    },
    expired: {
      code: TeamKeyErrorCodes.joinCodeExpired,
      message: 'This join code has expired. Ask your team admin for a new invitation.',
      retryable: false,
    },
    used: {
      code: TeamKeyErrorCodes.joinCodeUsed,
      message:
        'This join code was already used, and each code admits one person once. Ask your team admin for a new invitation.',
      retryable: false,
    },
    damaged: {
      code: TeamKeyErrorCodes.invitationDamaged,
      message:
        'The invitation stored on the team server is damaged, so the team key cannot be read from it. Ask your team admin to create a new invitation.',
      retryable: false,
    },
  };
  return new AppError(shapes[problem], cause === undefined ? undefined : { cause });
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
