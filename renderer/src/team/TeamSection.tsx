import { useEffect, useRef, useState } from 'react';
import type { MoveReport, TeamStatus } from '../../../shared/ipc/team-contract';
import { roleDuties, roleLabel } from '../../../shared/team';
import { api } from '../api';
import { useAppInfo } from '../shell/AppInfo';
import { Button, Chip, ErrorAlert, ErrorState, Skeleton, formatDateTime, useConfirm, useToast } from '../ui';
import { useCan, useTeam } from './TeamContext';
import { TeamMembers } from './TeamMembers';
import { offlineMessage } from './TeamOfflineBanner';
import { CreateTeamCard, JoinTeamCard } from './TeamSetupCards';
import './team.css';

/** After the desk switched history (joined, created, left): every screen loads again from the new store. */
function useSwitchedHistory() {
  const team = useTeam();
  const { bumpDataVersion, reload: reloadAppInfo } = useAppInfo();
  return (status: TeamStatus) => {
    team.setStatus(status);
    reloadAppInfo();
    bumpDataVersion();
  };
}

/** Settings → Team: set up or join a team on a local desk; the team, its members and the connection on a team desk. */
export function TeamSection() {
  const team = useTeam();
  const switched = useSwitchedHistory();
  const toast = useToast();
  // The form that was used is gone once the desk joins or leaves a team: reading goes on at the section's heading.
  const heading = useRef<HTMLHeadingElement>(null);
  const mode = team.status?.mode ?? null;
  const shownMode = useRef(mode);
  useEffect(() => {
    if (shownMode.current !== null && mode !== null && shownMode.current !== mode) heading.current?.focus();
    if (mode !== null) shownMode.current = mode;
  }, [mode]);
  return (
    <section className="panel" aria-labelledby="team-heading" data-testid="team-section">
      <h2 id="team-heading" ref={heading} tabIndex={-1}>
        Team
      </h2>
      {team.error && !team.status ? (
        <ErrorState error={team.error} onRetry={team.reload} title="The team setting could not be loaded" />
      ) : !team.status ? (
        <Skeleton lines={3} label="Loading the team setting" />
      ) : team.status.mode === 'local' ? (
        <>
          <p className="muted" data-testid="team-local">
            This desk keeps its history on this computer. A branch can share one history on the office’s PostgreSQL
            database: loan files, reports and who did what, with each member’s role.
          </p>
          <div className="team-cards">
            <CreateTeamCard
              onDone={(status) => {
                switched(status);
                toast.show({ message: `Team “${status.team?.name ?? ''}” created. Invite your members below.` });
              }}
            />
            <JoinTeamCard
              onDone={(status) => {
                switched(status);
                toast.show({ message: `You joined the team “${status.team?.name ?? ''}”.` });
              }}
            />
          </div>
        </>
      ) : (
        <TeamDeskView status={team.status} />
      )}
    </section>
  );
}

function ConnectionState({ status }: { status: TeamStatus }) {
  const { connection } = useTeam();
  const current = connection ?? status.connection;
  if (status.problem)
    return (
      <div className="alert alert-error" role="alert" data-testid="team-problem">
        {status.problem.message}
        <span className="muted"> ({status.problem.code})</span>
      </div>
    );
  if (!current)
    return (
      <Chip tone="neutral" testId="team-connection">
        Connecting…
      </Chip>
    );
  if (current.status === 'online')
    return (
      <Chip tone="success" testId="team-connection">
        {`Connected since ${formatDateTime(current.since)}`}
      </Chip>
    );
  return (
    <p className="alert alert-warning" data-testid="team-connection">
      {offlineMessage(current)}
    </p>
  );
}

