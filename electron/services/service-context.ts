import { AppError, ErrorCodes } from '../../shared/errors';
import type { Applicant, Loan, PlaidEnvironment, ReportSummary } from '../../shared/domain';
import type { EventSink } from '../../shared/ipc/contract';
import type { AssetDeskStore, ReportRecord } from '../db';
import type { DesktopAdapters } from './desktop';
import type { EnvironmentSession } from './environment-session';
import type { Logger } from '../log/logger';
import type { PlaidGateway } from './plaid-gateway';

/**
 * What every feature module gets from the composition root: the open store, the current Plaid
 * environment and its session, and the desktop. Feature modules hold no state of their own.
 */
export interface ServiceContext {
  desktop: DesktopAdapters;
  events: EventSink;
  logger: Logger;
  clock: () => Date;
  /** The open store; throws the officer-facing reason when the keychain is missing or start-up is not done. */
  store(): AssetDeskStore;
  /** The store when it is open, else null (reads that still answer while the keychain is missing). */
  openStore(): AssetDeskStore | null;
  /** The Plaid environment the officer works in now. */
  environment(): PlaidEnvironment;
  /** The current environment's session (opened on first use). */
  session(): Promise<EnvironmentSession>;
  /** A gateway for any environment: the session's own for the current one (applicant deletion spans all three). */
  gatewayFor(environment: PlaidEnvironment): Promise<PlaidGateway>;
  /**
   * On a team, this desk's built-in emulator (its fingerprint, team/emulator-per-desk.ts), which knows only what it
   * made; absent or null off a team, where the one emulator made everything.
   */
  ownEmulator?(): Promise<string | null>;
}

export const notFound = (message: string) => new AppError({ code: ErrorCodes.notFound, message, retryable: false });

export async function requireApplicant(ctx: ServiceContext, applicantId: string): Promise<Applicant> {
  const applicant = await ctx.store().applicants.get(applicantId);
  if (!applicant) throw notFound('This borrower is no longer on a loan file in AssetDesk.');
  return applicant;
}

export async function requireLoan(ctx: ServiceContext, loanId: string): Promise<Loan> {
  const loan = await ctx.store().loans.get(loanId);
  if (!loan) throw notFound('This loan file no longer exists.');
  return loan;
}

/** A report of `environment` (any status), or the officer-facing "no longer exists". */
export async function reportIn(
  store: AssetDeskStore,
  environment: PlaidEnvironment,
  reportId: string,
): Promise<ReportRecord> {
  const report = await store.reports.get(reportId);
  if (!report || report.environment !== environment)
    throw notFound('This report no longer exists in the current environment.');
  return report;
}

/** A report of the current environment (any status), as the screens show it. */
export async function requireReport(ctx: ServiceContext, reportId: string): Promise<ReportSummary> {
  const report = await ctx.store().reports.summary(reportId);
  if (!report || report.environment !== ctx.environment())
    throw notFound('This report no longer exists in the current environment.');
  return report;
}

/** A report of the current environment that has content to show or export. */
export async function requireReadyReport(ctx: ServiceContext, reportId: string): Promise<ReportSummary> {
  const summary = await requireReport(ctx, reportId);
  if (summary.status !== 'ready') {
    throw new AppError({
      code: 'REPORT_NOT_READY',
      message:
        summary.status === 'pending'
          ? 'This report is still being generated.'
          : 'This report has no content (it failed or was removed).',
      retryable: summary.status === 'pending',
    });
  }
  return summary;
}

export const conflictError = (message: string) =>
  new AppError({ code: ErrorCodes.conflict, message, retryable: false });
