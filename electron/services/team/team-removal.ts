import type { TeamRole } from '../../../shared/team';
import type { PlaidEnvironment } from '../../../shared/domain';
import type { ValueCipher } from '../../db/cipher';
import type { PostgresEngine } from '../../db/postgres/engine';
import { rotateTeamKey, wrapCurrentKeyForMembers, type TeamKeyring } from './keys';
import { createTeamValueCipher } from './value-cipher';
import { AppError } from '../../../shared/errors';
import {
  TeamAdminErrorCodes,
  adminMemberId,
  checkOwner,
  groupRoles,
  ident,
  inTransaction,
  nowIso,
  teamRow,
} from './team-admin';

/**
 * The admin's desk removing a member, and replacing the Plaid access tokens they could have copied
 * (the rest of the admin's work is in team-admin.ts).
 */

// ---- Remove ----------------------------------------------------------------------------------------------------

export interface ItemToReplace {
  itemId: string;
  environment: PlaidEnvironment;
  plaidItemId: string;
}

export interface RemovedMember {
  /** The rotated keyring: save it in the admin's keychain and open the store with a new cipher. */
  keyring: TeamKeyring;
  keyVersion: number;
  /** Whether the member's open sessions were ended (needs pg_signal_backend; their rights are gone either way). */
  sessionsEnded: boolean;
  /** Live Items whose access tokens the member could have copied: call replaceAccessTokens for them. */
  itemsToReplace: ItemToReplace[];
  /** Members admitted but not joined yet: their join codes carried the old keyring and were withdrawn; invite them again. */
  toInviteAgain: { memberId: string; name: string; email: string | null; role: TeamRole }[];
}

/**
 * Removes a member. What rotates, and why:
 * - their database login: group revoked (their open sessions lose every right at once), NOLOGIN and no
 *   password (no new session), open sessions ended; the role stays so the activity log keeps naming them;
 * - the team data key: a new version, wrapped for every remaining joined member. The removed member kept the
 *   old versions (they were on their desk), so values sealed before stay readable to whoever copied them;
 *   everything sealed from now on uses a key they never had;
 * - Plaid access tokens: they could have opened and copied every Item's token, so each is invalidated at Plaid
 *   and the new one sealed under the new key (replaceAccessTokens);
 * - join codes not yet used: each carries the keyring without the new version (and the leaver may have seen
 *   them); they are withdrawn and those people must be invited again.
 */
