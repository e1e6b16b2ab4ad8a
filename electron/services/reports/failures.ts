import type { AppError } from '../../../shared/errors';
import type { PlaidEnvironment, ReportSummary } from '../../../shared/domain';
import type { AssetDeskStore, ReportRecord } from '../../db';
import type { DesktopAdapters } from '../desktop';
import type { ItemService } from '../link/items';
import type { Logger } from '../../log/logger';
import type { PlaidErrorBody } from '../plaid-gateway';
import { reportFailureMessage } from '../plaid-messages';

/**
 * A report Plaid refused: the failure is stored with Plaid's reason (naming the banks at fault), the
 * Items that need the applicant to sign in again are marked, and the officer is told.
 */

type PlaidCauses = NonNullable<PlaidErrorBody['causes']>;

export interface ReportFailureDeps {
  store: AssetDeskStore;
  environment: PlaidEnvironment;
  items: Pick<ItemService, 'check' | 'markNeedsRelink'>;
  desktop: DesktopAdapters;
  log: Logger;
  /** Tells the screens the report failed, with the message the officer reads. */
  progress: (report: ReportSummary, status: 'failed', message: string) => Promise<void>;
}

export type ReportFailureRecorder = (report: ReportRecord, error: PlaidErrorBody) => Promise<void>;

/** Records a failure only while the report is still pending (a late second answer changes nothing). */
export function createReportFailureRecorder(deps: ReportFailureDeps): ReportFailureRecorder {
  const { store, log } = deps;
  return async (report, error) => {
    const current = await store.reports.get(report.id);
    if (!current || current.status !== 'pending') return;
    const code = error.error_code ?? 'ASSET_REPORT_GENERATION_FAILED';
    const message = await withFailingBanks(deps, reportFailureMessage(error), error.causes ?? []);
    await store.reports.markFailed(report.id, {
      code,
      message,
      ...(error.request_id ? { requestId: error.request_id } : {}),
    });
    await store.activity.append({
      action: 'report_failed',
      applicantId: report.applicantId,
      reportId: report.id,
      detail: { code, requestId: error.request_id ?? null },
    });
    log.warn('report failed', { reportId: report.id, code, requestId: error.request_id });
    await markItemsNeedingRelink(deps, report, code, error.causes ?? []);
    await deps.progress(report, 'failed', message);
    // Plaid's reason names the banks: while a borrower holds the computer the notice says only that one failed.
    deps.desktop.notify('Asset Report failed', `${report.applicantName}: ${message}`, {
      title: 'Asset Report failed',
      body: 'An Asset Report could not be generated.',
    });
  };
}

/** Our own error in the shape Plaid reports failures in, so both are recorded the same way. */
export function plaidErrorBodyOf(error: AppError): PlaidErrorBody {
  return {
    error_code: error.code,
    display_message: error.message,
    ...(error.requestId ? { request_id: error.requestId } : {}),
  };
}

/** Plaid's per-Item causes, named by the bank the officer linked (Plaid sends only the Item id). */
async function withFailingBanks(deps: ReportFailureDeps, message: string, causes: PlaidCauses): Promise<string> {
  const banks = await Promise.all(
    causes.map(async (cause) => {
      const item = cause.item_id ? await deps.store.items.findByPlaidItemId(deps.environment, cause.item_id) : null;
      return `${item?.institutionName ?? 'A bank'}: ${reportFailureMessage(cause)}`;
    }),
  );
  return banks.length > 0 ? `${message} ${banks.join(' ')}` : message;
}

/**
 * Items that need the applicant to sign in again are marked, whichever way Plaid told us (also when Plaid refused
 * the create itself and no report row is kept).
 */
export async function markItemsNeedingRelink(
  deps: Pick<ReportFailureDeps, 'store' | 'environment' | 'items'>,
  report: ReportRecord,
  code: string,
  causes: PlaidCauses,
): Promise<void> {
  const { items } = deps;
  if (code === 'ITEM_LOGIN_REQUIRED' && causes.length === 0) {
    for (const itemId of report.itemIds) await items.check(itemId).catch(() => undefined);
  }
  for (const cause of causes) {
    if (cause.error_code === 'ITEM_LOGIN_REQUIRED' && cause.item_id) {
      const item = await deps.store.items.findByPlaidItemId(deps.environment, cause.item_id);
      if (item) await items.markNeedsRelink(item.id, { code: cause.error_code, message: reportFailureMessage(cause) });
    }
  }
}
