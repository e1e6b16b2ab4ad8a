import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createMemoryLogger } from '../../electron/log/logger';
import { requireKeychain } from '../helpers/keychain';
import { startCountingProxy, type CountingProxy } from './counting-proxy';
import {
  createApplicant,
  EMULATOR_CLIENT_ID,
  EMULATOR_SECRET,
  linkBank,
  startHarness,
  until,
  type CoreHarness,
} from './harness';

const hasKeychain = await requireKeychain();

/**
 * A report Plaid makes while its pending row goes away here (the loan file deleted, the report removed) has no row to
 * keep its token: it is removed at Plaid at once, not left there for good (Plaid's token comes only in that answer).
 */
describe.skipIf(!hasKeychain)('a report made at Plaid after its row was removed here', () => {
  let emulator: RunningEmulator;
  let proxy: CountingProxy;
  let h: CoreHarness;
  beforeAll(async () => {
    emulator = await startEmulator({
      readyAfterMs: 200,
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
      logger: createMemoryLogger(),
    });
    proxy = await startCountingProxy(emulator.baseUrl);
    h = await startHarness({
      emulator,
      services: { startEmulator: async () => ({ ...emulator, baseUrl: proxy.url, close: async () => undefined }) },
    });
  });
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await emulator?.close();
  });

  test('the loan file is deleted while Plaid makes its report: the report goes at Plaid too', async () => {
    const { id: applicantId, loanId } = await createApplicant(h.handlers);
    const item = await linkBank(h, applicantId);
    emulator.faults.delayAnswer('/asset_report/create', 1_000); // Plaid makes the report, then answers late
    const creating = h.handlers['reports:create']({
      loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await until(() => proxy.count('/asset_report/create') === 1, 'the create to reach Plaid');
    await h.handlers['loans:delete']({ loanId });

    await expect(creating).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const made = JSON.parse(proxy.calls.find((c) => c.path === '/asset_report/create')!.answer!.toString()) as {
      asset_report_token: string;
    };
    await expect(h.plaid.assetReportGet({ asset_report_token: made.asset_report_token })).rejects.toMatchObject({
      response: { data: { error_code: 'INVALID_ASSET_REPORT_TOKEN' } },
    });
    expect(h.logger.lines.join('\n')).not.toContain(made.asset_report_token);
  });
});
