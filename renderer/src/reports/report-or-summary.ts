import type { ReportSummary } from '../../../shared/domain';
import { api } from '../api';
import { toAppError } from '../ui';

/**
 * `reports:get` answers REPORT_NOT_READY for a report Plaid is still generating (or that failed or
 * was removed); the viewer still needs its summary to show progress, so it reads that one summary.
 */
export async function reportOrSummary(reportId: string): Promise<{ summary: ReportSummary; contentJson: string }> {
  try {
    return await api.reportsGet({ reportId });
  } catch (error) {
    if (toAppError(error).code !== 'REPORT_NOT_READY') throw error;
    const summary = await api.reportsSummary({ reportId });
    // It became ready in between: its content can be read now.
    if (summary.status === 'ready') return api.reportsGet({ reportId });
    return { summary, contentJson: '' };
  }
}
