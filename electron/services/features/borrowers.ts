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
      const loan = store.transaction(() => {
        const updated = store.loans.addBorrower(loanId, borrower);
        const added = updated.borrowers[updated.borrowers.length - 1]!;
        store.activity.append({ action: 'borrower_added', loanId, applicantId: added.id, detail: {} });
        return updated;
      });
      recountLoanFindings(store, loanId, ctx.clock());
      return loan;
    },
    'borrowers:update': async ({ applicantId, changes }) => {
      const store = ctx.store();
      const { loanId } = requireApplicant(ctx, applicantId);
      store.transaction(() => {
        store.applicants.update(applicantId, changes);
        store.loans.refreshSearchText(loanId);
        store.activity.append({ action: 'borrower_updated', applicantId, detail: { fields: Object.keys(changes) } });
      });
      // Ownership matching reads the borrowers' names; their contact details change no finding.
      if (changes.firstName !== undefined || changes.middleName !== undefined || changes.lastName !== undefined)
        recountLoanFindings(store, loanId, ctx.clock());
      return requireLoan(ctx, loanId);
    },
    'borrowers:remove': async ({ applicantId }) => {
      const store = ctx.store();
      const borrower = requireApplicant(ctx, applicantId);
      const loan = requireLoan(ctx, borrower.loanId);
      if (borrower.position === loan.borrowers[0]?.position)
        throw conflictError('The primary borrower stays on the loan file. Delete the loan file instead, or keep them.');
      const reports = store.reports.listForBorrower(applicantId).filter((r) => r.status !== 'removed');
      if (reports.length > 0)
        throw conflictError(
          `${borrower.firstName} ${borrower.lastName}’s banks are in ${reports.length} report${reports.length === 1 ? '' : 's'} on this loan. Remove those reports first.`,
        );
      for (const environment of ENVIRONMENTS) {
        for (const item of store.items.listForApplicant(applicantId, environment)) {
          if (item.status !== 'removed') await removeItemEverywhere(ctx, item);
        }
      }
      store.transaction(() => {
        store.activity.append({
          action: 'borrower_removed',
          loanId: loan.id,
          applicantId,
          detail: { name: `${borrower.firstName} ${borrower.lastName}` },
        });
        store.applicants.delete(applicantId);
        store.loans.refreshSearchText(loan.id);
      });
      recountLoanFindings(store, loan.id, ctx.clock());
      return requireLoan(ctx, loan.id);
    },
  };
}
