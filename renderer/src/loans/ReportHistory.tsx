import type { ReportSummary } from '../../../shared/domain';
import { href } from '../shell/router';
import { ReportStatusChip, formatDateTime, formatDays } from '../ui';
import { RemoveFailedReport } from '../reports/RemoveFailedReport';

interface ReportNode {
  report: ReportSummary;
  children: ReportNode[];
}

/** Refreshes and filters hang under the report they were made from; newest first at each level. */
export function buildReportTree(reports: ReportSummary[]): ReportNode[] {
  const nodes = new Map(reports.map((report) => [report.id, { report, children: [] as ReportNode[] }]));
  const roots: ReportNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.report.parentId ? nodes.get(node.report.parentId) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: ReportNode[]) => {
    list.sort((a, b) => b.report.createdAt.localeCompare(a.report.createdAt));
    for (const node of list) sort(node.children);
  };
  sort(roots);
  return roots;
}

const kindLabel: Record<ReportSummary['kind'], string> = { create: 'Report', refresh: 'Refresh', filter: 'Filter' };

function ReportNodeView({ node, onRemoved }: { node: ReportNode; onRemoved(): void }) {
  const { report } = node;
  const openable = report.status !== 'removed';
  return (
    <li data-testid="report-node" data-report-id={report.id}>
      <div className="report-node">
        <span className="report-kind">{kindLabel[report.kind]}</span>
        <ReportStatusChip status={report.status} />
        <span data-testid="report-borrowers">{report.applicantName}</span>
        <span>{formatDays(report.daysRequested)}</span>
        <span className="muted">created {formatDateTime(report.createdAt)}</span>
        {report.readyAt && <span className="muted">ready {formatDateTime(report.readyAt)}</span>}
        {report.institutions.length > 0 && <span className="muted">{report.institutions.join(', ')}</span>}
        {openable && (
          <a
            href={href.report(report.id)}
            data-testid="open-report"
            aria-label={`Open ${kindLabel[report.kind].toLowerCase()} created ${formatDateTime(report.createdAt)}`}
          >
            Open
          </a>
        )}
        {report.failure && (
          <span className="failure" role="note">
            {report.failure.message}
            {report.failure.requestId ? ` (request ${report.failure.requestId})` : ''}
          </span>
        )}
        <RemoveFailedReport report={report} onRemoved={onRemoved} size="small" />
      </div>
      {node.children.length > 0 && (
        <ul aria-label={`Made from this ${kindLabel[report.kind].toLowerCase()}`}>
          {node.children.map((child) => (
            <ReportNodeView key={child.report.id} node={child} onRemoved={onRemoved} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** `onRemoved`: a failed report was removed from its row (the loan reloads its list). */
export function ReportHistory({ reports, onRemoved }: { reports: ReportSummary[]; onRemoved(): void }) {
  const tree = buildReportTree(reports);
  return (
    <ul className="report-tree" aria-label="Report history" data-testid="report-history">
      {tree.map((node) => (
        <ReportNodeView key={node.report.id} node={node} onRemoved={onRemoved} />
      ))}
    </ul>
  );
}
