import { useState } from 'react';
import type { PlaidEnvironment, Settings } from '../../../shared/domain';
import { api } from '../api';
import { ErrorAlert, environmentLabel, useToast } from '../ui';

const ENVIRONMENTS: PlaidEnvironment[] = ['emulator', 'sandbox', 'production'];

/**
 * Whether reports are fetched with Plaid's insights (merchant names, categories), per environment.
 * AssetDesk turns one off itself when Plaid says the account has no insights add-on.
 */
export function InsightsSection({ settings, onChange }: { settings: Settings; onChange(s: Settings): void }) {
  const toast = useToast();
  const [busy, setBusy] = useState<PlaidEnvironment | null>(null);
  const [error, setError] = useState<unknown>(null);

  const toggle = async (environment: PlaidEnvironment, enabled: boolean) => {
    setBusy(environment);
    setError(null);
    try {
      onChange(await api.settingsUpdate({ insights: { environment, enabled } }));
      toast.show({ message: `Insights ${enabled ? 'on' : 'off'} for ${environmentLabel[environment]}.` });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="panel" aria-labelledby="insights-heading" data-testid="insights-settings">
      <h2 id="insights-heading">Report insights</h2>
      <p className="muted">
        With insights Plaid adds merchant names and categories to transactions. Accounts without Plaid&apos;s insights
        add-on get reports without them: AssetDesk notices, turns insights off for that environment and fetches the
        report anyway.
      </p>
      <ErrorAlert error={error} />
      {ENVIRONMENTS.map((environment) => (
        <label key={environment} className="checkbox">
          <input
            type="checkbox"
            checked={settings.insights[environment]}
            disabled={busy !== null}
            onChange={(e) => void toggle(environment, e.target.checked)}
            data-testid={`insights-${environment}`}
          />
          Ask for insights in {environmentLabel[environment]}
        </label>
      ))}
    </section>
  );
}
