import type { AssetReportGetResult } from '../../../shared/asset-report';
import { analyzeInContext, buildAnalysisContext } from '../../../shared/underwriting';
import type { AnalysisContextInput, UnderwritingAnalysis } from '../../../shared/underwriting';
import { withBankNames } from './analysis-names';

/** What the officer's side of an analysis is made of; the other reports travel once, with the report. */
export type AnalysisInput = Omit<AnalysisContextInput, 'otherReports'>;

export type AnalysisRequest =
  | { type: 'open'; reportId: string; contentJson: string; otherReportsJson: string }
  | { type: 'analyze'; requestId: number; reportId: string; input: AnalysisInput }
  | { type: 'close'; reportId: string };

export type AnalysisReply =
  { requestId: number; ok: true; analysis: UnderwritingAnalysis } | { requestId: number; ok: false; message: string };

/** One worker for the app's lifetime (its start-up is paid once); null where workers cannot start. */
let worker: Worker | null = null;
let workerFailed = false;
let nextRequestId = 1;
const pending = new Map<number, { resolve(a: UnderwritingAnalysis): void; reject(e: Error): void }>();

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
    if (reply.ok) waiting.resolve(reply.analysis);
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

export interface ReportAnalysis {
  /** The analysis for these inputs: from the worker, or computed in the page if the worker is unavailable. */
  analyze(input: AnalysisInput): Promise<UnderwritingAnalysis>;
  /** Frees the worker's copy of the report (the viewer closed). */
  close(): void;
  /** Where the last analysis ran: the worker, or the page when the worker is unavailable. */
  ranIn(): 'worker' | 'page' | null;
}

/**
 * Hands the report's JSON text to the worker (a string copy of a few milliseconds, no object cloning),
 * which parses its own copy while the page parses the one it paints from.
 */
export function openReportAnalysis(
  reportId: string,
  contentJson: string,
  otherReportsJson: string,
  content: () => AssetReportGetResult | null,
): ReportAnalysis {
  const target = analysisWorker();
  let inWorker = target !== null;
  target?.postMessage({ type: 'open', reportId, contentJson, otherReportsJson } satisfies AnalysisRequest);
  let others: AssetReportGetResult[] | null = null;
  let ranIn: 'worker' | 'page' | null = null;

  // The page's own copy: same functions, same inputs (for a browser without workers, or one that failed).
  const inPage = async (input: AnalysisInput) => {
    ranIn = 'page';
    const report = content();
    if (!report) throw new Error('the report could not be read');
    if (!others) {
      try {
        const parsed: unknown = JSON.parse(otherReportsJson);
        others = Array.isArray(parsed) ? (parsed as AssetReportGetResult[]) : [];
      } catch {
        others = [];
      }
    }
    const context = buildAnalysisContext({ ...input, otherReports: others });
    return withBankNames(analyzeInContext(report, context), report.report);
  };

  // A close is sent a moment later, and an analysis asked for meanwhile cancels it: React's development
  // mode unmounts and mounts each screen once more, which must not cost the worker its report.
  let closing: ReturnType<typeof setTimeout> | null = null;
  return {
    async analyze(input) {
      if (closing) clearTimeout(closing);
      closing = null;
      const w = inWorker ? worker : null;
      if (!w) return inPage(input);
      const requestId = nextRequestId++;
      try {
        const analysis = await new Promise<UnderwritingAnalysis>((resolve, reject) => {
          pending.set(requestId, { resolve, reject });
          w.postMessage({ type: 'analyze', requestId, reportId, input } satisfies AnalysisRequest);
        });
        ranIn = 'worker';
        return analysis;
      } catch {
        // The worker stopped or lost the report: the page computes it instead, from then on.
        inWorker = false;
        return inPage(input);
      }
    },
    close() {
      if (closing) clearTimeout(closing);
      closing = setTimeout(() => {
        closing = null;
        if (inWorker) worker?.postMessage({ type: 'close', reportId } satisfies AnalysisRequest);
        inWorker = false;
      }, 0);
    },
    ranIn: () => ranIn,
  };
}
