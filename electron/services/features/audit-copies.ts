import type { ContractHandlers } from '../../../shared/ipc/contract';
import { createAuditCopyService } from '../reports/audit-copies';
import { requireReport, type ServiceContext } from '../service-context';

export type AuditCopyHandlers = Pick<
  ContractHandlers,
  'auditCopies:list' | 'auditCopies:create' | 'auditCopies:copyToken' | 'auditCopies:remove'
>;

/** Audit copies for Fannie Mae / Freddie Mac, made and revoked through the current environment's gateway. */
export function createAuditCopyHandlers(ctx: ServiceContext): AuditCopyHandlers {
  const auditCopies = async () => {
    const session = await ctx.session();
    return createAuditCopyService({
      store: ctx.store(),
      gateway: session.gateway,
      environment: session.environment,
      desktop: ctx.desktop,
      coordination: session.lifecycle.coordination,
      emulatorId: session.lifecycle.emulatorId,
    });
  };
  return {
    'auditCopies:list': async ({ reportId }) => {
      await requireReport(ctx, reportId);
      return ctx.store().auditCopies.list(reportId);
    },
    'auditCopies:create': async ({ reportId, auditorId }) => (await auditCopies()).create(reportId, auditorId),
    'auditCopies:copyToken': async ({ auditCopyId }) => {
      await (await auditCopies()).copyToken(auditCopyId);
      return { ok: true as const };
    },
    'auditCopies:remove': async ({ auditCopyId }) => {
      await (await auditCopies()).remove(auditCopyId);
      return { ok: true as const };
    },
  };
}
