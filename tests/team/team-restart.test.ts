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
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster';
import { setUpTeamDatabase, startTeamDesk, type TeamFixture } from './team-setup';

/**
 * The office restarts its PostgreSQL while two desks work (a cluster of this file's own, so no other test
 * loses its server): while it is down every desk says what it cannot do and why, in the officer's words; a
 * report Plaid is making meanwhile is not lost; when it is back both desks are online again within seconds,
 * reload their screens, and the report ends ready, once.
 */
describe('the team database restarts while two desks work', () => {
  let cluster: PostgresCluster;
  let team: TeamFixture;
  let emulator: RunningEmulator;
  let admin: CoreHarness;
  let officer: CoreHarness;

  beforeAll(async () => {
    cluster = await startPostgresCluster();
    team = await setUpTeamDatabase(cluster);
    emulator = await startEmulator({ clientId: EMULATOR_CLIENT_ID, secret: EMULATOR_SECRET, readyAfterMs: 2_500 });
    admin = await startTeamDesk(team, emulator, { role: 'admin' });
    officer = await startTeamDesk(team, emulator, { role: 'officer', name: 'Olivia Officer' });
  }, 60_000);
  afterAll(async () => {
    for (const desk of [admin, officer]) await desk?.close().catch(() => undefined);
    await emulator?.close();
    cluster?.stop();
  });

  it('says what cannot be done while it is down, and carries on the report once it is back', async () => {
    const borrower = await createApplicant(admin.handlers, { loanNumber: 'LN-RESTART-1' });
    const item = await linkBank(admin, borrower.id);
    const report = await admin.handlers['reports:create']({
      loanId: borrower.loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    const heardBefore = officer.events.length;

    cluster.halt();
    try {
      // Down for a few seconds, as a restart is.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await until(
        async () => (await officer.handlers['team:status']({})).connection?.status !== 'online',
        "the officer's desk to notice",
      );
      await expect(officer.handlers['loans:list']({})).rejects.toMatchObject({
        code: 'TEAM_OFFLINE',
        message: expect.stringMatching(
          /^The team database is not reachable, so AssetDesk can't load the loan files now\. What's on screen is from .+; AssetDesk reconnects by itself\.$/,
        ),
      });
      await expect(officer.handlers['reports:refresh']({ reportId: report.id })).rejects.toMatchObject({
        code: 'TEAM_OFFLINE',
        message: expect.stringContaining("so AssetDesk can't refresh the report now"),
      });
      const status = await officer.handlers['team:status']({});
      expect(status.connection).toMatchObject({ reason: expect.stringMatching(/team database/) });
    } finally {
      cluster.resume();
    }
    const back = Date.now();
    for (const desk of [officer, admin])
      await until(async () => (await desk.handlers['team:status']({})).connection?.status === 'online', 'online');
    expect(Date.now() - back).toBeLessThan(15_000);
    // Changes made while it was down were not announced: the screens are told to read everything again.
    await until(
      () =>
        officer.events
          .slice(heardBefore)
          .find((e) => e.event === 'team:changes' && (e.payload as { resync: boolean }).resync),
      'a resync at the officer’s desk',
    );
    await until(
      async () => (await officer.handlers['reports:summary']({ reportId: report.id })).status === 'ready',
      'the report to be ready after the restart',
    );
    const entries = await officer.services.internals.store()!.activity.list({ reportId: report.id });
    expect(entries.filter((e) => e.action === 'report_ready')).toHaveLength(1);
    // Each desk looked for reports to take over every 200 ms throughout: the outage is logged once, not each time.
    for (const desk of [officer, admin])
      expect(desk.logger.lines.filter((line) => line.includes('could not list pending reports'))).toHaveLength(1);
    expect((await officer.handlers['loans:list']({})).rows.map((row) => row.loanNumber)).toEqual(['LN-RESTART-1']);
  });
});
