import { AppError, ErrorCodes } from '../../../shared/errors';
import type { Logger } from '../../log/logger';

/**
 * Team mode's offline state: whether this desk can reach the team's PostgreSQL right now. The change
 * feed reports its connection, and any query that fails for a connectivity reason says so too. While
 * offline, what is cached can be read, and anything that needs the server refuses with TEAM_OFFLINE.
 */

/** The officer can't do this now because the team database is out of reach; it comes back by itself. */
export const TEAM_OFFLINE = ErrorCodes.teamOffline;

export type TeamConnectionState =
  | { status: 'online'; since: Date }
  /**
   * `since`: when the desk last had the server (what's on screen is from then); `retryAt`: next attempt, if known;
   * `signInRefused`: the server is there but refuses this desk's login (removed from the team, password changed).
   */
  | { status: 'offline'; since: Date; reason: string; retryAt: Date | null; signInRefused?: boolean }
  | { status: 'reconnecting'; since: Date; reason: string; signInRefused?: boolean };

// Socket-level failures: the server (or the network to it) is away, not the query at fault.
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ECONNABORTED',
]);
// SQLSTATEs that mean the session or server went away: admin/crash shutdown, cannot connect now, idle session ended.
const SERVER_GONE_STATES = new Set(['57P01', '57P02', '57P03', '57P05']);
// A sign-in the server refuses: a wrong password, or a login that may no longer sign in (a removed member's).
const SIGN_IN_REFUSED_STATES = new Set(['28P01', '28000']);
// node-postgres raises these without a code when the socket closes under it or a connect times out.
const PG_CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|Client has encountered a connection error|not queryable|timeout exceeded when trying to connect|Query read timeout|socket hang up/i;

type ErrorLike = { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };

function codeOf(err: ErrorLike): string {
  return typeof err.code === 'string' ? err.code : '';
}

/**
 * True when `err` means "the team database is not reachable" (so the desk goes offline) rather than a
 * fault of the query itself (a constraint, a permission, bad SQL), which must surface as it is.
 */
export function isConnectivityError(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as ErrorLike;
  const code = codeOf(e);
  if (NETWORK_CODES.has(code) || SERVER_GONE_STATES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
  if (code === '' && typeof e.message === 'string' && PG_CONNECTION_MESSAGES.test(e.message)) return true;
  // Node's connect attempts to several addresses fail as one AggregateError of socket errors.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isConnectivityError(inner, depth + 1))) return true;
  return e.cause !== undefined && isConnectivityError(e.cause, depth + 1);
}

/** True when the server answered but refused this desk's login (walks the causes like isConnectivityError). */
export function isSignInRefused(err: unknown, depth = 0): boolean {
  if (typeof err !== 'object' || err === null || depth > 3) return false;
  const e = err as ErrorLike;
  if (SIGN_IN_REFUSED_STATES.has(codeOf(e)) || codeOf(e) === ErrorCodes.teamDatabaseAuth) return true;
  return e.cause !== undefined && isSignInRefused(e.cause, depth + 1);
}

/** A short reason for the offline banner, in the officer's words (never the connection settings). */
export function describeConnectivityError(err: unknown): string {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const inner = Array.isArray(e.errors) ? (e.errors[0] as ErrorLike | undefined) : undefined;
  const code = codeOf(e) || (inner ? codeOf(inner) : '');
  switch (code) {
    case 'ECONNREFUSED':
      return 'the team database refused the connection (is the server running?)';
    case 'ETIMEDOUT':
      return 'the team database did not answer in time';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'ECONNABORTED':
      return 'the connection to the team database was cut';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return "the team database's address could not be found";
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENETDOWN':
      return 'the network to the team database is down';
    case '57P01':
      return 'the team database ended the connection (an administrator or a restart)';
    case '57P02':
    case '57P03':
      return 'the team database is restarting';
    case '57P05':
      return 'the team database closed a connection that had gone quiet';
    case '28P01':
    case '28000':
    case ErrorCodes.teamDatabaseAuth:
      return "the team database refused this desk's sign-in (has your team admin removed you from the team?)";
    default:
      if (/^08/.test(code)) return 'the connection to the team database failed';
      if (typeof e.message === 'string' && /timeout/i.test(e.message))
        return 'the team database did not answer in time';
      return 'the connection to the team database was lost';
  }
}

/** What a member whose desk the team database no longer lets in can do. */
export const SIGN_IN_ADVICE =
  'If your team admin removed you from the team, choose “Use this desk’s local history” in Settings → Team; ' +
  'otherwise ask your team admin to invite you again.';

export interface ConnectivityDeps {
  logger: Logger;
  clock?: () => Date;
  /** How "what's on screen is from …" shows a time; default: the desk's local hours and minutes. */
  formatTime?: (at: Date) => string;
  /**
   * Asks the server whether it is there (the change feed's `check`). Called after a failed query while
   * the feed still says online, so one dropped pool connection doesn't leave the desk offline for good.
   */
  probe?: () => Promise<boolean>;
}

export interface Connectivity {
  current(): TeamConnectionState;
  /** Called on every change of state; returns the unsubscribe function. */
  onChange(listener: (state: TeamConnectionState) => void): () => void;
  /** The change feed's state, as its `onState` reports it. */
  follow(state: TeamConnectionState): void;
  /** Tells the state machine a query failed; true when it was a connectivity failure (now offline). */
  noteFailure(err: unknown): boolean;
  /** Throws TEAM_OFFLINE unless the team database is reachable; `action` in the officer's words ("create the report"). */
  assertOnline(action: string): void;
  /** `assertOnline`, then `run`; a connectivity failure on the way becomes TEAM_OFFLINE (and the desk goes offline). */
  guard<T>(action: string, run: () => Promise<T>): Promise<T>;
}

const defaultFormat = (at: Date) => at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });

