import { useState, type FormEvent } from 'react';
import {
  LARGE_DEPOSIT_SHARE_DECIMALS,
  SettingsChanges,
  type CredentialState,
  type PlaidEnvironment,
  type Settings,
} from '../../../shared/domain';
import { api } from '../api';
import { useAppInfo } from '../shell/AppInfo';
import { OfficerPinForm } from '../shell/HandoffGate';
import {
  Button,
  Chip,
  ErrorAlert,
  ErrorState,
  SelectField,
  Skeleton,
  TextField,
  environmentLabel,
  toAppError,
  useConfirm,
  useDocumentTitle,
  useFocusFirstInvalid,
  useLoad,
  useToast,
} from '../ui';
import { AssetClassSettingsSection } from './AssetClassSettingsSection';
import { BackupSection } from './BackupSection';
import { PlaidCheckNote, PlaidConnectionSection } from './PlaidConnectionSection';
import { InsightsSection } from './InsightsSection';
import { RoleLocked } from '../team/RoleLocked';
import { useTeam } from '../team/TeamContext';
import { TeamSection } from '../team/TeamSection';
import './settings.css';

const environmentHelp: Record<PlaidEnvironment, string> = {
  emulator: 'The built-in Plaid Sandbox emulator on this computer. No keys needed; test data only.',
  sandbox: 'Plaid’s Sandbox with your Sandbox keys. Test banks and test data only.',
  production: 'Real applicants, real banks. Reports are billed by Plaid.',
};

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

/** The link to a keys form moves focus to its first input (the hash is the router's, not an anchor). */
function focusKeys(event: { preventDefault(): void }, env: 'sandbox' | 'production') {
  event.preventDefault();
  const form = document.querySelector<HTMLElement>(`[data-testid="credentials-${env}"]`);
  form?.scrollIntoView({ block: 'center' });
  form?.querySelector<HTMLElement>('input, button')?.focus();
}

