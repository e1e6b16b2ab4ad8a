import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import {
  createApplicant,
  EMULATOR_CLIENT_ID,
  EMULATOR_SECRET,
  linkBank,
  until,
  type CoreHarness,
} from '../core/harness';
import { setUpTeamDatabase, startTeamDesk, type TeamFixture } from './team-setup';

/**
 * Two desks of one team, each signed in as its own login, pressing the same button on the same report at the
 * same moment: nothing is done twice, nothing is lost, and the desk that came second is told what happened.
 */
describe('two desks acting on one report at once', () => {
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

  async function readyReport(loanNumber: string) {
    const borrower = await createApplicant(admin.handlers, { loanNumber });
    const item = await linkBank(admin, borrower.id);
    const report = await admin.handlers['reports:create']({
      loanId: borrower.loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await until(
      async () => (await officer.handlers['reports:summary']({ reportId: report.id })).status === 'ready',
      'the report to be ready at both desks',
    );
    return report;
  }

  it('both remove it: removed once, one entry in the activity log, the second desk told it was already done', async () => {
    const report = await readyReport('LN-TWICE-0001');
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
    const report = await readyReport('LN-TWICE-0002');
    const [a, b] = await Promise.all([
      admin.handlers['reports:refresh']({ reportId: report.id }),
      officer.handlers['reports:refresh']({ reportId: report.id }),
    ]);
    expect(a.id).toBe(b.id);
    const reports = await admin.services.internals.store()!.reports.listForLoan(report.loanId, 'emulator');
    expect(reports.map((r) => r.kind).sort()).toEqual(['create', 'refresh']);
  });

  it('one removes it while the other refreshes it: the refresh is refused, saying why', async () => {
    const report = await readyReport('LN-TWICE-0003');
    await officer.handlers['reports:remove']({ reportId: report.id });
    await expect(admin.handlers['reports:refresh']({ reportId: report.id })).rejects.toMatchObject({
      code: 'INVALID_PARENT',
    });
  });
});
