import type { NewPendingReport, ReportRecord } from '../../db';

/**
 * How the desks of a team share the work on reports. Locally there is one desk and every answer is
 * "yes, yours"; on the team database (services/team/report-coordination.ts) a report is polled, fetched
 * and its webhook handled by exactly one desk at a time, and creators of one loan's report take turns.
 */
export interface ReportCoordination {
  /** Other desks work on the same reports (team mode): an identical request made moments ago is joined, not repeated. */
  readonly shared: boolean;
  /**
   * This desk finishes removals left unfinished (sent to Plaid, not yet marked removed): false on a processor's
   * desk, whose login may not remove reports.
   */
  readonly finishesRemovals: boolean;
  /** Called first inside the transaction that writes a new pending report: serialises that loan's creators. */
  lockLoan(loanId: string): Promise<void>;
  /** This desk takes (or already holds) the report's polling; false when another desk holds it. */
  claim(reportId: string): Promise<boolean>;
  /** Whether this desk still holds the report (checked before each poll: a desk that slept may have lost it). */
  holds(reportId: string): Promise<boolean>;
  /** The report is settled (ready, failed, removed): its polling is free again. */
  release(reportId: string): Promise<void>;
  /**
   * Runs `make` as the team's only maker of an audit copy of this report for this auditor (a desk pressing the
   * same button meanwhile waits its turn); `waited` is true when another maker went first, whose copy may exist.
   */
  auditCopyTurn<T>(reportId: string, auditorId: string, make: (waited: boolean) => Promise<T>): Promise<T>;
}

export const LOCAL_COORDINATION: ReportCoordination = {
  shared: false,
  finishesRemovals: true,
  lockLoan: () => Promise.resolve(),
  claim: () => Promise.resolve(true),
  holds: () => Promise.resolve(true),
  release: () => Promise.resolve(),
  auditCopyTurn: (_reportId, _auditorId, make) => make(false),
};

/** Two desks pressing "Create" for the same loan within this window get the one report. */
export const SAME_REQUEST_WINDOW_MS = 5 * 60 * 1000;

/**
 * The pending report that already asks Plaid for exactly this (same loan, kind, parent, banks, days,
 * exclusions), made moments ago: a second desk's identical request joins it rather than paying for another.
 */
export function sameRequestInFlight(
  pending: readonly ReportRecord[],
  row: NewPendingReport,
  now: Date,
): ReportRecord | null {
  const sameSet = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
  return (
    pending.find(
      (report) =>
        report.loanId === row.loanId &&
        report.kind === row.kind &&
        report.parentId === row.parentId &&
        report.daysRequested === row.daysRequested &&
        sameSet(report.itemIds, row.itemIds) &&
        sameSet(report.excludedAccountIds, row.excludedAccountIds ?? []) &&
        now.getTime() - Date.parse(report.createdAt) < SAME_REQUEST_WINDOW_MS,
    ) ?? null
  );
}
