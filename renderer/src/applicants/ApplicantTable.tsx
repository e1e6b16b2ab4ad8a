import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ApplicantListRow } from '../../../shared/domain';
import { href } from '../shell/router';
import { ApplicantStatusChip, applicantFullName, formatDate, loanPurposeLabel } from '../ui';

const ROW_HEIGHT = 44;

/**
 * The applicant list as an ARIA table. Only the rows in view are in the DOM (react-virtual), so
 * ten thousand applicants render as fast as twenty.
 */
export function ApplicantTable({
  rows,
  total = rows.length,
  label = 'Applicants',
}: {
  rows: ApplicantListRow[];
  /** All matching applicants, when more rows are still arriving. */
  total?: number;
  label?: string;
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
      aria-label={label}
      aria-rowcount={Math.max(total, rows.length) + 1}
      className="applicant-table"
      data-testid="applicant-table"
    >
      <div role="rowgroup">
        <div role="row" aria-rowindex={1} className="applicant-row applicant-row-header">
          <span role="columnheader">Name</span>
          <span role="columnheader">Loan number</span>
          <span role="columnheader">Purpose</span>
          <span role="columnheader">Status</span>
          <span role="columnheader" className="num">
            Findings
          </span>
          <span role="columnheader">Latest report</span>
        </div>
      </div>
      <div ref={scrollRef} className="applicant-scroll" role="rowgroup" data-testid="applicant-scroll">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((virtualRow) => {
            const row = rows[virtualRow.index];
            if (!row) return null;
            const attention = row.findingCounts?.attention ?? 0;
            return (
              <div
                key={row.id}
                role="row"
                aria-rowindex={virtualRow.index + 2}
                className="applicant-row"
                data-testid="applicant-row"
                style={{ transform: `translateY(${virtualRow.start}px)`, height: ROW_HEIGHT }}
              >
                <span role="cell" className="name-cell" title={applicantFullName(row)}>
                  <a href={href.applicant(row.id)}>{applicantFullName(row)}</a>
                </span>
                <span role="cell" className="mono" title={row.loanNumber}>
                  {row.loanNumber}
                </span>
                <span role="cell">{loanPurposeLabel[row.loanPurpose]}</span>
                <span role="cell">
                  <ApplicantStatusChip status={row.status} reportsRemoved={row.reportsRemoved} />
                </span>
                <span role="cell" className="num">
                  {row.findingCounts === null ? (
                    <span className="muted">—</span>
                  ) : attention > 0 ? (
                    <span
                      className="chip chip-warning"
                      title={`${attention} finding${attention === 1 ? '' : 's'} need attention`}
                    >
                      {attention} need attention
                    </span>
                  ) : (
                    <span className="muted">none</span>
                  )}
                </span>
                <span role="cell">{formatDate(row.latestReportAt)}</span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
