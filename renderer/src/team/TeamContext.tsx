import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ChannelName } from '../../../shared/ipc/channels';
import type { TeamConnection, TeamStatus } from '../../../shared/ipc/team-contract';
import { canUse, roleRefusal, type TeamRole } from '../../../shared/team';
import { api } from '../api';

interface TeamValue {
  /** What the main process said this desk is; null until the first answer. */
  status: TeamStatus | null;
  /** Why the status could not be read (the desk then behaves as a local desk). */
  error: unknown;
  /** The latest `team:connection` news, newer than what the status said. */
  connection: TeamConnection | null;
  reload(): void;
  /** Settings hands over what create/join/leave answered, so every screen follows at once. */
  setStatus(status: TeamStatus): void;
}

const TeamContext = createContext<TeamValue | null>(null);

/** Loads this desk's team status once and follows the connection events; mounted once by the shell. */
export function TeamProvider({ children }: { children: ReactNode }) {
  const [status, setStatusState] = useState<TeamStatus | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [connection, setConnection] = useState<TeamConnection | null>(null);

  const apply = useCallback((next: TeamStatus) => {
    setStatusState(next);
    setConnection(next.connection);
    setError(null);
  }, []);
  const reload = useCallback(() => {
    api.teamStatus({}).then(apply, setError);
  }, [apply]);

  useEffect(() => {
    // Subscribed before asking, so news sent while the status travels is not lost. A connection change can
    // also mean the desk finally opened the team database: the status (and its problem) is asked again.
    const off = api.on('team:connection', (next) => {
      setConnection(next);
      api.teamStatus({}).then((status) => setStatusState(status), setError);
    });
    api.teamStatus({}).then(apply, setError);
    return off;
  }, [apply]);

  const value = useMemo(
    () => ({ status, error, connection, reload, setStatus: apply }),
    [status, error, connection, reload, apply],
  );
  return <TeamContext.Provider value={value}>{children}</TeamContext.Provider>;
}

const LOCAL_DESK: TeamValue = {
  status: null,
  error: null,
  connection: null,
  reload: () => {},
  setStatus: () => {},
};

/** The desk's team status; outside the shell (a screen on its own) it reads as a local desk. */
export function useTeam(): TeamValue {
  return useContext(TeamContext) ?? LOCAL_DESK;
}

/** The member's role on a team desk; null on a local desk, where the officer may do everything. */
export function useTeamRole(): TeamRole | null {
  const { status } = useTeam();
  return status?.mode === 'team' ? (status.member?.role ?? null) : null;
}

export interface Permission {
  allowed: boolean;
  /** Why not, in the member's words (the same text the main process answers a refused call with). */
  reason: string | undefined;
}

/** Whether this member may use `channel`, and why not. */
export function permissionOf(role: TeamRole | null, channel: ChannelName): Permission {
  if (role === null || canUse(role, channel)) return { allowed: true, reason: undefined };
  return { allowed: false, reason: roleRefusal(role, channel).message };
}

/** `useCan('reports:create').allowed` hides or disables an action the member's role may not do. */
export function useCan(channel: ChannelName): Permission {
  return permissionOf(useTeamRole(), channel);
}
