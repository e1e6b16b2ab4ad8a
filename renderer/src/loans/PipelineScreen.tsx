import { useState } from 'react';
import type { LoanStatus } from '../../../shared/domain';
import { useAppInfo } from '../shell/AppInfo';
import { href, navigate } from '../shell/router';
import {
  Button,
  EmptyState,
  ErrorAlert,
  ErrorState,
  SelectField,
  Skeleton,
  TextField,
  loanStatusLabel,
  useDebounced,
  useDocumentTitle,
} from '../ui';
import { useCan } from '../team/TeamContext';
import { useTeamChanges } from '../team/useTeamChanges';
import { NewLoanForm } from './LoanForm';
import { PipelineTable, type PipelineSortState } from './PipelineTable';
import { usePipelineRows } from './usePipelineRows';
import './loans.css';

/** "30" → 30; anything that is not whole days from 0 to 366 is a message instead. */
function parseDueWithin(text: string): { days: number | null; error?: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { days: null };
  if (!/^\d+$/.test(trimmed)) return { days: null, error: 'Refresh due within must be whole days, like 14' };
  const days = Number(trimmed);
  if (days > 366) return { days: null, error: 'Refresh due within is at most 366 days' };
  return { days };
}

export function PipelineScreen({ creating }: { creating: boolean }) {
  useDocumentTitle(creating ? 'New loan' : 'Loans');
  const { dataVersion } = useAppInfo();
  const [query, setQuery] = useState('');
  const [loanStatus, setLoanStatus] = useState<LoanStatus | ''>('open');
  const [needsAttention, setNeedsAttention] = useState(false);
  const [dueWithinText, setDueWithinText] = useState('');
  const [sort, setSort] = useState<PipelineSortState>({ sort: 'lastActivity', direction: 'desc' });
  const debouncedQuery = useDebounced(query.trim(), 150);
  const dueWithin = parseDueWithin(useDebounced(dueWithinText, 200));
  const shownDueError = parseDueWithin(dueWithinText).error;
  const list = usePipelineRows(
    {
      query: debouncedQuery,
      loanStatus,
      needsAttention,
      refreshDueWithinDays: dueWithin.days,
      ...sort,
    },
    dataVersion,
  );
  // Any loan may have changed at another desk of the team; a burst of changes makes one reload.
  useTeamChanges(list.reload, { debounceMs: 150 });
  const canCreate = useCan('loans:create').allowed;
  // Open loans are the default view, not a filter the officer chose.
  const filtering = debouncedQuery !== '' || loanStatus !== 'open' || needsAttention || dueWithin.days !== null;
  const newButton = (testId: string) =>
    canCreate && (
      <Button variant="primary" onClick={() => navigate(href.newLoan())} data-testid={testId} aria-keyshortcuts="N">
        New loan
      </Button>
    );

  return (
    <div className="page" data-testid="pipeline-screen">
      <div className="page-header">
        <h1>Loans</h1>
        <span className="spacer" />
        {newButton('new-loan')}
      </div>
      <div className="toolbar pipeline-filters" role="search">
        <TextField
          label="Search loans"
          type="search"
          placeholder="Name, loan number, bank, report id or a loan amount"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-global-search=""
          data-testid="pipeline-search"
          aria-keyshortcuts="Control+K Meta+K"
        />
        <SelectField
          label="Loan status"
          value={loanStatus}
          onChange={(e) => setLoanStatus(e.target.value as LoanStatus | '')}
          data-testid="loan-status-filter"
        >
          {Object.entries(loanStatusLabel).map(([value, text]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
          <option value="">Any status</option>
        </SelectField>
        <TextField
          label="Refresh due within"
          type="text"
          inputMode="numeric"
          maxLength={3}
          placeholder="days"
          hint="Days from today"
          value={dueWithinText}
          onChange={(e) => setDueWithinText(e.target.value)}
          error={shownDueError}
          name="refreshDueWithin"
          className="refresh-due"
          data-testid="refresh-due-filter"
        />
        <label className="check-filter">
          <input
            type="checkbox"
            checked={needsAttention}
            onChange={(e) => setNeedsAttention(e.target.checked)}
            data-testid="needs-attention-filter"
          />
          Needs attention
        </label>
        {list.rows && (
          <span className="muted" aria-live="polite" aria-busy={list.more || undefined} data-testid="loan-count">
            {list.total} loan{list.total === 1 ? '' : 's'}
            {!list.more && list.total > list.rows.length ? ` (showing ${list.rows.length})` : ''}
          </span>
        )}
      </div>
      <div className="panel">
        {/* Offline (team mode) or a failed reload: the loans already on screen stay, under the reason. */}
        {list.status === 'error' && list.rows && <ErrorAlert error={list.error} />}
        {list.status === 'error' && !list.rows ? (
          <ErrorState error={list.error} onRetry={list.reload} title="Loans could not be loaded" />
        ) : !list.rows ? (
          <Skeleton lines={8} label="Loading loans" />
        ) : list.rows.length === 0 ? (
          filtering ? (
            <EmptyState title="No loans match">
              Try another name, loan number, bank, report id or amount, or change the filters.
            </EmptyState>
          ) : canCreate ? (
            <EmptyState title="No loans yet — open the first loan file" action={newButton('empty-new-loan')}>
              Add a loan and its borrowers, then hand each borrower the computer to link their banks.
            </EmptyState>
          ) : (
            <EmptyState title="No loans yet">The loan files your team’s officers open appear here.</EmptyState>
          )
        ) : (
          <PipelineTable rows={list.rows} total={list.total} sort={sort} onSort={setSort} />
        )}
      </div>
      {creating && canCreate && (
        <NewLoanForm
          onClose={() => navigate(href.loans(), { replace: true })}
          onSaved={(loan) => {
            list.reload();
            navigate(href.loan(loan.id), { replace: true });
          }}
        />
      )}
    </div>
  );
}
