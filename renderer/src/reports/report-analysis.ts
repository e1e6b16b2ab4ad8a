import type { ReportDiff, UnderwritingAnalysis } from '../../../shared/underwriting';
import type { MonthlySummaryResult } from '../../../shared/underwriting/monthly';
import { ReportHolder, type AnalysisInput, type ReportHeadData } from './report-holder';
import { readTransactionColumns, type TransactionColumns } from './transactions';
import type { TransactionColumnsData } from './transaction-columns';

export type { AnalysisInput } from './report-holder';

export type AnalysisRequest =
  | { type: 'open'; requestId: number; reportId: string; contentJson: string; otherReportsJson: string }
  | { type: 'columns'; requestId: number; reportId: string }
  | { type: 'analyze'; requestId: number; reportId: string; input: AnalysisInput }
  | { type: 'months'; requestId: number; reportId: string }
  | { type: 'diff'; requestId: number; reportId: string; parentJson: string }
  | { type: 'close'; reportId: string };

export type AnalysisReply =
  { requestId: number; ok: true; value: unknown } | { requestId: number; ok: false; message: string };

/** One worker for the app's lifetime (its start-up is paid once); null where workers cannot start. */
let worker: Worker | null = null;
let workerFailed = false;
let nextRequestId = 1;
const pending = new Map<number, { resolve(value: unknown): void; reject(e: Error): void }>();

function failAll(error: Error): void {
  for (const p of pending.values()) p.reject(error);
  pending.clear();
}

/** Starts the analysis worker (once); called early so it is up by the time the report arrives. */
export function analysisWorker(): Worker | null {
  if (worker || workerFailed) return worker;
  if (typeof Worker !== 'function') {
    workerFailed = true;
    return null;
  }
  try {
    worker = new Worker(new URL('./report-analysis.worker.ts', import.meta.url), {
      type: 'module',
      name: 'report-analysis',
    });
  } catch {
    workerFailed = true;
    return null;
  }
  worker.onmessage = (event: MessageEvent<AnalysisReply>) => {
    const reply = event.data;
    const waiting = pending.get(reply.requestId);
    if (!waiting) return;
    pending.delete(reply.requestId);
    if (reply.ok) waiting.resolve(reply.value);
    else waiting.reject(new Error(reply.message));
  };
  // A worker that cannot load (CSP, missing file) or crashed: every open report falls back to the page.
  worker.onerror = (event) => {
    event.preventDefault();
    workerFailed = true;
    worker?.terminate();
    worker = null;
    failAll(new Error('the analysis worker stopped'));
  };
  return worker;
}

/** Sends a request to the worker and waits for its answer (rejected if the worker refuses or stops). */
function ask<T>(target: Worker, request: AnalysisRequest & { requestId: number }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    pending.set(request.requestId, { resolve: resolve as (value: unknown) => void, reject });
    target.postMessage(request);
  });
}

/** The report as the screen paints it: never the transaction objects, only their columns (which follow the head). */
export interface ReportView extends ReportHeadData {
  columns: Promise<TransactionColumns>;
}

export interface ReportAnalysis {
  /** The analysis for these inputs: from the worker, or computed in the page if the worker is unavailable. */
  analyze(input: AnalysisInput): Promise<UnderwritingAnalysis>;
  /** The month-by-month summary, worked out where the report is held. */
  months(): Promise<MonthlySummaryResult>;
  /** This report against its parent's content (text); null when the parent cannot be read. */
  diff(parentJson: string): Promise<ReportDiff | null>;
  /** Frees the worker's copy of the report (the viewer closed). */
  close(): void;
  /** Where the last analysis ran: the worker, or the page when the worker is unavailable. */
  ranIn(): 'worker' | 'page' | null;
}

export interface OpenedReport {
  view: ReportView;
  analysis: ReportAnalysis;
}

/**
 * Opens a report: its text goes to the worker (one string copy, no object cloning), which parses it and answers
 * the report without transactions, then the transactions as columns in transferred buffers; the page never
 * parses or holds the whole report. Null for damaged content. Without a worker (or if it fails to start) the
 * page does the same work itself; if the worker stops later, the page reads the report again (`reread`).
 */
