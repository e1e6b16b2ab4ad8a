import { randomBytes, randomUUID } from 'node:crypto';
import pg from 'pg';
import { AppError } from '../../../shared/errors';
import { TeamRole } from '../../../shared/team';
import type { PostgresEngine } from '../../db/postgres/engine';
import { teamConnectionError } from '../../db/postgres/connection';
import { createInvitation, redeemInvitation, type InvitationRecord } from './invitations';
import {
  createMemberKeyPair,
  createTeamKeyring,
  wrapCurrentKeyForMembers,
  type MemberKeyPair,
  type TeamKeyring,
} from './keys';
import { createTeamValueCipher } from './value-cipher';
import { randomDatabasePassword, scramVerifier, sealJoinText, type TeamServerAddress } from './join';

/**
 * The admin's desk: signed in to the team database as its owner (the login the office's DBA created with
 * CREATEROLE, see README.md), it creates the team, admits members (one database login each) and removes them.
 */

export const TeamAdminErrorCodes = {
  notOwner: 'TEAM_ADMIN_NOT_OWNER',
  teamExists: 'TEAM_ALREADY_CREATED',
  noTeam: 'TEAM_NOT_CREATED',
  memberNotFound: 'TEAM_MEMBER_NOT_FOUND',
  cannotRemoveSelf: 'TEAM_CANNOT_REMOVE_SELF',
  oneAdmin: 'TEAM_ONE_ADMIN',
} as const;

export interface TeamMemberRecord {
  id: string;
  name: string;
  email: string | null;
  role: TeamRole;
  /** The member's own PostgreSQL login (shown to the office's DBA in pg_stat_activity). */
  dbRole: string;
  addedAt: string;
  addedBy: string | null;
  joinedAt: string | null;
  removedAt: string | null;
  /** Key versions wrapped for this member on the server. */
  keyVersions: number[];
}

export const nowIso = (now?: Date) => (now ?? new Date()).toISOString();
export const ident = (name: string) => pg.escapeIdentifier(name);

/** One pooled connection, one transaction: DDL with quoted identifiers goes straight to `pg` here. */
export async function inTransaction<T>(
  engine: PostgresEngine,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await engine.pool.connect();
  } catch (err) {
    throw teamConnectionError(err, engine.target) ?? err;
  }
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw teamConnectionError(err, engine.target) ?? err;
  } finally {
    client.release(broken);
  }
}

export async function groupRoles(client: pg.ClientBase): Promise<Record<TeamRole, string>> {
  const { rows } = await client.query<{ role: TeamRole; db_role: string }>(
    'SELECT role, db_role FROM team_group_roles',
  );
  const groups = Object.fromEntries(rows.map((r) => [r.role, r.db_role])) as Partial<Record<TeamRole, string>>;
  if (!groups.admin || !groups.officer || !groups.processor)
    throw new Error('the team database lacks its group roles (migration 003)');
  return groups as Record<TeamRole, string>;
}

/** The admin's desk must be the database's owner with CREATEROLE; say so plainly otherwise. */
export async function checkOwner(client: pg.ClientBase): Promise<string> {
  const { rows } = await client.query<{ me: string; owner: string; createrole: boolean; superuser: boolean }>(
    `SELECT session_user AS me, pg_get_userbyid(d.datdba) AS owner, r.rolcreaterole AS createrole, r.rolsuper AS superuser
     FROM pg_database d JOIN pg_roles r ON r.rolname = session_user WHERE d.datname = current_database()`,
  );
  const me = rows[0];
  if (!me || (!me.superuser && (me.owner !== me.me || !me.createrole)))
    throw new AppError({
      code: TeamAdminErrorCodes.notOwner,
      message:
        'Only the team admin’s database login can do this: the one your office’s database administrator created as the ' +
        'owner of the team database, with the right to create logins. Check the user name in Settings.',
      retryable: false,
    });
  return me.me;
}

export async function teamRow(client: pg.ClientBase): Promise<{ id: string; name: string; key_version: number }> {
  const { rows } = await client.query<{ id: string; name: string; key_version: number }>(
    'SELECT id, name, key_version FROM team',
  );
  if (!rows[0])
    throw new AppError({
      code: TeamAdminErrorCodes.noTeam,
      message: 'This team database has no team yet. Create the team first (Settings → Team).',
      retryable: false,
    });
  return rows[0];
}

export async function adminMemberId(client: pg.ClientBase): Promise<string | null> {
  const { rows } = await client.query<{ id: string }>('SELECT id FROM team_members WHERE db_role = session_user');
  return rows[0]?.id ?? null;
}

// ---- Create the team -----------------------------------------------------------------------------------------

export interface CreatedTeam {
  teamId: string;
  /** The admin's own member record. */
  memberId: string;
  /** Save both in the admin's keychain (keychain.ts) at once: nothing else holds them. */
  keyring: TeamKeyring;
  keyPair: MemberKeyPair;
}

