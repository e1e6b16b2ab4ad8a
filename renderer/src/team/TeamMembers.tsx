import { useState, type FormEvent } from 'react';
import type { ResponseOf } from '../../../shared/ipc/contract';
import {
  TEAM_ROLES,
  formatJoinCode,
  normalizeJoinCode,
  roleDuties,
  roleLabel,
  type TeamMember,
  type TeamRole,
} from '../../../shared/team';
import { api } from '../api';
import {
  Button,
  Dialog,
  EmptyState,
  ErrorAlert,
  ErrorState,
  SelectField,
  Skeleton,
  TextField,
  formatDate,
  formatDateTime,
  toAppError,
  useConfirm,
  useFocusFirstInvalid,
  useLoad,
  useToast,
} from '../ui';
import { CopyButton } from './fields';
import { useTeamChanges } from './useTeamChanges';
import { inviteErrors, type FieldErrors } from './validation';

type Invitation = ResponseOf<'team:invite'>;
/** A team has one admin, the database owner's desk: members join as officers or processors. */
const INVITED_ROLES = TEAM_ROLES.filter((role) => role !== 'admin');

/** Removed, joined (signed in with their join code) or still to join. */
function memberState(member: TeamMember): string {
  if (member.removedAt) return `Removed ${formatDate(member.removedAt)}`;
  if (member.joinedAt) return `Joined ${formatDate(member.joinedAt)}`;
  return 'Invited, not joined yet';
}

