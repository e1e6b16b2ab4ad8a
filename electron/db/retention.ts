import type { ReportSummary } from '../../shared/domain';
import type { AssetDeskStore } from './index';

/**
 * Reports due for automatic removal under the retention setting (null/0 = keep forever).
 * The core removes each at Plaid (/asset_report/remove), then calls store.reports.markRemoved and logs.
 */
export function planRetention(
  store: AssetDeskStore,
  options: { retentionDays: number | null; now: Date },
): ReportSummary[] {
  if (!options.retentionDays || options.retentionDays <= 0) return [];
  return store.reports.olderThan(options.retentionDays, options.now);
}

export interface LocalDeletion {
  reportIds: string[];
  itemIds: string[];
  auditCopyIds: string[];
}

/**
 * Deletes the applicant with their Items, reports, content, audit copies and sourced deposits in
 * one transaction, logging each deletion. The core removes the Items and reports at Plaid first.
 * The activity log has no foreign key to applicants, so these entries outlive the applicant.
 */
export function deleteApplicantLocally(
  store: AssetDeskStore,
  applicantId: string,
  options: { reason?: string } = {},
): LocalDeletion {
  return store.transaction(() => {
    // Nothing here decrypts: a damaged SSN or account list must not stop the borrower's data being deleted.
    const applicant = store.applicants.describe(applicantId);
    const environments = ['emulator', 'sandbox', 'production'] as const;
    const reports = environments.flatMap((env) => store.reports.listForApplicant(applicantId, env));
    const items = store.items.basicsForApplicant(applicantId);
    const auditCopies = reports.flatMap((r) => store.auditCopies.list(r.id));
    const reason = options.reason ?? 'applicant_deleted';

    for (const copy of auditCopies) {
      store.activity.append({
        action: 'audit_copy_deleted',
        applicantId,
        reportId: copy.reportId,
        detail: { auditCopyId: copy.id, auditorId: copy.auditorId, reason },
      });
    }
    for (const report of reports) {
      store.activity.append({
        action: 'report_deleted',
        applicantId,
        reportId: report.id,
        detail: { plaidReportId: report.plaidReportId, environment: report.environment, status: report.status, reason },
      });
    }
    for (const item of items) {
      store.activity.append({
        action: 'item_deleted',
        applicantId,
        detail: { itemId: item.id, institutionName: item.institutionName, environment: item.environment, reason },
      });
    }
    store.applicants.delete(applicantId);
    store.activity.append({
      action: 'applicant_deleted',
      applicantId,
      detail: { loanNumber: applicant?.loanNumber ?? null, reports: reports.length, items: items.length, reason },
    });
    return {
      reportIds: reports.map((r) => r.id),
      itemIds: items.map((i) => i.id),
      auditCopyIds: auditCopies.map((c) => c.id),
    };
  });
}
