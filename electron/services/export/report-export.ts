import type { AssetReportGetResult } from '../../../shared/asset-report';
import type { Applicant, Loan, ReportSummary } from '../../../shared/domain';
import { analyzeInContext, withBankNamesInTitles } from '../../../shared/underwriting';
import { savedFilesOf } from '../features/files';
import { analysisContextFor } from '../features/underwriting';
import { buildCoverPage, prependCoverPage, type CoverPageInput } from '../cover-page';
import { AppError } from '../../../shared/errors';
import { requireApplicant, requireLoan, requireReport, type ServiceContext } from '../service-context';
import { writeFileSafely } from '../safe-write';
import { asPlaidSentIt, exportFileName, transactionsCsv } from './report-files';

export type ReportExportFormat = 'pdf' | 'json' | 'csv';

/**
 * Saves one report where the officer chooses: Plaid's PDF (optionally behind our cover page), the JSON,
 * or the transactions as CSV. Only what the format needs is read: a plain PDF never unpacks the JSON.
 */
export async function saveReportExport(
  ctx: ServiceContext,
  reportId: string,
  format: ReportExportFormat,
  withCoverPage: boolean,
): Promise<{ saved: true; path: string; receipt: string } | { saved: false }> {
  const summary = await requireExportable(ctx, reportId);
  const store = ctx.store();
  const applicant = await requireApplicant(ctx, summary.applicantId);
  const loan = await requireLoan(ctx, summary.loanId);
  let json: AssetReportGetResult | undefined;
  const reportJson = async () => (json ??= (await store.reports.readJson(reportId)) as AssetReportGetResult);
  // Reports stored before the generated day was kept on the row still name files by Plaid's date.
  const generatedOn = (await store.reports.generatedOn(reportId)) ?? (await reportJson()).report.date_generated ?? null;
  const path = await ctx.desktop.chooseSavePath({
    title: 'Save Asset Report',
    defaultName: exportFileName(summary, applicant.lastName, generatedOn, format, format === 'pdf' && withCoverPage),
    extensions: [format],
  });
  if (!path) return { saved: false };
  let bytes: Uint8Array | string;
  if (format === 'json') bytes = JSON.stringify(asPlaidSentIt(await reportJson()), null, 2);
  else if (format === 'csv') bytes = transactionsCsv(await reportJson());
  else {
    const pdf = await store.reports.readPdf(reportId);
    bytes = withCoverPage
      ? await prependCoverPage(
          pdf,
          await buildCoverPage(await coverPageInput(ctx, summary, loan, applicant, await reportJson())),
        )
      : pdf;
  }
  writeFileSafely(path, bytes, 'the report');
  await store.activity.append({
    action: 'report_exported',
    applicantId: summary.applicantId,
    reportId,
    detail: { format, path, withCoverPage },
  });
  ctx.logger.child({ component: 'export' }).info('report exported', { reportId, format, path });
  return { saved: true, path, receipt: savedFilesOf(ctx.desktop).remember(path) };
}

/** A ready report; any other is refused before the save dialog, saying why and what the officer can do instead. */
async function requireExportable(ctx: ServiceContext, reportId: string): Promise<ReportSummary> {
  const summary = await requireReport(ctx, reportId);
  if (summary.status === 'ready') return summary;
  const refuse = (message: string) =>
    new AppError({ code: 'REPORT_NOT_READY', message, retryable: summary.status === 'pending' });
  if (summary.status === 'pending')
    throw refuse('Plaid is still making this report, so there is nothing to export yet. Export it once it is ready.');
  if (summary.status === 'failed')
    // The failure's own message says what to do next (re-link a bank, fewer days…).
    throw refuse(
      `Plaid could not make this report, so it has nothing to export. ${summary.failure?.message ?? 'Create a new report for the loan and export that one.'}`,
    );
  throw refuse(
    'This report was removed, and its content with it, so it cannot be exported. Export another ready report of the loan, or create a new one.',
  );
}

async function coverPageInput(
  ctx: ServiceContext,
  summary: ReportSummary,
  loan: Loan,
  applicant: Applicant,
  json: AssetReportGetResult,
): Promise<CoverPageInput> {
  const context = await analysisContextFor(ctx.store(), loan, summary.id, ctx.clock(), { content: json });
  const asOf = context.asOf;
  return {
    // Named as on the report screen: two banks may both have a "Plaid Checking ••0000".
    analysis: withBankNamesInTitles(analyzeInContext(json, context), json.report),
    applicantName: summary.applicantName.includes(' & ')
      ? summary.applicantName
      : [applicant.firstName, applicant.middleName, applicant.lastName].filter(Boolean).join(' '),
    loanNumber: loan.loanNumber,
    reportId: summary.plaidReportId ?? summary.id,
    generatedAt: ctx.clock().toISOString(),
    asOf,
    ...(await madeFrom(ctx, summary)),
  };
}

/** For a refresh or a filtered copy: the report it was made from and, for a filter, the accounts left out. */
async function madeFrom(ctx: ServiceContext, summary: ReportSummary): Promise<Pick<CoverPageInput, 'madeFrom'>> {
  if (summary.kind === 'create' || !summary.parentId) return {};
  const store = ctx.store();
  const parent = await store.reports.get(summary.parentId);
  const parentReportId = parent?.plaidReportId ?? summary.parentId;
  if (summary.kind === 'refresh') return { madeFrom: { kind: 'refresh', parentReportId } };
  const excluded = new Set((await store.reports.get(summary.id))?.excludedAccountIds ?? []);
  // The accounts' names are in the parent's content; a parent no longer readable leaves the count alone.
  const parentContent =
    parent?.status === 'ready' ? ((await store.reports.readJson(parent.id)) as AssetReportGetResult) : null;
  const named =
    parentContent?.report.items.flatMap((item) =>
      item.accounts
        .filter((account) => excluded.has(account.account_id))
        .map((account) => `${account.name}${account.mask ? ` ••${account.mask}` : ''} · ${item.institution_name}`),
    ) ?? [];
  const accountsLeftOut =
    named.length === excluded.size ? named : [`${excluded.size} account${excluded.size === 1 ? '' : 's'}`];
  return { madeFrom: { kind: 'filter', parentReportId, accountsLeftOut } };
}
