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
 * A report outlives the desk that asked for it: when the officer's desk closes before Plaid is done, the
 * processor's desk (its own login, which may read a report's token only while the report is pending) carries it
 * to the end, once; and a settled report's token is out of the processor's reach.
 */
describe("a processor's desk carries on a report the officer's desk left", () => {
  let team: TeamFixture;
  let emulator: RunningEmulator;
  let officer: CoreHarness;
  let processor: CoreHarness;

  beforeAll(async () => {
    team = await setUpTeamDatabase();
    emulator = await startEmulator({ clientId: EMULATOR_CLIENT_ID, secret: EMULATOR_SECRET, readyAfterMs: 2_000 });
    officer = await startTeamDesk(team, emulator, { role: 'officer', name: 'Olivia Officer' });
    processor = await startTeamDesk(team, emulator, { role: 'processor', name: 'Pedro Processor' });
  });
  afterAll(async () => {
    for (const desk of [officer, processor]) await desk?.close().catch(() => undefined);
    await emulator?.close();
  });

  it('finishes it once, and cannot read its token once it is ready', async () => {
    const borrower = await createApplicant(officer.handlers, { loanNumber: 'LN-TAKEOVER-1' });
    const item = await linkBank(officer, borrower.id);
    const report = await officer.handlers['reports:create']({
      loanId: borrower.loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    // While it is pending, the processor's desk may read its token (to ask Plaid for it).
    expect(await processor.services.internals.store()!.reports.reportToken(report.id)).toMatch(/^assets-/);
    await officer.services.stop();

    await until(
      async () => (await processor.handlers['reports:summary']({ reportId: report.id })).status === 'ready',
      "the processor's desk to finish the report",
      20_000,
    );
    const entries = await processor.services.internals.store()!.activity.list({ reportId: report.id });
    expect(entries.filter((e) => e.action === 'report_ready').map((e) => e.actor)).toEqual(['Pedro Processor']);
    expect((await processor.handlers['reports:pdf']({ reportId: report.id })).pdf.byteLength).toBeGreaterThan(1000);

    // Settled, its token (which, with the team's Plaid keys, would fetch, share or refresh it) is the officers'.
    expect(await processor.services.internals.store()!.reports.reportToken(report.id)).toBeNull();
    const direct = await team.client(await processorConnection());
    await expect(direct.query('SELECT report_token_enc FROM reports WHERE id = $1', [report.id])).rejects.toMatchObject(
      { code: '42501' },
    );
  });

  /** The processor desk's own login, as its keychain holds it. */
  async function processorConnection() {
    const { readTeamConfig } = await import('../../electron/services/team/team-desk');
    const { createTeamKeychain } = await import('../../electron/services/team/keychain');
    const { realKeytar } = await import('../helpers/keychain');
    const config = readTeamConfig(processor.userDataDir)!;
    const secrets = await createTeamKeychain({
      keytar: await realKeytar(),
      service: `${processor.keychainService} team`,
    }).load(config.teamId);
    const url = new URL(config.url);
    return {
      url: config.url,
      user: decodeURIComponent(url.username),
      password: secrets!.databasePassword!,
    };
  }
});
