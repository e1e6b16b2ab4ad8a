import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { LoanListRow, PipelineSort } from '../../../shared/domain';
import { href } from '../shell/router';
import {
  ApplicantStatusChip,
  applicantFullName,
  formatDate,
  formatDateTime,
  loanPurposeLabel,
  loanStatusLabel,
} from '../ui';

const ROW_HEIGHT = 48;

interface Column {
  label: string;
  /** The store's sort key; none for columns the store does not sort by. */
  sort?: PipelineSort;
  className?: string;
}

const COLUMNS: Column[] = [
  { label: 'Borrowers', sort: 'borrower' },
  // The loan's status rides with its number and purpose: with the pipeline filtered to open loans (its default) a
  // column of its own repeated "Open" on every row, and its width is what the report and findings chips need.
  { label: 'Loan number · purpose · status', sort: 'loanNumber' },
  { label: 'Report', sort: 'status' },
  { label: 'Findings', sort: 'findings' },
  { label: 'Refresh by', sort: 'refreshBy' },
  { label: 'Plaid expiry', sort: 'plaidExpiresOn' },
  { label: 'Note date', sort: 'noteDate' },
  { label: 'Last activity', sort: 'lastActivity' },
];

export interface PipelineSortState {
  sort: PipelineSort;
  direction: 'asc' | 'desc';
}

/**
 * The pipeline as an ARIA table. Only the rows in view are in the DOM (react-virtual), so ten
 * thousand loans render as fast as twenty. Sorting is the store's: the headers only ask for it.
 */
export function PipelineTable({
  rows,
  total = rows.length,
  sort,
  onSort,
}: {
  rows: LoanListRow[];
  /** All matching loans, when more rows are still arriving. */
  total?: number;
  sort: PipelineSortState;
  onSort(next: PipelineSortState): void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    // Before the first layout (and in the benchmark) assume a typical viewport.
    initialRect: { width: 1000, height: 600 },
  });

  return (
    <div
      role="table"
      aria-label="Loan pipeline"
      aria-rowcount={Math.max(total, rows.length) + 1}
      className="pipeline-table"
      data-testid="pipeline-table"
    >
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} className="pipeline-row pipeline-row-header">
          {COLUMNS.map((column) => {
            const active = column.sort !== undefined && sort.sort === column.sort;
            return (
              <span
                key={column.label}
                role="columnheader"
                aria-sort={active ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}
              >
                {column.sort ? (
                  <button
                    type="button"
                    className="sort-button"
                    data-testid={`sort-${column.sort}`}
                    onClick={() =>
                      onSort({
                        sort: column.sort!,
                        // A new column starts with what the officer most likely wants first: soonest dates, most findings.
                        direction: active
                          ? sort.direction === 'asc'
                            ? 'desc'
                            : 'asc'
                          : column.sort === 'findings' || column.sort === 'lastActivity'
                            ? 'desc'
                            : 'asc',
                      })
                    }
                  >
                    {column.label}
                    <span aria-hidden="true" className="sort-mark">
                      {active ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                    </span>
                  </button>
                ) : (
                  column.label
                )}
              </span>
            );
          })}
        </div>
      </div>
      <div ref={scrollRef} className="pipeline-scroll" role="rowgroup" data-testid="pipeline-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((virtualRow) => {
            const row = rows[virtualRow.index];
            if (!row) return null;
            const attention = row.findingCounts?.attention ?? 0;
            const names = row.borrowers.map(applicantFullName);
            return (
              <div
                key={row.id}
                role="row"
                aria-rowindex={virtualRow.index + 2}
                className="pipeline-row"
                data-testid="loan-row"
                data-loan-id={row.id}
                style={{ transform: `translateY(${virtualRow.start}px)`, height: ROW_HEIGHT }}
              >
                <span role="cell" className="name-cell" title={names.join('\n')}>
                  <a href={href.loan(row.id)} data-testid="loan-borrowers">
                    {names[0]}
                  </a>
                  {names.length > 1 && <span className="co-borrowers">{names.slice(1).join(', ')}</span>}
                </span>
                <span
                  role="cell"
                  className="loan-cell"
                  title={`${row.loanNumber}\n${loanPurposeLabel[row.loanPurpose]} · ${loanStatusLabel[row.status]}`}
                >
                  <span className="mono" data-testid="loan-number">
                    {row.loanNumber}
                  </span>
                  <span className="muted">
                    <span data-testid="loan-purpose">{loanPurposeLabel[row.loanPurpose]}</span>
                    {' · '}
                    <span data-testid="loan-status" data-status={row.status}>
                      {loanStatusLabel[row.status]}
                    </span>
                  </span>
                </span>
                <span role="cell">
                  <ApplicantStatusChip
                    status={row.reportStatus}
                    reportsRemoved={row.reportsRemoved}
                    reportsFailed={row.reportsFailed}
                  />
                </span>
                <span role="cell">
                  {row.findingCounts === null ? (
                    <span className="muted">—</span>
                  ) : attention > 0 ? (
                    <span className="chip chip-warning">
                      {attention} need{attention === 1 ? 's' : ''} attention
                    </span>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </span>
                <span role="cell" data-testid="refresh-by">
                  {formatDate(row.refreshBy)}
                </span>
                <span role="cell" data-testid="plaid-expiry">
                  {formatDate(row.plaidExpiresOn)}
                </span>
                <span role="cell">{formatDate(row.expectedNoteDate)}</span>
                <span role="cell" className="two-lines">
                  {formatDateTime(row.lastActivityAt)}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
