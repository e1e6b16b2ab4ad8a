import { AppError } from '../../shared/errors';
import { MAX_BORROWERS } from '../../shared/domain';
import { LOAN_NUMBER_TAKEN } from '../../electron/db/repositories/loans';
import { borrowerInput, newLoanInput } from '../helpers/applicant';
import { ACCESS_TOKEN, AUDIT_TOKEN, REPORT_TOKEN, SSN, pipeline, tempStore } from './helpers';

/** The loan file repository: a loan's terms, its borrowers, its number, its status and its deletion. */
describe('loan files in the store', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(() => t.cleanup());

  const caught = async (fn: () => unknown): Promise<AppError> => {
    try {
      await fn();
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      return error as AppError;
    }
    throw new Error('expected the store to refuse');
  };
  const borrowers = (n: number) =>
    Array.from({ length: n }, (_, i) => borrowerInput({ firstName: `Borrower${i}`, email: `b${i}@example.com` }));

  it(`takes 1 to ${MAX_BORROWERS} borrowers in the order given (the first is the primary); none or a fifth is refused`, async () => {
    for (let n = 1; n <= MAX_BORROWERS; n += 1) {
      const loan = await t.store.loans.create({ ...newLoanInput(), borrowers: borrowers(n) });
      expect(loan.borrowers.map((b) => [b.position, b.firstName])).toEqual(
        Array.from({ length: n }, (_, i) => [i, `Borrower${i}`]),
      );
      expect(loan.borrowers.every((b) => b.loanId === loan.id)).toBe(true);
    }
    expect((await caught(() => t.store.loans.create({ ...newLoanInput(), borrowers: [] }))).message).toBe(
      'Add at least one borrower',
    );
    const tooMany = await caught(() =>
      t.store.loans.create({ ...newLoanInput(), borrowers: borrowers(MAX_BORROWERS + 1) }),
    );
    expect(tooMany.message).toMatch(/at most 4 borrowers/);

    const four = await t.store.loans.create({ ...newLoanInput({ loanNumber: 'LN-FOUR' }), borrowers: borrowers(3) });
    const full = await t.store.loans.addBorrower(four.id, borrowerInput({ firstName: 'Fourth' }));
    expect(full.borrowers.map((b) => b.position)).toEqual([0, 1, 2, 3]);
    expect((await caught(() => t.store.loans.addBorrower(four.id, borrowerInput()))).message).toMatch(
      /at most 4 borrowers/,
    );
    expect((await t.store.loans.get(four.id))!.borrowers).toHaveLength(4);
    // Nothing of a refused loan is left behind.
    expect((await pipeline(t.store)).total).toBe(MAX_BORROWERS + 1);
  });

  it('a loan number belongs to one file, whatever its case or surrounding spaces: LOAN_NUMBER_TAKEN naming the field', async () => {
    const first = await t.store.loans.create(newLoanInput({ loanNumber: 'LN-2026-0042' }));
    for (const typed of ['LN-2026-0042', 'ln-2026-0042', ' Ln-2026-0042 ']) {
      const error = await caught(() => t.store.loans.create(newLoanInput({ loanNumber: typed })));
      expect(error).toMatchObject({ code: LOAN_NUMBER_TAKEN, field: 'loanNumber', retryable: false });
      expect(error.message).toMatch(/already used by another loan file/);
    }
    expect(await t.store.loans.findByNumber('ln-2026-0042')).toEqual({
      loanId: first.id,
      loanNumber: 'LN-2026-0042',
      borrowerNames: 'Maria Lopez',
    });
    expect(await t.store.loans.findByNumber('LN-2026-0043')).toBeNull();
    // Renumbering onto a taken number is refused too; keeping one's own number (in another case) is not.
    const second = await t.store.loans.create(newLoanInput({ loanNumber: 'LN-2026-0043' }));
    expect((await caught(() => t.store.loans.update(second.id, { loanNumber: 'ln-2026-0042' }))).code).toBe(
      LOAN_NUMBER_TAKEN,
    );
    expect((await t.store.loans.update(first.id, { loanNumber: 'ln-2026-0042' })).loanNumber).toBe('ln-2026-0042');
    // A borrower added later shows in the names offered.
    await t.store.loans.addBorrower(first.id, borrowerInput());
    expect((await t.store.loans.findByNumber('LN-2026-0042'))?.borrowerNames).toBe('Maria Lopez & Ana Lopez');
  });

  it('update changes only what is given and keeps the rest; it stamps updatedAt', async () => {
    const loan = await t.store.loans.create(
      newLoanInput({ loanNumber: 'LN-UPD', expectedNoteDate: '2026-12-01', reservesNeeded: 4000 }),
    );
    t.advance(60_000);
    const updated = await t.store.loans.update(loan.id, { fundsToClose: 70_000 });
    const { fundsToClose, updatedAt, ...unchanged } = updated;
    expect(fundsToClose).toBe(70_000);
    expect(updatedAt).toBe('2026-11-02T12:01:00.000Z');
    const { fundsToClose: _f, updatedAt: _u, ...before } = loan;
    expect(unchanged).toEqual(before);
    expect(await t.store.loans.update(loan.id, { loanPurpose: 'cash_out_refinance' })).toMatchObject({
      loanPurpose: 'cash_out_refinance',
      fundsToClose: 70_000,
      reservesNeeded: 4000,
      expectedNoteDate: '2026-12-01',
    });
    expect((await t.store.loans.update(loan.id, { expectedNoteDate: null })).expectedNoteDate).toBeNull();
    expect((await caught(() => t.store.loans.update('missing', { fundsToClose: 1 }))).message).toMatch(
      /no longer exists/,
    );
    expect(await caught(() => t.store.loans.update(loan.id, { fundsToClose: -1 }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'fundsToClose',
    });
  });

  it('a note date before the application date is refused, on create and on update, naming the note date', async () => {
    const refused = await caught(() =>
      t.store.loans.create(newLoanInput({ applicationDate: '2026-10-20', expectedNoteDate: '2026-10-19' })),
    );
    expect(refused).toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'expectedNoteDate',
      message: 'Expected note date can’t be before the application date',
    });
    const loan = await t.store.loans.create(
      newLoanInput({ applicationDate: '2026-10-20', expectedNoteDate: '2026-10-20' }),
    );
    expect(loan.expectedNoteDate).toBe('2026-10-20');
    expect((await caught(() => t.store.loans.update(loan.id, { expectedNoteDate: '2026-10-01' }))).field).toBe(
      'expectedNoteDate',
    );
    // Moving the application date past the note date is the same typo.
    expect((await caught(() => t.store.loans.update(loan.id, { applicationDate: '2026-10-25' }))).field).toBe(
      'expectedNoteDate',
    );
    expect(await t.store.loans.get(loan.id)).toMatchObject({
      applicationDate: '2026-10-20',
      expectedNoteDate: '2026-10-20',
    });
  });

  it('a property address: state read in capitals, unit optional, ZIP or ZIP+4; each bad part named; null clears it', async () => {
    const property = { street: ' 12 Mission St ', city: 'San Francisco', state: 'ca', zip: '94107-1234' };
    const loan = await t.store.loans.create({ ...newLoanInput(), loan: { ...newLoanInput().loan, property } });
    expect(loan.property).toEqual({ street: '12 Mission St', city: 'San Francisco', state: 'CA', zip: '94107-1234' });
    expect((await t.store.loans.update(loan.id, { property: { ...property, unit: 'Apt 4' } })).property).toMatchObject({
      unit: 'Apt 4',
      state: 'CA',
    });
    for (const [part, value, message] of [
      ['zip', '9410', /ZIP code must be 5 digits/],
      ['state', 'XX', /two-letter US state code/],
      ['street', '', /Property street address is required/],
      ['city', 'x'.repeat(81), /City is too long/],
    ] as const) {
      const error = await caught(() => t.store.loans.update(loan.id, { property: { ...property, [part]: value } }));
      expect(error, part).toMatchObject({ code: 'VALIDATION_FAILED', field: `property.${part}` });
      expect(error.message).toMatch(message);
    }
    expect((await t.store.loans.update(loan.id, { property: null })).property).toBeNull();
  });

  it('setStatus: closing or withdrawing stamps when (the retention clock), reopening clears it, the same status is a no-op', async () => {
    const loan = await t.store.loans.create(newLoanInput());
    expect(loan).toMatchObject({ status: 'open', statusChangedAt: null });
    t.advance(1000);
    expect(await t.store.loans.setStatus(loan.id, 'closed')).toMatchObject({
      status: 'closed',
      statusChangedAt: '2026-11-02T12:00:01.000Z',
    });
    t.advance(1000);
    expect((await t.store.loans.setStatus(loan.id, 'closed')).statusChangedAt).toBe('2026-11-02T12:00:01.000Z');
    expect((await t.store.loans.setStatus(loan.id, 'withdrawn')).statusChangedAt).toBe('2026-11-02T12:00:02.000Z');
    expect(await t.store.loans.setStatus(loan.id, 'open')).toMatchObject({ status: 'open', statusChangedAt: null });
    expect((await caught(() => t.store.loans.setStatus('missing', 'closed'))).message).toMatch(/no longer exists/);
  });

  it('addBorrower puts the co-borrower on the search text; a borrower edit shows once refreshSearchText runs', async () => {
    const loan = await t.store.loans.create(newLoanInput({ loanNumber: 'LN-CO' }));
    const found = async (query: string) => (await pipeline(t.store, { query })).rows.map((r) => r.id);
    expect(await found('kowalski')).toEqual([]);
    const withCo = await t.store.loans.addBorrower(loan.id, borrowerInput({ lastName: 'Kowalski', ssn: SSN }));
    const co = withCo.borrowers[1]!;
    expect(co).toMatchObject({ position: 1, lastName: 'Kowalski', ssnMasked: '***-**-8123' });
    expect(await t.store.applicants.revealSsn(co.id)).toBe(SSN);
    expect(await found('kowalski')).toEqual([loan.id]);
    expect(await found('ana.lopez@example')).toEqual([loan.id]);

    await t.store.applicants.update(co.id, { lastName: 'Nowak' });
    expect(await found('nowak')).toEqual([]); // the loan's search text is the caller's to refresh
    await t.store.loans.refreshSearchText(loan.id);
    expect(await found('nowak')).toEqual([loan.id]);
    expect(await found('kowalski')).toEqual([]);
    await expect(t.store.loans.addBorrower('missing', borrowerInput())).rejects.toThrowError(/no longer exists/);
    await expect(t.store.loans.addBorrower(loan.id, borrowerInput({ ssn: '000-12-3456' }))).rejects.toThrowError(
      /can’t start with 000/,
    );
    expect((await t.store.loans.get(loan.id))!.borrowers).toHaveLength(2);
  });

  it('delete takes the borrowers, Items, Hosted Link sessions, reports, content, audit copies, sourced deposits and confirmations; the activity outlives it', async () => {
    const keep = await t.store.loans.create(newLoanInput({ loanNumber: 'LN-KEEP' }));
    const loan = await t.store.loans.create({ ...newLoanInput({ loanNumber: 'LN-GONE' }), borrowers: borrowers(2) });
    const [primary, co] = loan.borrowers as [(typeof loan.borrowers)[0], (typeof loan.borrowers)[0]];
    const itemOf = (applicantId: string, n: number) =>
      t.store.items.add({
        applicantId,
        environment: 'sandbox',
        plaidItemId: `item-del-${n}`,
        accessToken: ACCESS_TOKEN,
        institutionId: `ins_${n}`,
        institutionName: `Bank ${n}`,
        accounts: [],
      });
    const items = [await itemOf(primary.id, 1), await itemOf(co.id, 2)];
    await itemOf(keep.borrowers[0]!.id, 3);
    const session = await t.store.hostedLinkSessions.add({
      applicantId: co.id,
      environment: 'sandbox',
      linkToken: 'link-sandbox-00000000-0000-4000-8000-000000000001',
      url: 'https://hosted.plaid.com/link/x',
      expiration: '2026-11-09T12:00:00.000Z',
      deliveryMethod: null,
    });
    const report = await t.store.reports.createPending({
      loanId: loan.id,
      applicantId: primary.id,
      environment: 'sandbox',
      kind: 'create',
      parentId: null,
      daysRequested: 61,
      itemIds: items.map((i) => i.id),
      includeApplicantDetails: true,
    });
    await t.store.reports.attachPlaid(report.id, { plaidReportId: 'plaid-del', reportToken: REPORT_TOKEN });
    await t.store.reports.markReady(report.id, {
      reportJson: '{"report":{}}',
      pdf: new Uint8Array([37, 80, 68, 70]),
      summary: { totalBalance: 1, accountCount: 1, earliestHistoryDate: null },
      readyAt: '2026-11-02T12:00:00.000Z',
    });
    expect(report.applicantName).toBe('Borrower0 Lopez & Borrower1 Lopez');
    await t.store.auditCopies.create({ reportId: report.id, auditorId: 'fannie_mae', token: AUDIT_TOKEN });
    await t.store.sourcedDeposits.mark(report.id, 'txn-1', 'gift');
    await t.store.accountConfirmations.confirm(co.id, {
      accountKey: 'ins_2:0000:checking',
      kind: 'ownership',
      note: 'joint',
    });
    await t.store.activity.append({ action: 'loan_created', loanId: loan.id, detail: {} });
    await t.store.activity.append({ action: 'report_created', reportId: report.id, detail: {} });

    const counts = async () => {
      const one = async (sql: string, ...params: unknown[]) => (await t.raw.value(sql, ...params)) as number;
      return {
        loans: await one('SELECT count(*) FROM loans WHERE id = ?', loan.id),
        borrowers: await one('SELECT count(*) FROM applicants WHERE loan_id = ?', loan.id),
        items: await one(`SELECT count(*) FROM items WHERE plaid_item_id IN ('item-del-1', 'item-del-2')`),
        sessions: await one('SELECT count(*) FROM hosted_link_sessions'),
        reports: await one('SELECT count(*) FROM reports WHERE loan_id = ?', loan.id),
        content: await one('SELECT count(*) FROM report_content'),
        reportItems: await one('SELECT count(*) FROM report_items'),
        auditCopies: await one('SELECT count(*) FROM audit_copies'),
        deposits: await one('SELECT count(*) FROM sourced_deposits'),
        confirmations: await one('SELECT count(*) FROM account_confirmations'),
        summaries: await one('SELECT count(*) FROM loan_env_summary WHERE loan_id = ?', loan.id),
      };
    };
    expect(await counts()).toEqual({
      loans: 1,
      borrowers: 2,
      items: 2,
      sessions: 1,
      reports: 1,
      content: 1,
      reportItems: 2,
      auditCopies: 1,
      deposits: 1,
      confirmations: 1,
      summaries: 1,
    });
    await t.store.loans.delete(loan.id);
    expect(await counts()).toEqual({
      loans: 0,
      borrowers: 0,
      items: 0,
      sessions: 0,
      reports: 0,
      content: 0,
      reportItems: 0,
      auditCopies: 0,
      deposits: 0,
      confirmations: 0,
      summaries: 0,
    });
    expect(await t.store.hostedLinkSessions.get(session.id)).toBeNull();
    expect(await t.store.loans.get(loan.id)).toBeNull();
    expect((await t.store.activity.list({ loanId: loan.id })).map((e) => e.action)).toEqual([
      'report_created',
      'loan_created',
    ]);
    // The other file is untouched.
    expect((await t.store.loans.get(keep.id))!.borrowers).toHaveLength(1);
    expect(await t.store.items.listForApplicant(keep.borrowers[0]!.id, 'sandbox')).toHaveLength(1);
    await expect(t.store.loans.delete(loan.id)).rejects.toThrowError(/no longer exists/);
  });
});
