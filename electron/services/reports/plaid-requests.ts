import { AssetReportAddOns, type AssetReportCreateRequest } from 'plaid';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type { AssetReportGetResult } from '../../../shared/asset-report';
import type { ActivityEntry, PlaidEnvironment, ReportSummary } from '../../../shared/domain';
import { REPORT_REMOVAL_SENT, type AssetDeskStore, type ReportRecord } from '../../db';
import type { PlaidGateway } from '../plaid-gateway';
import { notFound } from '../service-context';

export interface ReportRequest {
  /** The report belongs to the loan; its banks may be any of the loan's borrowers'. */
  loanId: string;
  itemIds: string[];
  daysRequested: number;
  includeApplicantDetails: boolean;
  /** Plaid's require_all_items (default true): whether one failing bank fails the whole report. */
  requireAllItems?: boolean;
  /** Plaid's Fast Assets add-on (default false): a first look before the full report. */
  fastAssets?: boolean;
}

/** The activity entry written with every new report's pending row: it keeps what the row has no column for. */
export const REPORT_REQUESTED = 'report_requested';

/** The options the officer chose, read back from the request's activity entry (Plaid's defaults when absent). */
export async function requestOptionsOf(
  store: AssetDeskStore,
  reportId: string,
): Promise<{ requireAllItems: boolean; fastAssets: boolean }> {
  const requested = (await store.activity.list({ reportId })).find((entry) => entry.action === REPORT_REQUESTED);
  return {
    requireAllItems: requested?.detail.requireAllItems !== false,
    fastAssets: requested?.detail.fastAssets === true,
  };
}

/**
 * The activity entry written just before a pending row's request leaves for Plaid. A row still without Plaid's ids
 * after a restart was then sent, and Plaid may have made (and billed) its report: it is not sent a second time.
 */
export const REPORT_SENT = 'report_sent';

/** The endpoint a pending row's request goes to. */
export const REPORT_ENDPOINTS = {
  create: '/asset_report/create',
  refresh: '/asset_report/refresh',
  filter: '/asset_report/filter',
} as const;

/**
 * Written after REPORT_SENT when the request certainly never reached Plaid after all: AssetDesk began to quit before
 * it left (or while waiting to try again after Plaid refused it unseen). The row is then sent at the next start.
 */
export const REPORT_NOT_SENT = 'report_request_not_sent';

/** Whether the row's request was sent to Plaid: its latest REPORT_SENT is not followed by REPORT_NOT_SENT. */
export async function requestWasSent(store: AssetDeskStore, reportId: string): Promise<boolean> {
  // Newest first: the latest of the two says.
  const latest = (await store.activity.list({ reportId })).find(
    (entry) => entry.action === REPORT_SENT || entry.action === REPORT_NOT_SENT,
  );
  return latest?.action === REPORT_SENT;
}

/** The removal of a report sent to Plaid, or null (see REPORT_REMOVAL_SENT): its entry carries why it was removed. */
export async function removalSent(store: AssetDeskStore, reportId: string): Promise<ActivityEntry | null> {
  return (await store.activity.list({ reportId })).find((entry) => entry.action === REPORT_REMOVAL_SENT) ?? null;
}

/**
 * Removes a report at Plaid, writing REPORT_REMOVAL_SENT before the request leaves: should AssetDesk stop before
 * the report is marked removed here, the next start finishes the removal (ReportLifecycle.resume). True when Plaid
 * was asked; false for a report Plaid never named (or whose token is gone), which is removed here only.
 */
export async function removeAtPlaid(
  deps: { store: AssetDeskStore; gateway: PlaidGateway },
  report: ReportSummary,
  reason?: string,
): Promise<boolean> {
  const { store, gateway } = deps;
  if (!report.plaidReportId || report.status === 'removed') return false;
  const token = await store.reports.reportToken(report.id);
  if (!token) return false;
  await store.activity.append({
    action: REPORT_REMOVAL_SENT,
    applicantId: report.applicantId,
    reportId: report.id,
    detail: { plaidReportId: report.plaidReportId, ...(reason ? { reason } : {}) },
  });
  await gateway.removeReport(token);
  return true;
}

export interface PlaidReportIds {
  asset_report_id: string;
  asset_report_token: string;
}

/**
 * Sends a pending row's request to Plaid (create, refresh or filter), rebuilt from the row alone so
 * that a report left pending by a crash is resubmitted exactly as it was asked for.
 */
