import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  pbkdf2Sync,
  randomBytes,
} from 'node:crypto';
import type pg from 'pg';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import type { TeamRole } from '../../../shared/team';
import { openPostgresEngine, type PostgresEngine } from '../../db/postgres/engine';
import { TeamDatabaseErrorCodes, teamConnectionError } from '../../db/postgres/connection';
import { parseInvitationRecord, redeemInvitation, type InvitationRecord } from './invitations';
import {
  addTeamKeyVersion,
  createMemberKeyPair,
  NONCE_BYTES,
  TAG_BYTES,
  TeamKeyErrorCodes,
  unwrapForMember,
  type MemberKeyPair,
  type TeamKeyring,
} from './keys';

/**
 * A member's desk joining the team. The admin sends a join text by e-mail and reads the join code out by phone:
 * the text holds the invitation record (keyring sealed with a key derived from the code) and the member's
 * database login and server address, sealed with a key derived from the same code's proof. Either alone opens
 * nothing. On joining, the desk changes its login's password to one only it knows, so the pair works once.
 */

export const JOIN_TEXT_PREFIX = 'assetdesk-join:v1:';

export interface TeamServerAddress {
  host: string;
  port: number;
  database: string;
  sslmode: 'verify-full' | 'verify-ca' | 'require' | 'disable';
}

/**
 * A SCRAM-SHA-256 verifier for `password` (what PostgreSQL stores): sent instead of the password in
 * `CREATE/ALTER ROLE … PASSWORD`, so the clear password never appears in the server's statement logs.
 */
export function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** A random database password: 32 URL-safe characters (192 bits), plain ASCII so SASLprep leaves it alone. */
export const randomDatabasePassword = (): string => randomBytes(24).toString('base64url');

interface JoinLogin {
  user: string;
  password: string;
  memberId: string;
  server: TeamServerAddress;
}

const JoinLoginSchema = z.object({
  user: z.string().min(1).max(63),
  password: z.string().min(16),
  memberId: z.string().min(1),
  server: z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    database: z.string().min(1),
    sslmode: z.enum(['verify-full', 'verify-ca', 'require', 'disable']),
  }),
});

const JoinTextSchema = z.object({ v: z.literal(1), record: z.unknown(), login: z.base64() });

const loginKey = (proof: Uint8Array): Buffer =>
  Buffer.from(hkdfSync('sha256', proof, Buffer.alloc(0), Buffer.from('assetdesk/join-login/v1'), 32));
const loginAad = (record: InvitationRecord): Buffer =>
  Buffer.from(`assetdesk/join-login/v1/${record.teamId}/${record.invitationId}/${record.expiresAt}`, 'utf8');

