import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createApplicant, EMULATOR_CLIENT_ID, EMULATOR_SECRET, until, type CoreHarness } from '../core/harness';
import { openDeskState } from '../../electron/services/desk-state';
import { setUpTeamDatabase, startTeamDesk, type TeamFixture } from './team-setup';

/**
 * The borrower hand-off belongs to one desk, not to the branch: two desks on one team database, each signed in
 * as its own login (the admin as the owner, an officer as the member login joining gave it). One desk handing
 * the computer to a borrower locks that desk only; a member's desk, which may not write the team's settings,
 * hands off too.
 */
describe('the hand-off on a team: one desk at a time', () => {
  let team: TeamFixture;
  let emulator: RunningEmulator;
  let admin: CoreHarness;
  let officer: CoreHarness;

  beforeAll(async () => {
    team = await setUpTeamDatabase();
    emulator = await startEmulator({ clientId: EMULATOR_CLIENT_ID, secret: EMULATOR_SECRET });
    admin = await startTeamDesk(team, emulator, { role: 'admin' });
    officer = await startTeamDesk(team, emulator, { role: 'officer', name: 'Olivia Officer' });
  });
  afterAll(async () => {
    await admin?.close().catch(() => undefined);
    await officer?.close().catch(() => undefined);
    await emulator?.close();
  });

  it('desk A hands off: desk B is not locked, keeps its own lists and hears of other loans', async () => {
    const maria = await createApplicant(admin.handlers, { loanNumber: 'LN-HANDOFF-A', firstName: 'Maria' });
    await admin.handlers['handoff:setPin']({ pin: '2468' });
    expect(await admin.handlers['handoff:start']({ applicantId: maria.id })).toMatchObject({
      active: { applicantId: maria.id, loanId: maria.loanId },
    });
    // Desk A is locked to Maria's file.
    await expect(admin.handlers['loans:list']({} as never)).rejects.toMatchObject({ code: 'FORBIDDEN_SENDER' });

    // Desk B sees no hand-off, no PIN of desk A's, and works on.
    expect(await officer.handlers['handoff:status']({})).toMatchObject({ pinSet: false, active: null });
    const kwame = await createApplicant(officer.handlers, { loanNumber: 'LN-HANDOFF-B', firstName: 'Kwame' });
    const list = await officer.handlers['loans:list']({} as never);
    expect(list.rows.map((row) => row.loanNumber)).toEqual(expect.arrayContaining(['LN-HANDOFF-A', 'LN-HANDOFF-B']));
    // A change desk A makes on another loan reaches desk B's screens (it is not held back as if B were handed off).
    await admin.services.internals.store()!.loans.update(kwame.loanId, { fundsToClose: 12_345 });
    await until(
      () =>
        officer.events.find(
          (e) =>
            e.event === 'team:changes' &&
            (e.payload as { loanIds: string[] }).loanIds.includes(kwame.loanId) &&
            (e.payload as { tables: string[] }).tables.includes('loans'),
        ),
      "desk A's change to reach desk B",
    );

    // Desk A's PIN ends desk A's hand-off.
    expect(await admin.handlers['handoff:end']({ pin: '2468' })).toMatchObject({ active: null });
    expect((await admin.handlers['loans:list']({} as never)).rows.length).toBeGreaterThanOrEqual(2);
  });

  it("an officer's desk (a member login, no write on the team's settings) sets its PIN and hands off", async () => {
    const ana = await createApplicant(officer.handlers, { loanNumber: 'LN-HANDOFF-C', firstName: 'Ana' });
    expect(await officer.handlers['handoff:setPin']({ pin: '1357' })).toMatchObject({ pinSet: true });
    expect(await officer.handlers['handoff:start']({ applicantId: ana.id })).toMatchObject({
      active: { applicantId: ana.id, loanId: ana.loanId },
    });
    await expect(officer.handlers['loans:list']({} as never)).rejects.toMatchObject({ code: 'FORBIDDEN_SENDER' });
    // Wrong PINs are counted at this desk only.
    await expect(officer.handlers['handoff:end']({ pin: '0000' })).rejects.toMatchObject({
      message: 'That PIN is not right.',
    });
    // The admin's desk is not locked by it, and its own PIN is its own.
    expect(await admin.handlers['handoff:status']({})).toMatchObject({ pinSet: true, active: null });
    expect((await admin.handlers['loans:list']({} as never)).rows.length).toBeGreaterThanOrEqual(3);
    await expect(officer.handlers['handoff:end']({ pin: '2468' })).rejects.toMatchObject({
      message: 'That PIN is not right.',
    });
    expect(await officer.handlers['handoff:end']({ pin: '1357' })).toMatchObject({ active: null });
    // The team's activity log still names what happened, and who did it.
    const entries = await officer.services.internals.store()!.activity.list({ limit: 20 });
    expect(entries.filter((e) => e.action.startsWith('handoff_')).map((e) => [e.action, e.actor])).toEqual(
      expect.arrayContaining([
        ['handoff_started', 'Olivia Officer'],
        ['handoff_pin_refused', 'Olivia Officer'],
        ['handoff_ended', 'Olivia Officer'],
      ]),
    );
  });

  it('the hand-off survives a restart of its own desk only', async () => {
    const ana = (await officer.handlers['loans:list']({ query: 'LN-HANDOFF-C' } as never)).rows[0]!;
    const loan = await officer.handlers['loans:get']({ loanId: ana.id });
    await officer.handlers['handoff:start']({ applicantId: loan.loan.borrowers[0]!.id });
    await officer.services.stop();
    await officer.services.start();
    expect(await officer.handlers['handoff:status']({})).toMatchObject({ active: { loanId: ana.id } });
    await admin.services.stop();
    await admin.services.start();
    expect(await admin.handlers['handoff:status']({})).toMatchObject({ active: null });
    expect(await officer.handlers['handoff:end']({ pin: '1357' })).toMatchObject({ active: null });
  });

  it("an older version's hand-off in the shared settings locks no member and moves to the admin's desk", async () => {
    // An older version kept the hand-off (and the PIN) in the team's settings; only the admin's login could write them.
    const ana = (await officer.handlers['loans:list']({ query: 'LN-HANDOFF-C' } as never)).rows[0]!;
    const borrowerId = (await officer.handlers['loans:get']({ loanId: ana.id })).loan.borrowers[0]!.id;
    const pinHash = openDeskState(admin.userDataDir).value('officerPin');
    const legacy = { handoffActive: { applicantId: borrowerId, loanId: ana.id, itemId: null }, officerPin: pinHash };
    for (const [key, value] of Object.entries(legacy))
      await team.admin
        .statement(
          'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
        )
        .run(key, JSON.stringify(value));
    await officer.services.stop();
    await officer.services.start();
    expect(await officer.handlers['handoff:status']({})).toMatchObject({ active: null });
    expect((await officer.handlers['loans:list']({} as never)).rows.length).toBeGreaterThanOrEqual(3);

    // The admin's desk, upgraded (no desk state of its own yet), takes the hand-off over and clears the shared rows.
    await admin.close();
    admin = await startTeamDesk(team, emulator, { role: 'admin' });
    expect(await admin.handlers['handoff:status']({})).toMatchObject({
      pinSet: true,
      active: { applicantId: borrowerId, loanId: ana.id },
    });
    const rows = await team.admin
      .statement("SELECT key FROM settings WHERE key IN ('handoffActive', 'officerPin', 'handoffFailedTries')")
      .all();
    expect(rows).toEqual([]);
    expect(await admin.handlers['handoff:end']({ pin: '2468' })).toMatchObject({ active: null });
    expect(await officer.handlers['handoff:status']({})).toMatchObject({ active: null });
  });
});
