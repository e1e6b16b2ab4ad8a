import type { AppError } from '../../../shared/errors';
import { localToday } from '../../../shared/domain';
import type { ContractHandlers } from '../../../shared/ipc/contract';
import { deleteLoanLocally } from '../../db/retention';
import { exportLoanFile } from '../export/applicant-export';
import { removeItemEverywhere, removeReportEverywhere } from '../removal';
import { requireLoan, type ServiceContext } from '../service-context';
import { savedFilesOf } from './files';
import { loanFundsToClose, recountLoanFindings } from './underwriting';

export type LoanHandlers = Pick<
  ContractHandlers,
  | 'loans:list'
  | 'loans:get'
  | 'loans:findByNumber'
  | 'loans:create'
  | 'loans:update'
  | 'loans:setStatus'
  | 'loans:delete'
  | 'loans:export'
  | 'loans:fundsToClose'
>;

export const ENVIRONMENTS = ['emulator', 'sandbox', 'production'] as const;

/** The loan terms the underwriting analysis reads (shared/underwriting/inputs.ts); its status is recounted on its own. */
const ANALYSED_TERMS = [
  'loanPurpose',
  'applicationDate',
  'expectedNoteDate',
  'qualifyingMonthlyIncome',
  'fundsToClose',
  'reservesNeeded',
] as const;

/** Loan files and their borrowers; deletion removes their reports and Items at Plaid first. */
export function createLoanHandlers(ctx: ServiceContext): LoanHandlers {
  const log = ctx.logger.child({ component: 'loans' });

  /** Plaid first (reports, then Items, in every environment), so nothing stays there we no longer know about. */
  async function removeAtPlaid(loanId: string): Promise<void> {
    const store = ctx.store();
    for (const environment of ENVIRONMENTS) {
      for (const report of await store.reports.listForLoan(loanId, environment)) {
        await removeReportEverywhere(ctx, report, 'loan_deleted').catch((error: unknown) =>
          log.warn('could not remove a report at Plaid while deleting a loan file', {
            reportId: report.id,
            code: (error as AppError).code,
          }),
        );
      }
      for (const item of await store.items.listForLoan(loanId, environment)) {
        await removeItemEverywhere(ctx, item).catch((error: unknown) =>
          log.warn('could not remove an Item at Plaid while deleting a loan file', {
            itemId: item.id,
            code: (error as AppError).code,
          }),
        );
      }
    }
  }

  return {
    'loans:list': async (query) => {
      const store = ctx.store();
      return store.loans.pipeline({
        environment: ctx.environment(),
        documentAgeRule: (await store.settings.underwriting()).documentAgeRule,
        today: localToday(ctx.clock()),
        ...query,
      });
    },
    'loans:get': async ({ loanId }) => {
      const store = ctx.store();
      const loan = await requireLoan(ctx, loanId);
      const environment = ctx.environment();
      return {
        loan,
        items: await store.items.listForLoan(loanId, environment),
        reports: await store.reports.listForLoan(loanId, environment),
      };
    },
    'loans:findByNumber': async ({ loanNumber }) => ctx.store().loans.findByNumber(loanNumber),
    // The reports of the environment the loan page lists (loans:get), counted as their own screens count the loan's.
    'loans:fundsToClose': async ({ loanId }) => {
      const loan = await requireLoan(ctx, loanId);
      const counted = await loanFundsToClose(ctx.store(), loan, ctx.environment(), ctx.clock());
      if (!counted) return { reports: [], funds: null };
      const { reportIds: _plaidIds, ...funds } = counted.funds;
      return {
        reports: counted.reports.map(({ report, reportDate }) => ({
          reportId: report.id,
          applicantName: report.applicantName,
          reportDate,
        })),
        funds,
      };
    },
    'loans:create': async (input) => {
      const store = ctx.store();
      return store.transaction(async () => {
        const loan = await store.loans.create(input);
        await store.activity.append({
          action: 'loan_created',
          loanId: loan.id,
          detail: { loanNumber: loan.loanNumber, borrowers: loan.borrowers.length },
        });
        return loan;
      });
    },
    'loans:update': async ({ loanId, changes }) => {
      const store = ctx.store();
      const loan = await store.transaction(async () => {
        const updated = await store.loans.update(loanId, changes);
        await store.activity.append({ action: 'loan_updated', loanId, detail: { fields: Object.keys(changes) } });
        return updated;
      });
      // Only the terms the analysis reads change what the findings say (not the number or the property).
      if (ANALYSED_TERMS.some((field) => changes[field] !== undefined))
        await recountLoanFindings(store, loanId, ctx.clock());
      return loan;
    },
    'loans:setStatus': async ({ loanId, status }) => {
      const store = ctx.store();
      const { loan, changed } = await store.transaction(async () => {
        const before = await requireLoan(ctx, loanId);
        const loan = await store.loans.setStatus(loanId, status);
        if (before.status !== status)
          await store.activity.append({
            action: 'loan_status_changed',
            loanId,
            detail: { from: before.status, to: status },
          });
        return { loan, changed: before.status !== status };
      });
      // Document age reads the status: only an open loan's report can expire before a note date that has passed.
      if (changed) await recountLoanFindings(store, loanId, ctx.clock());
      return loan;
    },
    'loans:delete': async ({ loanId }) => {
      await requireLoan(ctx, loanId);
      await removeAtPlaid(loanId);
      await deleteLoanLocally(ctx.store(), loanId);
      log.info('loan file deleted', { loanId });
      return { ok: true as const };
    },
    'loans:export': async ({ loanId }) => {
      await requireLoan(ctx, loanId);
      const folder = await ctx.desktop.chooseFolder({ title: 'Export loan file' });
      if (!folder) return { saved: false as const };
      const result = await exportLoanFile(ctx.store(), loanId, folder, {
        environment: ctx.environment(),
        now: ctx.clock(),
      });
      // exportLoanFile logs the 'exported' activity entry itself.
      log.info('loan file exported', { loanId, folder: result.folder });
      return {
        saved: true as const,
        folder: result.folder,
        files: result.files,
        receipt: savedFilesOf(ctx.desktop).remember(result.folder),
      };
    },
  };
}
