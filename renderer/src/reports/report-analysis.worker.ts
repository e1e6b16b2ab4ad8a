import type { AssetReportGetResult } from '../../../shared/asset-report';
import { analyzeInContext, buildAnalysisContext } from '../../../shared/underwriting';
import { withBankNames } from './analysis-names';
import type { AnalysisReply, AnalysisRequest } from './report-analysis';

/**
 * The underwriting analysis, off the page's main thread: the page paints the header, accounts and
 * transactions while this parses its own copy of the report and works through 50,000 transactions.
 * It keeps the open report (and the applicant's other reports), so a re-analysis after a note is
 * saved sends only the officer's inputs.
 */
let held: { reportId: string; content: AssetReportGetResult; others: AssetReportGetResult[] } | null = null;

function parseOthers(json: string): AssetReportGetResult[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? (parsed as AssetReportGetResult[]) : [];
}

self.onmessage = (event: MessageEvent<AnalysisRequest>) => {
  const message = event.data;
  if (message.type === 'close') {
    if (held?.reportId === message.reportId) held = null;
    return;
  }
  if (message.type === 'open') {
    held = null;
    let content: AssetReportGetResult;
    try {
      content = JSON.parse(message.contentJson) as AssetReportGetResult;
    } catch {
      return; // damaged content: the page shows "not available" and never asks for its analysis
    }
    held = { reportId: message.reportId, content, others: [] };
    // Without them a transfer from another bank reads as unsourced: stricter, never more lenient.
    try {
      held.others = parseOthers(message.otherReportsJson);
    } catch {
      held.others = [];
    }
    return;
  }
  let reply: AnalysisReply;
  try {
    if (!held || held.reportId !== message.reportId) throw new Error('the report is not open in the analysis worker');
    const context = buildAnalysisContext({ ...message.input, otherReports: held.others });
    reply = {
      requestId: message.requestId,
      ok: true,
      analysis: withBankNames(analyzeInContext(held.content, context), held.content.report),
    };
  } catch (error) {
    reply = {
      requestId: message.requestId,
      ok: false,
      message: error instanceof Error ? error.message : String(error),
    };
  }
  self.postMessage(reply);
};
