import { NewLoanInput } from '../../shared/domain';
import { analyzeInContext, readAssetReport } from '../../shared/underwriting';
import { analysisContextFor } from '../../electron/services/features/underwriting';
import { borrowerInput, newLoanInput } from '../helpers/applicant';
import { requireKeychain } from '../helpers/keychain';
import { linkBank, startHarness, until, type CoreHarness } from './harness';

/**
 * A couple with a report each, through the real services and the emulator: when the co-borrower's report becomes
 * ready, the borrower's earlier report is counted again, since its funds to close is now read with the loan's other
 * report. The list counts must match what the report screen works out, not the report alone.
 */
describe("the lists recount a report when a co-borrower's report becomes ready", () => {
  let h: CoreHarness;
  beforeAll(async () => {
    await requireKeychain();
    h = await startHarness({ readyAfterMs: 0 });
  }, 30_000);
  afterAll(async () => {
    await h?.close();
  });
  const store = () => h.services.internals.store()!;
  const today = new Date().toISOString().slice(0, 10);

  async function readyReport(loanId: string, itemIds: string[]) {
    const report = await h.handlers['reports:create']({
      loanId,
      itemIds,
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await until(async () => (await store().reports.get(report.id))?.status === 'ready', 'the report is ready');
    return report;
  }
  async function analysed(loanId: string, reportId: string) {
    const loan = (await store().loans.get(loanId))!;
    const read = readAssetReport(await store().reports.readJson(reportId));
    if (!read.ok) throw new Error('the report could not be read');
    return analyzeInContext(read.result, await analysisContextFor(store(), loan, reportId, new Date()));
  }

  it("Alberta's report, short alone by a dollar, is covered once Jane's is ready, and its count says so", async () => {
    // The emulator names Alberta Bobbeth Charleson as the owner at every bank: Jane's bank is in Alberta's name too.
    const input = newLoanInput({
      loanNumber: 'LN-CORE-COUPLE',
      firstName: 'Alberta',
      middleName: 'Bobbeth',
      lastName: 'Charleson',
      applicationDate: today,
    });
    const loan = await h.handlers['loans:create'](
      NewLoanInput.parse({
        ...input,
        borrowers: [...input.borrowers, borrowerInput({ firstName: 'Jane', lastName: 'Doe' })],
      }),
    );
    const albertasBank = await linkBank(h, loan.borrowers[0]!.id);
    const albertas = await readyReport(loan.id, [albertasBank.id]);
    // Funds to close a dollar above what Alberta's report holds (no reserves): short alone, by 1.00.
    const alone = (await analysed(loan.id, albertas.id)).fundsToClose;
    await h.handlers['loans:update']({
      loanId: loan.id,
      changes: { fundsToClose: alone.availableFunds + 1, reservesNeeded: 0 },
    });
    expect(alone.availableFunds).toBeGreaterThan(0);
    const short = await analysed(loan.id, albertas.id);
    expect(short.fundsToClose).toMatchObject({ shortfall: 1, loan: null });
    const countsBefore = (await h.handlers['reports:summary']({ reportId: albertas.id })).findingCounts;
    expect(countsBefore).toEqual(short.counts);

    // Jane links another bank (First Gingham) and her report is made: together they cover the dollar.
    const janesBank = await linkBank(h, loan.borrowers[1]!.id, 'ins_109509', 'First Gingham Credit Union');
    const janes = await readyReport(loan.id, [janesBank.id]);
    const together = await analysed(loan.id, albertas.id);
    expect(together.fundsToClose.shortfall).toBe(1);
    expect(together.fundsToClose.loan).toMatchObject({ shortfall: 0 });
    expect(together.fundsToClose.loan!.availableFunds).toBeGreaterThan(alone.availableFunds + 1);
    expect(together.findings.find((f) => f.id === 'funds-to-close')?.severity).toBe('info');
    // The list's count for Alberta's report followed, without anything else being edited (it is recounted as Jane's
    // report is stored, just after Jane's reads as ready: waited for, not raced).
    const summary = () => h.handlers['reports:summary']({ reportId: albertas.id });
    const countsAfter = await until(async () => {
      const counts = (await summary()).findingCounts;
      return counts?.attention === together.counts.attention && counts;
    }, "Alberta's report to be recounted");
    expect(countsAfter).toEqual(together.counts);
    expect(countsAfter!.attention).toBeLessThan(countsBefore!.attention);
    expect((await h.handlers['reports:summary']({ reportId: janes.id })).findingCounts).toEqual(
      (await analysed(loan.id, janes.id)).counts,
    );
  });
});
