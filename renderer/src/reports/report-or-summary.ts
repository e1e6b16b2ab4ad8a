import type { ReportStatus, ReportSummary } from '../../../shared/domain';
import { api } from '../api';
import { toAppError } from '../ui';

const NOT_READY: ReportStatus[] = ['pending', 'failed', 'removed'];

/**
 * `reports:get` answers REPORT_NOT_READY for a report Plaid is still generating (or that failed or
 * was removed); the viewer still needs its summary to show progress, so it comes from the report list.
 */
export async function reportOrSummary(reportId: string): Promise<{ summary: ReportSummary; contentJson: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await api.reportsGet({ reportId });
    } catch (error) {
      if (toAppError(error).code !== 'REPORT_NOT_READY' || attempt > 1) throw error;
      for (const status of NOT_READY) {
        const { rows } = await api.reportsSearch({ status, limit: 10_000 });
        const summary = rows.find((row) => row.id === reportId);
        if (summary) return { summary, contentJson: '' };
      }
      // In none of them: it became ready in between, so its content can be read now.
    }
  }
}