function EnvironmentSection({ settings, onChange }: { settings: Settings; onChange(s: Settings): void }) {
  const confirm = useConfirm();
  const toast = useToast();
  const { setEnvironment } = useAppInfo();
  const [choice, setChoice] = useState<PlaidEnvironment>(settings.environment);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const needsKeys = (env: PlaidEnvironment) => env !== 'emulator' && settings.credentials[env].state !== 'configured';

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (choice === settings.environment || needsKeys(choice)) return;
    const yes = await confirm({
      title: `Switch to ${environmentLabel[choice]}?`,
      message: (
        <>
          <p>{environmentHelp[choice]}</p>
          <p>
            Linked banks and reports belong to the environment they were made in; new links and reports will use{' '}
            {environmentLabel[choice]}.
          </p>
        </>
      ),
      confirmLabel: `Switch to ${environmentLabel[choice]}`,
      danger: choice === 'production',
    });
    // Declined: nothing switched, so the radios show the environment still in use.
    if (!yes) {
      setChoice(settings.environment);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const next = await api.settingsSwitchEnvironment({ environment: choice });
      onChange(next);
      setEnvironment(next.environment);
      toast.show({ message: `Now using ${environmentLabel[next.environment]}.` });
    } catch (e) {
      // Nothing switched: the choice goes back to the environment in use.
      setChoice(settings.environment);
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="env-heading">
      <h2 id="env-heading">Plaid environment</h2>
      <form onSubmit={submit}>
        <ErrorAlert error={error} />
        <fieldset className="radio-group environment-choices">
          <legend>Environment</legend>
          {(['emulator', 'sandbox', 'production'] as const).map((env) => (
            <label key={env} className="environment-choice" data-environment={env}>
              <input
                type="radio"
                name="environment"
                value={env}
                checked={choice === env}
                onChange={() => setChoice(env)}
                disabled={needsKeys(env) && settings.environment !== env}
                aria-describedby={needsKeys(env) ? `env-${env}-keys` : undefined}
                data-testid={`env-${env}`}
              />
              <span>
                <strong>{environmentLabel[env]}</strong>
                {settings.environment === env && <span className="muted"> (current)</span>}
                <span className="choice-help">{environmentHelp[env]}</span>
                {needsKeys(env) && env !== 'emulator' && settings.credentials[env].state === 'locked' && (
                  <span className="choice-help" id={`env-${env}-keys`} data-testid={`env-${env}-needs-keys`}>
                    Its keys are saved but your keychain is locked: see{' '}
                    <a href={`#cred-${env}`} onClick={(e) => focusKeys(e, env)}>
                      Plaid keys → {environmentLabel[env]}
                    </a>{' '}
                    below.
                  </span>
                )}
                {needsKeys(env) && env !== 'emulator' && settings.credentials[env].state !== 'locked' && (
                  <span className="choice-help" id={`env-${env}-keys`} data-testid={`env-${env}-needs-keys`}>
                    Needs {environmentLabel[env]} keys: save them under{' '}
                    <a href={`#cred-${env}`} onClick={(e) => focusKeys(e, env)}>
                      Plaid keys → {environmentLabel[env]}
                    </a>{' '}
                    below first.
                  </span>
                )}
              </span>
            </label>
          ))}
        </fieldset>
        <Button
          type="submit"
          variant="primary"
          disabled={choice === settings.environment}
          busy={busy}
          data-testid="switch-environment"
        >
          Switch environment
        </Button>
      </form>
    </section>
  );
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

function WebhookSection({ settings, onChange }: { settings: Settings; onChange(s: Settings): void }) {
  const toast = useToast();
  const [enabled, setEnabled] = useState(settings.webhook.enabled);
  const [publicUrl, setPublicUrl] = useState(settings.webhook.publicUrl ?? '');
  const [error, setError] = useState<{ field?: string; form?: unknown }>({});
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const changes = { webhook: { enabled, publicUrl: publicUrl.trim() || null } };
    const parsed = SettingsChanges.safeParse(changes);
    if (!parsed.success) {
      setError({ field: parsed.error.issues[0]?.message ?? 'check this value' });
      return;
    }
    if (enabled && !changes.webhook.publicUrl) {
      setError({ field: 'enter the public https URL that forwards to this computer' });
      return;
    }
    setBusy(true);
    setError({});
    try {
      onChange(await api.settingsUpdate(changes));
      toast.show({ message: 'Webhook settings saved.' });
    } catch (e) {
      const appError = toAppError(e);
      if (appError.field?.includes('publicUrl')) setError({ field: appError.message });
      else setError({ form: appError });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="webhook-heading">
      <h2 id="webhook-heading">Webhook receiver</h2>
      <form onSubmit={submit}>
        <p className="muted">
          Plaid tells AssetDesk when a report is ready or a bank needs re-linking. Without webhooks AssetDesk asks Plaid
          itself, a little later.
        </p>
        <ErrorAlert error={error.form} />
        <label className="checkbox">
          <input
            type="checkbox"
            checked={enabled}
            onChange={(e) => setEnabled(e.target.checked)}
            data-testid="webhook-enabled"
          />
          Receive webhooks
        </label>
        <TextField
          label="Public URL"
          type="url"
          placeholder="https://assetdesk.example.com/plaid/webhook"
          value={publicUrl}
          onChange={(e) => setPublicUrl(e.target.value)}
          disabled={!enabled}
          error={error.field}
          hint={
            settings.environment === 'emulator'
              ? 'Not needed with the built-in emulator, which calls AssetDesk on this computer. For Sandbox or Production: an https address that forwards to this computer.'
              : 'An https address that forwards to this computer'
          }
          data-testid="webhook-url"
        />
        <div className="form-actions">
          <Button type="submit" variant="primary" busy={busy}>
            Save webhook settings
          </Button>
        </div>
      </form>
    </section>
  );
}

function UnderwritingSection({ settings, onChange }: { settings: Settings; onChange(s: Settings): void }) {
  const toast = useToast();
  const [keepForever, setKeepForever] = useState(settings.retentionDays === null);
  const [retentionDays, setRetentionDays] = useState(String(settings.retentionDays ?? 730));
  // Two decimals of a percent, as many as the setting takes (12.34%).
  const [sharePercent, setSharePercent] = useState(String(Math.round(settings.largeDepositShare * 10_000) / 100));
  const [documentAgeRule, setDocumentAgeRule] = useState(settings.documentAgeRule);
  const [errors, setErrors] = useState<{ retentionDays?: string; largeDepositShare?: string; form?: unknown }>({});
  const [busy, setBusy] = useState(false);
  const { formRef, refused } = useFocusFirstInvalid();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const changes = {
      retentionDays: keepForever ? null : Number(retentionDays),
      largeDepositShare: Number(sharePercent) / 100,
      documentAgeRule,
    };
    const parsed = SettingsChanges.safeParse(changes);
    if (!parsed.success) {
      const next: typeof errors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if (field === 'retentionDays') next.retentionDays = 'enter a whole number of days from 1 to 36,500';
        if (field === 'largeDepositShare')
          next.largeDepositShare =
            issue.message === LARGE_DEPOSIT_SHARE_DECIMALS
              ? 'enter at most two decimals, for example 12.35'
              : 'enter a percentage above 0 and at most 500';
      }
      setErrors(next);
      return refused();
    }
    setBusy(true);
    setErrors({});
    try {
      onChange(await api.settingsUpdate(changes));
      toast.show({ message: 'Settings saved.' });
    } catch (e) {
      setErrors({ form: e });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-labelledby="uw-heading">
      <h2 id="uw-heading">Retention and underwriting</h2>
      <form ref={formRef} onSubmit={submit}>
        <ErrorAlert error={errors.form} />
        <div className="grid-2">
          <div className="field">
            <span className="label" id="retention-label">
              Retention
            </span>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={keepForever}
                onChange={(e) => setKeepForever(e.target.checked)}
                data-testid="retention-off"
              />
              Keep reports until removed by hand
            </label>
            <TextField
              label="Remove reports after (days)"
              type="number"
              min={1}
              max={36500}
              value={retentionDays}
              onChange={(e) => setRetentionDays(e.target.value)}
              disabled={keepForever}
              error={errors.retentionDays}
              data-testid="retention-days"
            />
          </div>
          <div className="field">
            <TextField
              label="Large-deposit threshold (% of monthly income)"
              type="number"
              min={1}
              max={500}
              step="any"
              value={sharePercent}
              onChange={(e) => setSharePercent(e.target.value)}
              error={errors.largeDepositShare}
              hint="Deposits above this share of the qualifying monthly income must be sourced (Fannie Mae: 50%)"
              data-testid="large-deposit-share"
            />
            <SelectField
              label="Document-age rule"
              value={documentAgeRule}
              onChange={(e) => setDocumentAgeRule(e.target.value as Settings['documentAgeRule'])}
              data-testid="document-age-rule"
            >
              <option value="both_agencies">Both agencies: the earlier of Fannie Mae and Freddie Mac</option>
              <option value="fannie_4_months">Fannie Mae: within 4 months of the note date</option>
              <option value="freddie_120_days">Freddie Mac: within 120 days of the note date</option>
              <option value="du_45_days">
                Fannie Mae with DU: 4 months, and dated within 45 days of the application
              </option>
            </SelectField>
          </div>
        </div>
        <div className="form-actions">
          <Button
            type="submit"
            variant="primary"
            busy={busy}
            aria-label="Save retention and underwriting"
            data-testid="save-underwriting"
          >
            Save
          </Button>
        </div>
      </form>
    </section>
  );
}

