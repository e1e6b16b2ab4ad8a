import { useState, type FormEvent } from 'react';
import type { TeamStatus } from '../../../shared/ipc/team-contract';
import { api } from '../api';
import { Button, ErrorAlert, TextField, toAppError, useFocusFirstInvalid } from '../ui';
import { CaCertificateField, TextAreaField } from './fields';
import { createTeamErrors, joinTeamErrors, type FieldErrors } from './validation';

/** An answer's error goes under its field when the main process names one, else above the form. */
function placeError<K extends string>(
  error: unknown,
  fields: readonly K[],
): { fields: FieldErrors<K>; form?: unknown } {
  const appError = toAppError(error);
  const field = appError.field?.split('.').pop() as K | undefined;
  if (field && fields.includes(field)) return { fields: { [field]: appError.message } as FieldErrors<K> };
  return { fields: {}, form: appError };
}

const CREATE_FIELDS = ['url', 'caPem', 'teamName', 'adminName'] as const;

/** The admin's desk creates the team on the database the office prepared; the team key is made here. */
export function CreateTeamCard({ onDone }: { onDone(status: TeamStatus): void }) {
  const [url, setUrl] = useState('');
  const [caPem, setCaPem] = useState('');
  const [teamName, setTeamName] = useState('');
  const [adminName, setAdminName] = useState('');
  const [errors, setErrors] = useState<FieldErrors<(typeof CREATE_FIELDS)[number]>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { formRef, refused } = useFocusFirstInvalid();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { url: url.trim(), caPem, teamName: teamName.trim(), adminName: adminName.trim() };
    const found = createTeamErrors(input);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return refused();
    setBusy(true);
    try {
      const status = await api.teamCreate(input);
      // The address holds the database password: it does not stay in the page once sent.
      setUrl('');
      onDone(status);
    } catch (error) {
      const placed = placeError(error, CREATE_FIELDS);
      setErrors(placed.fields);
      if (Object.keys(placed.fields).length > 0) refused();
      setFormError(placed.form ?? null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="team-card"
      onSubmit={submit}
      noValidate
      aria-labelledby="team-create-heading"
      data-testid="team-create"
    >
      <h3 id="team-create-heading">Create a team</h3>
      <p className="muted">
        For the team admin. Your office prepares a PostgreSQL database; AssetDesk sets it up, makes the team key on this
        computer and makes you the team admin. You then invite the others.
      </p>
      <ErrorAlert error={formError} />
      <TextField
        label="Database address"
        name="url"
        type="password"
        autoComplete="off"
        spellCheck={false}
        maxLength={2048}
        placeholder="postgres://user:password@host:5432/database"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        error={errors.url}
        hint="postgres://user:password@host:5432/database — from your office’s IT. The password is kept in the system keychain."
        data-testid="team-create-url"
      />
      <CaCertificateField name="team-create-ca" value={caPem} onChange={setCaPem} error={errors.caPem} />
      <TextField
        label="Team name"
        name="teamName"
        maxLength={120}
        value={teamName}
        onChange={(e) => setTeamName(e.target.value)}
        error={errors.teamName}
        placeholder="Main Street branch"
        data-testid="team-create-name"
      />
      <TextField
        label="Your name"
        name="adminName"
        maxLength={120}
        autoComplete="name"
        value={adminName}
        onChange={(e) => setAdminName(e.target.value)}
        error={errors.adminName}
        data-testid="team-create-admin"
      />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy} data-testid="team-create-submit">
          Create the team
        </Button>
      </div>
    </form>
  );
}

const JOIN_FIELDS = ['joinText', 'joinCode', 'caPem'] as const;

/** A member's desk joins with the join text (by e-mail) and the join code (read out by phone). */
export function JoinTeamCard({ onDone }: { onDone(status: TeamStatus): void }) {
  const [joinText, setJoinText] = useState('');
  const [joinCode, setJoinCode] = useState('');
  const [caPem, setCaPem] = useState('');
  const [errors, setErrors] = useState<FieldErrors<(typeof JOIN_FIELDS)[number]>>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const { formRef, refused } = useFocusFirstInvalid();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { joinText: joinText.trim(), joinCode: joinCode.trim(), caPem };
    const found = joinTeamErrors(input);
    setErrors(found);
    setFormError(null);
    if (Object.keys(found).length > 0) return refused();
    setBusy(true);
    try {
      const status = await api.teamJoin(input);
      setJoinCode('');
      setJoinText('');
      onDone(status);
    } catch (error) {
      const placed = placeError(error, JOIN_FIELDS);
      setErrors(placed.fields);
      if (Object.keys(placed.fields).length > 0) refused();
      setFormError(placed.form ?? null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="team-card"
      onSubmit={submit}
      noValidate
      aria-labelledby="team-join-heading"
      data-testid="team-join"
    >
      <h3 id="team-join-heading">Join a team</h3>
      <p className="muted">
        Your team admin sends you a join text by e-mail and reads you a join code by phone. Enter both here.
      </p>
      <ErrorAlert error={formError} />
      <TextAreaField
        label="Join text"
        name="joinText"
        rows={4}
        maxLength={16 * 1024}
        value={joinText}
        onChange={(e) => setJoinText(e.target.value)}
        error={errors.joinText}
        hint="Paste all of it, from the e-mail"
        data-testid="team-join-text"
      />
      <TextField
        label="Join code"
        name="joinCode"
        autoComplete="off"
        spellCheck={false}
        maxLength={80}
        className="team-code-field"
        placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"
        value={joinCode}
        onChange={(e) => setJoinCode(e.target.value)}
        error={errors.joinCode}
        hint="8 groups of 4 letters and digits, as read out to you"
        data-testid="team-join-code"
      />
      <CaCertificateField name="team-join-ca" value={caPem} onChange={setCaPem} error={errors.caPem} />
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy} data-testid="team-join-submit">
          Join the team
        </Button>
      </div>
    </form>
  );
}
