import { borrowerWithBank, tempStore } from './helpers';
import { analysisContextFor, underwritingConfirmationHandlers } from '../../electron/services/features/underwriting';
import { personaReport } from '../underwriting/persona-report';

/** Officer's sourcing marks and account confirmations carry to refreshed and filtered reports (issue 13). */
describe('underwriting marks that carry to child reports', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(() => t.cleanup());

  async function family() {
    const { applicant, item } = await borrowerWithBank(t.store, [
      { accountId: 'acc-1', name: 'Checking', mask: '0000', type: 'depository', subtype: 'checking' },
    ]);
    const base = {
      loanId: applicant.loanId,
      applicantId: applicant.id,
      environment: 'sandbox' as const,
      daysRequested: 61,
      itemIds: [item.id],
    };
    const original = await t.store.reports.createPending({
      ...base,
      kind: 'create',
      parentId: null,
      includeApplicantDetails: true,
    });
    const refresh = await t.store.reports.createPending({
      ...base,
      kind: 'refresh',
      parentId: original.id,
      includeApplicantDetails: false,
    });
    const filtered = await t.store.reports.createPending({
      ...base,
      kind: 'filter',
      parentId: refresh.id,
      includeApplicantDetails: false,
    });
    return { applicant, original, refresh, filtered };
  }

  it('a deposit sourced on a report is sourced on its refresh and on a filtered copy of that; undo on the child withdraws it', async () => {
    const { original, refresh, filtered } = await family();
    await t.store.sourcedDeposits.mark(original.id, 'txn-gift', 'Gift letter from parents');
    await t.store.sourcedDeposits.mark(refresh.id, 'txn-car', 'Sale of a car');
    expect((await t.store.sourcedDeposits.listCarried(filtered.id)).map((d) => [d.transactionId, d.note])).toEqual([
      ['txn-car', 'Sale of a car'],
      ['txn-gift', 'Gift letter from parents'],
    ]);
    // The parent does not inherit from its child.
    expect((await t.store.sourcedDeposits.listCarried(original.id)).map((d) => d.transactionId)).toEqual(['txn-gift']);
    await t.store.sourcedDeposits.unmark(filtered.id, 'txn-gift');
    expect((await t.store.sourcedDeposits.listCarried(filtered.id)).map((d) => d.transactionId)).toEqual(['txn-car']);
    expect(await t.store.sourcedDeposits.list(original.id)).toEqual([]);
  });

  it('account confirmations are kept per loan and account identity, encrypted, and reach every report context', async () => {
    const { applicant, original, filtered } = await family();
    const loan = async () => (await t.store.loans.get(applicant.loanId))!;
    await t.store.accountConfirmations.confirm(applicant.id, {
      accountKey: 'ins_109508:7070:checking',
      kind: 'business_review',
      note: 'Two years of business returns reviewed',
    });
    await t.store.accountConfirmations.confirm(applicant.id, {
      accountKey: 'ins_1:1234:checking',
      kind: 'conversion',
      note: 'Bank of Canada rate',
      usdRate: 0.73,
    });
    expect(await t.store.accountConfirmations.listForLoan(applicant.loanId)).toMatchObject([
      { accountKey: 'ins_109508:7070:checking', kind: 'business_review', usdRate: null },
      { accountKey: 'ins_1:1234:checking', kind: 'conversion', usdRate: 0.73 },
    ]);
    for (const reportId of [original.id, filtered.id]) {
      const context = await analysisContextFor(t.store, await loan(), reportId, new Date('2026-11-02T23:30:00'));
      expect(context.settings.accountConfirmations.map((c) => c.kind)).toEqual(['business_review', 'conversion']);
      // The officer's local date, not UTC.
      expect(context.asOf).toBe('2026-11-02');
    }
    // The note is sealed at rest: the column holds no plain text.
    const sealed = (await t.raw.all('SELECT note_enc FROM account_confirmations')) as { note_enc: Buffer }[];
    expect(sealed).toHaveLength(2);
    for (const row of sealed) expect(row.note_enc.toString('latin1')).not.toContain('Two years');
    // The expected note date is a loan field (set through loans:update) every report's context reads.
    expect((await analysisContextFor(t.store, await loan(), original.id, new Date())).loan.expectedNoteDate).toBeNull();
    await t.store.loans.update(applicant.loanId, { expectedNoteDate: '2026-12-15' });
    expect((await analysisContextFor(t.store, await loan(), filtered.id, new Date())).loan.expectedNoteDate).toBe(
      '2026-12-15',
    );
    await t.store.loans.update(applicant.loanId, { expectedNoteDate: null });
    expect((await loan()).expectedNoteDate).toBeNull();
    await t.store.accountConfirmations.withdrawForLoan(applicant.loanId, 'ins_1:1234:checking', 'conversion');
    expect((await t.store.accountConfirmations.listForLoan(applicant.loanId)).map((c) => c.kind)).toEqual([
      'business_review',
    ]);
  });

  it('confirming an account through the IPC handler re-counts the findings the lists show', async () => {
    const { applicant, original } = await family();
    // user_heavy: the business account is held back (one attention finding for it, one on the ownership side).
    await t.store.reports.markReady(original.id, {
      reportJson: JSON.stringify(personaReport('user_heavy')),
      pdf: new Uint8Array([37, 80, 68, 70]),
      summary: { totalBalance: 0, accountCount: 8, earliestHistoryDate: null },
      readyAt: '2026-11-02T12:05:00.000Z',
    });
    const handlers = underwritingConfirmationHandlers({
      store: () => t.store,
      clock: () => new Date('2026-03-31T12:00:00'),
    });
    const counts = async () => (await t.store.reports.get(original.id))?.findingCounts ?? null;
    await handlers['underwriting:withdrawConfirmation']({
      loanId: applicant.loanId,
      accountKey: 'none',
      kind: 'ownership',
    });
    const before = await counts();
    await handlers['underwriting:confirmAccount']({
      loanId: applicant.loanId,
      accountKey: 'ins_109508:7070:checking',
      kind: 'business_review',
      note: 'Two years of business returns reviewed',
    });
    const after = await counts();
    // The 'funds-not-counted:business' finding is gone; the ownership finding for business accounts stays.
    expect(after?.attention).toBe((before?.attention ?? 0) - 1);
    expect((await handlers['underwriting:listConfirmations']({ loanId: applicant.loanId })).map((c) => c.kind)).toEqual(
      ['business_review'],
    );
    expect((await t.store.activity.list({ loanId: applicant.loanId })).map((e) => e.action)).toEqual(
      expect.arrayContaining(['account_confirmed', 'account_unconfirmed']),
    );
  });
});
