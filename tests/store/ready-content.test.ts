import type { AssetReportGetResult } from '../../shared/asset-report';
import { readAssetReport, type ReportFunds } from '../../shared/underwriting';
import { recountLoanFindings, underwritingConfirmationHandlers } from '../../electron/services/features/underwriting';
import { ReadyContentCache, readyContent } from '../../electron/services/reports/ready-content';
import { applicantInput, onPostgres, tempStore } from './helpers';
import { addApplicant } from '../helpers/applicant';
import { storeReadyContent } from '../helpers/ready-report';
import { albertasReport, janesReport } from '../underwriting/couple-fixture';

/**
 * Opening one of a couple's reports reads the loan's other reports for their funds to close. What is read is kept
 * between opens (a ready report's content never changes); what is worked out from it follows every change.
 */
describe("the loan's other reports, kept between opens", () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(() => t.cleanup());
  const now = new Date('2026-04-01T12:00:00');

  const stored = (loanId: string, applicantId: string, content: AssetReportGetResult, parentId: string | null = null) =>
    storeReadyContent(t.store, { loanId, applicantId, content, parentId });

  /** Alberta and Jane, a report each; Jane's savings hold an unsourced 5,000 deposit (large against 8,000 a month). */
  async function couple(janes: AssetReportGetResult = janesReport('plaid-jane')) {
    const primary = await addApplicant(
      t.store,
      applicantInput({
        firstName: 'Alberta',
        lastName: 'Charleson',
        applicationDate: '2026-03-20',
        qualifyingMonthlyIncome: 8_000,
        fundsToClose: 20_000,
        reservesNeeded: 5_000,
      }),
    );
    const loan = await t.store.loans.addBorrower(primary.loanId, {
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane.doe@example.com',
      phone: '+1 415 555 0135',
    });
    const alberta = await stored(loan.id, primary.id, albertasReport('plaid-alberta'));
    const jane = await stored(loan.id, primary.id, janes);
    return { loan, applicantId: primary.id, alberta, jane };
  }

  /** Counts the store's reads of report content: each is a decrypt, unpack and parse. */
  function countReads() {
    const reads: string[] = [];
    const readJsonText = t.store.reports.readJsonText.bind(t.store.reports);
    t.store.reports.readJsonText = (id) => {
      reads.push(id);
      return readJsonText(id);
    };
    return reads;
  }

  const handlers = () => underwritingConfirmationHandlers({ store: () => t.store, clock: () => now });
  const open = async (reportId: string) => {
    const answer = await handlers()['underwriting:otherReports']({ reportId });
    return { ...answer, reports: JSON.parse(answer.reportsJson) as AssetReportGetResult[] };
  };
  const savings = (funds: ReportFunds[]) => funds[0]?.accounts.find((a) => a.accountKey.endsWith(':savings'));

  it('reads the other report once over several opens, with the same answer', async () => {
    const { alberta, jane } = await couple();
    const reads = countReads();
    const first = await open(alberta);
    // Jane's report for Alberta's evidence and its funds, and Alberta's as the evidence of Jane's analysis.
    expect([...reads].sort()).toEqual([alberta, jane].sort());
    expect(first.reportFunds).toHaveLength(1);
    expect(savings(first.reportFunds)).toMatchObject({ counted: 14_000, unsourced: 5_000 });

    const again = await open(alberta);
    const fromJane = await open(jane);
    expect(reads).toHaveLength(2); // no read after the first open, of either report
    expect(again).toEqual(first);
    expect(fromJane.reports.map((r) => r.report.asset_report_id)).toEqual(['plaid-alberta']);
  });

  // SQLite answers at once (PostgreSQL's answers come on later turns anyway).
  it.skipIf(onPostgres)('lets other calls in between the reports it reads and analyses on a first open', async () => {
    const { alberta } = await couple();
    // What the main process would answer meanwhile (another IPC call, a timer): each waits for the loop's next turn.
    const answered: string[] = [];
    const opening = open(alberta).then(() => answered.push('opened'));
    let turns = 0;
    const otherCall = () => {
      if (answered.includes('opened')) return;
      turns += 1;
      setImmediate(otherCall);
    };
    setImmediate(otherCall);
    await opening;
    // Two reports read (each read, parse, check) and one analysed, with a turn before each step.
    expect(turns).toBeGreaterThanOrEqual(7);
    // Opened again, nothing to read or work out: answered without giving way.
    turns = 0;
    answered.length = 0;
    setImmediate(otherCall);
    await open(alberta);
    answered.push('opened');
    expect(turns).toBe(0);
  });

  it('follows a sourced deposit, a change of the loan and a confirmation (nothing stale)', async () => {
    const { loan, alberta, jane } = await couple();
    expect(savings((await open(alberta)).reportFunds)).toMatchObject({ unsourced: 5_000 });

    // Sourcing Jane's deposit on her report: Alberta's next open no longer takes it off.
    await t.store.sourcedDeposits.mark(jane, 'plaid-jane-dep', 'Gift from her mother, letter on file');
    expect(savings((await open(alberta)).reportFunds)).toMatchObject({ unsourced: 0 });
    await t.store.sourcedDeposits.unmark(jane, 'plaid-jane-dep');
    expect(savings((await open(alberta)).reportFunds)).toMatchObject({ unsourced: 5_000 });

    // A higher income makes 5,000 no longer large (under half a month's income).
    await t.store.loans.update(loan.id, { qualifyingMonthlyIncome: 12_000 });
    expect(savings((await open(alberta)).reportFunds)).toMatchObject({ unsourced: 0 });
    await t.store.loans.update(loan.id, { qualifyingMonthlyIncome: 8_000 });
    expect(savings((await open(alberta)).reportFunds)).toMatchObject({ unsourced: 5_000 });

    // So does the lender's large-deposit share: 5,000 is under 90% of 8,000.
    await t.store.settings.update('largeDepositShare', 0.9);
    expect(savings((await open(alberta)).reportFunds)).toMatchObject({ unsourced: 0 });
  });

  it("works Jane's figures out once while nothing they depend on changes", async () => {
    const { alberta, jane } = await couple();
    const first = await open(alberta);
    const again = await open(alberta);
    expect(again.reportFunds[0]).toBe(first.reportFunds[0]);
    // Sourcing Jane's deposit changes what they depend on: worked out again.
    await t.store.sourcedDeposits.mark(jane, 'plaid-jane-dep', 'Gift');
    expect((await open(alberta)).reportFunds[0]).not.toBe(first.reportFunds[0]);
  });

  it("follows a confirmation of Jane's account", async () => {
    // Jane's savings in her mother's name: not counted until the officer confirms Jane owns it.
    const janes = janesReport('plaid-jane');
    const account = janes.report.items[1]!.accounts[0]!;
    account.owners = [{ names: ['Martha Doe'] }] as typeof account.owners;
    const { loan, alberta } = await couple(janes);
    expect(savings((await open(alberta)).reportFunds)).toBeUndefined();

    await handlers()['underwriting:confirmAccount']({
      loanId: loan.id,
      accountKey: 'ins_109509:1111:savings',
      kind: 'ownership',
      note: 'Joint ownership letter on file',
    });
    expect(savings((await open(alberta)).reportFunds)).toMatchObject({ counted: 14_000 });
    await handlers()['underwriting:withdrawConfirmation']({
      loanId: loan.id,
      accountKey: 'ins_109509:1111:savings',
      kind: 'ownership',
    });
    expect(savings((await open(alberta)).reportFunds)).toBeUndefined();
  });

  it('follows a refresh and a removal of the other report, and forgets what was removed', async () => {
    const { loan, applicantId, alberta, jane } = await couple();
    expect(savings((await open(alberta)).reportFunds)).toMatchObject({ counted: 14_000 });

    // Jane's refresh (savings 30,000) replaces her report in the loan's figures.
    const refresh = await stored(loan.id, applicantId, janesReport('plaid-jane-2', { savings: 30_000 }), jane);
    const afterRefresh = await open(alberta);
    expect(afterRefresh.reportFunds.map((f) => f.reportId)).toEqual(['plaid-jane-2']);
    expect(savings(afterRefresh.reportFunds)).toMatchObject({ counted: 30_000 });

    // Removed: its content is gone from the store and from memory; Jane's first report is current again.
    await t.store.reports.markRemoved(refresh);
    const afterRemoval = await open(alberta);
    expect(afterRemoval.reportFunds.map((f) => f.reportId)).toEqual(['plaid-jane']);
    expect(afterRemoval.reports.map((r) => r.report.asset_report_id)).toEqual(['plaid-jane']);
    const reads = countReads();
    expect(await readyContent.read(t.store, (await t.store.reports.summary(refresh))!)).toBeNull();
    expect(reads).toEqual([]); // answered from the store's summary: removed, nothing to read
  });

  it('keeps a bounded number of reports and bytes, the oldest used going first', async () => {
    const { loan, applicantId, alberta, jane } = await couple();
    const third = await stored(loan.id, applicantId, janesReport('plaid-jane-3', { savings: 1_000 }));
    const summaries = await Promise.all([alberta, jane, third].map(async (id) => (await t.store.reports.summary(id))!));
    const reads = countReads();

    const byCount = new ReadyContentCache({ reports: 2, jsonBytes: 64 * 1024 * 1024 });
    for (const summary of summaries) await byCount.read(t.store, summary);
    expect(byCount.size.reports).toBe(2);
    await byCount.read(t.store, summaries[2]!); // kept
    await byCount.read(t.store, summaries[0]!); // the oldest: gone, read again
    expect(reads).toEqual([alberta, jane, third, alberta]);

    // Room for one report's JSON only: each read replaces the last.
    const oneReport = (await t.store.reports.readJsonText(jane)).length;
    const byBytes = new ReadyContentCache({ reports: 10, jsonBytes: oneReport + 100 });
    for (const summary of summaries) await byBytes.read(t.store, summary);
    expect(byBytes.size.reports).toBe(1);
    expect(byBytes.size.jsonBytes).toBeLessThanOrEqual(oneReport + 100);

    // The evidence's JSON, once made for another report's open, counts too.
    const byEvidence = new ReadyContentCache({ reports: 10, jsonBytes: 64 * 1024 * 1024 });
    const kept = (await byEvidence.read(t.store, summaries[1]!))!;
    expect(byEvidence.size.jsonBytes).toBe(oneReport);
    const evidenceJson = kept.evidenceJson();
    expect(byEvidence.size.jsonBytes).toBe(oneReport + evidenceJson.length);
    const noRoomForEvidence = new ReadyContentCache({ reports: 10, jsonBytes: oneReport + 100 });
    await noRoomForEvidence.read(t.store, summaries[1]!).then((read) => read!.evidenceJson());
    expect(noRoomForEvidence.size).toEqual({ reports: 0, jsonBytes: 0 });

    // A report larger than the whole room is answered, never kept.
    const tooSmall = new ReadyContentCache({ reports: 10, jsonBytes: 10 });
    expect((await tooSmall.read(t.store, summaries[0]!))?.content.report.asset_report_id).toBe('plaid-alberta');
    expect(tooSmall.size).toEqual({ reports: 0, jsonBytes: 0 });
  });

  it('keeps nothing across a change of store (another history or a team desk)', async () => {
    const { alberta } = await couple();
    await open(alberta);
    expect(readyContent.size.reports).toBe(2);
    const other = await tempStore();
    try {
      // A store with no such report: the first read there drops everything kept of the first store.
      const summary = (await t.store.reports.summary(alberta))!;
      expect(await readyContent.read(other.store, { ...summary, status: 'removed' })).toBeNull();
      expect(readyContent.size.reports).toBe(0);
    } finally {
      await other.cleanup();
    }
  });

  it('shares one copy that no analysis changes', async () => {
    const { alberta, jane } = await couple();
    await open(alberta);
    await open(jane);
    await recountLoanFindings(t.store, (await t.store.reports.summary(alberta))!.loanId, now);
    for (const id of [alberta, jane]) {
      const kept = (await readyContent.read(t.store, (await t.store.reports.summary(id))!))!;
      const stored = readAssetReport(JSON.parse(await t.store.reports.readJsonText(id)));
      expect(stored.ok && kept.content).toEqual(stored.ok && stored.result);
    }
  });
});
