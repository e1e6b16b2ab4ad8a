import { useState } from 'react';
import type { ReportStatus } from '../../../shared/domain';
import { api } from '../api';
import {
  EmptyState,
  ErrorAlert,
  ErrorState,
  ReportStatusChip,
  SelectField,
  Skeleton,
  TextField,
  formatDate,
  formatDateTime,
  formatDays,
  useDebounced,
  useDocumentTitle,
  useLoad,
} from '../ui';
import { useAppInfo } from './AppInfo';
import { href } from './router';
import { useTeamChanges } from '../team/useTeamChanges';

const PAGE_SIZE = 200;

/** Every report across loans: by name, loan number, bank, amount, report id, status or date. */
export function ReportsSearchScreen() {
  useDocumentTitle('Reports');
  const { dataVersion } = useAppInfo();
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<ReportStatus | ''>('');
  // Created between these days (inclusive), as <input type="date"> gives them: YYYY-MM-DD or ''.
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const debouncedQuery = useDebounced(query.trim(), 200);
  const rangeReversed = from !== '' && to !== '' && from > to;
  const result = useLoad(
    () =>
      rangeReversed
        ? Promise.resolve({ rows: [], total: 0 })
        : api.reportsSearch({
            ...(debouncedQuery ? { query: debouncedQuery } : {}),
            ...(status ? { status } : {}),
            ...(from ? { from } : {}),
            ...(to ? { to } : {}),
            limit: PAGE_SIZE,
          }),
    [debouncedQuery, status, from, to, dataVersion],
  );
  // A report made, finished or removed at another desk of the team.
  useTeamChanges(result.reload, { concerns: (changes) => changes.tables.includes('reports') });
  const filtering = debouncedQuery !== '' || status !== '' || from !== '' || to !== '';

  return (
    <div className="page" data-testid="reports-screen">
      <div className="page-header">
        <h1 id="reports-heading">Reports</h1>
      </div>
      <div className="toolbar" role="search">
        <TextField
          label="Search reports"
          type="search"
          placeholder="Name, loan number, bank, amount or report id"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-global-search=""
          data-testid="reports-search"
        />
        <SelectField label="Status" value={status} onChange={(e) => setStatus(e.target.value as ReportStatus | '')}>
          <option value="">Any status</option>
          <option value="pending">Pending</option>
          <option value="ready">Ready</option>
          <option value="failed">Failed</option>
        </SelectField>
        <TextField
          label="Created from"
          name="createdFrom"
          type="date"
          value={from}
          max={to || undefined}
          onChange={(e) => setFrom(e.target.value)}
          data-testid="reports-from"
        />
        <TextField
          label="Created until"
          name="createdUntil"
          type="date"
          value={to}
          min={from || undefined}
          onChange={(e) => setTo(e.target.value)}
          error={rangeReversed ? 'The end date is before the start date.' : undefined}
          data-testid="reports-to"
        />
      </div>
      <div className="panel">
        {result.status === 'error' && result.data && <ErrorAlert error={result.error} />}
        {result.status === 'error' && !result.data ? (
          <ErrorState error={result.error} onRetry={result.reload} title="Reports could not be loaded" />
        ) : !result.data ? (
          <Skeleton lines={6} label="Loading reports" />
        ) : result.data.rows.length === 0 ? (
          <EmptyState title={filtering ? 'No reports match' : 'No reports yet'}>
            {filtering
              ? 'Try another search, status or date range.'
              : 'Create a report from a loan’s page once its borrowers’ banks are linked.'}
          </EmptyState>
        ) : (
          <table className="data-table" aria-labelledby="reports-heading" aria-describedby="reports-count">
            <thead>
              <tr>
                <th scope="col">Borrowers</th>
                <th scope="col">Loan number</th>
                <th scope="col">Status</th>
                <th scope="col">Banks</th>
                <th scope="col">Days requested</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {result.data.rows.map((report) => (
                <tr key={report.id} data-testid="report-row">
                  <td>
                    <a href={href.report(report.id)}>{report.applicantName}</a>
                    {report.kind !== 'create' && <span className="muted"> · {report.kind}</span>}
                  </td>
                  <td className="mono">
                    <a href={href.loan(report.loanId)}>{report.loanNumber}</a>
                  </td>
                  <td>
                    <ReportStatusChip status={report.status} />
                  </td>
                  <td>{report.institutions.join(', ') || '—'}</td>
                  <td>{formatDays(report.daysRequested)}</td>
                  <td title={formatDateTime(report.createdAt)}>{formatDate(report.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {/* Always in the page, so each new count (or none found) is read out as the officer types. */}
        <p id="reports-count" className="muted" role="status">
          {!result.data ? null : result.data.rows.length === 0 ? (
            <span className="visually-hidden">0 reports</span>
          ) : result.data.total > result.data.rows.length ? (
            `Showing ${result.data.rows.length} of ${result.data.total} reports — refine the search to see others.`
          ) : (
            `${result.data.total} report${result.data.total === 1 ? '' : 's'}`
          )}
        </p>
      </div>
    </div>
  );
}
