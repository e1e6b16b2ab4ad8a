import type { ApplicantStatus, ItemStatus, ReportStatus } from '../../../shared/domain';

type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger';

export function Chip({ tone, children, testId }: { tone: Tone; children: string; testId?: string }) {
  return (
    <span className={`chip chip-${tone}`} data-testid={testId}>
      {children}
    </span>
  );
}

export const applicantStatusText: Record<ApplicantStatus, [string, Tone]> = {
  no_report: ['No report yet', 'neutral'],
  pending: ['Pending', 'info'],
  ready: ['Ready', 'success'],
  refresh_due: ['Refresh due', 'warning'],
  needs_relink: ['Needs re-link', 'danger'],
};

export function ApplicantStatusChip({
  status,
  reportsRemoved,
  reportsFailed,
}: {
  status: ApplicantStatus;
  reportsRemoved?: boolean;
  reportsFailed?: boolean;
}) {
  // Under the pipeline's Report heading, as a removed or failed report's own chip says it.
  const [text, tone]: [string, Tone] =
    status === 'no_report' && reportsFailed
      ? ['Failed', 'danger']
      : status === 'no_report' && reportsRemoved
        ? ['Removed', 'neutral']
        : applicantStatusText[status];
  return (
    <Chip tone={tone} testId="applicant-status">
      {text}
    </Chip>
  );
}

const itemStatusText: Record<ItemStatus, [string, Tone]> = {
  ok: ['Connected', 'success'],
  needs_relink: ['Needs re-link', 'danger'],
  removed: ['Removed', 'neutral'],
};

export function ItemStatusChip({ status }: { status: ItemStatus }) {
  const [text, tone] = itemStatusText[status];
  return (
    <Chip tone={tone} testId="item-status">
      {text}
    </Chip>
  );
}

const reportStatusText: Record<ReportStatus, [string, Tone]> = {
  pending: ['Pending', 'info'],
  ready: ['Ready', 'success'],
  failed: ['Failed', 'danger'],
  removed: ['Removed', 'neutral'],
};

export function ReportStatusChip({ status }: { status: ReportStatus }) {
  const [text, tone] = reportStatusText[status];
  return (
    <Chip tone={tone} testId="report-status">
      {text}
    </Chip>
  );
}