/**
 * Creates the team on a migrated database: the team data key is made here, on the admin's desk, and never
 * leaves it except wrapped (for a member's public key, or sealed in a join code). The admin's login becomes
 * the first member, role admin, with version 1 wrapped for their own key.
 */
export async function createTeam(input: {
  engine: PostgresEngine;
  name: string;
  adminName: string;
  adminEmail?: string;
  now?: Date;
}): Promise<CreatedTeam> {
  const keyring = createTeamKeyring();
  const keyPair = createMemberKeyPair();
  const memberId = randomUUID();
  const at = nowIso(input.now);
  // The store's key check (store_meta 'key_check'), sealed now so every desk's first open compares against it.
  const keyCheckWhere = { table: 'store_meta', column: 'value_enc', rowId: 'key_check' };
  const keyCheck = createTeamValueCipher(keyring).seal(randomBytes(16), keyCheckWhere);
  await inTransaction(input.engine, async (client) => {
    const me = await checkOwner(client);
    const existing = await client.query('SELECT 1 FROM team');
    if ((existing.rowCount ?? 0) > 0)
      throw new AppError({
        code: TeamAdminErrorCodes.teamExists,
        message:
          'This database already holds a team. To start over, ask your database administrator for a new database.',
        retryable: false,
      });
    await client.query('INSERT INTO team (id, name, created_at, key_version) VALUES ($1, $2, $3, $4)', [
      keyring.teamId,
      input.name.trim(),
      at,
      keyring.version,
    ]);
    await client.query(
      `INSERT INTO team_members (id, name, email, role, db_role, public_key, added_at, added_by, joined_at)
       VALUES ($1, $2, $3, 'admin', $4, $5, $6, NULL, $6)`,
      [memberId, input.adminName.trim(), input.adminEmail ?? null, me, keyPair.publicKey, at],
    );
    const [wrap] = wrapCurrentKeyForMembers(keyring, [{ memberId, publicKey: keyPair.publicKey }]);
    await client.query('INSERT INTO team_member_keys (member_id, key_version, wrapped) VALUES ($1, $2, $3)', [
      memberId,
      wrap!.version,
      wrap!.wrapped,
    ]);
    await client.query(
      `INSERT INTO store_meta (key, value_enc) VALUES ('key_check', $1)
       ON CONFLICT (key) DO UPDATE SET value_enc = excluded.value_enc`,
      [keyCheck],
    );
  });
  return { teamId: keyring.teamId, memberId, keyring, keyPair };
}

// ---- Invite ----------------------------------------------------------------------------------------------------

export interface MemberInvitation {
  memberId: string;
  dbUser: string;
  expiresAt: string;
  /** Send by e-mail: `assetdesk-join:v1:…`. Useless without the code. */
  joinText: string;
  /** Read out by phone: 8 groups of 4. Useless without the text. */
  joinCode: string;
}

/** `assetdesk_<db>_m_<name>_<random>`: recognisable to the DBA, unique on the server. */
function memberLoginName(groupAdmin: string, name: string): string {
  const prefix = groupAdmin.replace(/_admin$/, '');
  const slug =
    name
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 12) || 'member';
  return `${prefix}_m_${slug}_${randomBytes(3).toString('hex')}`.slice(0, 63);
}

/**
 * Admits a member: their own LOGIN role (random password, VALID UNTIL the expiry, member of the role's group),
 * a team_members row and an invitation whose sealed record carries the keyring, the login and the server's
 * address. The code is shown once; neither the code nor the password is stored anywhere.
 */