/** The admin's view of the team: who is in it, invitations and removals. */
export function TeamMembers({ selfId }: { selfId: string }) {
  const members = useLoad(() => api.teamMembers({}), []);
  const confirm = useConfirm();
  const toast = useToast();
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Another admin's desk may admit or remove someone meanwhile.
  useTeamChanges(members.reload, { concerns: (changes) => changes.tables.some((t) => t.includes('member')) });

  const remove = async (member: TeamMember) => {
    const yes = await confirm({
      title: `Remove ${member.name} from the team?`,
      message: (
        <>
          <p>
            {member.name}’s access to the team database ends at once: their desk can no longer open any loan file or
            report of the team.
          </p>
          <p>
            The team key is rotated, so what is stored from now on cannot be read with the key they held, and the Plaid
            access tokens of the team’s linked banks are replaced. The loan files and reports they worked on stay with
            the team.
          </p>
        </>
      ),
      confirmLabel: `Remove ${member.name}`,
      danger: true,
    });
    if (!yes) return;
    setRemoving(member.id);
    setError(null);
    try {
      const result = await api.teamRemoveMember({ memberId: member.id });
      toast.show({
        message:
          `${member.name} was removed. The team key is now version ${result.keyVersion}; ` +
          `${result.accessTokensReplaced} Plaid access token${result.accessTokensReplaced === 1 ? ' was' : 's were'} replaced.`,
      });
      members.reload();
    } catch (e) {
      setError(e);
    } finally {
      setRemoving(null);
    }
  };

  return (
    <section className="team-card" aria-labelledby="team-members-heading" data-testid="team-members">
      <div className="panel-header">
        <h3 id="team-members-heading">Members</h3>
        <span className="spacer" />
        <Button variant="primary" onClick={() => setInviting(true)} data-testid="team-invite">
          Invite a member
        </Button>
      </div>
      <ErrorAlert error={error} />
      {members.status === 'error' && !members.data ? (
        <ErrorState error={members.error} onRetry={members.reload} title="The member list could not be loaded" />
      ) : !members.data ? (
        <Skeleton lines={3} label="Loading the members" />
      ) : members.data.length === 0 ? (
        <EmptyState title="No members yet">Invite the officers and processors of your branch.</EmptyState>
      ) : (
        <table className="team-members" aria-labelledby="team-members-heading">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {members.data.map((member) => (
              <tr key={member.id} data-testid="team-member" data-removed={member.removedAt ? 'true' : 'false'}>
                <td>
                  {member.name}
                  {member.id === selfId && <span className="muted"> (you)</span>}
                  {member.email && <div className="muted">{member.email}</div>}
                </td>
                <td>{roleLabel[member.role]}</td>
                <td>{memberState(member)}</td>
                <td>
                  {!member.removedAt && member.id !== selfId && (
                    <Button
                      size="small"
                      variant="danger"
                      busy={removing === member.id}
                      onClick={() => void remove(member)}
                      data-testid="team-remove-member"
                    >
                      Remove
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {inviting && (
        <InviteDialog
          onClose={() => {
            setInviting(false);
            members.reload();
          }}
        />
      )}
    </section>
  );
}

/** Invite a member: the join text and code are shown here once, then never again. */
function InviteDialog({ onClose }: { onClose(): void }) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TeamRole>('officer');
  const [expiresInDays, setExpiresInDays] = useState('7');
  const [errors, setErrors] = useState<FieldErrors<'name' | 'email' | 'expiresInDays'>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const [copied, setCopied] = useState({ text: false, code: false });
  const confirm = useConfirm();
  // The join text and code are never shown again: closing before both were copied is asked first.
  const closeInvitation = async () => {
    if (copied.text && copied.code) return onClose();
    const yes = await confirm({
      title: 'Close without copying?',
      message:
        'The join text and the join code are not shown again. Without them this person cannot join with this invitation.',
      confirmLabel: 'Close',
      cancelLabel: 'Go back',
    });
    if (yes) onClose();
  };
  const { formRef, refused } = useFocusFirstInvalid();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = inviteErrors({ name, email, expiresInDays });
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return refused();
    setBusy(true);
    try {
      setInvitation(
        await api.teamInvite({
          name: name.trim(),
          email: email.trim() || null,
          role,
          expiresInDays: Number(expiresInDays),
        }),
      );
    } catch (e) {
      const appError = toAppError(e);
      const field = appError.field?.split('.').pop();
      if (field === 'name' || field === 'email' || field === 'expiresInDays') {
        setErrors({ [field]: appError.message });
        refused();
      } else setFormError(appError);
    } finally {
      setBusy(false);
    }
  };

  if (invitation) {
    // Shown in groups of four whatever grouping it came with, as the admin reads it out.
    const code = formatJoinCode(normalizeJoinCode(invitation.joinCode));
    return (
      <Dialog
        title={`Invitation for ${name.trim()}`}
        onClose={() => void closeInvitation()}
        testId="team-invitation"
        footer={
          <Button variant="primary" onClick={() => void closeInvitation()} data-testid="team-invitation-done">
            Done
          </Button>
        }
      >
        <p className="alert alert-warning" role="note">
          Send the join text by e-mail and read the join code out by phone. They are shown only now: copy them before
          you close this window.
        </p>
        <h3>Join text</h3>
        <div className="team-secret team-join-text" data-testid="team-invitation-text">
          {invitation.joinText}
        </div>
        <p>
          <CopyButton
            text={invitation.joinText}
            label="Copy the join text"
            testId="team-copy-join-text"
            onCopied={() => setCopied((c) => ({ ...c, text: true }))}
          />
        </p>
        <h3>Join code</h3>
        <div className="team-secret team-code" data-testid="team-invitation-code">
          {code}
        </div>
        <p>
          <CopyButton
            text={code}
            label="Copy the join code"
            testId="team-copy-join-code"
            onCopied={() => setCopied((c) => ({ ...c, code: true }))}
          />
        </p>
        <p className="muted">Valid until {formatDateTime(invitation.expiresAt)}.</p>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="Invite a member"
      onClose={onClose}
      testId="team-invite-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" form="team-invite-form" variant="primary" busy={busy} data-testid="team-invite-submit">
            Make the invitation
          </Button>
        </>
      }
    >
      <form ref={formRef} id="team-invite-form" onSubmit={submit} noValidate>
        <ErrorAlert error={formError} />
        <TextField
          label="Name"
          name="name"
          maxLength={120}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          autoFocus
          data-testid="team-invite-name"
        />
        <TextField
          label="E-mail"
          name="email"
          type="email"
          optional
          maxLength={254}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={errors.email}
          data-testid="team-invite-email"
        />
        <SelectField
          label="Role"
          value={role}
          onChange={(e) => setRole(e.target.value as TeamRole)}
          hint={roleDuties[role]}
          data-testid="team-invite-role"
        >
          {INVITED_ROLES.map((r) => (
            <option key={r} value={r}>
              {roleLabel[r]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Valid for (days)"
          name="expiresInDays"
          type="number"
          min={1}
          max={14}
          value={expiresInDays}
          onChange={(e) => setExpiresInDays(e.target.value)}
          error={errors.expiresInDays}
          hint="1 to 14 days; the join code stops working after that"
          data-testid="team-invite-days"
        />
      </form>
    </Dialog>
  );
}
