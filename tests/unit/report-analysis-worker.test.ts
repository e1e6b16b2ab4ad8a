import { analyzeInContext, buildAnalysisContext } from '../../shared/underwriting';
import type { AssetReportGetResult } from '../../shared/asset-report';
import type { UnderwritingAnalysis } from '../../shared/underwriting';
import { withBankNames } from '../../renderer/src/reports/analysis-names';
import {
  openReportAnalysis,
  type AnalysisInput,
  type AnalysisReply,
  type AnalysisRequest,
} from '../../renderer/src/reports/report-analysis';
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
const sent: AnalysisReply[] = [];
let handle: Handler;

beforeAll(async () => {
  const scope = { onmessage: null as Handler | null, postMessage: (reply: AnalysisReply) => sent.push(reply) };
  (globalThis as unknown as { self: typeof scope }).self = scope;
  await import('../../renderer/src/reports/report-analysis.worker');
  handle = scope.onmessage!;
});
afterAll(() => {
  delete (globalThis as unknown as { self?: unknown }).self;
});

function ask(requestId: number, reportId: string, i: AnalysisInput): AnalysisReply {
  sent.length = 0;
  handle({ data: { type: 'analyze', requestId, reportId, input: i } });
  expect(sent).toHaveLength(1);
  return sent[0]!;
}

describe('report analysis worker', () => {
  it('answers with the same analysis the page computed in place, for the report it was sent as text', () => {
    handle({ data: { type: 'open', reportId: 'r1', contentJson, otherReportsJson: '[]' } });
    const reply = ask(1, 'r1', input());
    expect(reply).toStrictEqual({ requestId: 1, ok: true, analysis: expected(input()) });
    // The analysis crosses to the page by structured clone: nothing in it may be lost on the way.
    expect(structuredClone((reply as { analysis: UnderwritingAnalysis }).analysis)).toStrictEqual(expected(input()));
  });

  it('re-analyses with the officer’s new inputs without being sent the report again', () => {
    const first = ask(2, 'r1', input()) as { analysis: UnderwritingAnalysis };
    const wire = first.analysis.largeDeposits.deposits.find((d) => d.transactionId === 'txn-large-wire-0001');
    expect(wire).toBeDefined();
    const sourced = [{ transactionId: 'txn-large-wire-0001', note: 'Gift letter on file' }];
    const second = ask(3, 'r1', input(sourced)) as { analysis: UnderwritingAnalysis };
    expect(second.analysis).toStrictEqual(expected(input(sourced)));
    expect(second.analysis.largeDeposits.totalUnsourced).toBeLessThan(first.analysis.largeDeposits.totalUnsourced);
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
  it('keeps running (a thrown error would stop the worker for every later report) and holds nothing', () => {
    expect(() =>
      handle({ data: { type: 'open', reportId: 'bad', contentJson: '{"report": ', otherReportsJson: '[]' } }),
    ).not.toThrow();
    expect(ask(6, 'bad', input())).toMatchObject({ requestId: 6, ok: false });
  });
});

describe('openReportAnalysis without a worker', () => {
  it('computes the same analysis in the page and says so', async () => {
    expect(typeof Worker).toBe('undefined'); // Node: the fallback path is the one under test
    const session = openReportAnalysis('r1', contentJson, '[]', () => content);
    expect(await session.analyze(input())).toStrictEqual(expected(input()));
    expect(session.ranIn()).toBe('page');
    session.close();
  });
});
