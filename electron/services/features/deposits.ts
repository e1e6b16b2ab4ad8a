import type { ContractHandlers } from '../../../shared/ipc/contract';
import { requireReport, type ServiceContext } from '../service-context';

export type DepositHandlers = Pick<
  ContractHandlers,
  'deposits:markSourced' | 'deposits:unmarkSourced' | 'deposits:listSourced' | 'activity:list'
>;

/** Large deposits the officer has sourced (with the note saying how), and the activity log they land in. */
export function createDepositHandlers(ctx: ServiceContext): DepositHandlers {
  const logSourcing = (action: string, reportId: string, transactionId: string): void => {
    const report = requireReport(ctx, reportId);
    ctx.store().activity.append({ action, applicantId: report.applicantId, reportId, detail: { transactionId } });
  };
  return {
    'deposits:markSourced': async ({ reportId, transactionId, note }) => {
      requireReport(ctx, reportId);
      ctx.store().sourcedDeposits.mark(reportId, transactionId, note);
      logSourcing('deposit_sourced', reportId, transactionId);
      return { ok: true as const };
    },
    'deposits:unmarkSourced': async ({ reportId, transactionId }) => {
      requireReport(ctx, reportId);
      ctx.store().sourcedDeposits.unmark(reportId, transactionId);
      logSourcing('deposit_unsourced', reportId, transactionId);
      return { ok: true as const };
    },
    'deposits:listSourced': async ({ reportId }) => {
      requireReport(ctx, reportId);
      return ctx
        .store()
        .sourcedDeposits.listCarried(reportId)
        .map((d) => ({ transactionId: d.transactionId, note: d.note, markedAt: d.markedAt }));
    },
    'activity:list': async (filter) => ctx.store().activity.list(filter),
  };
}
