import { useId, useState, type FormEvent } from 'react';
import { api } from '../api';
import {
  DAYS_REQUESTED_PRESETS,
  MIN_DAYS_FOR_PURPOSE,
  type Item,
  type Loan,
  type ReportSummary,
} from '../../../shared/domain';
import { Button, Dialog, ErrorAlert } from '../ui';
import { applicantFullName, formatDays, formatElapsed } from './format';
import { parseDaysRequested } from '../ui/format';
import { loanPurposeLabel } from '../ui';
import { useReportProgress } from './use-report-progress';
import './reports.css';

export interface CreateReportDialogProps {
  loan: Loan;
  /** Every borrower's banks on the loan. */
  items: Item[];
  onClose(): void;
  onCreated(report: ReportSummary): void;
}

const PRESET_LABELS: Record<number, string> = {
  61: '61 days',
  90: '90 days',
  180: '6 months',
  365: '12 months',
  730: '24 months',
};

/**
 * Creates an Asset Report from the loan's linked banks: every borrower's by default (one combined
 * report), or one borrower's, as the officer picks. After Plaid accepts the request the
 * dialog follows the report until it is ready or failed (the shell may also navigate away:
 * the report screen shows the same progress).
 */
export function CreateReportDialog({ loan, items, onClose, onCreated }: CreateReportDialogProps) {
  const shown = items.filter((item) => item.status !== 'removed');
  const usable = shown.filter((item) => item.status === 'ok');
  const minimumDays = MIN_DAYS_FOR_PURPOSE[loan.loanPurpose];
  const purpose = loanPurposeLabel[loan.loanPurpose].toLowerCase();
  const groups = loan.borrowers
    .map((borrower) => ({ borrower, items: shown.filter((item) => item.applicantId === borrower.id) }))
    .filter((group) => group.items.length > 0);
  const usableOf = (applicantId: string) => usable.filter((item) => item.applicantId === applicantId);
  const [selected, setSelected] = useState<Set<string>>(() => new Set(usable.map((item) => item.id)));
  const [preset, setPreset] = useState<number | 'custom'>(minimumDays <= 61 ? 61 : 90);
  const [customDays, setCustomDays] = useState('120');
  const [includeDetails, setIncludeDetails] = useState(true);
  // Plaid's require_all_items: on (its default) a bank that cannot be read fails the whole report.
  const [requireAllBanks, setRequireAllBanks] = useState(true);
  const [fastFirst, setFastFirst] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<ReportSummary | null>(null);
  const ids = useId();

  const customParsed = preset === 'custom' ? parseDaysRequested(customDays) : null;
  const daysProblem = customParsed && 'error' in customParsed ? customParsed.error : null;
  let daysRequested = Number.NaN;
  if (preset !== 'custom') daysRequested = preset;
  else if (customParsed && 'days' in customParsed) daysRequested = customParsed.days;
  const daysValid = daysProblem === null;
  const belowMinimum = daysValid && daysRequested < minimumDays;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (selected.size === 0 || !daysValid) return;
    setBusy(true);
    setError(null);
    try {
      const report = await api.reportsCreate({
        loanId: loan.id,
        itemIds: [...selected],
        daysRequested,
        includeApplicantDetails: includeDetails,
        requireAllItems: requireAllBanks,
        fastAssets: fastFirst,
      });
      setCreated(report);
      onCreated(report);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (created) return <CreationProgress report={created} onClose={onClose} />;

  const formId = `${ids}-form`;
  return (
    <Dialog
      title={`New Asset Report for loan ${loan.loanNumber}`}
      onClose={onClose}
      testId="create-report-dialog"
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            type="submit"
            form={formId}
            variant="primary"
            busy={busy}
            disabled={selected.size === 0 || !daysValid}
            data-testid="create-report-submit"
          >
            {busy ? 'Asking Plaid…' : 'Create report'}
          </Button>
        </>
      }
    >
      <form id={formId} className="rp-form" onSubmit={submit} noValidate>
        <fieldset className="rp-fieldset">
          <legend>Banks to include</legend>
          {shown.length === 0 && (
            <p className="muted">No banks are linked yet. Hand the computer to a borrower to link a bank first.</p>
          )}
          {groups.length > 1 && (
            <div className="rp-presets" data-testid="report-scope">
              <Button
                size="small"
                onClick={() => setSelected(new Set(usable.map((item) => item.id)))}
                aria-pressed={usable.every((item) => selected.has(item.id))}
                data-testid="scope-all"
              >
                Every borrower (combined report)
              </Button>
              {groups.map(({ borrower }) => (
                <Button
                  key={borrower.id}
                  size="small"
                  onClick={() => setSelected(new Set(usableOf(borrower.id).map((item) => item.id)))}
                  aria-pressed={
                    selected.size > 0 &&
                    [...selected].every((id) => usableOf(borrower.id).some((item) => item.id === id))
                  }
                  data-testid={`scope-${borrower.id}`}
                >
                  Only {applicantFullName(borrower)}
                </Button>
              ))}
            </div>
          )}
          {groups.map(({ borrower, items: borrowerItems }) => (
            <fieldset key={borrower.id} className="rp-fieldset rp-borrower-group" data-testid="report-borrower-group">
              <legend>{applicantFullName(borrower)}’s banks</legend>
              {borrowerItems.map((item) => {
                const disabled = item.status !== 'ok';
                const reason = item.status === 'needs_relink' ? 'needs re-linking before it can be included' : null;
                return (
                  <label key={item.id} className={disabled ? 'rp-check rp-check-disabled' : 'rp-check'}>
                    <input
                      type="checkbox"
                      data-testid={`item-checkbox-${item.id}`}
                      checked={selected.has(item.id)}
                      disabled={disabled}
                      aria-describedby={reason ? `${ids}-reason-${item.id}` : undefined}
                      onChange={(e) => {
                        const next = new Set(selected);
                        if (e.target.checked) next.add(item.id);
                        else next.delete(item.id);
                        setSelected(next);
                      }}
                    />
                    <span>
                      {item.institutionName}
                      <span className="muted">
                        {' '}
                        · {item.accounts.map((a) => `${a.name}${a.mask ? ` ••${a.mask}` : ''}`).join(', ')}
                      </span>
                      {reason && (
                        <span id={`${ids}-reason-${item.id}`} className="rp-warning-text">
                          {' '}
                          — {reason}
                        </span>
                      )}
                    </span>
                  </label>
                );
              })}
            </fieldset>
          ))}
          {/* Read out as it appears: the Create button is refused at the same moment, without a word of its own. */}
          <div role="status">
            {usable.length > 0 && selected.size === 0 && <p className="rp-warning-text">Choose at least one bank.</p>}
          </div>
        </fieldset>

        <fieldset className="rp-fieldset">
          <legend>Days of history requested</legend>
          <p className="muted" id={`${ids}-min`}>
            A {purpose} loan needs at least {minimumDays} days.
          </p>
          <div className="rp-presets" role="radiogroup" aria-describedby={`${ids}-min`}>
            {DAYS_REQUESTED_PRESETS.map((days) => (
              <label key={days} className="rp-radio">
                <input
                  type="radio"
                  name={`${ids}-days`}
                  value={days}
                  checked={preset === days}
                  onChange={() => setPreset(days)}
                />
                {PRESET_LABELS[days] ?? `${days} days`}
              </label>
            ))}
            <label className="rp-radio">
              <input
                type="radio"
                name={`${ids}-days`}
                value="custom"
                checked={preset === 'custom'}
                onChange={() => setPreset('custom')}
              />
              Custom
            </label>
            {preset === 'custom' && (
              <label className="rp-inline-field">
                <span>Days</span>
                <input
                  type="text"
                  inputMode="numeric"
                  value={customDays}
                  data-testid="custom-days"
                  aria-invalid={!daysValid}
                  aria-describedby={daysProblem ? `${ids}-days-problem` : undefined}
                  onChange={(e) => setCustomDays(e.target.value)}
                />
              </label>
            )}
          </div>
          <div role="status">
            {daysProblem && (
              <p className="rp-warning-text" id={`${ids}-days-problem`} data-testid="days-problem">
                {daysProblem}
              </p>
            )}
            {belowMinimum && (
              <p className="rp-warning-text" data-testid="days-warning">
                {formatDays(daysRequested)} is below the {minimumDays} days a {purpose} loan needs: underwriting may
                reject this report.
              </p>
            )}
          </div>
          {daysValid && daysRequested > 61 && <p className="muted">More than 61 days may cost extra at Plaid.</p>}
        </fieldset>

        <label className="rp-check">
          <input
            type="checkbox"
            checked={includeDetails}
            onChange={(e) => setIncludeDetails(e.target.checked)}
            data-testid="include-details"
          />
          <span>
            Include borrower details (name, SSN, contact)
            <span className="muted"> — Fannie Mae Day 1 Certainty needs the name and SSN on the report.</span>
          </span>
        </label>

        {selected.size > 1 && (
          <label className="rp-check">
            <input
              type="checkbox"
              checked={requireAllBanks}
              onChange={(e) => setRequireAllBanks(e.target.checked)}
              data-testid="require-all-banks"
            />
            <span>
              Every bank must be in the report
              <span className="muted">
                {' '}
                — otherwise, if one bank cannot be read, Plaid makes the report without it and says which is missing.
              </span>
            </span>
          </label>
        )}

        <label className="rp-check">
          <input
            type="checkbox"
            checked={fastFirst}
            onChange={(e) => setFastFirst(e.target.checked)}
            data-testid="fast-assets"
          />
          <span>
            First look with Fast Assets
            <span className="muted">
              {' '}
              — Plaid's add-on: balances and owners sooner, the full report after. Your Plaid account must include it.
            </span>
          </span>
        </label>

        <ErrorAlert error={error} />
      </form>
    </Dialog>
  );
}

