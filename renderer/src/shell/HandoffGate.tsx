import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { HandoffStatus } from '../../../shared/domain';
import { api } from '../api';
import { HandToApplicant } from '../link/HandToApplicant';
import {
  Button,
  ErrorAlert,
  ErrorState,
  Skeleton,
  TextField,
  toAppError,
  useDocumentTitle,
  useFocusFirstInvalid,
  useLoad,
} from '../ui';
import { ErrorBoundary } from './ErrorBoundary';
import { href, navigate, type Route } from './router';
import { Shell } from './Shell';

/**
 * The borrower's mode and its lock. The main process says whether a borrower holds the computer;
 * while one does, only that borrower's linking screen renders, whatever the address says, and only
 * the officer's PIN ends it. A link address with no hand-off on starts one (asking for a PIN first if
 * none is set).
 */
export function HandoffGate({ route, children }: { route: Route; children: ReactNode }) {
  const status = useLoad(() => api.handoffStatus({}), []);
  // What the main process answered to the latest start or end wins over the first load.
  const [latest, setLatest] = useState<HandoffStatus | null>(null);
  const current = latest ?? status.data;
  const active = current?.active ?? null;
  // The main process names the loan the borrower is on; the link address carries it before the hand-off starts.
  const loanId = active?.loanId || (route.name === 'link' ? route.loanId : null);

  // Back at the desk, the officer starts at the loan's screen: the borrower's screen, and the focus in it, are gone.
  const wasActive = useRef(false);
  useEffect(() => {
    if (active) wasActive.current = true;
    else if (wasActive.current) {
      wasActive.current = false;
      document.getElementById('main')?.focus();
    }
  }, [active]);

  // Keep the address on the borrower's screen, so Back or a typed address shows nothing else.
  useEffect(() => {
    if (!active) return;
    const wanted = href.link(active.applicantId, loanId, active.itemId);
    if (location.hash !== wanted) navigate(wanted, { replace: true });
  }, [active, route, loanId]);

  // Unanswered, the desk still opens (with its own notices); the main process refuses the desk's
  // calls anyway while a borrower holds the computer.
  if (status.status === 'error' && !current) return <>{children}</>;
  if (!current) return <Skeleton lines={4} label="Opening AssetDesk" heading="AssetDesk" />;

  if (active) {
    const resetKey = `${active.applicantId}:${active.itemId ?? ''}`;
    return (
      <ErrorBoundary resetKey={resetKey}>
        <HandToApplicant
          key={resetKey}
          applicantId={active.applicantId}
          loanId={loanId}
          itemId={active.itemId}
          onReturned={(next) => {
            setLatest(next);
            navigate(loanId ? href.loan(loanId) : href.loans(), { replace: true });
          }}
        />
      </ErrorBoundary>
    );
  }
  if (route.name === 'link') {
    // Still the officer's screen (the hand-off has not begun): the desk's frame stays around it.
    return (
      <Shell route={route}>
        <StartHandoff route={route} onStarted={setLatest} />
      </Shell>
    );
  }
  return <>{children}</>;
}

