import { useEffect, useState } from 'react';
import type { ReportStatus, ReportSummary } from '../../../shared/domain';
import { href } from '../shell/router';
import { Button, EmptyState, ReportStatusChip } from '../ui';
import { environmentLabel, formatDateTime, formatDays, formatElapsed } from './format';
import { useReportProgress } from './use-report-progress';
import { RemoveFailedReport } from './RemoveFailedReport';

/** AssetDesk's code for a request whose outcome at Plaid is unknown (the main process's OUTCOME_UNKNOWN). */
const OUTCOME_UNKNOWN = 'OUTCOME_UNKNOWN';

/** The report screen's way back (to where the officer came from). */
export function BackLink({ onBack }: { onBack(): void }) {
  return (
    <Button variant="ghost" size="small" onClick={onBack} data-testid="report-back">
      <span aria-hidden="true">←</span> Back
    </Button>
  );
}

/**
 * The header of a report that is not ready, with the same context as the ready report's: whose it is, the loan
 * (a way back to it), Plaid's id, when it was asked for and what for.
 */
function NotReadyHeader({ report, status }: { report: ReportSummary; status: ReportStatus }) {
  return (
    <header className="rp-header" data-testid="report-header">
      <div className="rp-header-title">
        {/* The same name as the ready screen's: the summary names every borrower the report covers. */}
        <h1 data-testid="report-title">Asset Report · {report.applicantName}</h1>
        <ReportStatusChip status={status} />
        {report.kind !== 'create' && (
          <span className="chip chip-neutral" data-testid="report-kind">
            {report.kind === 'refresh' ? 'Refresh' : 'Filtered'}
          </span>
        )}
      </div>
      <dl className="rp-meta">
        <div>
          <dt>Loan</dt>
          <dd>
            <a href={href.loan(report.loanId)} data-testid="report-loan">
              {report.loanNumber}
            </a>
          </dd>
        </div>
        <div>
          <dt>Report id</dt>
          <dd className={report.plaidReportId ? 'mono' : 'muted'} data-testid="report-id">
            {report.plaidReportId ?? (status === 'pending' ? 'not given by Plaid yet' : 'Plaid gave none')}
          </dd>
        </div>
        <div>
          <dt>Requested</dt>
          <dd data-testid="report-requested">{formatDateTime(report.createdAt)}</dd>
        </div>
        <div>
          <dt>Days requested</dt>
          <dd data-testid="report-days">{formatDays(report.daysRequested)}</dd>
        </div>
        <div>
          <dt>Banks</dt>
          <dd data-testid="report-banks">{report.institutions.join(', ') || '—'}</dd>
        </div>
        <div>
          <dt>Environment</dt>
          <dd>
            <span className="env-badge" data-environment={report.environment}>
              {environmentLabel[report.environment]}
            </span>
          </dd>
        </div>
        {report.parentId && (
          <div>
            <dt>Parent report</dt>
            <dd>
              <a href={href.report(report.parentId)}>
                Open the {report.kind === 'refresh' ? 'report it refreshes' : 'unfiltered report'}
              </a>
            </dd>
          </div>
        )}
      </dl>
    </header>
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
      <NotReadyHeader report={latest ?? summary} status={status} />
      {status === 'pending' && (
        <div className="state" data-testid="report-pending">
          <h2>Plaid is generating the report</h2>
          {/* Not read out: the time changes every second, and a screen reader would say nothing else. */}
          <p>
            Elapsed: <span data-testid="report-elapsed">{formatElapsed(elapsedMs)}</span>. Reports usually take under a
            minute; larger ones take longer.
          </p>
          <div role="status">{message && <p className="muted">{message}</p>}</div>
          <p className="muted">You will be notified when it is ready; you can keep working meanwhile.</p>
        </div>
      )}
      {status === 'failed' && (
        <div className="state state-error" role="alert" data-testid="report-failed">
          {/* A request Plaid may have acted on without answering did not fail at Plaid, as far as anyone knows. */}
          <h2>
            {failure?.code === OUTCOME_UNKNOWN
              ? 'AssetDesk cannot tell whether Plaid made this report'
              : 'Plaid could not generate the report'}
          </h2>
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
