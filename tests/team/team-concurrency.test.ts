import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { NewLoanInput } from '../../shared/domain';
import { borrowerInput, splitApplicantInput } from '../helpers/applicant';
import {
  APPLICANT,
  createApplicant,
  EMULATOR_CLIENT_ID,
  EMULATOR_SECRET,
  readyReport,
  type CoreHarness,
} from '../core/harness';
import { setUpTeamDatabase, startTeamDesk, type TeamFixture } from './team-setup';

/**
 * Two desks of one team, each signed in as its own login, pressing the same button on the same file or report at the
 * same moment: nothing is done twice, nothing is lost, and the desk that came second is told what happened.
 */
describe('two desks acting on the same loan file or report at once', () => {
  let team: TeamFixture;
  let emulator: RunningEmulator;
  let admin: CoreHarness;
  let officer: CoreHarness;

  beforeAll(async () => {
    team = await setUpTeamDatabase();
    emulator = await startEmulator({ clientId: EMULATOR_CLIENT_ID, secret: EMULATOR_SECRET, readyAfterMs: 200 });
    admin = await startTeamDesk(team, emulator, { role: 'admin' });
    officer = await startTeamDesk(team, emulator, { role: 'officer', name: 'Olivia Officer' });
  });
  afterAll(async () => {
    for (const desk of [admin, officer]) await desk?.close().catch(() => undefined);
    await emulator?.close();
  });

  /** Made at the admin's desk, ready as the officer's desk reads it. */
  const readyAtBothDesks = async (loanNumber: string) => (await readyReport(admin, loanNumber, officer)).report;

  it('both remove it: removed once, one entry in the activity log, the second desk told it was already done', async () => {
    const report = await readyAtBothDesks('LN-TWICE-0001');
    const outcomes = await Promise.allSettled([
      admin.handlers['reports:remove']({ reportId: report.id }),
      officer.handlers['reports:remove']({ reportId: report.id }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
    expect(refused.reason).toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/^This report was already removed, by (Alice Admin|Olivia Officer)\./),
    });
    const removals = (await admin.services.internals.store()!.activity.list({ reportId: report.id })).filter(
      (entry) => entry.action === 'report_removed',
    );
    expect(removals).toHaveLength(1);
    expect((await officer.handlers['reports:summary']({ reportId: report.id })).status).toBe('removed');

    // Pressing Remove again later (a screen not yet reloaded) says the same and records nothing more.
    await expect(officer.handlers['reports:remove']({ reportId: report.id })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(
      (await admin.services.internals.store()!.activity.list({ reportId: report.id })).filter(
        (entry) => entry.action === 'report_removed',
      ),
    ).toHaveLength(1);
  });

  it('both refresh it: one refresh report, which the second desk joins', async () => {
    const report = await readyAtBothDesks('LN-TWICE-0002');
    const [a, b] = await Promise.all([
      admin.handlers['reports:refresh']({ reportId: report.id }),
      officer.handlers['reports:refresh']({ reportId: report.id }),
    ]);
    expect(a.id).toBe(b.id);
    const reports = await admin.services.internals.store()!.reports.listForLoan(report.loanId, 'emulator');
    expect(reports.map((r) => r.kind).sort()).toEqual(['create', 'refresh']);
  });

  it('one removes it while the other refreshes it: the refresh is refused, saying why', async () => {
    const report = await readyAtBothDesks('LN-TWICE-0003');
    await officer.handlers['reports:remove']({ reportId: report.id });
    await expect(admin.handlers['reports:refresh']({ reportId: report.id })).rejects.toMatchObject({
      code: 'INVALID_PARENT',
    });
  });

  it('both share it with Fannie Mae at once: one copy is made at Plaid, and both desks are given it', async () => {
    const report = await readyAtBothDesks('LN-TWICE-0007');
    const [a, b] = await Promise.all([
      admin.handlers['auditCopies:create']({ reportId: report.id, auditorId: 'fannie_mae' }),
      officer.handlers['auditCopies:create']({ reportId: report.id, auditorId: 'fannie_mae' }),
    ]);
    expect(a.id).toBe(b.id);
    const copies = await admin.handlers['auditCopies:list']({ reportId: report.id });
    expect(copies.map((copy) => copy.auditorId)).toEqual(['fannie_mae']);
    const made = (await admin.services.internals.store()!.activity.list({ reportId: report.id })).filter(
      (entry) => entry.action === 'audit_copy_created',
    );
    expect(made).toHaveLength(1);

    // Freddie Mac is another agency: its copy is made alongside, not joined.
    const [fannie, freddie] = await Promise.all([
      admin.handlers['auditCopies:create']({ reportId: report.id, auditorId: 'fannie_mae' }),
      officer.handlers['auditCopies:create']({ reportId: report.id, auditorId: 'freddie_mac' }),
    ]);
    expect(fannie.id).not.toBe(a.id);
    expect(freddie.auditorId).toBe('freddie_mac');
  });

  it('both save the same loan file at once, each a different field: both changes are kept', async () => {
    const borrower = await createApplicant(admin.handlers, { loanNumber: 'LN-TWICE-0004', fundsToClose: 20_000 });
    for (let round = 1; round <= 5; round += 1) {
      await Promise.all([
        admin.handlers['loans:update']({ loanId: borrower.loanId, changes: { fundsToClose: 30_000 + round } }),
        officer.handlers['loans:update']({ loanId: borrower.loanId, changes: { reservesNeeded: 4_000 + round } }),
        admin.handlers['borrowers:update']({ applicantId: borrower.id, changes: { phone: `+1 415 555 01${round}0` } }),
        officer.handlers['borrowers:update']({
          applicantId: borrower.id,
          changes: { email: `round${round}@example.com` },
        }),
      ]);
      const { loan } = await officer.handlers['loans:get']({ loanId: borrower.loanId });
      expect([loan.fundsToClose, loan.reservesNeeded], `round ${round}`).toEqual([30_000 + round, 4_000 + round]);
      expect([loan.borrowers[0]!.phone, loan.borrowers[0]!.email], `round ${round}`).toEqual([
        `+1415555 01${round}0`.replace(' ', ''),
        `round${round}@example.com`,
      ]);
    }
  });

  it('both open a loan file with the same number at once: one is made, the other is told the number is taken', async () => {
    const input = NewLoanInput.parse(splitApplicantInput({ ...APPLICANT, loanNumber: 'LN-TWICE-0005' }));
    const outcomes = await Promise.allSettled([
      admin.handlers['loans:create'](input),
      officer.handlers['loans:create'](input),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!.reason).toMatchObject({
      code: 'LOAN_NUMBER_TAKEN',
      message: 'Loan number LN-TWICE-0005 is already used by another loan file. Open that file, or check the number.',
    });
  });

  it('both add a fourth borrower at once: the file stays at four, the other desk is told why', async () => {
    const first = await createApplicant(admin.handlers, { loanNumber: 'LN-TWICE-0006' });
    await admin.handlers['borrowers:add']({ loanId: first.loanId, borrower: borrowerInput({ firstName: 'Bo' }) });
    await admin.handlers['borrowers:add']({ loanId: first.loanId, borrower: borrowerInput({ firstName: 'Cy' }) });
    const outcomes = await Promise.allSettled([
      admin.handlers['borrowers:add']({ loanId: first.loanId, borrower: borrowerInput({ firstName: 'Di' }) }),
      officer.handlers['borrowers:add']({ loanId: first.loanId, borrower: borrowerInput({ firstName: 'Ed' }) }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    expect(outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!.reason).toMatchObject({
      code: 'CONFLICT',
      message: 'A loan file has at most 4 borrowers.',
    });
    const { loan } = await officer.handlers['loans:get']({ loanId: first.loanId });
    expect(loan.borrowers.map((b) => b.position)).toEqual([0, 1, 2, 3]);
  });
});
