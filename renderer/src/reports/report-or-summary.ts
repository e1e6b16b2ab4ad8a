import type { ReportSummary } from '../../../shared/domain';
import { api } from '../api';
import { toAppError } from '../ui';

/**
 * The report's first screen (see shared/report-view), read to open it. `reports:view` answers REPORT_NOT_READY
 * for a report Plaid is still generating (or that failed or was removed); the viewer still needs its summary to
 * show progress, so it reads that one summary.
 */
export async function viewOrSummary(reportId: string): Promise<{ summary: ReportSummary; view: Uint8Array | null }> {
  try {
    return await api.reportsView({ reportId, part: 'firstScreen' });
  } catch (error) {
    if (toAppError(error).code !== 'REPORT_NOT_READY') throw error;
    const summary = await api.reportsSummary({ reportId });
    // It became ready in between: its view can be read now.
    if (summary.status === 'ready') return api.reportsView({ reportId, part: 'firstScreen' });
    return { summary, view: null };
  }
}
