import { useEffect, useState } from 'react';
import type { ReportSummary } from '../../../shared/domain';
import { Button, EmptyState, ReportStatusChip } from '../ui';
import { formatElapsed } from './format';
import { useReportProgress } from './use-report-progress';
import { RemoveFailedReport } from './RemoveFailedReport';

/** The report screen's way back (to where the officer came from). */
export function BackLink({ onBack }: { onBack(): void }) {
  return (
    <Button variant="ghost" size="small" onClick={onBack} data-testid="report-back">
      ← Back
    </Button>
  );
}

/** A report that is not ready: Plaid is generating it, it failed, or it was removed. */
export function ReportNotReady({
  summary,
  onBack,
  onReady,
}: {
  summary: ReportSummary;
  onBack(): void;
  onReady(): void;
}) {
  const { status: heard, message, elapsedMs, latest } = useReportProgress(summary);
  useEffect(() => {
    if (heard === 'ready' || (heard !== summary.status && heard !== 'pending')) onReady();
  }, [heard, summary.status, onReady]);
  // Removed here by the officer: shown at once (no reload, which would still hear the last 'failed' event).
  const [removedHere, setRemovedHere] = useState(false);
  const status = removedHere ? 'removed' : heard;
  const failure = latest?.failure ?? summary.failure;
  return (
    <div className="page" data-testid="report-screen" data-status={status}>
      <BackLink onBack={onBack} />
      <header className="page-header">
        {/* The same name as the ready screen's: the summary names every borrower the report covers. */}
        <h1 data-testid="report-title">Asset Report · {summary.applicantName}</h1>
        <ReportStatusChip status={status} />
      </header>
      {status === 'pending' && (
        <div className="state" role="status" aria-live="polite" data-testid="report-pending">
          <h2>Plaid is generating the report</h2>
          <p>
            Elapsed: <span data-testid="report-elapsed">{formatElapsed(elapsedMs)}</span>. Reports usually take under a
            minute; larger ones take longer.
          </p>
          {message && <p className="muted">{message}</p>}
          <p className="muted">You will be notified when it is ready; you can keep working meanwhile.</p>
        </div>
      )}
      {status === 'failed' && (
        <div className="state state-error" role="alert" data-testid="report-failed">
          <h2>Plaid could not generate the report</h2>
          <p>{failure?.message ?? message ?? 'Plaid reported a failure without a reason.'}</p>
          {failure && (
            // What Plaid support asks for: the request's id when Plaid gave one, and the report's own id.
            <p className="code" data-testid="report-failure-ids">
              {failure.code}
              {failure.requestId ? ` · request ${failure.requestId}` : ''}
              {(latest ?? summary).plaidReportId ? ` · Plaid report ${(latest ?? summary).plaidReportId}` : ''}
            </p>
          )}
          {/* Each failure's message says what to do; without one, the general advice. */}
          {!failure && <p>Check the borrowers’ linked banks, then create a new report.</p>}
          <RemoveFailedReport report={{ ...summary, ...latest, status }} onRemoved={() => setRemovedHere(true)} />
        </div>
      )}
      {status === 'removed' && (
        <EmptyState title="This report was removed">
          <p>
            {(latest ?? summary).plaidReportId
              ? 'It was deleted at Plaid; the activity log keeps the record.'
              : 'It was removed from AssetDesk; the activity log keeps the record.'}
          </p>
          {/* A request Plaid refused is not kept: the event that says so carries Plaid's reason. */}
          {!removedHere && message && <p className="muted">{message}</p>}
        </EmptyState>
      )}
    </div>
  );
}