export async function inviteMember(input: {
  engine: PostgresEngine;
  keyring: TeamKeyring;
  name: string;
  email?: string;
  role: TeamRole;
  expiresAt: Date;
  /** The server as members reach it, when it differs from how the admin's desk does. */
  server?: Partial<TeamServerAddress>;
  now?: Date;
}): Promise<MemberInvitation> {
  const role = TeamRole.parse(input.role);
  // The admin is the owner login (it alone creates logins and runs migrations); a second "admin" could do neither.
  if (role === 'admin')
    throw new AppError({
      code: TeamAdminErrorCodes.oneAdmin,
      message:
        'A team has one admin: the database login that owns the team database. Invite this person as a loan officer or ' +
        'processor; to hand the team over, ask your database administrator to make their login the owner.',
      retryable: false,
      field: 'role',
    });
  const now = input.now ?? new Date();
  return issueInvitation(input, role, now, async (client, groups, record, verifier) => {
    const memberId = randomUUID();
    const user = memberLoginName(groups.admin, input.name);
    await client.query(
      `CREATE ROLE ${ident(user)} LOGIN PASSWORD ${pg.escapeLiteral(verifier)}
       VALID UNTIL ${pg.escapeLiteral(record.expiresAt)} IN ROLE ${ident(groups[role])}`,
    );
    await client.query(
      `INSERT INTO team_members (id, name, email, role, db_role, added_at, added_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [memberId, input.name.trim(), input.email ?? null, role, user, now.toISOString(), await adminMemberId(client)],
    );
    return { memberId, user };
  });
}

/**
 * A new invitation for someone admitted who has not joined yet (their code expired, was lost, or was withdrawn
 * when another member was removed): a new password and expiry for the same login, a new code; older codes die.
 */
export async function inviteAgain(input: {
  engine: PostgresEngine;
  keyring: TeamKeyring;
  memberId: string;
  expiresAt: Date;
  server?: Partial<TeamServerAddress>;
  now?: Date;
}): Promise<MemberInvitation> {
  const now = input.now ?? new Date();
  const { rows } = await input.engine.pool.query<{ role: TeamRole }>(
    'SELECT role FROM team_members WHERE id = $1 AND removed_at IS NULL AND joined_at IS NULL',
    [input.memberId],
  );
  if (!rows[0])
    throw new AppError({
      code: TeamAdminErrorCodes.memberNotFound,
      message: 'This person has already joined or is no longer on the team, so there is nothing to invite again.',
      retryable: false,
    });
  return issueInvitation(input, rows[0].role, now, async (client, _groups, record, verifier) => {
    const { rows: members } = await client.query<{ db_role: string }>(
      'SELECT db_role FROM team_members WHERE id = $1 AND removed_at IS NULL AND joined_at IS NULL FOR UPDATE',
      [input.memberId],
    );
    if (!members[0]) throw new Error('the member joined or was removed meanwhile');
    await client.query(
      `ALTER ROLE ${ident(members[0].db_role)} LOGIN PASSWORD ${pg.escapeLiteral(verifier)}
       VALID UNTIL ${pg.escapeLiteral(record.expiresAt)}`,
    );
    await client.query('DELETE FROM team_invitations WHERE member_id = $1', [input.memberId]);
    return { memberId: input.memberId, user: members[0].db_role };
  });
}

async function issueInvitation(
  input: { engine: PostgresEngine; keyring: TeamKeyring; expiresAt: Date; server?: Partial<TeamServerAddress> },
  role: TeamRole,
  now: Date,
  admit: (
    client: pg.PoolClient,
    groups: Record<TeamRole, string>,
    record: InvitationRecord,
    passwordVerifier: string,
  ) => Promise<{ memberId: string; user: string }>,
): Promise<MemberInvitation> {
  const password = randomDatabasePassword();
  const { code, record } = await createInvitation({
    role,
    teamKeyring: input.keyring,
    expiresAt: input.expiresAt,
    now,
  });
  // The proof only the code's holder can derive seals the login; redeeming here also checks the record opens.
  const { proof } = await redeemInvitation(code, record, now);
  const target = input.engine.target;
  const server: TeamServerAddress = {
    host: input.server?.host ?? target.host,
    port: input.server?.port ?? target.port,
    database: input.server?.database ?? target.database,
    sslmode: input.server?.sslmode ?? target.sslMode,
  };
  const { memberId, user } = await inTransaction(input.engine, async (client) => {
    await checkOwner(client);
    const team = await teamRow(client);
    if (team.id !== input.keyring.teamId) throw new Error('the keyring belongs to another team');
    const admitted = await admit(client, await groupRoles(client), record, scramVerifier(password));
    await client.query('INSERT INTO team_invitations (id, member_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
      record.invitationId,
      admitted.memberId,
      record.createdAt,
      record.expiresAt,
    ]);
    return admitted;
  });
  const joinText = sealJoinText({ record, proof, login: { user, password }, server, memberId });
  return { memberId, dbUser: user, expiresAt: record.expiresAt, joinText, joinCode: code };
}

// ---- List ------------------------------------------------------------------------------------------------------

export async function listMembers(input: { engine: PostgresEngine }): Promise<TeamMemberRecord[]> {
  const { rows } = await input.engine.pool
    .query<{
      id: string;
      name: string;
      email: string | null;
      role: TeamRole;
      db_role: string;
      added_at: string;
      added_by: string | null;
      joined_at: string | null;
      removed_at: string | null;
      versions: number[] | null;
    }>(
      `SELECT m.id, m.name, m.email, m.role, m.db_role, m.added_at, m.added_by, m.joined_at, m.removed_at,
         (SELECT array_agg(k.key_version ORDER BY k.key_version) FROM team_member_keys k WHERE k.member_id = m.id) AS versions
       FROM team_members m ORDER BY m.removed_at IS NOT NULL, m.added_at, m.name`,
    )
    .catch((err: unknown) => {
      throw teamConnectionError(err, input.engine.target) ?? err;
    });
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    email: r.email,
    role: r.role,
    dbRole: r.db_role,
    addedAt: r.added_at,
    addedBy: r.added_by,
    joinedAt: r.joined_at,
    removedAt: r.removed_at,
    keyVersions: (r.versions ?? []).map(Number),
  }));
}

export type { InvitationRecord, TeamServerAddress };
