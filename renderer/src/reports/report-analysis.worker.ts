import { columnBuffers } from './transaction-columns';
import type { AnalysisReply, AnalysisRequest } from './report-analysis';
import { ReportHolder } from './report-holder';

/**
 * The open report, off the page's main thread: this parses the report's text, answers the page the report
 * without its transactions, then the transactions as transferred columns, and keeps the parsed report for the
 * underwriting analysis, the month-by-month summary and a comparison with a parent report. A re-analysis after
 * a note is saved sends only the officer's inputs.
 */
let held: ReportHolder | null = null;

/** Answers a request; an error becomes a refusal, never an exception (that would stop the worker for every later report). */
function answer(requestId: number, work: () => { value: unknown; transfer?: ArrayBuffer[] }): void {
  let reply: AnalysisReply;
  let transfer: ArrayBuffer[] = [];
  try {
    const done = work();
    reply = { requestId, ok: true, value: done.value };
    transfer = done.transfer ?? [];
  } catch (error) {
    reply = { requestId, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(reply, { transfer });
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
        held = ReportHolder.open(message.reportId, message.contentJson, message.otherReportsJson);
        return { value: held?.head() ?? null };
      });
      return;
    case 'columns':
      answer(message.requestId, () => {
        const columns = holding(message.reportId).columns();
        return { value: columns, transfer: columnBuffers(columns) };
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
