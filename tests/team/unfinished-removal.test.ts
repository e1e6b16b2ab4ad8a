import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { startCountingProxy, type CountingProxy } from '../core/counting-proxy';
import { EMULATOR_CLIENT_ID, EMULATOR_SECRET, until, readyReport, type CoreHarness } from '../core/harness';
import { setUpTeamDatabase, startTeamDesk, type TeamFixture } from './team-setup';

/**
 * A removal outlives the desk that sent it: the officer's desk closes after Plaid removed the report but before it
 * marked it removed, and another officer's desk finishes it, once. While the first desk works on it no other desk
 * does, and a processor's desk (whose login may not remove reports) never takes it.
 */
describe("another officer's desk finishes a removal the first desk left", () => {
  let team: TeamFixture;
  let emulator: RunningEmulator;
  let proxy: CountingProxy;
  let first: CoreHarness;
  let second: CoreHarness;
  let processor: CoreHarness;

  beforeAll(async () => {
    team = await setUpTeamDatabase();
    emulator = await startEmulator({ clientId: EMULATOR_CLIENT_ID, secret: EMULATOR_SECRET, readyAfterMs: 0 });
    proxy = await startCountingProxy(emulator.baseUrl);
    // The first desk reaches Plaid through the proxy, which can keep Plaid's answer from it.
    first = await startTeamDesk(
      team,
      emulator,
      { role: 'officer', name: 'Olivia Officer' },
      { startEmulator: async () => ({ ...emulator, baseUrl: proxy.url, close: async () => undefined }) },
    );
    processor = await startTeamDesk(team, emulator, { role: 'processor', name: 'Pedro Processor' });
  });
  afterAll(async () => {
    for (const desk of [first, second, processor]) await desk?.close().catch(() => undefined);
    await proxy?.close();
    await emulator?.close();
  });

  it('is finished once, by an officer desk, after the first desk closed', async () => {
    const { report } = await readyReport(first, 'LN-REMOVAL-1');
    const token = (await first.services.internals.store()!.reports.reportToken(report.id))!;

    // Plaid removes the report; its answer never reaches the first desk.
    let answered = false;
    proxy.cutAfterAnswer('/asset_report/remove', () => (answered = true), { hang: true });
    const removal = first.handlers['reports:remove']({ reportId: report.id }).catch((error: unknown) => error);
    await until(() => answered, "Plaid's answer to the removal");
    expect((await processor.handlers['reports:summary']({ reportId: report.id })).status).toBe('ready');

    // Another officer's desk opens meanwhile: the first desk still works on the removal, so it waits.
    second = await startTeamDesk(team, emulator, { role: 'officer', name: 'Oscar Officer' });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect((await second.handlers['reports:summary']({ reportId: report.id })).status).toBe('ready');

    // The first desk closes (its answer never came): the second finishes the removal.
    await first.services.stop();
    // Quitting abandons the removal at once (it is finished at the next start, or by another desk).
    expect(await removal).toMatchObject({ code: 'APP_STOPPING' });
    await until(
      async () => (await second.handlers['reports:summary']({ reportId: report.id })).status === 'removed',
      'the second desk to finish the removal',
      20_000,
    );
    const entries = await second.services.internals.store()!.activity.list({ reportId: report.id });
    expect(
      entries.filter((e) => e.action === 'report_removed').map((e) => [e.actor, e.detail.finishedAfterStop]),
    ).toEqual([['Oscar Officer', true]]);
    expect(entries.filter((e) => e.action === 'report_removal_sent').map((e) => e.actor)).toEqual(['Olivia Officer']);
    const atPlaid = await first.plaid.assetReportGet({ asset_report_token: token }).then(
      () => 'still there',
      (e: { response?: { data?: { error_code?: string } } }) => e.response?.data?.error_code,
    );
    expect(atPlaid).toBe('INVALID_ASSET_REPORT_TOKEN');
  }, 60_000);
});
