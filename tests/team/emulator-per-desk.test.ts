import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import {
  createApplicant,
  EMULATOR_CLIENT_ID,
  EMULATOR_SECRET,
  linkBank,
  readyReport,
  until,
  type CoreHarness,
} from '../core/harness';
import { setUpTeamDatabase, startTeamDesk, type TeamFixture } from './team-setup';

/**
 * A team in emulator mode: each desk runs its own built-in emulator (as the app does), which knows only the
 * tokens it made. What the admin's desk made there cannot be refreshed, shared, removed or polled from the
 * officer's desk: it is refused with where to do it, and nothing is recorded as done.
 */
describe("a team in emulator mode: each desk's emulator is its own", () => {
  let team: TeamFixture;
  let emulatorA: RunningEmulator;
  let emulatorB: RunningEmulator;
  let admin: CoreHarness;
  let officer: CoreHarness;
  const later = () => new Date(Date.now() + 40 * 24 * 3600_000);

  beforeAll(async () => {
    team = await setUpTeamDatabase();
    // Slow enough for the admin's desk to close while its report is still being made.
    emulatorA = await startEmulator({ clientId: EMULATOR_CLIENT_ID, secret: EMULATOR_SECRET, readyAfterMs: 2500 });
    // As the app starts it: its own generated keys, so it is a Plaid of its own.
    emulatorB = await startEmulator({ readyAfterMs: 200 });
    admin = await startTeamDesk(team, emulatorA, { role: 'admin' });
    officer = await startTeamDesk(team, emulatorB, { role: 'officer', name: 'Olivia Officer' });
  });
  afterAll(async () => {
    for (const desk of [admin, officer]) await desk?.close().catch(() => undefined);
    await emulatorA?.close();
    await emulatorB?.close();
  });

  const refusal = (action: string) => ({
    code: 'EMULATOR_ON_ANOTHER_DESK',
    message: expect.stringContaining(
      `made in the built-in emulator of Alice Admin's desk, which only that desk can reach, so AssetDesk cannot ${action} here. Do it at Alice Admin's desk`,
    ),
  });

  it("refuses, naming the desk, to act at Plaid on what another desk's emulator made; the report stays as it was", async () => {
    const { report } = await readyReport(admin, 'LN-EMU-0001', officer);
    await expect(
      officer.handlers['auditCopies:create']({ reportId: report.id, auditorId: 'fannie_mae' }),
    ).rejects.toMatchObject(refusal('share it with an auditor'));
    await expect(officer.handlers['reports:refresh']({ reportId: report.id })).rejects.toMatchObject(
      refusal('refresh it'),
    );
    // Before, this "removed" it: the officer's emulator called the token unknown, read as already gone, while the
    // report lived on in the admin's emulator.
    await expect(officer.handlers['reports:remove']({ reportId: report.id })).rejects.toMatchObject(
      refusal('remove it at Plaid'),
    );
    expect((await officer.handlers['reports:summary']({ reportId: report.id })).status).toBe('ready');
    const copy = await admin.handlers['auditCopies:create']({ reportId: report.id, auditorId: 'fannie_mae' });
    await expect(officer.handlers['auditCopies:remove']({ auditCopyId: copy.id })).rejects.toMatchObject(
      refusal('revoke it'),
    );

    // What the report holds is in the team database: the officer's desk still reads it.
    expect((await officer.handlers['reports:pdf']({ reportId: report.id })).pdf.byteLength).toBeGreaterThan(1000);
    // And what the officer makes in their own emulator is theirs to act on.
    const own = await createApplicant(officer.handlers, { loanNumber: 'LN-EMU-0002' });
    const ownBank = await linkBank(officer, own.id);
    const ownReport = await officer.handlers['reports:create']({
      loanId: own.loanId,
      itemIds: [ownBank.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await until(
      async () => (await officer.handlers['reports:summary']({ reportId: ownReport.id })).status === 'ready',
      "the officer's own report to be ready",
    );
    await officer.handlers['reports:remove']({ reportId: ownReport.id });
  });

  it("does not take over polling a report another desk's emulator is making when that desk closes", async () => {
    const borrower = await createApplicant(admin.handlers, { loanNumber: 'LN-EMU-0003' });
    const item = await linkBank(admin, borrower.id);
    const report = await admin.handlers['reports:create']({
      loanId: borrower.loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await admin.services.stop();
    // The officer's desk looks for unpolled reports every 200 ms; before, it took this one over and its emulator
    // answered the token unknown, failing a report the admin's emulator was still making.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect((await officer.handlers['reports:summary']({ reportId: report.id })).status).toBe('pending');
    await admin.services.start();
  });

  const bankRefusal = (action: string) => ({
    code: 'EMULATOR_ON_ANOTHER_DESK',
    message: expect.stringContaining(
      `This bank was linked in the built-in emulator of Alice Admin's desk, which only that desk can reach, so AssetDesk cannot ${action} here. Do it at Alice Admin's desk`,
    ),
  });

  it("refuses, naming the desk, to act at Plaid on a bank another desk's emulator linked; the bank stays", async () => {
    const borrower = await createApplicant(admin.handlers, { loanNumber: 'LN-EMU-0004' });
    const item = await linkBank(admin, borrower.id);
    await expect(
      officer.handlers['reports:create']({
        loanId: borrower.loanId,
        itemIds: [item.id],
        daysRequested: 61,
        includeApplicantDetails: false,
      }),
    ).rejects.toMatchObject(bankRefusal('make a report with it'));
    await expect(
      officer.handlers['link:createToken']({ applicantId: borrower.id, itemId: item.id }),
    ).rejects.toMatchObject(bankRefusal('re-link it'));
    // Before, this "removed" it: the officer's emulator called the access token unknown, read as already gone.
    await expect(officer.handlers['items:remove']({ itemId: item.id })).rejects.toMatchObject(
      bankRefusal('remove it at Plaid'),
    );
    const file = await officer.handlers['loans:get']({ loanId: borrower.loanId });
    expect(file.reports).toEqual([]);
    expect(file.items.map((bank) => bank.status)).toEqual(['ok']);

    // At the desk whose emulator linked it, it is the officer's to act on.
    await admin.handlers['items:remove']({ itemId: item.id });
  });

  it("leaves a Hosted Link another desk's emulator made waiting, rather than reading it as expired", async () => {
    const borrower = await createApplicant(admin.handlers, { loanNumber: 'LN-EMU-0006' });
    const hosted = await admin.handlers['link:createHosted']({ applicantId: borrower.id });
    // Before, the officer's emulator called its link token unknown and the link was ended as expired for the team.
    expect((await officer.handlers['link:hostedStatus']({ hostedLinkId: hosted.hostedLinkId })).status).toBe('waiting');
    const [session] = await admin.handlers['link:hostedSessions']({ applicantId: borrower.id });
    expect(session).toMatchObject({ id: hosted.hostedLinkId, status: 'waiting' });
    expect((await admin.handlers['link:hostedStatus']({ hostedLinkId: hosted.hostedLinkId })).status).toBe('waiting');
    await admin.handlers['link:revokeHosted']({ hostedLinkId: hosted.hostedLinkId });
  });

  it("the admin's retention sweep leaves a report made in the officer's emulator, and says where it lives", async () => {
    const { borrower, report } = await readyReport(officer, 'LN-EMU-0005');
    await officer.handlers['loans:setStatus']({ loanId: borrower.loanId, status: 'closed' });
    await admin.handlers['settings:update']({ retentionDays: 30 });
    // The admin's desk alone sweeps retention; started 40 days on, the officer's report is past it.
    await admin.close();
    admin = await startTeamDesk(team, emulatorA, { role: 'admin' }, { clock: later });
    await admin.services.background();

    // Before, it was marked removed: the admin's emulator called its token unknown, read as already removed.
    expect((await admin.handlers['reports:summary']({ reportId: report.id })).status).toBe('ready');
    const removals = (await admin.handlers['activity:list']({ reportId: report.id })).filter(
      (entry) => entry.action === 'report_removed',
    );
    expect(removals).toEqual([]);
    expect((await admin.handlers['app:info']({})).backgroundWork).toMatchObject({
      task: 'retention',
      state: 'failed',
      message:
        "1 report past retention was made in the built-in emulator of Olivia Officer's desk, which only that desk " +
        'can reach: remove it there, or switch the team to Plaid Sandbox.',
    });
    // At the officer's desk it is removed at its emulator.
    await officer.handlers['reports:remove']({ reportId: report.id });
    expect((await officer.handlers['reports:summary']({ reportId: report.id })).status).toBe('removed');
  });
});