/** The PIN that ends an applicant's hand-off (only a slow hash of it is kept, in the main process). */
function OfficerPinSection() {
  const status = useLoad(() => api.handoffStatus({}), []);
  return (
    <section className="panel" aria-labelledby="pin-heading" data-testid="officer-pin-section">
      <h2 id="pin-heading">Officer PIN</h2>
      <p className="muted">
        When you hand the computer to an applicant, only their bank-linking screen shows; this PIN brings you back to
        the desk.
      </p>
      {status.status === 'error' && !status.data ? (
        <ErrorState error={status.error} onRetry={status.reload} title="The PIN setting could not be loaded" />
      ) : !status.data ? (
        <Skeleton lines={2} label="Loading" />
      ) : (
        <>
          <p data-testid="pin-state">{status.data.pinSet ? 'A PIN is set.' : 'No PIN is set yet.'}</p>
          <OfficerPinForm key={String(status.data.pinSet)} pinSet={status.data.pinSet} onSaved={status.reload} />
        </>
      )}
    </section>
  );
}

export function SettingsScreen() {
  useDocumentTitle('Settings');
  // Joining or leaving a team switches to another history, with its own settings.
  const { status: team } = useTeam();
  const history = team?.mode === 'team' ? `team:${team.team?.id ?? ''}` : 'local';
  const loaded = useLoad(() => api.settingsGet({}), [history]);
  // What the main process answered to the latest change wins over the first load (of the same history).
  const [saved, setSaved] = useState<{ history: string; settings: Settings } | null>(null);
  const setSettings = (next: Settings) => setSaved({ history, settings: next });
  const settings = (saved?.history === history ? saved.settings : null) ?? loaded.data ?? null;

  return (
    <div className="page" data-testid="settings-screen">
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      {/* What a new officer needs first: the PIN for hand-offs, Plaid's environment and keys, the underwriting
          rules; then how Plaid reaches AssetDesk, and last the backups and the team (set up once, by one person). */}
      <OfficerPinSection />
      {loaded.status === 'error' && !settings ? (
        <ErrorState error={loaded.error} onRetry={loaded.reload} title="Settings could not be loaded" />
      ) : !settings ? (
        <Skeleton lines={8} label="Loading settings" />
      ) : (
        <RoleLocked channel="settings:update">
          <EnvironmentSection key={settings.environment} settings={settings} onChange={setSettings} />
          <section className="panel" aria-labelledby="cred-heading">
            <h2 id="cred-heading">Plaid keys</h2>
            <p className="muted">
              The emulator needs no keys. Keys are kept in the system keychain; a saved secret is never shown again.
            </p>
            <CredentialsForm environment="sandbox" settings={settings} onChange={setSettings} />
            <CredentialsForm environment="production" settings={settings} onChange={setSettings} />
            <PlaidCheckNote />
          </section>
          <UnderwritingSection settings={settings} onChange={setSettings} />
          <AssetClassSettingsSection />
          <InsightsSection settings={settings} onChange={setSettings} />
          <WebhookSection
            key={`webhook-${settings.webhook.enabled}-${settings.webhook.publicUrl}`}
            settings={settings}
            onChange={setSettings}
          />
          <PlaidConnectionSection settings={settings} onChange={setSettings} />
        </RoleLocked>
      )}
      <BackupSection />
      <TeamSection />
    </div>
  );
}