function StartHandoff({
  route,
  onStarted,
}: {
  route: Extract<Route, { name: 'link' }>;
  onStarted(status: HandoffStatus): void;
}) {
  useDocumentTitle('Hand over to the borrower');
  // Asked afresh: the PIN may have been set (in Settings) since the desk opened.
  const status = useLoad(() => api.handoffStatus({}), [route.applicantId, route.itemId]);
  const [error, setError] = useState<unknown>(null);
  const pinSet = status.status === 'ready' ? status.data.pinSet : null;
  const start = () =>
    api
      .handoffStart(
        route.itemId ? { applicantId: route.applicantId, itemId: route.itemId } : { applicantId: route.applicantId },
      )
      .then(onStarted, setError);
  useEffect(() => {
    if (pinSet) void start();
    // Started once per address; the PIN form below starts it after the PIN is set.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [route.applicantId, route.itemId, pinSet]);

  const back = (
    <p>
      <a href={route.loanId ? href.loan(route.loanId) : href.loans()}>Back to the loan</a>
    </p>
  );
  if (status.status === 'error')
    return (
      <div className="page">
        <ErrorState
          error={status.error}
          onRetry={status.reload}
          title="The borrower’s screen could not open"
          level={1}
        />
        {back}
      </div>
    );
  if (pinSet === false) {
    return (
      <div className="page handoff-setup" data-testid="handoff-needs-pin">
        <h1>Set an officer PIN first</h1>
        <p>
          While the borrower links their banks, the computer shows only their screen. Your PIN is what brings you back
          to the desk, so set one before handing over. You can change it later in Settings.
        </p>
        <OfficerPinForm pinSet={false} onSaved={() => void start()} />
        {back}
      </div>
    );
  }
  if (error)
    return (
      <div className="page">
        <ErrorState error={error} onRetry={() => void start()} title="The borrower’s screen could not open" level={1} />
        {back}
      </div>
    );
  return <Skeleton lines={3} label="Preparing the borrower’s screen" heading="Hand over to the borrower" />;
}

/** Sets or changes the officer PIN (the main process keeps only a slow hash of it). */
export function OfficerPinForm({ pinSet, onSaved }: { pinSet: boolean; onSaved(status: HandoffStatus): void }) {
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const [current, setCurrent] = useState('');
  const [errors, setErrors] = useState<{ pin?: string; again?: string; currentPin?: string }>({});
  const [formError, setFormError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const { formRef, refused } = useFocusFirstInvalid();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    setSaved(false);
    const problems: typeof errors = {};
    if (!/^\d{4,12}$/.test(pin)) problems.pin = 'Officer PIN must be 4 to 12 digits';
    else if (pin !== again) problems.again = 'The two PINs are not the same';
    if (pinSet && !current) problems.currentPin = 'Enter the current PIN to change it.';
    setErrors(problems);
    if (Object.keys(problems).length > 0) return refused();
    setSaving(true);
    try {
      const next = await api.handoffSetPin(pinSet ? { pin, currentPin: current } : { pin });
      setPin('');
      setAgain('');
      setCurrent('');
      setSaved(true);
      onSaved(next);
    } catch (error) {
      const appError = toAppError(error);
      if (appError.field === 'currentPin' || appError.field === 'pin') {
        setErrors({ [appError.field]: appError.message });
        refused();
      } else setFormError(appError);
    } finally {
      setSaving(false);
    }
  };

  const pinInput = {
    type: 'password',
    inputMode: 'numeric' as const,
    autoComplete: 'off',
    maxLength: 12,
    spellCheck: false,
  };
  return (
    <form ref={formRef} onSubmit={submit} noValidate className="pin-form" data-testid="officer-pin-form">
      <ErrorAlert error={formError} />
      {pinSet && (
        <TextField
          label="Current PIN"
          name="currentPin"
          {...pinInput}
          value={current}
          onChange={(e) => setCurrent(e.target.value)}
          error={errors.currentPin}
          data-testid="pin-current"
        />
      )}
      <TextField
        label={pinSet ? 'New PIN' : 'Officer PIN'}
        name="pin"
        hint="4 to 12 digits"
        {...pinInput}
        value={pin}
        onChange={(e) => setPin(e.target.value)}
        error={errors.pin}
        data-testid="pin-new"
      />
      <TextField
        label="The same PIN again"
        name="again"
        {...pinInput}
        value={again}
        onChange={(e) => setAgain(e.target.value)}
        error={errors.again}
        data-testid="pin-again"
      />
      <div className="pin-actions">
        <Button variant="primary" type="submit" busy={saving} data-testid="pin-save">
          {pinSet ? 'Change PIN' : 'Set PIN'}
        </Button>
        {saved && (
          <span role="status" data-testid="pin-saved">
            PIN saved.
          </span>
        )}
      </div>
    </form>
  );
}
