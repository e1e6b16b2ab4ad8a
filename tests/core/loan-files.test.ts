import type { AxiosError } from 'axios';
import { NewLoanInput } from '../../shared/domain';
import { borrowerInput, newLoanInput } from '../helpers/applicant';
import { requireKeychain } from '../helpers/keychain';
import { linkBank, startHarness, until, type CoreHarness } from './harness';

/** Loan files through the real services: the store, the emulator through the SDK, the keychain. */
describe('loan files through the services', () => {
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

  /** A loan with Alberta and her co-borrower Jane, opened through loans:create as the form sends it. */
  async function twoBorrowerLoan(loanNumber: string) {
    const input = newLoanInput({ loanNumber, firstName: 'Alberta', lastName: 'Charleson', applicationDate: today });
    return h.handlers['loans:create'](
      NewLoanInput.parse({
        ...input,
        borrowers: [...input.borrowers, borrowerInput({ firstName: 'Jane', lastName: 'Doe' })],
      }),
    );
  }

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

  const plaidError = async (promise: Promise<unknown>) =>
    promise.then(
      () => 'OK',
      (error: AxiosError) => (error.response?.data as { error_code?: string } | undefined)?.error_code ?? 'NO_RESPONSE',
    );

  it('loans:create → loans:get: the same loan, both borrowers in order, no banks or reports yet; listed and logged', async () => {
    const property = { street: '1 Main St', city: 'Springfield', state: 'il', zip: '62701' };
    const input = newLoanInput({ loanNumber: 'LN-CORE-1', applicationDate: today, expectedNoteDate: null });
    const created = await h.handlers['loans:create'](
      NewLoanInput.parse({
        loan: { ...input.loan, property, loanPurpose: 'cash_out_refinance' },
        borrowers: [...input.borrowers, borrowerInput({ ssn: '512-44-8123' })],
      }),
    );
    const got = await h.handlers['loans:get']({ loanId: created.id });
    expect(got).toEqual({ loan: created, items: [], reports: [] });
    expect(got.loan).toMatchObject({
      loanNumber: 'LN-CORE-1',
      loanPurpose: 'cash_out_refinance',
      property: { ...property, state: 'IL' },
      status: 'open',
      borrowers: [
        { position: 0, firstName: 'Maria', ssnMasked: null },
        { position: 1, firstName: 'Ana', ssnMasked: '***-**-8123' },
      ],
    });
    // The full SSN stays in the main process: no response carries it.
    expect(h.responses.some((r) => r.includes('512-44-8123'))).toBe(false);
    const list = await h.handlers['loans:list']({ query: 'LN-CORE-1' });
    expect(list.rows.map((r) => [r.id, r.borrowers.length, r.reportStatus])).toEqual([[created.id, 2, 'no_report']]);
    expect(await h.handlers['loans:findByNumber']({ loanNumber: 'ln-core-1' })).toMatchObject({
      loanId: created.id,
      borrowerNames: 'Maria Lopez & Ana Lopez',
    });
    await expect(
      h.handlers['loans:create'](NewLoanInput.parse(newLoanInput({ loanNumber: 'Ln-Core-1', applicationDate: today }))),
    ).rejects.toMatchObject({ code: 'LOAN_NUMBER_TAKEN', field: 'loanNumber' });
    const log = await h.handlers['activity:list']({ loanId: created.id });
    expect(log.map((e) => e.action)).toEqual(['loan_created']);
    // The note date is a loan field, set with loans:update and logged.
    const updated = await h.handlers['loans:update']({ loanId: created.id, changes: { expectedNoteDate: today } });
    expect(updated.expectedNoteDate).toBe(today);
    expect((await h.handlers['activity:list']({ loanId: created.id }))[0]).toMatchObject({
      action: 'loan_updated',
      detail: { fields: ['expectedNoteDate'] },
    });
    await expect(h.handlers['loans:get']({ loanId: 'no-such-loan' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports:create combines both borrowers’ banks into one report named for both; an Item of another loan is refused', async () => {
    const loan = await twoBorrowerLoan('LN-CORE-2');
    const [alberta, jane] = loan.borrowers as [(typeof loan.borrowers)[0], (typeof loan.borrowers)[0]];
    const hers = await linkBank(h, alberta.id);
    const janes = await linkBank(h, jane.id, 'ins_109509', 'First Gingham Credit Union');
    const report = await readyReport(loan.id, [hers.id, janes.id]);
    expect(report).toMatchObject({
      loanId: loan.id,
      applicantId: alberta.id,
      applicantName: 'Alberta Charleson & Jane Doe',
    });
    const got = await h.handlers['loans:get']({ loanId: loan.id });
    expect(got.items.map((i) => i.applicantId).sort()).toEqual([alberta.id, jane.id].sort());
    expect(got.reports).toHaveLength(1);
    expect(got.reports[0]).toMatchObject({
      id: report.id,
      status: 'ready',
      applicantName: 'Alberta Charleson & Jane Doe',
      institutions: expect.arrayContaining(['First Platypus Bank', 'First Gingham Credit Union']),
    });
    // A report of Jane's bank alone is hers: she goes to Plaid as the applicant.
    const janesOwn = await h.handlers['reports:create']({
      loanId: loan.id,
      itemIds: [janes.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    expect(janesOwn).toMatchObject({ applicantId: jane.id, applicantName: 'Jane Doe' });

    const other = await twoBorrowerLoan('LN-CORE-3');
    const stranger = await linkBank(h, other.borrowers[0]!.id);
    await expect(
      h.handlers['reports:create']({
        loanId: loan.id,
        itemIds: [hers.id, stranger.id],
        daysRequested: 61,
        includeApplicantDetails: false,
      }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'itemIds' });
    expect((await h.handlers['loans:get']({ loanId: loan.id })).reports).toHaveLength(2);
    expect((await h.handlers['loans:get']({ loanId: other.id })).reports).toHaveLength(0);
  });

  it('the list counts follow the loan terms the analysis reads: funds to close recounts, the property does not', async () => {
    const loan = await twoBorrowerLoan('LN-CORE-RECOUNT');
    const bank = await linkBank(h, loan.borrowers[0]!.id);
    const report = await readyReport(loan.id, [bank.id]);
    const counts = async () => (await h.handlers['reports:summary']({ reportId: report.id })).findingCounts;
    const before = await counts();
    // Funds to close far above every balance: the funds-to-close finding needs attention.
    await h.handlers['loans:update']({ loanId: loan.id, changes: { fundsToClose: 40_000_000 } });
    const short = await counts();
    expect(short!.attention).toBeGreaterThan(before!.attention);
    // A stale count planted in the store: an edit that changes no finding leaves it alone.
    await store().reports.setFindingCounts(report.id, { attention: 99, info: 99 });
    await h.handlers['loans:update']({
      loanId: loan.id,
      changes: { property: { street: '1 Main St', city: 'Oakland', state: 'CA', zip: '94607' } },
    });
    expect(await counts()).toEqual({ attention: 99, info: 99 });
    await h.handlers['loans:update']({ loanId: loan.id, changes: { fundsToClose: 40_000_001 } });
    expect(await counts()).toEqual(short);
  });

  it('the list counts follow the loan’s status (document age reads it): a change recounts, the same status does not', async () => {
    const loan = await twoBorrowerLoan('LN-CORE-STATUS-RECOUNT');
    const bank = await linkBank(h, loan.borrowers[0]!.id);
    const report = await readyReport(loan.id, [bank.id]);
    const counts = async () => (await h.handlers['reports:summary']({ reportId: report.id })).findingCounts;
    const fresh = await counts();
    await store().reports.setFindingCounts(report.id, { attention: 99, info: 99 });
    await h.handlers['loans:setStatus']({ loanId: loan.id, status: 'closed' });
    expect(await counts()).toEqual(fresh);
    await store().reports.setFindingCounts(report.id, { attention: 99, info: 99 });
    await h.handlers['loans:setStatus']({ loanId: loan.id, status: 'closed' });
    expect(await counts()).toEqual({ attention: 99, info: 99 });
  });

  it('a closed or withdrawn loan makes no new report until it is reopened', async () => {
    const loan = await twoBorrowerLoan('LN-CORE-CLOSED');
    const bank = await linkBank(h, loan.borrowers[0]!.id);
    const request = { loanId: loan.id, itemIds: [bank.id], daysRequested: 61, includeApplicantDetails: false };
    for (const status of ['closed', 'withdrawn'] as const) {
      await h.handlers['loans:setStatus']({ loanId: loan.id, status });
      await expect(h.handlers['reports:create'](request)).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining(`is ${status}. Reopen it`),
      });
    }
    expect((await h.handlers['loans:get']({ loanId: loan.id })).reports).toHaveLength(0);
    await h.handlers['loans:setStatus']({ loanId: loan.id, status: 'open' });
    await expect(h.handlers['reports:create'](request)).resolves.toMatchObject({ loanId: loan.id, status: 'pending' });
  });

  it('borrowers:remove is refused while a report covers their banks; once removed, they go with their Items (removed at Plaid)', async () => {
    const loan = await twoBorrowerLoan('LN-CORE-4');
    const [alberta, jane] = loan.borrowers as [(typeof loan.borrowers)[0], (typeof loan.borrowers)[0]];
    const hers = await linkBank(h, alberta.id);
    const janes = await linkBank(h, jane.id, 'ins_109509', 'First Gingham Credit Union');
    const report = await readyReport(loan.id, [hers.id, janes.id]);
    const janesToken = await store().items.accessToken(janes.id);

    await expect(h.handlers['borrowers:remove']({ applicantId: jane.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^Jane Doe’s banks are in 1 report on this loan\. Remove those reports first\./),
    });
    await expect(h.handlers['borrowers:remove']({ applicantId: alberta.id })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/primary borrower stays/),
    });
    expect(await plaidError(h.plaid.itemGet({ access_token: janesToken }))).toBe('OK');

    await h.handlers['reports:remove']({ reportId: report.id });
    const after = await h.handlers['borrowers:remove']({ applicantId: jane.id });
    expect(after.borrowers.map((b) => b.id)).toEqual([alberta.id]);
    expect(await plaidError(h.plaid.itemGet({ access_token: janesToken }))).toMatch(
      /INVALID_ACCESS_TOKEN|ITEM_NOT_FOUND/,
    );
    expect(await store().applicants.get(jane.id)).toBeNull();
    expect(await store().items.get(janes.id)).toBeNull();
    // Alberta's bank is untouched; the log keeps who left.
    expect(await plaidError(h.plaid.itemGet({ access_token: await store().items.accessToken(hers.id) }))).toBe('OK');
    expect(
      (await h.handlers['activity:list']({ loanId: loan.id })).find((e) => e.action === 'borrower_removed'),
    ).toMatchObject({
      applicantId: jane.id,
      detail: { name: 'Jane Doe' },
    });
    // The loan no longer answers to her name.
    expect((await h.handlers['loans:list']({ query: 'LN-CORE-4 doe' })).total).toBe(0);

    // A co-borrower with no report is removed at once.
    const withCo = await h.handlers['borrowers:add']({
      loanId: loan.id,
      borrower: borrowerInput({ firstName: 'Sam' }),
    });
    const sam = withCo.borrowers[1]!;
    expect((await h.handlers['borrowers:remove']({ applicantId: sam.id })).borrowers).toHaveLength(1);
  });

  it('in the hand-off the applicant may read only their own loan file', async () => {
    const mine = await twoBorrowerLoan('LN-CORE-5');
    const theirs = await twoBorrowerLoan('LN-CORE-6');
    await h.handlers['handoff:setPin']({ pin: '2468' });
    await h.handlers['handoff:start']({ applicantId: mine.borrowers[1]!.id });
    try {
      expect((await h.handlers['loans:get']({ loanId: mine.id })).loan.id).toBe(mine.id);
      for (const attempt of [
        () => h.handlers['loans:get']({ loanId: theirs.id }),
        () => h.handlers['loans:list']({}),
        () => h.handlers['loans:findByNumber']({ loanNumber: 'LN-CORE-6' }),
        () => h.handlers['loans:update']({ loanId: mine.id, changes: { fundsToClose: 1 } }),
        () => h.handlers['borrowers:add']({ loanId: mine.id, borrower: borrowerInput() }),
        () => h.handlers['activity:list']({ loanId: mine.id }),
      ])
        await expect(attempt()).rejects.toMatchObject({ code: 'FORBIDDEN_SENDER' });
    } finally {
      await h.handlers['handoff:end']({ pin: '2468' });
    }
    expect((await h.handlers['loans:get']({ loanId: theirs.id })).loan.id).toBe(theirs.id);
  });
});
