import { useState, type FormEvent } from 'react';
import { LARGE_DEPOSIT_SHARE_DECIMALS, SettingsChanges, type Settings } from '../../../shared/domain';
import { api } from '../api';
import { Button, ErrorAlert, SelectField, TextField, useFocusFirstInvalid, useToast } from '../ui';

export function UnderwritingSection({ settings, onChange }: { settings: Settings; onChange(s: Settings): void }) {
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
