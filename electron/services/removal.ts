import type { AppError } from '../../shared/errors';
import type { Item, ReportSummary } from '../../shared/domain';
import { planRetention } from '../db/retention';
import { removeAtPlaid } from './reports/plaid-requests';
import { readyContent } from './reports/ready-content';
import type { ServiceContext } from './service-context';
import { emulatorOnAnotherDesk, itemInAnotherEmulator, reportInAnotherEmulator } from './team/emulator-per-desk';

/**
 * Removal at Plaid and locally for work that spans environments (applicant deletion, retention):
 * the report or Item goes at Plaid through its own environment's gateway, then here.
 */

/** Removes a report at Plaid (in its own environment) and locally, logged with the reason. */
export async function removeReportEverywhere(
  ctx: ServiceContext,
  report: ReportSummary,
  reason: string,
): Promise<void> {
  const store = ctx.store();
  // Another desk's emulator would call the token unknown, read as already removed, while it lives on at that desk.
  if (report.environment === 'emulator' && report.status !== 'removed') {
    const found = await reportInAnotherEmulator(store, (await ctx.ownEmulator?.()) ?? null, report.id);
    if (found) throw emulatorOnAnotherDesk('report', found, 'remove it at Plaid');
  }
  const removedAtPlaid =
    report.status !== 'removed' && report.plaidReportId
      ? await removeAtPlaid({ store, gateway: await ctx.gatewayFor(report.environment) }, report, reason)
      : false;
  if (report.status !== 'removed') await store.reports.markRemoved(report.id);
  readyContent.forget(report.id); // its decrypted content leaves memory with it
  await store.activity.append({
    action: 'report_removed',
    applicantId: report.applicantId,
    reportId: report.id,
    detail: { plaidReportId: report.plaidReportId, reason, status: report.status, removedAtPlaid },
  });
}

/** Removes an Item at Plaid (in its own environment) and marks it removed here. */
export async function removeItemEverywhere(ctx: ServiceContext, item: Item): Promise<void> {
  if (item.status === 'removed') return;
  const store = ctx.store();
  if (item.environment === 'emulator') {
    const found = await itemInAnotherEmulator(store, (await ctx.ownEmulator?.()) ?? null, item.id);
    if (found) throw emulatorOnAnotherDesk('bank', found, 'remove it at Plaid', 'linked');
  }
  await (await ctx.gatewayFor(item.environment)).removeItem(await store.items.accessToken(item.id));
  await store.items.remove(item.id);
}

/**
 * Removes every report older than the officer's retention setting; answers the ids removed. One made in another
 * desk's built-in emulator is left for that desk, and told to `atAnotherDesk`.
 */
export async function sweepRetention(
  ctx: ServiceContext,
  options: { atAnotherDesk?: (report: { reportId: string; by: string }) => void } = {},
): Promise<string[]> {
  const store = ctx.store();
  const retentionDays = await store.settings.value('retentionDays');
  const log = ctx.logger.child({ component: 'retention' });
  const removed: string[] = [];
  for (const report of await planRetention(store, { retentionDays, now: ctx.clock() })) {
    const elsewhere =
      report.environment === 'emulator' && report.status !== 'removed'
        ? await reportInAnotherEmulator(store, (await ctx.ownEmulator?.()) ?? null, report.id)
        : null;
    if (elsewhere) {
      log.warn("retention left a report made in another desk's emulator", { reportId: report.id });
      options.atAnotherDesk?.({ reportId: report.id, by: elsewhere.by });
      continue;
    }
    try {
      await removeReportEverywhere(ctx, report, 'retention');
      removed.push(report.id);
    } catch (error) {
      log.warn('retention could not remove a report', { reportId: report.id, code: (error as AppError).code });
    }
  }
  if (removed.length) log.info('retention sweep removed reports', { count: removed.length, retentionDays });
  return removed;
}
