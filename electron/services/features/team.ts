import { AppError, ErrorCodes } from '../../../shared/errors';
import type { ContractHandlers } from '../../../shared/ipc/contract';
import type { TeamStatus } from '../../../shared/ipc/team-contract';
import type { TeamMember } from '../../../shared/team';
import { openPostgresEngine, type PostgresEngine } from '../../db/postgres/engine';
import { migratePostgres } from '../../db/postgres/migrations';
import type { Logger } from '../../log/logger';
import type { PlaidGateway } from '../plaid-gateway';
import { joinTeam } from '../team/join';
import type { TeamKeychain } from '../team/keychain';
import { createTeam, inviteMember, listMembers } from '../team/team-admin';
import { removeMember, replaceAccessTokens } from '../team/team-removal';
import { clearTeamConfig, readTeamConfig, serverOf, writeTeamConfig, type TeamDesk } from '../team/team-desk';
import type { PlaidEnvironment } from '../../../shared/domain';

export type TeamHandlers = Pick<
  ContractHandlers,
  | 'team:status'
  | 'team:create'
  | 'team:join'
  | 'team:invite'
  | 'team:members'
  | 'team:removeMember'
  | 'team:useLocal'
  | 'team:moveHistory'
>;

export interface TeamFeatureDeps {
  userDataDir: string;
  logger: Logger;
  keychain: TeamKeychain;
  team(): TeamDesk | null;
  problem(): { code: string; message: string } | null;
  /** Stops and starts the services again (after joining, creating or leaving a team, or a key rotation). */
  restart(): Promise<void>;
  /** A Plaid gateway for an environment (to replace access tokens after a member leaves). */
  gatewayFor(environment: PlaidEnvironment): Promise<PlaidGateway>;
  /** Copies this desk's local history into the team database (electron/db/move-history.ts). */
  moveHistory(desk: TeamDesk): Promise<ContractHandlersResult<'team:moveHistory'>>;
}

type ContractHandlersResult<C extends keyof ContractHandlers> = Awaited<ReturnType<ContractHandlers[C]>>;

/** What this desk is: local, or a member of a team (with the connection's state). */
export function teamStatusOf(deps: Pick<TeamFeatureDeps, 'userDataDir' | 'team' | 'problem'>): TeamStatus {
  const desk = deps.team();
  const config = desk?.config ?? readTeamConfig(deps.userDataDir);
  if (!config) return { mode: 'local', team: null, member: null, server: null, connection: null, problem: null };
  return {
    mode: 'team',
    team: { id: config.teamId, name: config.teamName },
    member: { id: config.memberId, name: config.memberName, role: config.role },
    server: serverOf(config.url),
    connection: desk ? desk.connection() : null,
    problem: deps.problem(),
  };
}

/** `postgres://user:password@…` → the address without the password, and the password. */
function splitPassword(url: string): { url: string; password: string | undefined } {
  const parsed = new URL(url);
  const password = parsed.password ? decodeURIComponent(parsed.password) : undefined;
  parsed.password = '';
  return { url: parsed.toString(), password };
}

