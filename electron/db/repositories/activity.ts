import type { ActivityEntry } from '../../../shared/domain';
import { redactValue } from '../../log/logger';
import type { StoreContext } from '../context';

/** What was done, e.g. 'report_created', 'report_refreshed', 'exported', 'audit_copy_created', 'loan_deleted'. */
export interface NewActivity {
  action: string;
  /** The loan the entry belongs to; found from the borrower or the report when not given. */
  loanId?: string | null;
  applicantId?: string | null;
  reportId?: string | null;
  detail: Record<string, unknown>;
}

/** Append-only: SQL triggers abort any UPDATE or DELETE of the activity table. */
export interface ActivityLog {
  append(entry: NewActivity): Promise<ActivityEntry>;
  /** Newest first. */
  list(filter?: { loanId?: string; applicantId?: string; reportId?: string; limit?: number }): Promise<ActivityEntry[]>;
}

interface ActivityRow {
  id: number;
  at: string;
  action: string;
  loan_id: string | null;
  applicant_id: string | null;
  report_id: string | null;
  detail: string;
  /** Absent until the team database has the column (its migration 003). */
  actor?: string | null;
}

export function createActivityLog(ctx: StoreContext): ActivityLog {
  const toEntry = (row: ActivityRow): ActivityEntry => ({
    id: row.id,
    at: row.at,
    action: row.action,
    loanId: row.loan_id,
    applicantId: row.applicant_id,
    reportId: row.report_id,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    actor: row.actor ?? null,
  });

  // Every entry about a borrower or a report names its loan, so the loan's activity view finds it.
  const loanOf = async (entry: NewActivity): Promise<string | null> => {
    if (entry.loanId) return entry.loanId;
    const viaApplicant = entry.applicantId
      ? ((await ctx.statement('SELECT loan_id FROM applicants WHERE id = ?').pluck().get(entry.applicantId)) as
          string | undefined)
      : undefined;
    if (viaApplicant) return viaApplicant;
    const viaReport = entry.reportId
      ? ((await ctx.statement('SELECT loan_id FROM reports WHERE id = ?').pluck().get(entry.reportId)) as
          string | undefined)
      : undefined;
    return viaReport ?? null;
  };

  return {
    async append(entry) {
      // The log is plain text and kept for years: strip anything token- or secret-shaped on the way in.
      const detail = JSON.stringify(redactValue(entry.detail));
      const at = ctx.now();
      const row = {
        at,
        action: entry.action,
        loan_id: await loanOf(entry),
        applicant_id: entry.applicantId ?? null,
        report_id: entry.reportId ?? null,
        detail,
      };
      // The actor is never given by the desk: the team database sets it from the signed-in role, so it is read back.
      const saved = (await ctx
        .statement(
          `INSERT INTO activity (at, action, loan_id, applicant_id, report_id, detail)
           VALUES (@at, @action, @loan_id, @applicant_id, @report_id, @detail) RETURNING *`,
        )
        .get(row)) as ActivityRow;
      return toEntry({ ...saved, id: Number(saved.id) });
    },

    async list(filter = {}) {
      const rows = (await ctx
        .statement(
          `SELECT * FROM activity
           WHERE (CAST(@loanId AS text) IS NULL OR loan_id = @loanId)
             AND (CAST(@applicantId AS text) IS NULL OR applicant_id = @applicantId)
             AND (CAST(@reportId AS text) IS NULL OR report_id = @reportId)
           ORDER BY id DESC LIMIT @limit`,
        )
        .all({
          loanId: filter.loanId ?? null,
          applicantId: filter.applicantId ?? null,
          reportId: filter.reportId ?? null,
          limit: filter.limit ?? 1000,
        })) as ActivityRow[];
      return rows.map(toEntry);
    },
  };
}
