import { analyzeInContext, buildAnalysisContext } from '../../shared/underwriting';
import type { AssetReportGetResult } from '../../shared/asset-report';
import type { UnderwritingAnalysis } from '../../shared/underwriting';
import { withBankNames } from '../../renderer/src/reports/analysis-names';
import {
  openAnalysis,
  type AnalysisInput,
  type AnalysisReply,
  type AnalysisRequest,
} from '../../renderer/src/reports/report-analysis';
import { summarizeMonths } from '../../shared/underwriting/monthly';
import { diffReports } from '../../shared/underwriting';
import { reportWithTransactions } from '../bench/renderer-seed';

/**
 * The report analysis worker's own message handler, run under Node with a stand-in `self` (Node has no
 * DedicatedWorkerGlobalScope), and the page's fallback when no worker can start. Both must give what the
 * page used to compute in place. (The screen itself paints from the report's view: tests/unit/report-view.test.ts.)
 */
const content: AssetReportGetResult = {
  report: reportWithTransactions(2, 400, 120) as unknown as AssetReportGetResult['report'],
  warnings: [],
};
const contentJson = JSON.stringify(content);
const loan: AnalysisInput['loan'] = {
  loanPurpose: 'purchase',
  applicationDate: content.report.date_generated.slice(0, 10),
  expectedNoteDate: null,
  qualifyingMonthlyIncome: 9_000,
  fundsToClose: 20_000,
  reservesNeeded: 5_000,
  borrowers: [{ firstName: 'Alberta', middleName: null, lastName: 'Charleson' }],
};
const now = new Date(`${content.report.date_generated.slice(0, 10)}T12:00:00`);
const input = (sourcedDeposits: AnalysisInput['sourcedDeposits'] = []): AnalysisInput => ({
  loan,
  settings: null,
  sourcedDeposits,
  accountConfirmations: [],
  now,
});
const expected = (i: AnalysisInput) =>
  withBankNames(analyzeInContext(content, buildAnalysisContext({ ...i, otherReports: [] })), content.report);

type Handler = (event: { data: AnalysisRequest }) => void;

/**
 * The real worker code behind the page's Worker interface, in this process (Node has no Web Workers): messages
 * cross asynchronously, as they would between threads, and `stop()` fails it as a crashed worker does.
 */
class WorkerInProcess {
  onmessage: ((event: { data: AnalysisReply }) => void) | null = null;
  onerror: ((event: { preventDefault(): void }) => void) | null = null;
  stopped = false;
  constructor() {
    started.push(this);
  }
  postMessage(data: AnalysisRequest) {
    if (!this.stopped) setTimeout(() => handle({ data }), 0);
  }
  answer(reply: AnalysisReply) {
    setTimeout(() => this.onmessage?.({ data: reply }), 0);
  }
  terminate() {
    this.stopped = true;
  }
  stop() {
    this.stopped = true;
    this.onerror?.({ preventDefault: () => undefined });
  }
}
const started: WorkerInProcess[] = [];
const workerInProcess = () => started.at(-1);
const sent: { reply: AnalysisReply; transfer: ArrayBuffer[] }[] = [];
let handle: Handler;

beforeAll(async () => {
  const scope = {
    onmessage: null as Handler | null,
    postMessage: (reply: AnalysisReply, options?: { transfer?: ArrayBuffer[] }) => {
      sent.push({ reply, transfer: options?.transfer ?? [] });
      workerInProcess()?.answer(reply);
    },
  };
  (globalThis as unknown as { self: typeof scope }).self = scope;
  await import('../../renderer/src/reports/report-analysis.worker');
  handle = scope.onmessage!;
});
afterAll(() => {
  delete (globalThis as unknown as { self?: unknown }).self;
});

function request(data: AnalysisRequest): AnalysisReply {
  sent.length = 0;
  handle({ data });
  expect(sent).toHaveLength(1);
  return sent[0]!.reply;
}
const ask = (requestId: number, reportId: string, i: AnalysisInput) =>
  request({ type: 'analyze', requestId, reportId, input: i });
const analysisOf = (reply: AnalysisReply) => (reply as { value: UnderwritingAnalysis }).value;

