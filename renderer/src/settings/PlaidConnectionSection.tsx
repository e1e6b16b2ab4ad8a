import { useState, type FormEvent, type ReactNode } from 'react';
import { SettingsChanges, type Settings } from '../../../shared/domain';
import { api } from '../api';
import { Button, ErrorAlert, SelectField, TextField, toAppError, useFocusFirstInvalid, useToast } from '../ui';

const DAY = 24 * 3600;
const LIFETIMES: Array<{ seconds: number; label: string }> = [
  { seconds: 3600, label: '1 hour' },
  { seconds: DAY, label: '1 day' },
  { seconds: 3 * DAY, label: '3 days (a weekend)' },
  { seconds: 7 * DAY, label: '7 days' },
  { seconds: 14 * DAY, label: '14 days' },
  { seconds: 21 * DAY, label: '21 days (Plaid’s maximum)' },
];

/** One sentence where Production keys are entered: Plaid's current advice to new lenders. */
export function PlaidCheckNote() {
  return (
    <p className="muted" role="note" data-testid="plaid-check-note">
      Plaid now steers new lenders to Plaid Check Consumer Reports; AssetDesk supports Plaid Assets today, so ask Plaid
      to enable Assets on your Production account.
    </p>
  );
}

/**
 * How AssetDesk hears from Plaid (polling or webhooks), OAuth redirect URIs registered in the officer's
 * Plaid dashboard, and how long a Hosted Link stays valid.
 */
export function PlaidConnectionSection({ settings, onChange }: { settings: Settings; onChange(s: Settings): void }) {
  return (
    <section className="panel" aria-labelledby="plaid-connection-heading" data-testid="plaid-connection">
      <h2 id="plaid-connection-heading">Connection to Plaid</h2>
      <ReadinessDelivery settings={settings} />
      <RedirectUris key={JSON.stringify(settings.oauthRedirectUri)} settings={settings} onChange={onChange} />
      <HostedLinkLifetime key={settings.hostedLinkLifetimeSeconds} settings={settings} onChange={onChange} />
    </section>
  );
}

/**
 * How readiness reaches AssetDesk, and the one thing the officer may have to set up for webhooks: where a public
 * URL must forward. That line shows only where it applies (a public URL set, or webhooks on without one); the
 * built-in emulator calls AssetDesk on this computer and needs none.
 */
function ReadinessDelivery({ settings }: { settings: Settings }) {
  const delivery = settings.webhookDelivery;
  const emulator = settings.environment === 'emulator';
  const publicUrl = settings.webhook.enabled ? settings.webhook.publicUrl : null;
  const local = delivery.localUrl && <code data-testid="webhook-local-url">{delivery.localUrl}</code>;
  let setUp: ReactNode = null;
  if (publicUrl && local)
    setUp = (
      <>
        Your public URL must forward to {local} on this computer (the port stays the same across restarts while a public
        URL is set).
      </>
    );
  else if (delivery.mode === 'webhook' && emulator && !publicUrl)
    setUp = 'No public URL is needed: the built-in emulator runs on this computer.';
  else if (delivery.mode === 'polling' && local)
    setUp = (
      <>For webhooks, enter under Webhook receiver a public https URL that forwards to {local} on this computer.</>
    );
  else if (delivery.mode === 'polling')
    setUp = emulator
      ? 'For webhooks, turn on Receive webhooks: the built-in emulator calls AssetDesk on this computer.'
      : 'For webhooks, turn on Receive webhooks and enter a public https URL that forwards to this computer.';
  return (
    <div data-testid="webhook-delivery" data-mode={delivery.mode}>
      <h3>Report readiness</h3>
      {delivery.mode === 'polling' ? (
        <p>
          <strong>Polling.</strong> AssetDesk asks Plaid about each pending report (at most 15 times a minute per
          report). This needs nothing from you; a report may show as ready a little after Plaid finishes it.
        </p>
      ) : (
        <p>
          <strong>Webhooks.</strong> {emulator && !publicUrl ? 'The built-in emulator' : 'Plaid'} calls{' '}
          <code data-testid="webhook-plaid-url">{delivery.plaidUrl}</code> when a report is ready or a bank needs the
          applicant again; AssetDesk still polls as a fallback.
        </p>
      )}
      {setUp && (
        <p className="muted" data-testid="webhook-setup">
          {setUp}
        </p>
      )}
    </div>
  );
}