function CreationProgress({ report, onClose }: { report: ReportSummary; onClose(): void }) {
  const { status, message, elapsedMs, latest } = useReportProgress(report);
  const failure = latest?.failure ?? report.failure;
  return (
    <Dialog
      title="Asset Report requested"
      onClose={onClose}
      testId="create-report-dialog"
      footer={
        <Button variant="primary" onClick={onClose} autoFocus data-testid="create-report-close">
          Close
        </Button>
      }
    >
      <div data-testid="create-report-progress">
        <p aria-live="polite" role="status" data-testid="report-progress-status">
          {status === 'pending' && <>Plaid is generating the report… {formatElapsed(elapsedMs)}</>}
          {status === 'ready' && <>The report is ready ({formatElapsed(elapsedMs)}).</>}
          {status === 'failed' && <>Plaid could not generate the report.</>}
          {status === 'removed' && <>The report was removed.</>}
        </p>
        {message && <p className="muted">{message}</p>}
        {status === 'failed' && failure && (
          <p className="alert alert-error" data-testid="report-failure">
            {failure.message}
            {failure.requestId && <span className="muted"> (Plaid request id {failure.requestId})</span>}
          </p>
        )}
        {status === 'pending' && (
          <p className="muted">
            You can close this window: the report keeps generating and you will be notified when it is ready.
          </p>
        )}
      </div>
    </Dialog>
  );
}