export function createConnectivity(deps: ConnectivityDeps): Connectivity {
  const clock = deps.clock ?? (() => new Date());
  const format = deps.formatTime ?? defaultFormat;
  const log = deps.logger.child({ component: 'team-connectivity' });
  const listeners = new Set<(state: TeamConnectionState) => void>();
  let state: TeamConnectionState = { status: 'online', since: clock() };
  let probing = false;

  function set(next: TeamConnectionState): void {
    const same =
      next.status === state.status &&
      (next.status === 'online' ||
        (next.status === 'offline' &&
          state.status === 'offline' &&
          next.reason === state.reason &&
          next.retryAt?.getTime() === state.retryAt?.getTime()));
    if (same) return;
    if (next.status !== state.status) log.info('team database connection', { status: next.status });
    state = next;
    for (const listener of listeners) {
      try {
        listener(state);
      } catch (err) {
        log.error('a connectivity listener failed', { err });
      }
    }
  }

  /** Offline keeps the moment the server was last there, however many failures follow. */
  const offlineSince = () => (state.status === 'online' ? clock() : state.since);

  function offlineError(action: string, cause?: unknown): AppError {
    const since = state.status === 'online' ? clock() : state.since;
    if (state.status !== 'online' && state.signInRefused)
      return new AppError(
        {
          code: ErrorCodes.teamDatabaseAuth,
          retryable: false,
          message: `The team database refused this desk's sign-in, so AssetDesk can't ${action}. ${SIGN_IN_ADVICE}`,
        },
        cause === undefined ? undefined : { cause },
      );
    return new AppError(
      {
        code: TEAM_OFFLINE,
        retryable: true,
        message: `The team database is not reachable, so AssetDesk can't ${action} now. What's on screen is from ${format(since)}; AssetDesk reconnects by itself.`,
      },
      cause === undefined ? undefined : { cause },
    );
  }

  const connectivity: Connectivity = {
    current: () => state,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    follow(feedState) {
      if (feedState.status === 'online') set(feedState);
      else set({ ...feedState, since: state.status === 'online' ? feedState.since : state.since });
    },
    noteFailure(err) {
      if (!isConnectivityError(err)) return false;
      const reason = describeConnectivityError(err);
      log.warn('a team database query failed for a connectivity reason', { reason, code: (err as ErrorLike).code });
      set({ status: 'offline', since: offlineSince(), reason, retryAt: null });
      if (deps.probe && !probing) {
        probing = true;
        void deps
          .probe()
          .then((reachable) => {
            if (reachable && state.status === 'offline' && state.retryAt === null) {
              set({ status: 'online', since: clock() });
            }
          })
          .catch(() => undefined)
          .finally(() => (probing = false));
      }
      return true;
    },
    assertOnline(action) {
      if (state.status !== 'online') throw offlineError(action);
    },
    async guard(action, run) {
      connectivity.assertOnline(action);
      try {
        return await run();
      } catch (err) {
        if (connectivity.noteFailure(err)) throw offlineError(action, err);
        throw err;
      }
    },
  };
  return connectivity;
}
