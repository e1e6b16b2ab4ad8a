import type { ContractHandlers } from '../../../shared/ipc/contract';
import { requireReport, type ServiceContext } from '../service-context';
import { recountLoanFindings } from './underwriting';

export type DepositHandlers = Pick<
  ContractHandlers,
  | 'deposits:markSourced'
  | 'deposits:unmarkSourced'
  | 'deposits:markSourcedTogether'
  | 'deposits:unmarkSourcedTogether'
  | 'deposits:listSourced'
  | 'activity:list'
>;

/**
 * Deposits the officer has sourced (with the note saying how), and the activity log they land in. A note changes the
 * findings, so the counts the pipeline and report lists show are worked out again.
 */
export function createDepositHandlers(ctx: ServiceContext): DepositHandlers {
  const sourcing = async (
    action: 'deposit_sourced' | 'deposit_unsourced',
    reportId: string,
    detail: Record<string, unknown>,
    change: () => Promise<void>,
  ): Promise<{ ok: true }> => {
    const report = await requireReport(ctx, reportId);
    const store = ctx.store();
    await store.transaction(async () => {
      await change();
      await store.activity.append({ action, applicantId: report.applicantId, reportId, detail });
    });
    await recountLoanFindings(store, report.loanId, ctx.clock());
    return { ok: true as const };
  };
  return {
    'deposits:markSourced': ({ reportId, transactionId, note }) =>
      sourcing('deposit_sourced', reportId, { transactionId }, async () => {
        await ctx.store().sourcedDeposits.mark(reportId, transactionId, note);
      }),
    'deposits:unmarkSourced': ({ reportId, transactionId }) =>
      sourcing('deposit_unsourced', reportId, { transactionId }, () =>
        ctx.store().sourcedDeposits.unmark(reportId, transactionId),
      ),
    // A split group's note goes on each of its deposits at once: a group half marked would still need attention.
    'deposits:markSourcedTogether': ({ reportId, what, transactionIds, note }) =>
      sourcing('deposit_sourced', reportId, { what, transactionIds }, async () => {
        for (const transactionId of transactionIds)
          await ctx.store().sourcedDeposits.mark(reportId, transactionId, note);
      }),
    'deposits:unmarkSourcedTogether': ({ reportId, what, transactionIds }) =>
      sourcing('deposit_unsourced', reportId, { what, transactionIds }, async () => {
        for (const transactionId of transactionIds) await ctx.store().sourcedDeposits.unmark(reportId, transactionId);
      }),
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
