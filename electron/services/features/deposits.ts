import type { ContractHandlers } from '../../../shared/ipc/contract';
import { requireReport, type ServiceContext } from '../service-context';

export type DepositHandlers = Pick<
  ContractHandlers,
  'deposits:markSourced' | 'deposits:unmarkSourced' | 'deposits:listSourced' | 'activity:list'
>;

/** Large deposits the officer has sourced (with the note saying how), and the activity log they land in. */
export function createDepositHandlers(ctx: ServiceContext): DepositHandlers {
  const logSourcing = async (action: string, reportId: string, transactionId: string): Promise<void> => {
    const report = await requireReport(ctx, reportId);
    await ctx.store().activity.append({ action, applicantId: report.applicantId, reportId, detail: { transactionId } });
  };
  return {
    'deposits:markSourced': async ({ reportId, transactionId, note }) => {
      await requireReport(ctx, reportId);
      await ctx.store().sourcedDeposits.mark(reportId, transactionId, note);
      await logSourcing('deposit_sourced', reportId, transactionId);
      return { ok: true as const };
    },
    'deposits:unmarkSourced': async ({ reportId, transactionId }) => {
      await requireReport(ctx, reportId);
      await ctx.store().sourcedDeposits.unmark(reportId, transactionId);
      await logSourcing('deposit_unsourced', reportId, transactionId);
      return { ok: true as const };
    },
    'deposits:listSourced': async ({ reportId }) => {
      await requireReport(ctx, reportId);
      return (await ctx.store().sourcedDeposits.listCarried(reportId)).map((d) => ({
        transactionId: d.transactionId,
        note: d.note,
        markedAt: d.markedAt,
      }));
    },
    'activity:list': async (filter) => ctx.store().activity.list(filter),
  };
}
