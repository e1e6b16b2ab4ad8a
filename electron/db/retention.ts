import type { ReportSummary } from '../../shared/domain';
import type { AssetDeskStore } from './index';

/**
 * Reports due for automatic removal under the retention setting (null/0 = keep forever): those of loans
 * closed or withdrawn more than the retention period ago (an open loan's reports are still in use).
 * The core removes each at Plaid (/asset_report/remove), then calls store.reports.markRemoved and logs.
 */
export async function planRetention(
  store: AssetDeskStore,
  options: { retentionDays: number | null; now: Date },
): Promise<ReportSummary[]> {
  if (!options.retentionDays || options.retentionDays <= 0) return [];
  return store.reports.olderThan(options.retentionDays, options.now);
}

export interface LocalDeletion {
  reportIds: string[];
  itemIds: string[];
  auditCopyIds: string[];
}

/**
 * Deletes the loan with its borrowers, Items, reports, content, audit copies and sourced deposits in
 * one transaction, logging each deletion. The core removes the Items and reports at Plaid first.
 * The activity log has no foreign keys, so these entries outlive the loan.
 */
export async function deleteLoanLocally(
  store: AssetDeskStore,
  loanId: string,
  options: { reason?: string } = {},
): Promise<LocalDeletion> {
  return store.transaction(async () => {
    // Nothing here decrypts: a damaged SSN or account list must not stop the borrowers' data being deleted.
    const loanNumber = await store.loans.numberOf(loanId);
    const borrowerIds = await store.loans.borrowerIds(loanId);
    const environments = ['emulator', 'sandbox', 'production'] as const;
    const reports = (await Promise.all(environments.map((env) => store.reports.listForLoan(loanId, env)))).flat();
    const items = (
      await Promise.all(
        borrowerIds.map(async (applicantId) =>
          (await store.items.basicsForApplicant(applicantId)).map((item) => ({ ...item, applicantId })),
        ),
      )
    ).flat();
    const auditCopies = (await Promise.all(reports.map((r) => store.auditCopies.list(r.id)))).flat();
    const reason = options.reason ?? 'loan_deleted';

    for (const copy of auditCopies) {
      await store.activity.append({
        action: 'audit_copy_deleted',
        loanId,
        reportId: copy.reportId,
        detail: { auditCopyId: copy.id, auditorId: copy.auditorId, reason },
      });
    }
    for (const report of reports) {
      await store.activity.append({
        action: 'report_deleted',
        loanId,
        reportId: report.id,
        detail: { plaidReportId: report.plaidReportId, environment: report.environment, status: report.status, reason },
      });
    }
    for (const item of items) {
      await store.activity.append({
        action: 'item_deleted',
        loanId,
        applicantId: item.applicantId,
        detail: { itemId: item.id, institutionName: item.institutionName, environment: item.environment, reason },
      });
    }
    await store.loans.delete(loanId);
    await store.activity.append({
      action: 'loan_deleted',
      loanId,
      detail: { loanNumber, borrowers: borrowerIds.length, reports: reports.length, items: items.length, reason },
    });
    return {
      reportIds: reports.map((r) => r.id),
      itemIds: items.map((i) => i.id),
      auditCopyIds: auditCopies.map((c) => c.id),
    };
  });
}
