import { analyzeInContext, buildAnalysisContext } from '../../shared/underwriting';
import type { AssetReportGetResult } from '../../shared/asset-report';
import type { UnderwritingAnalysis } from '../../shared/underwriting';
import { withBankNames } from '../../renderer/src/reports/analysis-names';
import {
  openReport,
  type AnalysisInput,
  type AnalysisReply,
  type AnalysisRequest,
} from '../../renderer/src/reports/report-analysis';
import { summarizeMonths } from '../../shared/underwriting/monthly';
import { diffReports } from '../../shared/underwriting';
import { encodeTransactionColumns, withoutTransactions } from '../../renderer/src/reports/transaction-columns';
import { reportWithTransactions } from '../bench/renderer-seed';

/**
 * The report analysis worker's own message handler, run under Node with a stand-in `self` (Node has no
 * DedicatedWorkerGlobalScope), and the page's fallback when no worker can start. Both must give what the
 * page used to compute in place.
 */
const content: AssetReportGetResult = {
  report: reportWithTransactions(2, 400, 120) as unknown as AssetReportGetResult['report'],
  warnings: [],
};
const contentJson = JSON.stringify(content);
const transactionCount = content.report.items.reduce(
  (n, item) => n + item.accounts.reduce((m, a) => m + a.transactions.length, 0),
  0,
);
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
  it('answers the report without transactions, then the transactions as columns, their buffers transferred', () => {
    expect(
      request({ type: 'open', requestId: 100, reportId: 'r1', contentJson, otherReportsJson: '[]' }),
    ).toStrictEqual({
      requestId: 100,
      ok: true,
      // The seeded report has no merchant or category: fetched without Plaid's insights.
      value: { head: withoutTransactions(content), transactionCount, withoutInsights: true },
    });
    expect(withoutTransactions(content).report.items.flatMap((i) => i.accounts.map((a) => a.transactions))).toEqual([
      [],
      [],
    ]);
    const reply = request({ type: 'columns', requestId: 99, reportId: 'r1' });
    const expectedColumns = encodeTransactionColumns(content.report);
    expect(reply).toStrictEqual({ requestId: 99, ok: true, value: expectedColumns });
    const columns = (reply as { value: typeof expectedColumns }).value;
    expect(columns.count).toBe(transactionCount);
    // Every column's buffer is in the transfer list: moved to the page, not copied.
    const transfer = sent[0]!.transfer;
    expect(transfer).toHaveLength(11);
    for (const array of [columns.amount, columns.day, columns.id, columns.strings.bytes, columns.strings.offsets])
      expect(transfer).toContain(array.buffer);
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
  it('keeps running (a thrown error would stop the worker for every later report), answers null and holds nothing', () => {
    expect(
      request({ type: 'open', requestId: 104, reportId: 'bad', contentJson: '{"report": ', otherReportsJson: '[]' }),
    ).toStrictEqual({ requestId: 104, ok: true, value: null });
    expect(ask(6, 'bad', input())).toMatchObject({ requestId: 6, ok: false });
  });
});

describe('openReport through the worker', () => {
  afterAll(() => {
    delete (globalThis as { Worker?: unknown }).Worker;
  });

  it('paints from the worker’s head and columns; when the worker stops, the page reads the report again and carries on', async () => {
    (globalThis as { Worker?: unknown }).Worker = WorkerInProcess;
    let rereads = 0;
    const opened = await openReport('r2', contentJson, '[]', () => {
      rereads++;
      return Promise.resolve(contentJson);
    });
    expect(opened!.view.head).toStrictEqual(withoutTransactions(content));
    const columns = await opened!.view.columns;
    expect(columns.count).toBe(transactionCount);
    expect(columns.amount).toStrictEqual(encodeTransactionColumns(content.report).amount);
    expect(await opened!.analysis.analyze(input())).toStrictEqual(expected(input()));
    expect(opened!.analysis.ranIn()).toBe('worker');
    expect(rereads).toBe(0);

    workerInProcess()!.stop();
    expect(await opened!.analysis.analyze(input())).toStrictEqual(expected(input()));
    expect(opened!.analysis.ranIn()).toBe('page');
    expect(await opened!.analysis.months()).toStrictEqual(summarizeMonths(content.report));
    expect(rereads).toBe(1); // read once, then kept for the page's later requests
    opened!.analysis.close();
  });
});

describe('openReport without a worker', () => {
  it('builds the same view and analysis in the page and says so', async () => {
    expect(typeof Worker).toBe('undefined'); // Node: the fallback path is the one under test
    let rereads = 0;
    const opened = await openReport('r1', contentJson, '[]', () => {
      rereads++;
      return Promise.resolve(contentJson);
    });
    expect(opened).not.toBeNull();
    expect(opened!.view.head).toStrictEqual(withoutTransactions(content));
    expect(opened!.view.transactionCount).toBe(transactionCount);
    expect((await opened!.view.columns).count).toBe(transactionCount);
    expect(await opened!.analysis.analyze(input())).toStrictEqual(expected(input()));
    expect(opened!.analysis.ranIn()).toBe('page');
    expect(await opened!.analysis.months()).toStrictEqual(summarizeMonths(content.report));
    expect(rereads).toBe(0); // the page parsed it once, when it opened it
    opened!.analysis.close();
    expect(await openReport('bad', '{"report": ', '[]', () => Promise.resolve(''))).toBeNull();
  });
});
