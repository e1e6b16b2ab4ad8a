import { AppError, ErrorCodes } from '../../../shared/errors';
import type { ContractHandlers } from '../../../shared/ipc/contract';
import type { TeamStatus } from '../../../shared/ipc/team-contract';
import { clearTeamConfig, readTeamConfig, serverOf, type TeamDesk } from '../team/team-desk';

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
  team(): TeamDesk | null;
  problem(): { code: string; message: string } | null;
  /** Stops and starts the services again (after joining, creating or leaving a team). */
  restart(): Promise<void>;
}

/** What this desk is: local, or a member of a team (with the connection's state). */
export function teamStatusOf(deps: TeamFeatureDeps): TeamStatus {
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

const notYet = (what: string) =>
  new AppError({
    code: ErrorCodes.teamNotAvailable,
    message: `${what} is not available in this build yet.`,
    retryable: false,
  });

export function createTeamHandlers(deps: TeamFeatureDeps): TeamHandlers {
  return {
    'team:status': () => Promise.resolve(teamStatusOf(deps)),
    'team:useLocal': async () => {
      clearTeamConfig(deps.userDataDir);
      await deps.restart();
      return teamStatusOf(deps);
    },
    'team:create': () => Promise.reject(notYet('Creating a team')),
    'team:join': () => Promise.reject(notYet('Joining a team')),
    'team:invite': () => Promise.reject(notYet('Inviting a member')),
    'team:members': () => Promise.reject(notYet('The member list')),
    'team:removeMember': () => Promise.reject(notYet('Removing a member')),
    'team:moveHistory': () => Promise.reject(notYet('Moving local history')),
  };
}
