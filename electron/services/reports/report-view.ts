import type { AssetReportGetResult } from '../../../shared/asset-report';
import { REPORT_VIEW_FORMAT, reportViewFormat } from '../../../shared/report-view';
import { encodeReportView, firstScreenOf } from '../../../shared/report-view-encode';
import type { AssetDeskStore } from '../../db';
import type { ReportViewBlocks, ReportViewPart } from '../../db/repositories/reports';
import type { Logger } from '../../log/logger';
import { corruptValueError } from '../../db/cipher';
import { maskSsnInReportJson } from '../export/report-files';

/**
 * How many of the newest transactions a first screen holds: several screens of the table (a row is 36 px), so
 * the officer can read and scroll it while the rest of the view arrives, in a block of a few KB.
 */
export const FIRST_SCREEN_ROWS = 200;

/**
 * The report screen's views of a report (shared/report-view), made once when the report is stored: the whole
 * view, and its first screen. Their head goes through the same SSN mask as every other copy the page gets.
 */
export function buildReportViews(content: AssetReportGetResult): ReportViewBlocks {
  return viewsOf(encodeReportView(content, maskSsnInReportJson));
}

type Views = { [part in ReportViewPart]: Uint8Array<ArrayBuffer> };

function viewsOf(whole: Uint8Array<ArrayBuffer>): Views {
  return { whole, firstScreen: firstScreenOf(whole, FIRST_SCREEN_ROWS) };
}

const current = (block: Uint8Array<ArrayBuffer> | null) =>
  block !== null && reportViewFormat(block) === REPORT_VIEW_FORMAT ? block : null;

/**
 * A stored view of a ready report. A report stored before views existed (or by an AssetDesk with another view
 * format) gets them made now, from its whole view when that is current, else from its JSON; they are kept where
 * this desk may write them: a processor on a team may not change a ready report, so their desk makes them again
 * on each open until an officer's desk keeps them.
 */
export async function readReportView(
  store: AssetDeskStore,
  reportId: string,
  log: Logger,
  part: ReportViewPart,
): Promise<Uint8Array<ArrayBuffer>> {
  const stored = current(await store.reports.readView(reportId, part));
  if (stored) return stored;
  const whole = part === 'firstScreen' ? current(await store.reports.readView(reportId, 'whole')) : null;
  const views = viewsOf(whole ?? (await wholeViewFromJson(store, reportId)));
  try {
    await store.reports.saveView(reportId, views);
  } catch (err) {
    // Keeping them only saves the next open this work; the officer gets the view either way.
    log.warn('report view not kept', { reportId, reason: err instanceof Error ? err.message : String(err) });
  }
  return views[part];
}

async function wholeViewFromJson(store: AssetDeskStore, reportId: string): Promise<Uint8Array<ArrayBuffer>> {
  const json = await store.reports.readJsonText(reportId);
  let content: AssetReportGetResult;
  try {
    content = JSON.parse(json) as AssetReportGetResult;
  } catch (err) {
    throw corruptValueError('Asset Report', err);
  }
  return encodeReportView(content, maskSsnInReportJson);
}
