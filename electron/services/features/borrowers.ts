import type { ContractHandlers } from '../../../shared/ipc/contract';
import { removeItemEverywhere } from '../removal';
import { conflictError, requireApplicant, requireLoan, type ServiceContext } from '../service-context';
import { ENVIRONMENTS } from './loans';
import { recountLoanFindings } from './underwriting';

export type BorrowerHandlers = Pick<ContractHandlers, 'borrowers:add' | 'borrowers:update' | 'borrowers:remove'>;

/** The people on a loan file: a co-borrower joins, changes details, or leaves with their banks. */
export function createBorrowerHandlers(ctx: ServiceContext): BorrowerHandlers {
  return {
    'borrowers:add': async ({ loanId, borrower }) => {
      const store = ctx.store();
      const loan = await store.transaction(async () => {
        const updated = await store.loans.addBorrower(loanId, borrower);
        const added = updated.borrowers[updated.borrowers.length - 1]!;
        await store.activity.append({ action: 'borrower_added', loanId, applicantId: added.id, detail: {} });
        return updated;
      });
      await recountLoanFindings(store, loanId, ctx.clock());
      return loan;
    },
    'borrowers:update': async ({ applicantId, changes }) => {
      const store = ctx.store();
      const { loanId } = await requireApplicant(ctx, applicantId);
      await store.transaction(async () => {
        await store.applicants.update(applicantId, changes);
        await store.loans.refreshSearchText(loanId);
        await store.activity.append({
          action: 'borrower_updated',
          applicantId,
          detail: { fields: Object.keys(changes) },
        });
      });
      // Ownership matching reads the borrowers' names; their contact details change no finding.
      if (changes.firstName !== undefined || changes.middleName !== undefined || changes.lastName !== undefined)
        await recountLoanFindings(store, loanId, ctx.clock());
      return requireLoan(ctx, loanId);
    },
    'borrowers:remove': async ({ applicantId }) => {
      const store = ctx.store();
      const borrower = await requireApplicant(ctx, applicantId);
      const loan = await requireLoan(ctx, borrower.loanId);
      if (borrower.position === loan.borrowers[0]?.position)
        throw conflictError('The primary borrower stays on the loan file. Delete the loan file instead, or keep them.');
      const reports = (await store.reports.listForBorrower(applicantId)).filter((r) => r.status !== 'removed');
      if (reports.length > 0)
        throw conflictError(
          `${borrower.firstName} ${borrower.lastName}’s banks are in ${reports.length} report${reports.length === 1 ? '' : 's'} on this loan. Remove those reports first.`,
        );
      for (const environment of ENVIRONMENTS) {
        for (const item of await store.items.listForApplicant(applicantId, environment)) {
          if (item.status !== 'removed') await removeItemEverywhere(ctx, item);
        }
      }
      await store.transaction(async () => {
        await store.activity.append({
          action: 'borrower_removed',
          loanId: loan.id,
          applicantId,
          detail: { name: `${borrower.firstName} ${borrower.lastName}` },
        });
        await store.applicants.delete(applicantId);
        await store.loans.refreshSearchText(loan.id);
      });
      await recountLoanFindings(store, loan.id, ctx.clock());
      return requireLoan(ctx, loan.id);
    },
  };
}
