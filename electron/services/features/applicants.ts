import type { AppError } from '../../../shared/errors';
import type { ContractHandlers } from '../../../shared/ipc/contract';
import { deleteApplicantLocally } from '../../db/retention';
import { exportApplicantFile } from '../export/applicant-export';
import { removeItemEverywhere, removeReportEverywhere } from '../removal';
import { requireApplicant, type ServiceContext } from '../service-context';

export type ApplicantHandlers = Pick<
  ContractHandlers,
  | 'applicants:list'
  | 'applicants:get'
  | 'applicants:create'
  | 'applicants:update'
  | 'applicants:delete'
  | 'applicants:export'
>;

const ENVIRONMENTS = ['emulator', 'sandbox', 'production'] as const;

/** Applicants and their loan details; deletion removes their reports and Items at Plaid first. */
export function createApplicantHandlers(ctx: ServiceContext): ApplicantHandlers {
  const log = ctx.logger.child({ component: 'applicants' });

  /** Plaid first (reports, then Items, in every environment), so nothing stays there we no longer know about. */
  async function removeAtPlaid(applicantId: string): Promise<void> {
    const store = ctx.store();
    for (const environment of ENVIRONMENTS) {
      for (const report of store.reports.listForApplicant(applicantId, environment)) {
        await removeReportEverywhere(ctx, report, 'applicant_deleted').catch((error: unknown) =>
          log.warn('could not remove a report at Plaid while deleting an applicant', {
            reportId: report.id,
            code: (error as AppError).code,
          }),
        );
      }
      for (const item of store.items.listForApplicant(applicantId, environment)) {
        await removeItemEverywhere(ctx, item).catch((error: unknown) =>
          log.warn('could not remove an Item at Plaid while deleting an applicant', {
            itemId: item.id,
            code: (error as AppError).code,
          }),
        );
      }
    }
  }

  return {
    'applicants:list': async (query) => ctx.store().applicants.search({ environment: ctx.environment(), ...query }),
    'applicants:get': async ({ applicantId }) => {
      const store = ctx.store();
      const applicant = requireApplicant(ctx, applicantId);
      const environment = ctx.environment();
      return {
        applicant,
        items: store.items.listForApplicant(applicantId, environment),
        reports: store.reports.listForApplicant(applicantId, environment),
      };
    },
    'applicants:create': async (input) => {
      const store = ctx.store();
      const applicant = store.applicants.create(input);
      store.activity.append({
        action: 'applicant_created',
        applicantId: applicant.id,
        detail: { loanNumber: applicant.loanNumber },
      });
      return applicant;
    },
    'applicants:update': async ({ applicantId, changes }) => {
      const store = ctx.store();
      const applicant = store.applicants.update(applicantId, changes);
      store.activity.append({ action: 'applicant_updated', applicantId, detail: { fields: Object.keys(changes) } });
      return applicant;
    },
    'applicants:delete': async ({ applicantId }) => {
      requireApplicant(ctx, applicantId);
      await removeAtPlaid(applicantId);
      deleteApplicantLocally(ctx.store(), applicantId);
      log.info('applicant deleted', { applicantId });
      return { ok: true as const };
    },
    'applicants:export': async ({ applicantId }) => {
      requireApplicant(ctx, applicantId);
      const folder = await ctx.desktop.chooseFolder({ title: 'Export loan file' });
      if (!folder) return { saved: false as const };
      const result = exportApplicantFile(ctx.store(), applicantId, folder, {
        environment: ctx.environment(),
        now: ctx.clock(),
      });
      // exportApplicantFile logs the 'exported' activity entry itself.
      log.info('applicant exported', { applicantId, folder: result.folder });
      return { saved: true as const, folder: result.folder, files: result.files };
    },
  };
}