export function createTeamHandlers(deps: TeamFeatureDeps): TeamHandlers {
  const log = deps.logger.child({ component: 'team' });
  const desk = (): TeamDesk => {
    const current = deps.team();
    if (!current)
      throw new AppError({
        code: ErrorCodes.teamNotAvailable,
        message: 'This desk is not working on a team database now. Join or create a team in Settings → Team.',
        retryable: false,
      });
    return current;
  };
  const localOnly = () => {
    if (readTeamConfig(deps.userDataDir))
      throw new AppError({
        code: ErrorCodes.conflict,
        message: 'This desk already belongs to a team. Choose "Use this desk’s local history" first to change teams.',
        retryable: false,
      });
  };

  return {
    'team:status': () => Promise.resolve(teamStatusOf(deps)),

    'team:useLocal': async () => {
      clearTeamConfig(deps.userDataDir);
      await deps.restart();
      return teamStatusOf(deps);
    },

    'team:create': async ({ url, caPem, teamName, adminName }) => {
      localOnly();
      const { url: address, password } = splitPassword(url);
      const engine = await openPostgresEngine({
        url,
        caPem,
        poolSize: 2,
        applicationName: 'AssetDesk (creating team)',
      });
      try {
        // The admin's login owns the database: the schema, the group roles and the team are made from here.
        await migratePostgres(engine);
        const created = await createTeam({ engine, name: teamName, adminName });
        await deps.keychain.save({
          teamId: created.teamId,
          memberId: created.memberId,
          memberKeyPair: created.keyPair,
          keyring: created.keyring,
          ...(password !== undefined ? { databasePassword: password } : {}),
        });
        writeTeamConfig(deps.userDataDir, {
          format: 1,
          url: address,
          caPem,
          teamId: created.teamId,
          teamName,
          memberId: created.memberId,
          memberName: adminName,
          role: 'admin',
        });
        log.info('team created', { teamId: created.teamId });
      } finally {
        await engine.close();
      }
      await deps.restart();
      return teamStatusOf(deps);
    },

    'team:join': async ({ joinText, joinCode, caPem }) => {
      localOnly();
      const joined = await joinTeam({ joinText, joinCode, caPem });
      const names = await teamNames(joined.connection.url, joined.connection.password, caPem, joined.memberId);
      await deps.keychain.save({
        teamId: joined.teamId,
        memberId: joined.memberId,
        memberKeyPair: joined.keyPair,
        keyring: joined.keyring,
        databasePassword: joined.connection.password,
      });
      writeTeamConfig(deps.userDataDir, {
        format: 1,
        url: joined.connection.url,
        caPem,
        teamId: joined.teamId,
        teamName: names.team,
        memberId: joined.memberId,
        memberName: names.member,
        role: joined.role,
      });
      log.info('joined team', { teamId: joined.teamId, role: joined.role });
      await deps.restart();
      return teamStatusOf(deps);
    },

    'team:invite': async ({ name, email, role, expiresInDays }) => {
      const team = desk();
      const invitation = await inviteMember({
        engine: team.store.engine,
        keyring: team.keyring(),
        name,
        ...(email ? { email } : {}),
        role,
        expiresAt: new Date(Date.now() + expiresInDays * 24 * 3600 * 1000),
      });
      return {
        memberId: invitation.memberId,
        joinText: invitation.joinText,
        joinCode: invitation.joinCode,
        expiresAt: invitation.expiresAt,
      };
    },

    'team:members': async () =>
      (await listMembers({ engine: desk().store.engine })).map((m): TeamMember => ({
        id: m.id,
        name: m.name,
        role: m.role,
        addedAt: m.addedAt,
        ...(m.email ? { email: m.email } : {}),
        ...(m.joinedAt ? { joinedAt: m.joinedAt } : {}),
        ...(m.removedAt ? { removedAt: m.removedAt } : {}),
      })),

    'team:removeMember': async ({ memberId }) => {
      const team = desk();
      const removed = await removeMember({ engine: team.store.engine, keyring: team.keyring(), memberId });
      const secrets = await deps.keychain.load(team.config.teamId);
      if (secrets) await deps.keychain.save({ ...secrets, keyring: removed.keyring });
      // Every access token the member could have copied is replaced at Plaid, sealed under the new key.
      const { replaced, failed } = await replaceAccessTokens({
        engine: team.store.engine,
        keyring: removed.keyring,
        items: removed.itemsToReplace,
        invalidate: async (environment, accessToken) => {
          const gateway = await deps.gatewayFor(environment);
          const reply = await gateway.call('/item/access_token/invalidate', (p, options) =>
            p.itemAccessTokenInvalidate({ access_token: accessToken }, options),
          );
          return reply.new_access_token;
        },
      });
      for (const failure of failed)
        log.warn('could not replace an access token after a member left', { itemId: failure.itemId });
      log.info('member removed', { keyVersion: removed.keyVersion, replaced: replaced.length, failed: failed.length });
      // The store's cipher now needs the new key version for what it writes next.
      await deps.restart();
      return { keyVersion: removed.keyVersion, accessTokensReplaced: replaced.length };
    },

    'team:moveHistory': async () => deps.moveHistory(desk()),
  };
}

/** The team's and this member's names, read with the new login right after joining. */
async function teamNames(
  url: string,
  password: string,
  caPem: string,
  memberId: string,
): Promise<{ team: string; member: string }> {
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  let engine: PostgresEngine | null = null;
  try {
    engine = await openPostgresEngine({ url: parsed.toString(), caPem, poolSize: 1 });
    const team = (await engine.statement('SELECT name FROM team').get()) as { name: string } | undefined;
    const member = (await engine.statement('SELECT name FROM team_members WHERE id = ?').get(memberId)) as
      { name: string } | undefined;
    return { team: team?.name ?? 'Team', member: member?.name ?? 'Member' };
  } finally {
    await engine?.close();
  }
}