export async function openReport(
  reportId: string,
  contentJson: string,
  otherReportsJson: string,
  reread: () => Promise<string>,
): Promise<OpenedReport | null> {
  const target = analysisWorker();
  let head: ReportHeadData | null = null;
  let inWorker = false;
  // The page's own copy: made at once without a worker, or read again if the worker stops after opening.
  let pageCopy: Promise<ReportHolder> | null = null;
  let columnsAsked: Promise<TransactionColumnsData> | null = null;
  if (target) {
    const opening = ask<ReportHeadData | null>(target, {
      type: 'open',
      requestId: nextRequestId++,
      reportId,
      contentJson,
      otherReportsJson,
    });
    // Asked at once, so the worker builds them straight after parsing, before any analysis.
    columnsAsked = ask<TransactionColumnsData>(target, { type: 'columns', requestId: nextRequestId++, reportId });
    columnsAsked.catch(() => undefined); // a refusal is handled where the columns are awaited
    try {
      head = await opening;
      if (!head) return null;
      inWorker = true;
    } catch {
      // The worker could not start or stopped: the page opens the report itself, below.
      columnsAsked = null;
    }
  }
  if (!head) {
    const holder = ReportHolder.open(reportId, contentJson, otherReportsJson);
    if (!holder) return null;
    head = holder.head();
    pageCopy = Promise.resolve(holder);
  }

  let ranIn: 'worker' | 'page' | null = null;
  const pageHolder = () => {
    pageCopy ??= reread().then((json) => {
      const holder = ReportHolder.open(reportId, json, otherReportsJson);
      if (!holder) throw new Error('the report could not be read');
      return holder;
    });
    return pageCopy;
  };
  /** Runs a request in the worker while it holds the report; in the page from the first failure on. */
  async function run<T>(
    request: (requestId: number) => AnalysisRequest & { requestId: number },
    here: (h: ReportHolder) => T,
  ): Promise<{ value: T; where: 'worker' | 'page' }> {
    const w = inWorker ? worker : null;
    if (w) {
      try {
        return { value: await ask<T>(w, request(nextRequestId++)), where: 'worker' };
      } catch {
        inWorker = false; // the worker stopped or lost the report
      }
    }
    return { value: here(await pageHolder()), where: 'page' };
  }

  const columnsData = columnsAsked
    ? columnsAsked.catch(async () => {
        inWorker = false;
        return (await pageHolder()).columns();
      })
    : pageHolder().then((h) => h.columns());
  const view: ReportView = { ...head, columns: columnsData.then(readTransactionColumns) };

  // A close is sent a moment later, and a request meanwhile cancels it: React's development mode unmounts
  // and mounts each screen once more, which must not cost the worker its report.
  let closing: ReturnType<typeof setTimeout> | null = null;
  const keepOpen = () => {
    if (closing) clearTimeout(closing);
    closing = null;
  };
  const analysis: ReportAnalysis = {
    async analyze(input) {
      keepOpen();
      const done = await run(
        (requestId) => ({ type: 'analyze', requestId, reportId, input }),
        (h) => h.analyze(input),
      );
      ranIn = done.where;
      return done.value;
    },
    async months() {
      keepOpen();
      // Asked after the screen's first effects, so the findings' analysis is queued in the worker first.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return (
        await run(
          (requestId) => ({ type: 'months', requestId, reportId }),
          (h) => h.months(),
        )
      ).value;
    },
    async diff(parentJson) {
      keepOpen();
      return (
        await run(
          (requestId) => ({ type: 'diff', requestId, reportId, parentJson }),
          (h) => h.diff(parentJson),
        )
      ).value;
    },
    close() {
      keepOpen();
      closing = setTimeout(() => {
        closing = null;
        if (inWorker) worker?.postMessage({ type: 'close', reportId } satisfies AnalysisRequest);
        inWorker = false;
        pageCopy = null;
      }, 0);
    },
    ranIn: () => ranIn,
  };
  return { view, analysis };
}