/** The admin's side (team-admin.ts inviteMember): the record plus the sealed login, as one copyable line. */
export function sealJoinText(input: {
  record: InvitationRecord;
  proof: Uint8Array;
  login: { user: string; password: string };
  server: TeamServerAddress;
  memberId: string;
}): string {
  const login: JoinLogin = { ...input.login, memberId: input.memberId, server: input.server };
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', loginKey(input.proof), nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(loginAad(input.record));
  const body = Buffer.concat([cipher.update(JSON.stringify(login), 'utf8'), cipher.final()]);
  const payload = {
    v: 1,
    record: input.record,
    login: Buffer.concat([nonce, body, cipher.getAuthTag()]).toString('base64'),
  };
  return JOIN_TEXT_PREFIX + Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

function joinTextError(): AppError {
  return new AppError({
    code: TeamKeyErrorCodes.invitationDamaged,
    message:
      'This join text is incomplete or damaged. Copy the whole text from your team admin’s e-mail (it starts with ' +
      '“assetdesk-join:”) and paste it again.',
    retryable: true,
  });
}

function parseJoinText(joinText: string): { record: InvitationRecord; login: Buffer } {
  const text = joinText.replace(/\s+/g, '');
  if (!text.startsWith(JOIN_TEXT_PREFIX)) throw joinTextError();
  let payload: z.infer<typeof JoinTextSchema>;
  try {
    payload = JoinTextSchema.parse(
      JSON.parse(Buffer.from(text.slice(JOIN_TEXT_PREFIX.length), 'base64url').toString('utf8')),
    );
  } catch {
    throw joinTextError();
  }
  return { record: parseInvitationRecord(payload.record), login: Buffer.from(payload.login, 'base64') };
}

function openLogin(record: InvitationRecord, proof: Uint8Array, sealed: Buffer): JoinLogin {
  try {
    const decipher = createDecipheriv('aes-256-gcm', loginKey(proof), sealed.subarray(0, NONCE_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(loginAad(record));
    decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(NONCE_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
    return JoinLoginSchema.parse(JSON.parse(plain.toString('utf8')));
  } catch {
    throw joinTextError();
  }
}

/** The team server refused the carried password: it was changed by an earlier join, expired or withdrawn. */
function joinRefused(cause: unknown): AppError {
  return new AppError(
    {
      code: TeamKeyErrorCodes.joinCodeUsed,
      message:
        'The team server no longer accepts this join code: it was already used (each code admits one person once), ' +
        'or it expired or was withdrawn. Ask your team admin for a new invitation.',
      retryable: false,
    },
    { cause },
  );
}

export interface TeamConnection {
  /** `postgres://user@host:port/database?sslmode=…`, without the password. */
  url: string;
  user: string;
  /** Only this desk knows it: keep it in the keychain. */
  password: string;
}

export interface JoinedTeam {
  connection: TeamConnection;
  role: TeamRole;
  teamId: string;
  memberId: string;
  keyring: TeamKeyring;
  keyPair: MemberKeyPair;
}

const connectionUrl = (user: string, server: TeamServerAddress, password?: string): string =>
  `postgres://${encodeURIComponent(user)}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@` +
  `${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}/` +
  `${encodeURIComponent(server.database)}?sslmode=${server.sslmode}`;

/**
 * Joins with the text and the code: opens the invitation (typos, wrong code, expiry → the invitations.ts
 * errors), signs in with the carried login, replaces its password with a fresh one and records this desk's
 * public key in one transaction. Returns everything the caller keeps in the keychain (keychain.ts + password).
 */
export async function joinTeam(input: {
  joinText: string;
  joinCode: string;
  caPem?: string;
  now?: Date;
  applicationName?: string;
}): Promise<JoinedTeam> {
  const { record, login: sealedLogin } = parseJoinText(input.joinText);
  const redeemed = await redeemInvitation(input.joinCode, record, input.now);
  const login = openLogin(record, redeemed.proof, sealedLogin);
  const keyPair = createMemberKeyPair();
  const password = randomDatabasePassword();
  const engine = await openPostgresEngine({
    url: connectionUrl(login.user, login.server, login.password),
    ...(input.caPem !== undefined ? { caPem: input.caPem } : {}),
    poolSize: 1,
    applicationName: input.applicationName ?? 'AssetDesk (joining)',
  });
  try {
    let client: pg.PoolClient;
    try {
      client = await engine.pool.connect();
    } catch (err) {
      const mapped = teamConnectionError(err, engine.target) ?? err;
      if (mapped instanceof AppError && mapped.code === TeamDatabaseErrorCodes.auth) throw joinRefused(err);
      throw mapped;
    }
    try {
      await client.query('BEGIN');
      await client.query(`ALTER ROLE CURRENT_USER PASSWORD '${scramVerifier(password)}'`);
      const { rows } = await client.query<{ member_id: string; team_id: string; role: TeamRole }>(
        'SELECT member_id, team_id, role FROM assetdesk_member_joined($1)',
        [keyPair.publicKey],
      );
      await client.query('COMMIT');
      const joined = rows[0]!;
      if (joined.team_id !== redeemed.teamId || joined.member_id !== login.memberId)
        throw new Error('the team server answered for another team or member');
      return {
        connection: { url: connectionUrl(login.user, login.server), user: login.user, password },
        role: joined.role,
        teamId: joined.team_id,
        memberId: joined.member_id,
        keyring: redeemed.keyring,
        keyPair,
      };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      const state = (err as { code?: unknown }).code;
      // Two desks racing with the same pair: the second finds the member already joined. Removed: no longer a member.
      if (state === '23505' || state === '42501') throw joinRefused(err);
      throw teamConnectionError(err, engine.target) ?? err;
    } finally {
      client.release();
    }
  } finally {
    await engine.close();
  }
}

/**
 * After a rotation: the key versions wrapped for this member that the desk lacks, unwrapped with its private
 * key and added to the keyring. Call it on start-up and when `team.key_version` changes; save the result.
 */
export async function refreshKeyring(input: {
  engine: PostgresEngine;
  keyPair: MemberKeyPair;
  memberId: string;
  keyring: TeamKeyring;
}): Promise<{ keyring: TeamKeyring; added: number[]; teamVersion: number }> {
  const query = async <R extends pg.QueryResultRow>(sql: string, params: unknown[]) => {
    try {
      return (await input.engine.pool.query<R>(sql, params)).rows;
    } catch (err) {
      throw teamConnectionError(err, input.engine.target) ?? err;
    }
  };
  const wraps = await query<{ key_version: number; wrapped: Buffer }>(
    'SELECT key_version, wrapped FROM team_member_keys WHERE member_id = $1 ORDER BY key_version',
    [input.memberId],
  );
  let keyring = input.keyring;
  const added: number[] = [];
  for (const wrap of wraps) {
    if (keyring.keys.has(wrap.key_version)) continue;
    const key = unwrapForMember({
      teamId: keyring.teamId,
      memberId: input.memberId,
      version: wrap.key_version,
      wrapped: wrap.wrapped,
      memberKeyPair: input.keyPair,
    });
    keyring = addTeamKeyVersion(keyring, wrap.key_version, key);
    added.push(wrap.key_version);
  }
  const team = await query<{ key_version: number }>('SELECT key_version FROM team', []);
  return { keyring, added, teamVersion: team[0]?.key_version ?? keyring.version };
}