function RedirectUris({ settings, onChange }: { settings: Settings; onChange(s: Settings): void }) {
  const toast = useToast();
  const [uris, setUris] = useState({
    sandbox: settings.oauthRedirectUri.sandbox ?? '',
    production: settings.oauthRedirectUri.production ?? '',
  });
  const [errors, setErrors] = useState<{ sandbox?: string; production?: string; form?: unknown }>({});
  const [busy, setBusy] = useState(false);
  const { formRef, refused } = useFocusFirstInvalid();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setErrors({});
    const changes = (['sandbox', 'production'] as const).map((environment) => ({
      oauthRedirectUri: { environment, uri: uris[environment].trim() || null },
    }));
    for (const change of changes) {
      const parsed = SettingsChanges.safeParse(change);
      if (!parsed.success) {
        setErrors({ [change.oauthRedirectUri.environment]: parsed.error.issues[0]?.message ?? 'check this address' });
        return refused();
      }
    }
    setBusy(true);
    try {
      let latest = settings;
      for (const change of changes) latest = await api.settingsUpdate(change);
      onChange(latest);
      toast.show({ message: 'Redirect URIs saved.' });
    } catch (e) {
      setErrors({ form: toAppError(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} onSubmit={submit} data-testid="oauth-redirect-form">
      <h3>OAuth redirect URI</h3>
      <p className="muted">
        Only if one is registered under Allowed redirect URIs in your Plaid Dashboard. Without it, Link opens each OAuth
        bank in a pop-up window and needs nothing else.
      </p>
      <ErrorAlert error={errors.form} />
      <div className="grid-2">
        <TextField
          label="Sandbox"
          type="url"
          optional
          placeholder="https://assetdesk.example.com/oauth-return"
          value={uris.sandbox}
          onChange={(e) => setUris({ ...uris, sandbox: e.target.value })}
          error={errors.sandbox}
          data-testid="oauth-redirect-sandbox"
        />
        <TextField
          label="Production"
          type="url"
          optional
          placeholder="https://assetdesk.example.com/oauth-return"
          value={uris.production}
          onChange={(e) => setUris({ ...uris, production: e.target.value })}
          error={errors.production}
          hint="https only, no ? or #"
          data-testid="oauth-redirect-production"
        />
      </div>
      <div className="form-actions">
        <Button type="submit" busy={busy}>
          Save redirect URIs
        </Button>
      </div>
    </form>
  );
}

function HostedLinkLifetime({ settings, onChange }: { settings: Settings; onChange(s: Settings): void }) {
  const toast = useToast();
  const [error, setError] = useState<unknown>(null);
  const choose = async (seconds: number) => {
    setError(null);
    try {
      onChange(await api.settingsUpdate({ hostedLinkLifetimeSeconds: seconds }));
      toast.show({ message: 'Hosted Link lifetime saved.' });
    } catch (e) {
      setError(toAppError(e));
    }
  };
  const known = LIFETIMES.some((l) => l.seconds === settings.hostedLinkLifetimeSeconds);
  return (
    <div>
      <h3>Hosted Link</h3>
      <ErrorAlert error={error} />
      <SelectField
        label="A link sent to an applicant stays valid for"
        value={settings.hostedLinkLifetimeSeconds}
        onChange={(e) => void choose(Number(e.target.value))}
        data-testid="hosted-link-lifetime"
      >
        {!known && (
          <option value={settings.hostedLinkLifetimeSeconds}>
            {Math.round(settings.hostedLinkLifetimeSeconds / 3600)} hours
          </option>
        )}
        {LIFETIMES.map((l) => (
          <option key={l.seconds} value={l.seconds}>
            {l.label}
          </option>
        ))}
      </SelectField>
    </div>
  );
}