export async function sendReportRequest(
  report: ReportRecord,
  deps: { store: AssetDeskStore; gateway: PlaidGateway; webhook: string | null },
): Promise<PlaidReportIds> {
  const { store, gateway, webhook } = deps;
  if (report.kind === 'create') {
    const chosen = await requestOptionsOf(store, report.id);
    const request: AssetReportCreateRequest = {
      access_tokens: await Promise.all(report.itemIds.map((id) => store.items.accessToken(id))),
      days_requested: report.daysRequested,
      options: {
        client_report_id: report.loanNumber,
        require_all_items: chosen.requireAllItems,
        ...(chosen.fastAssets ? { add_ons: [AssetReportAddOns.FastAssets] } : {}),
        ...(webhook ? { webhook } : {}),
        ...(report.includeApplicantDetails ? { user: await applicantUser(store, report.applicantId) } : {}),
      },
    };
    return gateway.call(REPORT_ENDPOINTS.create, (p) => p.assetReportCreate(request));
  }
  if (!report.parentId)
    throw new AppError({
      code: ErrorCodes.internal,
      message: 'This report lost its original report.',
      retryable: false,
    });
  const parentToken = await store.reports.reportToken(report.parentId);
  if (!parentToken)
    throw new AppError({
      code: 'INVALID_PARENT',
      message: 'The original report was removed, so this one cannot be made from it.',
      retryable: false,
    });
  if (report.kind === 'refresh') {
    return gateway.call(REPORT_ENDPOINTS.refresh, (p) =>
      p.assetReportRefresh({
        asset_report_token: parentToken,
        days_requested: report.daysRequested,
        ...(webhook ? { options: { webhook } } : {}),
      }),
    );
  }
  return gateway.call(REPORT_ENDPOINTS.filter, (p) =>
    p.assetReportFilter({ asset_report_token: parentToken, account_ids_to_exclude: report.excludedAccountIds }),
  );
}

async function applicantUser(store: AssetDeskStore, applicantId: string) {
  const applicant = await store.applicants.get(applicantId);
  if (!applicant) return undefined;
  const ssn = await store.applicants.revealSsn(applicantId);
  return {
    client_user_id: applicant.id,
    first_name: applicant.firstName,
    middle_name: applicant.middleName,
    last_name: applicant.lastName,
    email: applicant.email,
    phone_number: applicant.phone,
    ...(ssn ? { ssn } : {}),
  };
}

/**
 * A new report needs the loan and every chosen bank, linked by one of its borrowers, healthy and in this
 * environment. Answers the borrower whose details go to Plaid: the first on the loan among the banks' owners.
 */
export async function checkReportRequest(
  store: AssetDeskStore,
  environment: PlaidEnvironment,
  request: ReportRequest,
): Promise<{ applicantId: string }> {
  const loan = await store.loans.get(request.loanId);
  if (!loan) throw notFound('This loan file no longer exists.');
  // A closed or withdrawn file's retention clock is running: a new (billed) report would outlive its purpose.
  if (loan.status !== 'open')
    throw new AppError({
      code: ErrorCodes.conflict,
      message: `Loan ${loan.loanNumber} is ${loan.status}. Reopen it on the loan screen before creating a new report.`,
      retryable: false,
    });
  const owners = new Set<string>();
  for (const itemId of request.itemIds) {
    const item = await store.items.get(itemId);
    if (
      !item ||
      !loan.borrowers.some((b) => b.id === item.applicantId) ||
      item.environment !== environment ||
      item.status === 'removed'
    ) {
      throw new AppError({
        code: ErrorCodes.notFound,
        message: 'One of the chosen banks is no longer linked on this loan file. Refresh the page and choose again.',
        retryable: false,
        field: 'itemIds',
      });
    }
    if (item.status === 'needs_relink') {
      throw new AppError({
        code: 'ITEM_LOGIN_REQUIRED',
        message: `${item.institutionName} needs the borrower to sign in again. Use "Re-link" on that bank first.`,
        retryable: false,
        field: 'itemIds',
      });
    }
    owners.add(item.applicantId);
  }
  const primary = loan.borrowers.find((b) => owners.has(b.id));
  if (!primary) throw notFound('This loan file has no borrower with those banks.');
  return { applicantId: primary.id };
}

/**
 * A filter may leave out only accounts the parent report holds, and must keep at least one; said to the officer
 * before any report is created (Plaid would refuse it later with INVALID_ACCOUNT_ID, after a billed request).
 */
export function checkFilterAccounts(parentJson: unknown, accountIdsToExclude: readonly string[]): void {
  const items = (parentJson as Partial<AssetReportGetResult> | null)?.report?.items ?? [];
  const held = new Set(items.flatMap((item) => item.accounts.map((account) => account.account_id)));
  const notHeld = accountIdsToExclude.filter((accountId) => !held.has(accountId));
  const refused = (message: string) =>
    new AppError({ code: ErrorCodes.validation, message, retryable: false, field: 'accountIdsToExclude' });
  if (notHeld.length > 0)
    throw refused(
      `${notHeld.slice(0, 3).join(', ')}${notHeld.length > 3 ? ` and ${notHeld.length - 3} more` : ''} ${
        notHeld.length === 1 ? 'is not an account' : 'are not accounts'
      } of this report. Choose the accounts to leave out from the report itself.`,
    );
  if ([...held].every((accountId) => accountIdsToExclude.includes(accountId)))
    throw refused('A filtered report must keep at least one account. Leave at least one account in.');
}
