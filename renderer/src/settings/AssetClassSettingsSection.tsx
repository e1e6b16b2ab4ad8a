import { useState, type FormEvent } from 'react';
import { AssetClassSettingsChanges, type AssetClassSettings } from '../../../shared/domain';
import { api } from '../api';
import {
  Button,
  ErrorAlert,
  ErrorState,
  SelectField,
  Skeleton,
  TextField,
  useFocusFirstInvalid,
  useLoad,
  useToast,
} from '../ui';

/** How much of each asset class counts towards funds to close, and the transfer-matching window (issue 13). */
export function AssetClassSettingsSection() {
  const loaded = useLoad(() => api.underwritingGetSettings({}), []);
  const [saved, setSaved] = useState<AssetClassSettings | null>(null);
  const settings = saved ?? loaded.data ?? null;
  return (
    <section className="panel" aria-labelledby="asset-classes-heading" data-testid="asset-class-settings">
      <h2 id="asset-classes-heading">Asset classes</h2>
      <p className="muted">
        Checking, savings, money market and CDs always count in full; crypto-currency only once converted and
        documented.
      </p>
      {loaded.status === 'error' && !settings ? (
        <ErrorState error={loaded.error} onRetry={loaded.reload} title="Asset-class settings could not be loaded" />
      ) : !settings ? (
        <Skeleton lines={3} label="Loading asset-class settings" />
      ) : (
        <AssetClassForm key={JSON.stringify(settings)} settings={settings} onSaved={setSaved} />
      )}
    </section>
  );
}

function AssetClassForm({ settings, onSaved }: { settings: AssetClassSettings; onSaved(s: AssetClassSettings): void }) {
  const toast = useToast();
  const percent = (share: number) => String(Math.round(share * 1000) / 10);
  const [retirement, setRetirement] = useState(percent(settings.retirementDiscount));
  const [brokerage, setBrokerage] = useState(percent(settings.brokerageShare));
  const [hsa, setHsa] = useState(settings.hsaTreatment);
  const [days, setDays] = useState(String(settings.transferMatchBusinessDays));
  const [errors, setErrors] = useState<Partial<Record<keyof AssetClassSettings, string>> & { form?: unknown }>({});
  const [busy, setBusy] = useState(false);
  const { formRef, refused } = useFocusFirstInvalid();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const changes = {
      retirementDiscount: Number(retirement) / 100,
      brokerageShare: Number(brokerage) / 100,
      hsaTreatment: hsa,
      transferMatchBusinessDays: Number(days),
    };
    const parsed = AssetClassSettingsChanges.safeParse(changes);
    if (!parsed.success || retirement.trim() === '' || brokerage.trim() === '' || days.trim() === '') {
      const next: typeof errors = {};
      for (const issue of parsed.success ? [] : parsed.error.issues) {
        const field = issue.path[0] as keyof AssetClassSettings;
        next[field] =
          field === 'transferMatchBusinessDays'
            ? 'enter whole business days from 0 to 10'
            : 'enter a percentage from 0 to 100';
      }
      if (retirement.trim() === '') next.retirementDiscount = 'enter a percentage from 0 to 100';
      if (brokerage.trim() === '') next.brokerageShare = 'enter a percentage from 0 to 100';
      if (days.trim() === '') next.transferMatchBusinessDays = 'enter whole business days from 0 to 10';
      setErrors(next);
      return refused();
    }
    setBusy(true);
    setErrors({});
    try {
      onSaved(await api.underwritingUpdateSettings(parsed.data));
      toast.show({ message: 'Asset-class settings saved.' });
    } catch (e) {
      setErrors({ form: e });
      setBusy(false);
    }
  };

  return (
    <form ref={formRef} onSubmit={submit}>
      <ErrorAlert error={errors.form} />
      <div className="grid-2">
        <div className="field">
          <TextField
            label="Retirement accounts count at (%)"
            type="number"
            min={0}
            max={100}
            step="any"
            value={retirement}
            onChange={(e) => setRetirement(e.target.value)}
            error={errors.retirementDiscount}
            hint="The lender's discount for taxes and early-withdrawal penalties (commonly 60%)"
            data-testid="retirement-share"
          />
          <TextField
            label="Brokerage accounts count at (%)"
            type="number"
            min={0}
            max={100}
            step="any"
            value={brokerage}
            onChange={(e) => setBrokerage(e.target.value)}
            error={errors.brokerageShare}
            hint="Stocks, bonds and mutual funds: the agencies value them in full (100%)"
            data-testid="brokerage-share"
          />
        </div>
        <div className="field">
          <SelectField
            label="Health savings accounts (HSA)"
            value={hsa}
            onChange={(e) => setHsa(e.target.value as AssetClassSettings['hsaTreatment'])}
            data-testid="hsa-treatment"
          >
            <option value="excluded">Not counted (default)</option>
            <option value="full">Counted in full</option>
            <option value="retirement">Counted like retirement accounts</option>
          </SelectField>
          <TextField
            label="Transfer matching window (business days)"
            type="number"
            min={0}
            max={10}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            error={errors.transferMatchBusinessDays}
            hint="A deposit is an own transfer only with a same-amount withdrawal from another counted own account up to this many business days before it (or one after, as banks post)"
            data-testid="transfer-match-days"
          />
        </div>
      </div>
      <div className="form-actions">
        <Button
          type="submit"
          variant="primary"
          busy={busy}
          aria-label="Save asset classes"
          data-testid="save-asset-classes"
        >
          Save
        </Button>
      </div>
    </form>
  );
}
