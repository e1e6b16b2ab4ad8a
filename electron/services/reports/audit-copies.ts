import { AppError } from '../../../shared/errors';
import type { AuditCopy, PlaidEnvironment } from '../../../shared/domain';
import type { AssetDeskStore, ReportRecord } from '../../db';
import type { DesktopAdapters } from '../desktop';
import type { PlaidGateway } from '../plaid-gateway';
import { LOCAL_COORDINATION, type ReportCoordination } from './coordination';
import { auditCopyInAnotherEmulator, emulatorOnAnotherDesk, reportInAnotherEmulator } from '../team/emulator-per-desk';
import { notFound, reportIn } from '../service-context';

export interface AuditCopyServiceDeps {
  store: AssetDeskStore;
  gateway: PlaidGateway;
  environment: PlaidEnvironment;
  desktop: DesktopAdapters;
  /** On a team, two desks sharing the same report with the same agency at once make one copy (default: one desk). */
  coordination?: ReportCoordination;
  /** On a team in emulator mode, this desk's emulator (ReportLifecycle.emulatorId); null otherwise. */
  emulatorId?: string | null;
}

/**
 * Audit copies of a ready report for Fannie Mae / Freddie Mac: made and revoked at Plaid, the token
 * kept encrypted and only ever put on the clipboard, never handed to the renderer.
 */
export function createAuditCopyService(deps: AuditCopyServiceDeps) {
  const { store, gateway, environment } = deps;
  const coordination = deps.coordination ?? LOCAL_COORDINATION;

  const requireReport = (reportId: string): Promise<ReportRecord> => reportIn(store, environment, reportId);

  async function requireCopy(auditCopyId: string): Promise<AuditCopy> {
    const copy = await store.auditCopies.get(auditCopyId);
    if (!copy) throw notFound('This audit copy no longer exists.');
    return copy;
  }

  return {
    async create(reportId: string, auditorId: string): Promise<AuditCopy> {
      const elsewhere = await reportInAnotherEmulator(store, deps.emulatorId ?? null, reportId);
      if (elsewhere) throw emulatorOnAnotherDesk('report', elsewhere, 'share it with an auditor');
      return coordination.auditCopyTurn(reportId, auditorId, async (waited) => {
        const report = await requireReport(reportId);
        // Another desk made a copy for this agency while this one waited its turn: that copy is the one to share.
        if (waited) {
          const made = (await store.auditCopies.list(reportId))
            .filter((copy) => copy.auditorId === auditorId && !copy.removedAt)
            .at(-1);
          if (made) return made;
        }
        if (report.status !== 'ready')
          throw new AppError({
            code: 'INVALID_PARENT',
            message: 'Only a ready report can be shared with an auditor.',
            retryable: false,
          });
        const token = await store.reports.reportToken(reportId);
        if (!token)
          throw new AppError({
            code: 'INVALID_PARENT',
            message: 'This report was removed at Plaid, so it cannot be shared.',
            retryable: false,
          });
        // Should AssetDesk quit meanwhile, the request on its way gets the grace to answer and the copy to be kept.
        return gateway.save(async () => {
          const created = await gateway.call('/asset_report/audit_copy/create', (p) =>
            p.assetReportAuditCopyCreate({ asset_report_token: token, auditor_id: auditorId }),
          );
          const copy = await store.auditCopies.create({ reportId, auditorId, token: created.audit_copy_token });
          await store.activity.append({
            action: 'audit_copy_created',
            applicantId: report.applicantId,
            reportId,
            detail: { auditCopyId: copy.id, auditorId, ...(deps.emulatorId ? { emulator: deps.emulatorId } : {}) },
          });
          return copy;
        });
      });
    },

    async remove(auditCopyId: string): Promise<void> {
      const copy = await requireCopy(auditCopyId);
      const report = await requireReport(copy.reportId);
      if (!copy.removedAt) {
        const elsewhere = await auditCopyInAnotherEmulator(store, deps.emulatorId ?? null, copy);
        if (elsewhere) throw emulatorOnAnotherDesk('audit copy', elsewhere, 'revoke it');
        const token = await store.auditCopies.token(auditCopyId);
        if (token) await gateway.removeAuditCopy(token);
        await store.auditCopies.markRemoved(auditCopyId);
      }
      await store.activity.append({
        action: 'audit_copy_removed',
        applicantId: report.applicantId,
        reportId: report.id,
        detail: { auditCopyId, auditorId: copy.auditorId },
      });
    },

    async copyToken(auditCopyId: string): Promise<void> {
      const copy = await requireCopy(auditCopyId);
      if (copy.removedAt) throw notFound('This audit copy no longer exists.');
      const token = await store.auditCopies.token(auditCopyId);
      if (!token) throw notFound('This audit copy was revoked.');
      await deps.desktop.writeClipboard(token);
      const report = await store.reports.get(copy.reportId);
      await store.activity.append({
        action: 'audit_copy_token_copied',
        applicantId: report?.applicantId ?? null,
        reportId: copy.reportId,
        detail: { auditCopyId, auditorId: copy.auditorId },
      });
    },
  };
}

export type AuditCopyService = ReturnType<typeof createAuditCopyService>;
