import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { openDeskState } from '../../electron/services/desk-state';
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
 * The team's settings are the admin's and every desk reads them; what a desk writes for itself must not go
 * there, since a member's login may not write them. Each desk signs in as its own login. Here the team moves to
 * Sandbox (the emulator stands in for Plaid's Sandbox host) and sets a public webhook URL: every desk still
 * starts, follows the team's environment, and keeps its own webhook port.
 */
describe("the team's environment and webhook settings, at every desk", () => {
  let team: TeamFixture;
  let emulator: RunningEmulator;
  let admin: CoreHarness;
  let officer: CoreHarness;
  let processor: CoreHarness;

  beforeAll(async () => {
    team = await setUpTeamDatabase();
    emulator = await startEmulator({ clientId: EMULATOR_CLIENT_ID, secret: EMULATOR_SECRET, readyAfterMs: 300 });
    admin = await startTeamDesk(team, emulator, { role: 'admin' });
    officer = await startTeamDesk(team, emulator, { role: 'officer', name: 'Olivia Officer' });
    processor = await startTeamDesk(team, emulator, { role: 'processor', name: 'Pedro Processor' });
  });
  afterAll(async () => {
    for (const desk of [admin, officer, processor]) await desk?.close().catch(() => undefined);
    await emulator?.close();
  });

  const restart = async (desk: CoreHarness) => {
    await desk.services.stop();
    await desk.services.start();
  };

  it("follows the admin into Sandbox: the officer's report is made there and shows there", async () => {
    await admin.handlers['credentials:save']({
      environment: 'sandbox',
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
    });
    await admin.handlers['settings:switchEnvironment']({ environment: 'sandbox' });

    await until(
      async () => (await officer.handlers['app:info']({})).environment === 'sandbox',
      "the officer's desk to hear of the switch",
    );
    const borrower = await createApplicant(officer.handlers, { loanNumber: 'LN-ENV-0001' });
    const item = await linkBank(officer, borrower.id);
    expect(item.environment).toBe('sandbox');
    const report = await officer.handlers['reports:create']({
      loanId: borrower.loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    // Made in the environment the officer's screens show, so it is found there.
    expect((await officer.handlers['reports:summary']({ reportId: report.id })).environment).toBe('sandbox');
    await until(
      async () => (await officer.handlers['reports:summary']({ reportId: report.id })).status === 'ready',
      'the Sandbox report to be ready',
    );
    expect(officer.services.internals.environment()).toBe('sandbox');
  });

  it("a processor's desk, which may not read the team's Plaid keys, still starts and reads the team's Sandbox", async () => {
    await restart(processor);
    expect((await processor.handlers['app:info']({})).environment).toBe('sandbox');
    const loans = await processor.handlers['loans:list']({});
    expect(loans.rows.map((row) => row.loanNumber)).toContain('LN-ENV-0001');
    const reports = await processor.handlers['reports:search']({});
    expect(reports.rows.map((row) => row.status)).toEqual(['ready']);
    // The team's setting is untouched by the processor's desk.
    expect((await admin.handlers['settings:get']({})).environment).toBe('sandbox');
  });

  it('with a public webhook URL set by the admin, an officer desk restarts and keeps its own receiver port', async () => {
    await admin.handlers['settings:update']({
      webhook: { enabled: true, publicUrl: 'https://hooks.example.org/plaid/webhook' },
    });
    await restart(admin);
    await until(
      async () => (await officer.handlers['settings:get']({})).webhook.publicUrl !== null,
      "the officer's desk to read the URL",
    );
    await restart(officer);
    await restart(processor);
    for (const desk of [admin, officer, processor]) {
      const delivery = (await desk.handlers['settings:get']({})).webhookDelivery;
      const port = Number(new URL(delivery.localUrl!).port);
      expect(openDeskState(desk.userDataDir).value('webhookPort')).toBe(port);
    }
    const shared = await team.admin.statement("SELECT key FROM settings WHERE key = 'webhookPort'").all();
    expect(shared).toEqual([]);
  });

  it("the backup reminder and recovery key are a local history's: on a team they are refused, saying why", async () => {
    for (const desk of [admin, officer]) {
      for (const call of [
        () => desk.handlers['backup:setReminder']({ days: 3 }),
        () => desk.handlers['recovery:newKey']({}),
        () => desk.handlers['recovery:confirmSaved']({}),
      ])
        await expect(call()).rejects.toMatchObject({
          code: 'TEAM_BACKUP_BY_OFFICE',
          message: expect.stringContaining("backed up by the office's database administrator"),
        });
    }
    const written = await team.admin
      .statement(
        "SELECT key FROM store_meta WHERE key <> 'key_check' UNION ALL SELECT key FROM settings WHERE key LIKE 'backup%' OR key LIKE 'recovery%'",
      )
      .all();
    expect(written).toEqual([]);
  });
});
