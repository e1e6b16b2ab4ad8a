import { useEffect, useId, useState } from 'react';
import type { Applicant, HostedLinkDeliveryMethod, HostedLinkSession } from '../../../shared/domain';
import { api } from '../api';
import {
  Button,
  Chip,
  ErrorAlert,
  ErrorState,
  Skeleton,
  formatDateTime,
  toAppError,
  useConfirm,
  useLoad,
  useToast,
} from '../ui';
import { useCan } from '../team/TeamContext';

const statusText: Record<HostedLinkSession['status'], [string, 'neutral' | 'success' | 'warning' | 'danger']> = {
  waiting: ['Waiting for the borrower', 'neutral'],
  completed: ['Linked', 'success'],
  exited: ['Left without linking', 'warning'],
  expired: ['Expired', 'warning'],
  revoked: ['Withdrawn', 'neutral'],
};

/**
 * The Hosted Links sent to this applicant: their state and when Plaid stops accepting them, with
 * "Withdraw" for a link that should no longer be used, and delivery by Plaid (SMS / e-mail).
 */
export function HostedLinkSessions({
  applicant,
  refreshKey,
  onLinked,
}: {
  applicant: Applicant;
  refreshKey: number;
  onLinked(): void;
}) {
  const [reloads, setReloads] = useState(0);
  const headingId = useId();
  const canSend = useCan('link:createHosted').allowed;
  const sessions = useLoad(
    () => api.linkHostedSessions({ applicantId: applicant.id }),
    [applicant.id, refreshKey, reloads],
  );
  useEffect(
    () =>
      api.on('link:hostedFinished', (event) => {
        if (event.applicantId !== applicant.id) return;
        setReloads((n) => n + 1);
        if (event.status === 'completed') onLinked();
      }),
    [applicant.id, onLinked],
  );

  let body;
  if (sessions.status === 'error' && !sessions.data) {
    body = <ErrorState error={sessions.error} onRetry={sessions.reload} title="Hosted Links could not be loaded" />;
  } else if (!sessions.data) {
    body = <Skeleton lines={2} label="Loading Hosted Links" />;
  } else if (sessions.data.length === 0) {
    body = (
      <p className="muted" data-testid="no-hosted-links">
        No Hosted Links sent. A Hosted Link lets {applicant.firstName} connect their banks from their own device.
      </p>
    );
  } else {
    body = (
      <ul className="items-list" data-testid="hosted-sessions">
        {sessions.data.map((session) => (
          <SessionRow key={session.id} session={session} onChanged={() => setReloads((n) => n + 1)} />
        ))}
      </ul>
    );
  }

  return (
    <section className="subpanel" aria-labelledby={headingId} data-testid="hosted-links">
      <div className="panel-header">
        <h3 id={headingId}>Hosted Links sent to {applicant.firstName}</h3>
      </div>
      {body}
      {canSend && <PlaidDelivery applicant={applicant} onSent={() => setReloads((n) => n + 1)} />}
    </section>
  );
}

function SessionRow({ session, onChanged }: { session: HostedLinkSession; onChanged(): void }) {
  const confirm = useConfirm();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [text, tone] = statusText[session.status];
  const canRevoke = useCan('link:revokeHosted').allowed;
  const revoke = async () => {
    const yes = await confirm({
      title: 'Withdraw this Hosted Link?',
      message:
        'AssetDesk stops following this link and ignores any bank the borrower links with it. Send a new link if they still need one.',
      confirmLabel: 'Withdraw link',
      danger: true,
    });
    if (!yes) return;
    setBusy(true);
    try {
      await api.linkRevokeHosted({ hostedLinkId: session.id });
      toast.show({ message: 'Hosted Link withdrawn.' });
      onChanged();
    } catch (error) {
      toast.show({ message: toAppError(error).message, tone: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <li data-testid="hosted-session" data-status={session.status}>
      <span className="item-name">Sent {formatDateTime(session.createdAt)}</span>
      <Chip tone={tone} testId="hosted-session-status">
        {text}
      </Chip>
      <span className="item-accounts">
        {session.deliveryMethod === 'sms' && 'Texted by Plaid · '}
        {session.deliveryMethod === 'email' && 'E-mailed by Plaid · '}
        {session.status === 'waiting'
          ? `valid until ${formatDateTime(session.expiration)}`
          : session.finishedAt
            ? `ended ${formatDateTime(session.finishedAt)}`
            : ''}
        {session.itemIds.length > 0 && ` · ${session.itemIds.length} bank${session.itemIds.length === 1 ? '' : 's'}`}
      </span>
      {session.status === 'waiting' && canRevoke && (
        <Button size="small" onClick={revoke} busy={busy} data-testid="revoke-hosted">
          Withdraw
        </Button>
      )}
    </li>
  );
}

/** Plaid delivers the link itself (Production accounts with Link Delivery; Sandbox ignores it). */
function PlaidDelivery({ applicant, onSent }: { applicant: Applicant; onSent(): void }) {
  const toast = useToast();
  const [busy, setBusy] = useState<HostedLinkDeliveryMethod | null>(null);
  const [error, setError] = useState<unknown>(null);
  const send = async (deliveryMethod: HostedLinkDeliveryMethod) => {
    setBusy(deliveryMethod);
    setError(null);
    try {
      await api.linkCreateHosted({ applicantId: applicant.id, deliveryMethod });
      toast.show({ message: deliveryMethod === 'sms' ? 'Plaid will text the link.' : 'Plaid will e-mail the link.' });
      onSent();
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="detail-actions">
      <ErrorAlert error={error} />
      <span className="muted">Or let Plaid send a new link to the phone or e-mail on this borrower’s profile:</span>
      {applicant.phone && (
        <Button
          size="small"
          onClick={() => void send('sms')}
          busy={busy === 'sms'}
          data-testid="hosted-send-sms"
          title={`To ${applicant.phone}`}
        >
          Plaid texts a link
        </Button>
      )}
      {applicant.email && (
        <Button
          size="small"
          onClick={() => void send('email')}
          busy={busy === 'email'}
          data-testid="hosted-send-email"
          title={`To ${applicant.email}`}
        >
          Plaid e-mails a link
        </Button>
      )}
    </div>
  );
}
