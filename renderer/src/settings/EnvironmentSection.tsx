import { useState, type FormEvent } from 'react';
import type { PlaidEnvironment, Settings } from '../../../shared/domain';
import { api } from '../api';
import { useAppInfo } from '../shell/AppInfo';
import { Button, ErrorAlert, environmentLabel, useConfirm, useToast } from '../ui';

const environmentHelp: Record<PlaidEnvironment, string> = {
  emulator: 'The built-in Plaid Sandbox emulator on this computer. No keys needed; test data only.',
  sandbox: 'Plaid’s Sandbox with your Sandbox keys. Test banks and test data only.',
  production: 'Real applicants, real banks. Reports are billed by Plaid.',
};

/** The link to a keys form moves focus to its first input (the hash is the router's, not an anchor). */
function focusKeys(event: { preventDefault(): void }, env: 'sandbox' | 'production') {
  event.preventDefault();
  const form = document.querySelector<HTMLElement>(`[data-testid="credentials-${env}"]`);
  form?.scrollIntoView({ block: 'center' });
  form?.querySelector<HTMLElement>('input, button')?.focus();
}

export function EnvironmentSection({ settings, onChange }: { settings: Settings; onChange(s: Settings): void }) {
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
