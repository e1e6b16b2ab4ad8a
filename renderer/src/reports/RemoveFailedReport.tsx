import { useState } from 'react';
import { api } from '../api';
import type { ReportSummary } from '../../../shared/domain';
import { Button, ErrorAlert, useConfirm } from '../ui';
import { useCan } from '../team/TeamContext';

/**
 * What removing a failed report does, in the confirmation's words. With Plaid's id AssetDesk holds the report's
 * token and asks Plaid to delete it first; without it (Plaid's answer never came) it can only remove it here.
 */
export function failedRemovalText(report: Pick<ReportSummary, 'plaidReportId'>): string[] {
  return report.plaidReportId
    ? [
        'AssetDesk asks Plaid to delete this report, then removes it here.',
        'The activity log keeps the record of the request and its failure.',
      ]
    : [
        'AssetDesk never received this report’s identifier from Plaid, so it removes it here only.',
        'If Plaid did make a report, AssetDesk cannot remove it there.',
        'The activity log keeps the record of the request and its failure.',
      ];
}

/** "Remove this failed report": for the report screen and the loan's report list (a failed report only). */
export function RemoveFailedReport({
  report,
  onRemoved,
  size,
}: {
  report: ReportSummary;
  onRemoved(): void;
  size?: 'small';
}) {
  const confirm = useConfirm();
  const allowed = useCan('reports:remove').allowed;
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<unknown>(null);
  if (report.status !== 'failed' || !allowed) return null;

  async function remove() {
    const ok = await confirm({
      title: 'Remove this failed report?',
      message: (
        <>
          {failedRemovalText(report).map((line) => (
            <p key={line}>{line}</p>
          ))}
        </>
      ),
      confirmLabel: 'Remove failed report',
      danger: true,
    });
    if (!ok) return;
    setRemoving(true);
    setError(null);
    try {
      await api.reportsRemove({ reportId: report.id });
      onRemoved();
    } catch (err) {
      setError(err);
    } finally {
      setRemoving(false);
    }
  }

  return (
    <>
      <Button
        variant="danger"
        {...(size ? { size } : {})}
        busy={removing}
        onClick={remove}
        data-testid="remove-failed-report"
      >
        Remove this failed report
      </Button>
      <ErrorAlert error={error} />
    </>
  );
}
