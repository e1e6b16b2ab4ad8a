import type { ContractHandlers } from '../../../shared/ipc/contract';
import { saveReportExport } from '../export/report-export';
import { maskSsnInReportJson } from '../export/report-files';
import { readReportView } from '../reports/report-view';
import { requireReadyReport, requireReport, type ServiceContext } from '../service-context';

export type ReportHandlers = Pick<
  ContractHandlers,
  | 'reports:create'
  | 'reports:search'
  | 'reports:get'
  | 'reports:view'
  | 'reports:pdf'
  | 'reports:refresh'
  | 'reports:filter'
  | 'reports:remove'
  | 'reports:export'
  | 'reports:summary'
>;

/** Asset Reports of the current environment: made through the session's lifecycle, read from the store. */
export function createReportHandlers(ctx: ServiceContext): ReportHandlers {
  const lifecycle = async () => (await ctx.session()).lifecycle;
  return {
    'reports:create': async (request) => {
      // A bank linked in another desk's built-in emulator is refused here, before a pending report is written.
      const { items } = await ctx.session();
      for (const itemId of request.itemIds) await items.requireOwnEmulator(itemId, 'make a report with it');
      return (await lifecycle()).create(request);
    },
    'reports:search': async (query) => ctx.store().reports.search({ environment: ctx.environment(), ...query }),
    'reports:get': async ({ reportId }) => {
      const summary = await requireReadyReport(ctx, reportId);
      return { summary, contentJson: maskSsnInReportJson(await ctx.store().reports.readJsonText(reportId)) };
    },
    'reports:view': async ({ reportId, part }) => {
      const summary = await requireReadyReport(ctx, reportId);
      return { summary, view: await readReportView(ctx.store(), reportId, ctx.logger, part ?? 'whole') };
    },
    'reports:pdf': async ({ reportId }) => {
      await requireReadyReport(ctx, reportId);
      return { pdf: Uint8Array.from(await ctx.store().reports.readPdf(reportId)) }; // the PDF alone, not the report's JSON too
    },
    'reports:refresh': async ({ reportId, daysRequested }) => (await lifecycle()).refresh(reportId, daysRequested),
    'reports:filter': async ({ reportId, accountIdsToExclude }) =>
      (await lifecycle()).filter(reportId, accountIdsToExclude),
    'reports:remove': async ({ reportId }) => {
      await (await lifecycle()).remove(reportId);
      return { ok: true as const };
    },
    'reports:summary': async ({ reportId }) => requireReport(ctx, reportId),
    'reports:export': async ({ reportId, format, withCoverPage }) =>
      saveReportExport(ctx, reportId, format, withCoverPage ?? false),
  };
}