export async function removeMember(input: {
  engine: PostgresEngine;
  keyring: TeamKeyring;
  memberId: string;
  now?: Date;
}): Promise<RemovedMember> {
  const keyring = rotateTeamKey(input.keyring);
  const at = nowIso(input.now);
  const result = await inTransaction(input.engine, async (client) => {
    await checkOwner(client);
    const team = await teamRow(client);
    if (team.id !== keyring.teamId) throw new Error('the keyring belongs to another team');
    // Serialises removals: two at once would each rotate from the same version.
    await client.query('SELECT key_version FROM team FOR UPDATE');
    const groups = await groupRoles(client);
    const { rows } = await client.query<{ id: string; db_role: string; role: TeamRole; removed_at: string | null }>(
      'SELECT id, db_role, role, removed_at FROM team_members WHERE id = $1',
      [input.memberId],
    );
    const member = rows[0];
    if (!member || member.removed_at)
      throw new AppError({
        code: TeamAdminErrorCodes.memberNotFound,
        message: 'This person is not (or no longer) a member of the team. Refresh the member list.',
        retryable: false,
      });
    if (member.id === (await adminMemberId(client)))
      throw new AppError({
        code: TeamAdminErrorCodes.cannotRemoveSelf,
        message: 'You cannot remove yourself: your login owns the team database. Ask your database administrator.',
        retryable: false,
      });
    await client.query(`REVOKE ${ident(groups[member.role])} FROM ${ident(member.db_role)}`);
    await client.query(`ALTER ROLE ${ident(member.db_role)} NOLOGIN PASSWORD NULL`);
    await client.query('UPDATE team_members SET removed_at = $1 WHERE id = $2', [at, member.id]);

    // Admitted, not joined: their codes hold the old keyring. Their logins are closed until invited again.
    const pending = await client.query<{
      id: string;
      name: string;
      email: string | null;
      role: TeamRole;
      db_role: string;
    }>(
      `SELECT id, name, email, role, db_role FROM team_members
       WHERE removed_at IS NULL AND joined_at IS NULL`,
    );
    for (const p of pending.rows) await client.query(`ALTER ROLE ${ident(p.db_role)} PASSWORD NULL`);
    await client.query(
      `DELETE FROM team_invitations WHERE used_at IS NULL
       OR member_id = $1`,
      [member.id],
    );

    const remaining = await client.query<{ id: string; public_key: Buffer }>(
      'SELECT id, public_key FROM team_members WHERE removed_at IS NULL AND public_key IS NOT NULL',
    );
    for (const wrap of wrapCurrentKeyForMembers(
      keyring,
      remaining.rows.map((r) => ({ memberId: r.id, publicKey: r.public_key })),
    )) {
      await client.query('INSERT INTO team_member_keys (member_id, key_version, wrapped) VALUES ($1, $2, $3)', [
        wrap.memberId,
        wrap.version,
        wrap.wrapped,
      ]);
    }
    await client.query('UPDATE team SET key_version = $1', [keyring.version]);
    const items = await client.query<{ id: string; environment: PlaidEnvironment; plaid_item_id: string }>(
      `SELECT id, environment, plaid_item_id FROM items WHERE status <> 'removed' AND access_token_enc IS NOT NULL
       ORDER BY linked_at, id`,
    );
    return {
      dbRole: member.db_role,
      itemsToReplace: items.rows.map((i) => ({
        itemId: i.id,
        environment: i.environment,
        plaidItemId: i.plaid_item_id,
      })),
      toInviteAgain: pending.rows.map((p) => ({ memberId: p.id, name: p.name, email: p.email, role: p.role })),
    };
  });
  // After the commit: the sessions' rights are already gone; ending them also drops what they hold open.
  let sessionsEnded = true;
  try {
    await input.engine.pool.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()',
      [result.dbRole],
    );
  } catch {
    sessionsEnded = false;
  }
  return {
    keyring,
    keyVersion: keyring.version,
    sessionsEnded,
    itemsToReplace: result.itemsToReplace,
    toInviteAgain: result.toInviteAgain,
  };
}

// ---- Access tokens after a removal ----------------------------------------------------------------------------

/**
 * For each Item: open its access token with the old keyring, have Plaid replace it
 * (`/item/access_token/invalidate`, through `invalidate`), and seal the new token with the rotated key.
 * One Item at a time, each saved as soon as Plaid answers: a failure stops with the rest still listed.
 * `invalidate` gets the environment (to pick the right Plaid client) and must return Plaid's `new_access_token`.
 */
export async function replaceAccessTokens(input: {
  engine: PostgresEngine;
  /** Opens tokens sealed before the rotation and seals the new ones (any cipher over the rotated keyring). */
  cipher?: ValueCipher;
  keyring: TeamKeyring;
  items: readonly ItemToReplace[];
  invalidate: (environment: PlaidEnvironment, accessToken: string) => Promise<string>;
}): Promise<{ replaced: string[]; failed: { itemId: string; error: unknown }[] }> {
  const cipher = input.cipher ?? createTeamValueCipher(input.keyring);
  const replaced: string[] = [];
  const failed: { itemId: string; error: unknown }[] = [];
  for (const item of input.items) {
    const where = { table: 'items', column: 'access_token_enc', rowId: item.itemId };
    try {
      const { rows } = await input.engine.pool.query<{ access_token_enc: Buffer | null }>(
        "SELECT access_token_enc FROM items WHERE id = $1 AND status <> 'removed'",
        [item.itemId],
      );
      const sealed = rows[0]?.access_token_enc;
      if (!sealed) continue;
      const fresh = await input.invalidate(item.environment, cipher.openText(sealed, where));
      await input.engine.pool.query('UPDATE items SET access_token_enc = $1 WHERE id = $2', [
        cipher.sealText(fresh, where),
        item.itemId,
      ]);
      replaced.push(item.itemId);
    } catch (error) {
      failed.push({ itemId: item.itemId, error });
    }
  }
  return { replaced, failed };
}
