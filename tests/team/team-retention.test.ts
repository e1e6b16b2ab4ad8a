import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { EMULATOR_CLIENT_ID, EMULATOR_SECRET, readyReport, type CoreHarness } from '../core/harness';
import { setUpTeamDatabase, startTeamDesk, type TeamFixture } from './team-setup';

/**
 * The retention period is the team's setting and the admin's desk alone removes what is past it, so two desks
 * never remove the same report and a processor's desk (which may remove nothing) never tries. Desks started
 * 40 days later (their clock moved on) with a closed loan past a 30-day retention.
 */
describe('retention on a team', () => {
  let team: TeamFixture;
  let emulator: RunningEmulator;
  let admin: CoreHarness;
  const later = () => new Date(Date.now() + 40 * 24 * 3600_000);

  beforeAll(async () => {
    team = await setUpTeamDatabase();
    emulator = await startEmulator({ clientId: EMULATOR_CLIENT_ID, secret: EMULATOR_SECRET, readyAfterMs: 200 });
    admin = await startTeamDesk(team, emulator, { role: 'admin' });
  });
  afterAll(async () => {
    await admin?.close().catch(() => undefined);
    await emulator?.close();
  });

  it("is swept by the admin's desk only", async () => {
    const { borrower, report } = await readyReport(admin, 'LN-RETAIN-1');
    await admin.handlers['loans:setStatus']({ loanId: borrower.loanId, status: 'closed' });
    await admin.handlers['settings:update']({ retentionDays: 30 });

    for (const role of ['officer', 'processor'] as const) {
      const desk = await startTeamDesk(team, emulator, { role, name: `Morgan ${role}` }, { clock: later });
      try {
        await desk.services.background();
        expect((await desk.handlers['app:info']({})).backgroundWork, role).toBeNull();
        expect((await desk.handlers['reports:summary']({ reportId: report.id })).status, role).toBe('ready');
      } finally {
        await desk.close();
      }
    }

    await admin.close();
    admin = await startTeamDesk(team, emulator, { role: 'admin' }, { clock: later });
    await admin.services.background();
    expect((await admin.handlers['reports:summary']({ reportId: report.id })).status).toBe('removed');
    const removals = (await admin.services.internals.store()!.activity.list({ reportId: report.id })).filter(
      (entry) => entry.action === 'report_removed',
    );
    expect(removals.map((entry) => entry.actor)).toEqual(['Alice Admin']);
  });
});
