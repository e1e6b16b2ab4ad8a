import type { AnalysisReply, AnalysisRequest } from './report-analysis';
import { ReportHolder } from './report-holder';

/**
 * The open report's analysis, off the page's main thread: this parses the report's text once and keeps it for
 * the underwriting analysis, the month-by-month summary and a comparison with a parent report. A re-analysis
 * after a note is saved sends only the officer's inputs.
 */
let held: ReportHolder | null = null;

/** Answers a request; an error becomes a refusal, never an exception (that would stop the worker for every later report). */
function answer(requestId: number, work: () => { value: unknown }): void {
  let reply: AnalysisReply;
  try {
    reply = { requestId, ok: true, value: work().value };
  } catch (error) {
    reply = { requestId, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply);
}

function holding(reportId: string): ReportHolder {
  if (!held || held.reportId !== reportId) throw new Error('the report is not open in the analysis worker');
  return held;
}

self.onmessage = (event: MessageEvent<AnalysisRequest>) => {
  const message = event.data;
  switch (message.type) {
    case 'close':
      if (held?.reportId === message.reportId) held = null;
      return;
    case 'open':
      held = null;
      answer(message.requestId, () => {
        held = ReportHolder.open(message.reportId, message.contentJson, message.otherReportsJson, message.reportFunds);
        return { value: held !== null }; // false: damaged content, which the page could not read either
      });
      return;
    case 'analyze':
      answer(message.requestId, () => ({ value: holding(message.reportId).analyze(message.input) }));
      return;
    case 'months':
      answer(message.requestId, () => ({ value: holding(message.reportId).months() }));
      return;
    case 'diff':
      answer(message.requestId, () => ({ value: holding(message.reportId).diff(message.parentJson) }));
      return;
  }
};
