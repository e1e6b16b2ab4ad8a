import { api } from '../api';
import { OfficerPinForm } from '../shell/HandoffGate';
import { ErrorState, Skeleton, useLoad } from '../ui';

/** The PIN that ends an applicant's hand-off (only a slow hash of it is kept, in the main process). */
export function OfficerPinSection() {
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
