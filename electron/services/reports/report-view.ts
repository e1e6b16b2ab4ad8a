import type { AssetReportGetResult } from '../../../shared/asset-report';
import { encodeReportView, REPORT_VIEW_FORMAT, reportViewFormat } from '../../../shared/report-view';
import type { AssetDeskStore } from '../../db';
import type { Logger } from '../../log/logger';
import { corruptValueError } from '../../db/cipher';
import { maskSsnInReportJson } from '../export/report-files';

/**
 * The report screen's view of a report (shared/report-view), made once when the report is stored. Its head goes
 * through the same SSN mask as every other copy of the report the page gets.
 */
export function buildReportView(content: AssetReportGetResult): Uint8Array<ArrayBuffer> {
  return encodeReportView(content, maskSsnInReportJson);
}

/**
 * The stored view of a ready report. A report stored before views existed (or by an AssetDesk with another
 * view format) gets one made from its JSON now, and kept where this desk may write it: a processor on a team
 * may not change a ready report, so their desk makes it again on each open until an officer's desk keeps one.
 */
export async function readReportView(
  store: AssetDeskStore,
  reportId: string,
  log: Logger,
): Promise<Uint8Array<ArrayBuffer>> {
  const stored = await store.reports.readView(reportId);
  if (stored && reportViewFormat(stored) === REPORT_VIEW_FORMAT) return stored;
  const json = await store.reports.readJsonText(reportId);
  let content: AssetReportGetResult;
  try {
    content = JSON.parse(json) as AssetReportGetResult;
  } catch (err) {
    throw corruptValueError('Asset Report', err);
  }
  const view = buildReportView(content);
  try {
    await store.reports.saveView(reportId, view);
  } catch (err) {
    // Keeping it only saves the next open this work; the officer gets the view either way.
    log.warn('report view not kept', { reportId, reason: err instanceof Error ? err.message : String(err) });
  }
  return view;
}
