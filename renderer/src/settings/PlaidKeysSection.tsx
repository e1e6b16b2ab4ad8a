import { useState, type FormEvent } from 'react';
import type { CredentialState, Settings } from '../../../shared/domain';
import { api } from '../api';
import {
  Button,
  Chip,
  ErrorAlert,
  TextField,
  environmentLabel,
  toAppError,
  useConfirm,
  useFocusFirstInvalid,
  useToast,
} from '../ui';
import { PlaidCheckNote } from './PlaidConnectionSection';

function CredentialChip({ state }: { state: CredentialState }) {
  if (state.state === 'configured')
    return (
      <Chip tone="success" testId="credential-state">
        Configured
      </Chip>
    );
  if (state.state === 'rejected')
    return (
      <Chip tone="danger" testId="credential-state">
        Rejected by Plaid
      </Chip>
    );
  if (state.state === 'locked')
    return (
      <Chip tone="warning" testId="credential-state">
        Saved, keychain locked
      </Chip>
    );
  return (
    <Chip tone="neutral" testId="credential-state">
      Not configured
    </Chip>
  );
}

/** Keys offered to replace saved ones and refused by Plaid: the saved keys were kept, and the officer is told so. */
function replacementRejectedText(reason: string): string {
  return `The new keys were rejected: ${reason.replace(/\.$/, '')}. Your saved keys are unchanged and still in use.`;
}

function CredentialsForm({
  environment,
  settings,
  onChange,
}: {
  environment: 'sandbox' | 'production';
  settings: Settings;
  onChange(s: Settings): void;
}) {
  const confirm = useConfirm();
  const toast = useToast();
  const [clientId, setClientId] = useState('');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState<'save' | 'clear' | 'check' | null>(null);
  const [errors, setErrors] = useState<{ clientId?: string; secret?: string; form?: unknown }>({});
  const { formRef, refused } = useFocusFirstInvalid();
  const state = settings.credentials[environment];

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setBusy('save');
    setErrors({});
    try {
      const next = await api.credentialsSave({ environment, clientId, secret });
      onChange(next);
      // Keys Plaid refused are not saved: the form says so in place of the toast.
      const saved = next.credentials[environment];
      if (saved.state === 'configured' && !saved.replacementRejected) {
        toast.show({ message: `${environmentLabel[environment]} keys saved to the system keychain.` });
        setClientId('');
      }
    } catch (e) {
      const error = toAppError(e);
      const field = error.field?.split('.').pop();
      if (field === 'clientId' || field === 'secret') {
        setErrors({ [field]: error.message });
        refused();
      } else setErrors({ form: error });
    } finally {
      // The secret never stays in the page, whether or not it was accepted.
      setSecret('');
      setBusy(null);
    }
  };

  const clear = async () => {
    const yes = await confirm({
      title: `Remove the ${environmentLabel[environment]} keys?`,
      message: `AssetDesk will not be able to reach Plaid ${environmentLabel[environment]} until new keys are saved.`,
      confirmLabel: 'Remove keys',
      danger: true,
    });
    if (!yes) return;
    setBusy('clear');
    try {
      onChange(await api.credentialsClear({ environment }));
    } catch (e) {
      setErrors({ form: e });
    } finally {
      setBusy(null);
    }
  };

  // Keys the keychain hides while it is locked are still saved: no form to enter them again, a way to look again.
  if (state.state === 'locked') {
    const checkAgain = async () => {
      setBusy('check');
      setErrors({});
      try {
        const next = await api.settingsGet({});
        onChange(next);
        if (next.credentials[environment].state === 'locked') toast.show({ message: 'Your keychain is still locked.' });
      } catch (e) {
        setErrors({ form: e });
      } finally {
        setBusy(null);
      }
    };
    return (
      <div
        className="credentials"
        role="group"
        data-testid={`credentials-${environment}`}
        aria-labelledby={`cred-${environment}`}
      >
        <div className="panel-header">
          <h3 id={`cred-${environment}`}>{environmentLabel[environment]}</h3>
          <CredentialChip state={state} />
        </div>
        <p className="alert alert-warning" role="note" data-testid={`credentials-${environment}-locked`}>
          Your {environmentLabel[environment]} keys are saved, but your keychain is locked, so AssetDesk cannot read
          them. Nothing is lost and there is no need to enter them again. {state.howToUnlock}, then choose Check again.
        </p>
        <ErrorAlert error={errors.form} />
        <div className="form-actions">
          <Button onClick={checkAgain} busy={busy === 'check'}>
            Check again
          </Button>
        </div>
      </div>
    );
  }

  return (
    <form
      ref={formRef}
      className="credentials"
      onSubmit={save}
      data-testid={`credentials-${environment}`}
      aria-labelledby={`cred-${environment}`}
    >
      <div className="panel-header">
        <h3 id={`cred-${environment}`}>{environmentLabel[environment]}</h3>
        <CredentialChip state={state} />
      </div>
      {state.state !== 'configured' && (
        <p className="muted" data-testid={`credentials-${environment}-hint`}>
          Save {environmentLabel[environment]} keys here; then {environmentLabel[environment]} can be chosen under Plaid
          environment above.
        </p>
      )}
      {state.state === 'rejected' && (
        <p className="alert alert-error" role="note">
          {state.reason} These keys were not saved.
        </p>
      )}
      {state.state === 'configured' && state.replacementRejected && (
        <p className="alert alert-error" role="note" data-testid={`credentials-${environment}-replacement-rejected`}>
          {replacementRejectedText(state.replacementRejected)}
        </p>
      )}
      <ErrorAlert error={errors.form} />
      <div className="grid-2">
        <TextField
          label="client_id"
          name="clientId"
          autoComplete="off"
          spellCheck={false}
          value={clientId}
          onChange={(e) => setClientId(e.target.value)}
          error={errors.clientId}
          hint="24 characters, from the Plaid Dashboard (Developers → Keys)"
        />
        <TextField
          label="Secret"
          name="secret"
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          value={secret}
          onChange={(e) => setSecret(e.target.value)}
          error={errors.secret}
          hint="Stored in the system keychain; never shown again"
        />
      </div>
      <div className="form-actions">
        <Button type="submit" variant="primary" busy={busy === 'save'} disabled={!clientId || !secret}>
          {state.state === 'configured' ? 'Replace keys' : 'Save keys'}
        </Button>
        {state.state === 'configured' && (
          <Button onClick={clear} busy={busy === 'clear'}>
            Remove keys
          </Button>
        )}
      </div>
    </form>
  );
}

/** The Sandbox and Production keys, each kept in the system keychain. */
export function PlaidKeysSection({ settings, onChange }: { settings: Settings; onChange(s: Settings): void }) {
  return (
    <section className="panel" aria-labelledby="cred-heading">
      <h2 id="cred-heading">Plaid keys</h2>
      <p className="muted">
        The emulator needs no keys. Keys are kept in the system keychain; a saved secret is never shown again.
      </p>
      <CredentialsForm environment="sandbox" settings={settings} onChange={onChange} />
      <CredentialsForm environment="production" settings={settings} onChange={onChange} />
      <PlaidCheckNote />
    </section>
  );
}
