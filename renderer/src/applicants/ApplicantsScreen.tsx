import { useState } from 'react';
import type { ApplicantStatus } from '../../../shared/domain';
import { useAppInfo } from '../shell/AppInfo';
import { href, navigate } from '../shell/router';
import {
  Button,
  EmptyState,
  ErrorState,
  SelectField,
  Skeleton,
  TextField,
  applicantStatusText,
  useDebounced,
} from '../ui';
import { ApplicantForm } from './ApplicantForm';
import { ApplicantTable } from './ApplicantTable';
import { useApplicantRows } from './useApplicantRows';
import './applicants.css';

export function ApplicantsScreen({ creating }: { creating: boolean }) {
  const { dataVersion } = useAppInfo();
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState<ApplicantStatus | ''>('');
  const debouncedQuery = useDebounced(query.trim(), 200);
  const list = useApplicantRows(debouncedQuery, status, dataVersion);
  const filtering = debouncedQuery !== '' || status !== '';
  const newButton = (testId: string) => (
    <Button variant="primary" onClick={() => navigate(href.newApplicant())} data-testid={testId} aria-keyshortcuts="N">
      New applicant
    </Button>
  );

  return (
    <div className="page" data-testid="applicants-screen">
      <div className="page-header">
        <h1>Applicants</h1>
        <span className="spacer" />
        {newButton('new-applicant')}
      </div>
      <div className="toolbar" role="search">
        <TextField
          label="Search applicants"
          type="search"
          placeholder="Name, loan number, e-mail"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          data-global-search=""
          data-testid="applicant-search"
          aria-keyshortcuts="Control+K Meta+K"
        />
        <SelectField
          label="Status"
          value={status}
          onChange={(e) => setStatus(e.target.value as ApplicantStatus | '')}
          data-testid="status-filter"
        >
          <option value="">Any status</option>
          {Object.entries(applicantStatusText).map(([value, [text]]) => (
            <option key={value} value={value}>
              {text}
            </option>
          ))}
        </SelectField>
        {list.rows && (
          <span className="muted" aria-live="polite" data-testid="applicant-count">
            {list.total} applicant{list.total === 1 ? '' : 's'}
            {!list.more && list.total > list.rows.length ? ` (showing ${list.rows.length})` : ''}
          </span>
        )}
      </div>
      <div className="panel">
        {list.status === 'error' ? (
          <ErrorState error={list.error} onRetry={list.reload} title="Applicants could not be loaded" />
        ) : !list.rows ? (
          <Skeleton lines={8} label="Loading applicants" />
        ) : list.rows.length === 0 ? (
          filtering ? (
            <EmptyState title="No applicants match">Try another name, loan number or status.</EmptyState>
          ) : (
            <EmptyState title="No applicants yet — add the first one" action={newButton('empty-new-applicant')}>
              Add an applicant, then hand them the computer to link their banks.
            </EmptyState>
          )
        ) : (
          <ApplicantTable rows={list.rows} total={list.total} />
        )}
      </div>
      {creating && (
        <ApplicantForm
          onClose={() => navigate(href.applicants(), { replace: true })}
          onSaved={(applicant) => {
            list.reload();
            navigate(href.applicant(applicant.id), { replace: true });
          }}
        />
      )}
    </div>
  );
}
