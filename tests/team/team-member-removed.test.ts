import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createApplicant, EMULATOR_CLIENT_ID, EMULATOR_SECRET, until, type CoreHarness } from '../core/harness';
import { setUpTeamDatabase, startTeamDesk, type TeamFixture } from './team-setup';

/**
 * The admin removes a member whose desk is open (each desk signed in as its own login): the member's desk loses
 * the server at once and must say why — its sign-in is refused — rather than promise to reconnect by itself,
 * both while it runs and when it starts again; and it says what the member can do.
 */
describe("a removed member's desk", () => {
  let team: TeamFixture;
  let emulator: RunningEmulator;
  let admin: CoreHarness;
  let officer: CoreHarness & { memberId: string };

  beforeAll(async () => {
    team = await setUpTeamDatabase();
    emulator = await startEmulator({ clientId: EMULATOR_CLIENT_ID, secret: EMULATOR_SECRET });
    admin = await startTeamDesk(team, emulator, { role: 'admin' });
    officer = await startTeamDesk(team, emulator, { role: 'officer', name: 'Olivia Officer' });
  });
  afterAll(async () => {
    for (const desk of [admin, officer]) await desk?.close().catch(() => undefined);
    await emulator?.close();
  });

  it('says its sign-in is refused and what to do, while it runs and after a restart', async () => {
    await createApplicant(officer.handlers, { loanNumber: 'LN-LEFT-1' });
    await admin.handlers['team:removeMember']({ memberId: officer.memberId });

    // The feed's next attempt to sign in again is refused: that is the reason shown, not a lost connection.
    const refused = await until(async () => {
      const connection = (await officer.handlers['team:status']({})).connection;
      return connection?.status === 'offline' && /sign-in/.test(connection.reason) ? connection : null;
    }, "the officer's desk to be refused");
    expect(refused.reason).toBe(
      "the team database refused this desk's sign-in (has your team admin removed you from the team?)",
    );
    await expect(officer.handlers['loans:list']({})).rejects.toMatchObject({
      code: 'TEAM_DATABASE_AUTH',
      message:
        "The team database refused this desk's sign-in, so AssetDesk can't load the loan files. If your team admin " +
        'removed you from the team, choose “Use this desk’s local history” in Settings → Team; otherwise ask your ' +
        'team admin to invite you again.',
    });

    await officer.services.stop();
    await officer.services.start();
    const status = await officer.handlers['team:status']({});
    expect(status.problem).toEqual({
      code: 'TEAM_DATABASE_AUTH',
      message:
        "The team database refused this desk's sign-in. If your team admin removed you from the team, choose " +
        '“Use this desk’s local history” in Settings → Team; otherwise ask your team admin to invite you again.',
    });
    // The admin's desk carries on.
    expect((await admin.handlers['loans:list']({})).rows.map((row) => row.loanNumber)).toEqual(['LN-LEFT-1']);
  });
});
