import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  randomInt,
  scrypt,
  timingSafeEqual,
} from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
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
import { NONCE_BYTES, parseKeyring, serializeKeyring, TAG_BYTES, TeamKeyErrorCodes, type TeamKeyring } from './keys';

/**
 * Join codes: how a new member receives the team keyring. The admin's desk seals the keyring with a key derived
 * (scrypt) from a one-time code it shows once; the server keeps only the sealed record and a verifier. The code
 * carries the invitation id (to find the row) and a check character (to catch typos before the slow derivation).
 */

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
