import type { ReportDiff, ReportFunds, UnderwritingAnalysis } from '../../../shared/underwriting';
import type { MonthlySummaryResult } from '../../../shared/underwriting/monthly';
import { decodeReportView, decodeTransactionColumns, type ReportHeadData } from '../../../shared/report-view';
import { ReportHolder, type AnalysisInput } from './report-holder';
import { readTransactionColumns, type TransactionColumns } from './transactions';

export type { AnalysisInput } from './report-holder';

export type AnalysisRequest =
  | {
      type: 'open';
      requestId: number;
      reportId: string;
      contentJson: string;
      otherReportsJson: string;
      reportFunds?: ReportFunds[];
    }
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

/** The report as the screen paints it: never the transaction objects, only their columns. */
export interface ReportView extends ReportHeadData {
  columns: TransactionColumns;
}

/**
 * Reads the report's view block from `reports:view` in place: a few KB of JSON for the header and accounts,
 * and typed arrays over the block for the transactions (see shared/report-view). Throws on a damaged block.
 */
export function readReportView(block: Uint8Array): ReportView {
  const { columns, ...head } = decodeReportView(block);
  return { ...head, columns: readTransactionColumns(columns) };
}

/** Only the transactions of a view block, for a screen that has the report's head from its first screen. */
export function readViewColumns(block: Uint8Array): TransactionColumns {
  return readTransactionColumns(decodeTransactionColumns(block));
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

/** The report's full text and the loan's other reports (text), which only the analysis needs. */
export interface AnalysisSource {
  contentJson: string;
  otherReportsJson: string;
  /** The loan's other current reports' funds to close: the report's own figures are then its alone. */
  reportFunds?: ReportFunds[];
}

type Held = { in: 'worker' } | { in: 'page'; holder: ReportHolder };

const unreadable = () => new Error('the report could not be read');

/**
 * The analysis side of an open report. Nothing is loaded until the first request (the screen asks once it has
 * painted): then the report's text is read and handed to the worker (one string copy), which parses and keeps
 * it. Without a worker, or if it stops, the page reads the report itself.
 */
export function openAnalysis(reportId: string, load: () => Promise<AnalysisSource>): ReportAnalysis {
  let held: Promise<Held> | null = null;
  let ranIn: 'worker' | 'page' | null = null;

  const inPage = async (): Promise<Held> => {
    const source = await load();
    const holder = ReportHolder.open(reportId, source.contentJson, source.otherReportsJson, source.reportFunds);
    if (!holder) throw unreadable();
    return { in: 'page', holder };
  };
  /** Keeps the report's place; a failed read is forgotten, so the next request tries again. */
  const hold = (next: Promise<Held>): Promise<Held> => {
    held = next;
    next.catch(() => {
      if (held === next) held = null;
    });
    return next;
  };
  const openInWorker = async (target: Worker): Promise<Held> => {
    const source = await load();
    let opened: boolean;
    try {
      opened = await ask<boolean>(target, { type: 'open', requestId: nextRequestId++, reportId, ...source });
    } catch {
      // The worker could not start or stopped: the page holds the report itself.
      const holder = ReportHolder.open(reportId, source.contentJson, source.otherReportsJson, source.reportFunds);
      if (!holder) throw unreadable();
      return { in: 'page', holder };
    }
    if (!opened) throw unreadable();
    return { in: 'worker' };
  };
  const opening = (): Promise<Held> => {
    if (held) return held;
    const target = analysisWorker();
    return hold(target ? openInWorker(target) : inPage());
  };

  /** Runs a request in the worker while it holds the report; in the page from the first failure on. */
  async function run<T>(
    request: (requestId: number) => AnalysisRequest & { requestId: number },
    here: (h: ReportHolder) => T,
  ): Promise<{ value: T; where: 'worker' | 'page' }> {
    let now = await opening();
    if (now.in === 'worker') {
      const w = worker;
      if (w) {
        try {
          return { value: await ask<T>(w, request(nextRequestId++)), where: 'worker' };
        } catch {
          // the worker stopped or lost the report: read it again below
        }
      }
      now = await hold(inPage());
    }
    return { value: here((now as { holder: ReportHolder }).holder), where: 'page' };
  }

  // A close is sent a moment later, and a request meanwhile cancels it: React's development mode unmounts
  // and mounts each screen once more, which must not cost the worker its report.
  let closing: ReturnType<typeof setTimeout> | null = null;
  const keepOpen = () => {
    if (closing) clearTimeout(closing);
    closing = null;
  };
  return {
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
        const was = held;
        held = null;
        // Only a report the worker holds is freed there; a page copy goes with `held`.
        void was
          ?.then((h) => {
            if (h.in === 'worker') worker?.postMessage({ type: 'close', reportId } satisfies AnalysisRequest);
          })
          .catch(() => undefined);
      }, 0);
    },
    ranIn: () => ranIn,
  };
}
