import { useState, type FormEvent } from 'react';
import { SettingsChanges, type Settings } from '../../../shared/domain';
import { api } from '../api';
import { Button, ErrorAlert, TextField, toAppError, useToast } from '../ui';

export function WebhookSection({ settings, onChange }: { settings: Settings; onChange(s: Settings): void }) {
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
