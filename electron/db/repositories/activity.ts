import type { ActivityEntry } from '../../../shared/domain';
import { redactValue } from '../../log/logger';
import type { StoreContext } from '../context';

/** What was done, e.g. 'report_created', 'report_refreshed', 'exported', 'audit_copy_created', 'applicant_deleted'. */
export interface NewActivity {
  action: string;
  applicantId?: string | null;
  reportId?: string | null;
  detail: Record<string, unknown>;
}

/** Append-only: SQL triggers abort any UPDATE or DELETE of the activity table. */
export interface ActivityLog {
  append(entry: NewActivity): ActivityEntry;
  /** Newest first. */
  list(filter?: { applicantId?: string; reportId?: string; limit?: number }): ActivityEntry[];
}

interface ActivityRow {
  id: number;
  at: string;
  action: string;
  applicant_id: string | null;
  report_id: string | null;
  detail: string;
}

export function createActivityLog(ctx: StoreContext): ActivityLog {
  const toEntry = (row: ActivityRow): ActivityEntry => ({
    id: row.id,
    at: row.at,
    action: row.action,
    applicantId: row.applicant_id,
    reportId: row.report_id,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  });

  return {
    append(entry) {
      // The log is plain text and kept for years: strip anything token- or secret-shaped on the way in.
      const detail = JSON.stringify(redactValue(entry.detail));
      const at = ctx.now();
      const info = ctx
        .statement('INSERT INTO activity (at, action, applicant_id, report_id, detail) VALUES (?, ?, ?, ?, ?)')
        .run(at, entry.action, entry.applicantId ?? null, entry.reportId ?? null, detail);
      return toEntry({
        id: Number(info.lastInsertRowid),
        at,
        action: entry.action,
        applicant_id: entry.applicantId ?? null,
        report_id: entry.reportId ?? null,
        detail,
      });
    },

    list(filter = {}) {
      const rows = ctx
        .statement(
          `SELECT * FROM activity
           WHERE (@applicantId IS NULL OR applicant_id = @applicantId) AND (@reportId IS NULL OR report_id = @reportId)
           ORDER BY id DESC LIMIT @limit`,
        )
        .all({
          applicantId: filter.applicantId ?? null,
          reportId: filter.reportId ?? null,
          limit: filter.limit ?? 1000,
        }) as ActivityRow[];
      return rows.map(toEntry);
    },
  };
}
