import type { Loan, ReportSummary } from '../../../shared/domain';
import { api } from '../api';
import { href } from '../shell/router';
import { EmptyState, ErrorState, Skeleton, Spinner, applicantFullName, formatDateTime, useLoad } from '../ui';
import { describeActivity } from './activity-text';

const LIMIT = 500;

/** Who did what when on this loan file, newest first, from the append-only activity log. */
export function ActivitySection({
  loan,
  reports,
  refreshKey,
}: {
  loan: Loan;
  reports: ReportSummary[];
  /** Changes whenever the loan screen reloads, so new entries show. */
  refreshKey: string;
}) {
  const activity = useLoad(() => api.activityList({ loanId: loan.id, limit: LIMIT }), [loan.id, refreshKey]);
  const borrowers = new Map(loan.borrowers.map((b) => [b.id, applicantFullName(b)]));
  const reportById = new Map(reports.map((r) => [r.id, r]));

  let body;
  if (activity.status === 'error' && !activity.data) {
    body = <ErrorState error={activity.error} onRetry={activity.reload} title="The activity could not be loaded" />;
  } else if (!activity.data) {
    body = <Skeleton lines={4} label="Loading the activity" />;
  } else if (activity.data.length === 0) {
    body = <EmptyState title="No activity yet">What is done on this loan file will be listed here.</EmptyState>;
  } else {
    body = (
      <table className="activity-table" data-testid="activity-table">
        <caption className="visually-hidden">Activity on this loan file, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">What</th>
            <th scope="col">Borrower</th>
            <th scope="col">Report</th>
          </tr>
        </thead>
        <tbody>
          {activity.data.map((entry) => {
            const report = entry.reportId ? reportById.get(entry.reportId) : undefined;
            const who =
              (entry.applicantId && borrowers.get(entry.applicantId)) ||
              (typeof entry.detail.name === 'string' ? entry.detail.name : null);
            return (
              <tr key={entry.id} data-testid="activity-entry" data-action={entry.action}>
                <td className="nowrap">{formatDateTime(entry.at)}</td>
                <td>
                  {describeActivity(entry)}
                  {/* Team mode names the member; a desk's own history is all its officer's. */}
                  {entry.actor && <span className="muted"> · by {entry.actor}</span>}
                </td>
                <td>{who ?? <span className="muted">—</span>}</td>
                <td>
                  {entry.reportId ? (
                    report && report.status !== 'removed' ? (
                      <a href={href.report(report.id)}>
                        {report.applicantName} · {formatDateTime(report.createdAt)}
                      </a>
                    ) : (
                      <span className="muted">{report ? `${report.applicantName} (removed)` : 'a removed report'}</span>
                    )
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    );
  }

  return (
    <section className="panel" aria-labelledby="activity-heading" data-testid="activity-section">
      <div className="panel-header">
        <h2 id="activity-heading">Activity</h2>
        {activity.status === 'loading' && activity.data && <Spinner label="Refreshing" />}
      </div>
      {activity.status === 'error' && activity.data && (
        <ErrorState error={activity.error} onRetry={activity.reload} title="Showing the last loaded activity" />
      )}
      {body}
    </section>
  );
}