function TeamDeskView({ status }: { status: TeamStatus }) {
  const role = status.member?.role;
  return (
    <div data-testid="team-desk">
      <dl className="facts">
        <div>
          <dt>Team</dt>
          <dd data-testid="team-name">{status.team?.name ?? '—'}</dd>
        </div>
        <div>
          <dt>Server</dt>
          <dd className="mono" data-testid="team-server">
            {status.server ? `${status.server.host}:${status.server.port}/${status.server.database}` : '—'}
          </dd>
        </div>
        <div>
          <dt>You</dt>
          <dd data-testid="team-member-name">{status.member?.name ?? '—'}</dd>
        </div>
        <div>
          <dt>Your role</dt>
          <dd data-testid="team-role">{role ? roleLabel[role] : '—'}</dd>
        </div>
      </dl>
      {role && (
        <p className="muted" data-testid="team-role-duties">
          {roleDuties[role]}
        </p>
      )}
      <div className="team-connection-state">
        <ConnectionState status={status} />
      </div>
      {role === 'admin' && !status.problem && status.member && <TeamMembers selfId={status.member.id} />}
      {!status.problem && <MoveHistory />}
      <UseLocalHistory teamName={status.team?.name ?? 'the team'} />
    </div>
  );
}

const MOVED_LABELS: [keyof MoveReport, string][] = [
  ['loans', 'Loan files'],
  ['borrowers', 'Borrowers'],
  ['items', 'Linked banks'],
  ['reports', 'Asset Reports'],
  ['auditCopies', 'Audit copies'],
  ['activity', 'Activity entries'],
  ['skipped', 'Already on the team (left as they were)'],
];

/** Copies this desk's own history into the team's; running it twice moves nothing twice. */
function MoveHistory() {
  const permission = useCan('team:moveHistory');
  const confirm = useConfirm();
  const { bumpDataVersion } = useAppInfo();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [moved, setMoved] = useState<MoveReport | null>(null);
  if (!permission.allowed) return null;

  const move = async () => {
    const yes = await confirm({
      title: 'Move your local history into the team?',
      message: (
        <p>
          The loan files, borrowers, linked banks, reports and activity kept on this computer are copied to the team
          database, where your team sees them. What is already there is left as it is. This computer’s copy is kept.
        </p>
      ),
      confirmLabel: 'Move my history',
    });
    if (!yes) return;
    setBusy(true);
    setError(null);
    try {
      setMoved(await api.teamMoveHistory({}));
      bumpDataVersion();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="team-card" aria-labelledby="team-move-heading" data-testid="team-move">
      <h3 id="team-move-heading">Your local history</h3>
      <p className="muted">Loan files you kept on this computer before joining can join the team’s history.</p>
      <ErrorAlert error={error} />
      <Button onClick={() => void move()} busy={busy} data-testid="team-move-history">
        Move my local history into the team
      </Button>
      {moved && (
        <div role="status" data-testid="team-move-result">
          <p>Moved into the team:</p>
          <dl className="facts">
            {MOVED_LABELS.map(([key, label]) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd data-testid={`team-moved-${key}`}>{moved[key]}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </section>
  );
}

/** Leaves team mode on this desk only; the team's data stays on its server for everyone else. */
function UseLocalHistory({ teamName }: { teamName: string }) {
  const confirm = useConfirm();
  const toast = useToast();
  const switched = useSwitchedHistory();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const leave = async () => {
    const yes = await confirm({
      title: 'Use this desk’s local history?',
      message: (
        <>
          <p>
            This desk stops showing {teamName}’s loan files and goes back to the history kept on this computer. The
            team’s loan files and reports stay on the team database for the other members.
          </p>
          <p>Nothing is deleted. To work on the team again, ask your team admin for a new invitation.</p>
        </>
      ),
      confirmLabel: 'Use local history',
    });
    if (!yes) return;
    setBusy(true);
    setError(null);
    try {
      switched(await api.teamUseLocal({}));
      toast.show({ message: 'This desk now uses its own local history.' });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="team-card" aria-labelledby="team-leave-heading" data-testid="team-leave">
      <h3 id="team-leave-heading">This desk</h3>
      <ErrorAlert error={error} />
      <Button onClick={() => void leave()} busy={busy} data-testid="team-use-local">
        Use this desk’s local history
      </Button>
    </section>
  );
}