describe('report analysis worker', () => {
  it('parses and keeps the report it is sent as text, answering only that it holds it', () => {
    expect(
      request({ type: 'open', requestId: 100, reportId: 'r1', contentJson, otherReportsJson: '[]' }),
    ).toStrictEqual({ requestId: 100, ok: true, value: true });
    expect(sent[0]!.transfer).toEqual([]);
  });

  it('answers with the same analysis the page computed in place, for the report it was sent as text', () => {
    const reply = ask(1, 'r1', input());
    expect(reply).toStrictEqual({ requestId: 1, ok: true, value: expected(input()) });
    // The analysis crosses to the page by structured clone: nothing in it may be lost on the way.
    expect(structuredClone(analysisOf(reply))).toStrictEqual(expected(input()));
  });

  it('adds up the months and compares with a parent report, from the report it holds', () => {
    expect(request({ type: 'months', requestId: 101, reportId: 'r1' })).toStrictEqual({
      requestId: 101,
      ok: true,
      value: summarizeMonths(content.report),
    });
    const parent = {
      ...content,
      report: { ...content.report, asset_report_id: 'parent', items: content.report.items.slice(0, 1) },
    };
    const diff = request({ type: 'diff', requestId: 102, reportId: 'r1', parentJson: JSON.stringify(parent) });
    expect(diff).toStrictEqual({ requestId: 102, ok: true, value: diffReports(parent, content) });
    expect(request({ type: 'diff', requestId: 103, reportId: 'r1', parentJson: 'not json' })).toStrictEqual({
      requestId: 103,
      ok: true,
      value: null,
    });
  });

  it('re-analyses with the officer’s new inputs without being sent the report again', () => {
    const first = analysisOf(ask(2, 'r1', input()));
    const wire = first.largeDeposits.deposits.find((d) => d.transactionId === 'txn-large-wire-0001');
    expect(wire).toBeDefined();
    const sourced = [{ transactionId: 'txn-large-wire-0001', note: 'Gift letter on file' }];
    const second = analysisOf(ask(3, 'r1', input(sourced)));
    expect(second).toStrictEqual(expected(input(sourced)));
    expect(second.largeDeposits.totalUnsourced).toBeLessThan(first.largeDeposits.totalUnsourced);
  });

  it('refuses a report it does not hold (closed, or another one), so the page can compute it instead', () => {
    expect(ask(4, 'other', input())).toMatchObject({ requestId: 4, ok: false });
    handle({ data: { type: 'close', reportId: 'r1' } });
    expect(ask(5, 'r1', input())).toMatchObject({
      requestId: 5,
      ok: false,
      message: 'the report is not open in the analysis worker',
    });
  });
});

describe('report analysis worker, damaged content', () => {
  it('keeps running (a thrown error would stop the worker for every later report), answers false and holds nothing', () => {
    expect(
      request({ type: 'open', requestId: 104, reportId: 'bad', contentJson: '{"report": ', otherReportsJson: '[]' }),
    ).toStrictEqual({ requestId: 104, ok: true, value: false });
    expect(ask(6, 'bad', input())).toMatchObject({ requestId: 6, ok: false });
  });
});

/** The analysis's source, counting how often it is read. */
function source(json = contentJson) {
  const counter = {
    reads: 0,
    load: () => {
      counter.reads++;
      return Promise.resolve({ contentJson: json, otherReportsJson: '[]' });
    },
  };
  return counter;
}

describe('openAnalysis through the worker', () => {
  afterAll(() => {
    delete (globalThis as { Worker?: unknown }).Worker;
  });

  it('reads the report only when first asked; when the worker stops, the page reads it again and carries on', async () => {
    (globalThis as { Worker?: unknown }).Worker = WorkerInProcess;
    const text = source();
    const analysis = openAnalysis('r2', text.load);
    expect(text.reads).toBe(0); // nothing read before the screen asks
    expect(await analysis.analyze(input())).toStrictEqual(expected(input()));
    expect(analysis.ranIn()).toBe('worker');
    expect(await analysis.months()).toStrictEqual(summarizeMonths(content.report));
    expect(text.reads).toBe(1);

    workerInProcess()!.stop();
    expect(await analysis.analyze(input())).toStrictEqual(expected(input()));
    expect(analysis.ranIn()).toBe('page');
    expect(await analysis.months()).toStrictEqual(summarizeMonths(content.report));
    expect(text.reads).toBe(2); // read once more, then kept for the page's later requests
    analysis.close();
  });
});

describe('openAnalysis without a worker', () => {
  it('analyses in the page and says so; damaged content is refused, and a failed read is tried again', async () => {
    expect(typeof Worker).toBe('undefined'); // Node: the fallback path is the one under test
    const text = source();
    const analysis = openAnalysis('r1', text.load);
    expect(await analysis.analyze(input())).toStrictEqual(expected(input()));
    expect(analysis.ranIn()).toBe('page');
    expect(await analysis.months()).toStrictEqual(summarizeMonths(content.report));
    expect(text.reads).toBe(1); // the page parsed it once
    analysis.close();

    await expect(openAnalysis('bad', source('{"report": ').load).analyze(input())).rejects.toThrow(
      'the report could not be read',
    );
    let attempts = 0;
    const flaky = openAnalysis('r3', () =>
      ++attempts === 1
        ? Promise.reject(new Error('offline'))
        : Promise.resolve({ contentJson, otherReportsJson: '[]' }),
    );
    await expect(flaky.analyze(input())).rejects.toThrow('offline');
    expect(await flaky.analyze(input())).toStrictEqual(expected(input()));
    expect(attempts).toBe(2);
  });
});
