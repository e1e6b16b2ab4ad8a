import type { TeamConnection } from '../../../shared/ipc/team-contract';
import { formatDateTime, formatTime } from '../ui';
import { href } from '../shell/router';
import { useTeam } from './TeamContext';
import './team.css';

/** "10:42 AM" today; with the date when it was another day (a desk left open overnight). */
export function clockTime(iso: string, now = new Date()): string {
  const at = new Date(iso);
  return at.toDateString() === now.toDateString() ? formatTime(iso) : formatDateTime(iso);
}

/** What the banner says, in one sentence the officer can act on (exported for the Team settings too). */
export function offlineMessage(connection: Exclude<TeamConnection, { status: 'online' }>): string {
  const reason = connection.reason.trim().replace(/\.$/, '');
  const next =
    connection.status === 'reconnecting'
      ? ' Trying again now.'
      : connection.retryAt
        ? ` Next try ${clockTime(connection.retryAt)}.`
        : '';
  return (
    `Team database unreachable since ${clockTime(connection.since)}${reason ? ` — ${reason}` : ''}. ` +
    `Showing what was already on screen; changes wait until it’s back.${next}`
  );
}

/**
 * The one place the desk says the team database is away (mounted once by the shell). A polite status, not an
 * alert: it appears while the officer works and must not interrupt what a screen reader is reading.
 */
export function TeamOfflineBanner() {
  const { connection, status } = useTeam();
  const away = connection && connection.status !== 'online' ? connection : null;
  // A desk that could not open the team database at all has no connection yet: it says why instead.
  const problem = !connection && status?.mode === 'team' ? status.problem : null;
  return (
    <div className="team-connection" role="status" aria-live="polite" data-testid="team-connection-region">
      {away && (
        <div className="banner team-offline-banner" data-testid="team-offline-banner" data-status={away.status}>
          <span>{offlineMessage(away)}</span>
        </div>
      )}
      {problem && (
        <div className="banner team-offline-banner" data-testid="team-offline-banner" data-status="problem">
          <span>
            {problem.message} <a href={href.settings()}>Settings → Team</a>
          </span>
        </div>
      )}
    </div>
  );
}
