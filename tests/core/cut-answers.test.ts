import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createMemoryLogger } from '../../electron/log/logger';
import { createPlaidGateway } from '../../electron/services/plaid-gateway';
import { FAKE_ACCESS_TOKEN } from '../helpers/fake-tokens';
import { requireKeychain } from '../helpers/keychain';
import { emulatorControl, startCountingProxy, type CountingProxy } from './counting-proxy';
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
 * The connection drops while Plaid is answering (the emulator's cutNext: Plaid acted, the answer stops halfway).
 * That is no refusal by Plaid: a create is not sent again and its outcome is unknown, a report being read is read
 * again, a removal is asked again. Before, a cut 200 read as "Plaid refused the request (HTTP_200)".
 */
describe.skipIf(!hasKeychain)('answers cut halfway (real services, emulator)', () => {
  let emulator: RunningEmulator;
  let proxy: CountingProxy;
  let h: CoreHarness;

  beforeAll(async () => {
    emulator = await startEmulator({
      readyAfterMs: 200,
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
      webhookRetryDelaysMs: [50],
      logger: createMemoryLogger(),
    });
    proxy = await startCountingProxy(emulator.baseUrl);
    h = await startHarness({
      emulator,
      services: { startEmulator: async () => ({ ...emulator, baseUrl: proxy.url, close: async () => undefined }) },
    });
  });
  afterEach(() => emulator.faults.reset());
  afterAll(async () => {
    await h?.close();
    await proxy?.close();
    await emulator?.close();
  });

  async function loanWithBank(loanNumber: string) {
    const { id: applicantId, loanId } = await createApplicant(h.handlers, { loanNumber });
    const itemId = (await linkBank(h, applicantId)).id;
    const create = () =>
      h.handlers['reports:create']({ loanId, itemIds: [itemId], daysRequested: 61, includeApplicantDetails: false });
    return { loanId, create };
  }
  const statusOf = async (reportId: string) => (await h.services.internals.store()!.reports.get(reportId))?.status;

  test('create: Plaid made the report, its answer was cut: sent once, failed with the outcome unknown, not "refused"', async () => {
    const { loanId, create } = await loanWithBank('LN-CUT-1');
    const creates = proxy.count('/asset_report/create');
    emulator.faults.cutNext('/asset_report/create');

    const error = await create().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'OUTCOME_UNKNOWN',
      message: expect.stringMatching(
        /^The connection to Plaid broke while Plaid was answering, so AssetDesk cannot tell whether Plaid started this report\..*not billed twice/,
      ),
    });
    await h.services.internals.settled();
    expect(proxy.count('/asset_report/create') - creates).toBe(1);
    // The officer's record of a report Plaid may have made (and billed) stays: it was not refused.
    const rows = (await h.handlers['reports:search']({})).rows.filter((r) => r.loanId === loanId);
    expect(rows.map((r) => [r.status, r.failure?.code])).toEqual([['failed', 'OUTCOME_UNKNOWN']]);
  });

  test.each(['/asset_report/get', '/asset_report/pdf/get'])(
    'reading a ready report, %s is cut: read again, and the report ends ready (not failed)',
    async (endpoint) => {
      const { create } = await loanWithBank(`LN-CUT-${endpoint.length}`);
      emulator.faults.setReadyAfterMs(1_000);
      const report = await create();
      emulator.faults.cutNext(endpoint);
      await until(async () => (await statusOf(report.id)) !== 'pending', 'the report to settle');
      expect(await statusOf(report.id)).toBe('ready');
      expect((await h.handlers['reports:pdf']({ reportId: report.id })).pdf.byteLength).toBeGreaterThan(1000);
    },
  );

  test('remove: Plaid removed the report, its answer was cut: asked again, removed here too', async () => {
    const { create } = await loanWithBank('LN-CUT-3');
    const report = await create();
    await until(async () => (await statusOf(report.id)) === 'ready', 'the report');
    const token = (await h.services.internals.store()!.reports.reportToken(report.id))!;
    await emulatorControl(emulator, 'cut_next', { endpoint: '/asset_report/remove' }); // the same fault over HTTP

    await h.handlers['reports:remove']({ reportId: report.id });
    expect(await statusOf(report.id)).toBe('removed');
    await expect(h.plaid.assetReportGet({ asset_report_token: token })).rejects.toMatchObject({
      response: { data: { error_code: 'INVALID_ASSET_REPORT_TOKEN' } },
    });
  });
});

describe('a success answer whose body is not JSON (cut without a sign, or a proxy page)', () => {
  let server: Server;
  let basePath = '';
  let calls = 0;
  beforeAll(async () => {
    server = createServer((req, res) => {
      calls += 1;
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"asset_report_id": "0b7f'); // no Content-Length: nothing tells the client it is short
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    basePath = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const gateway = () =>
    createPlaidGateway({
      environment: 'sandbox',
      basePath,
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
      logger: createMemoryLogger(),
      maxAttempts: 3,
      sleep: async () => undefined,
    });

  test('a create is not taken as made, nor sent again: its outcome is unknown', async () => {
    calls = 0;
    const error = await gateway()
      .call('/asset_report/create', (p) =>
        p.assetReportCreate({ access_tokens: [FAKE_ACCESS_TOKEN], days_requested: 61 }),
      )
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'OUTCOME_UNKNOWN',
      message: expect.stringMatching(/broke while Plaid was answering/),
    });
    expect(calls).toBe(1);
  });

  test('a read is asked again, then fails as a broken connection the officer can retry', async () => {
    calls = 0;
    const error = await gateway()
      .call('/asset_report/get', (p) => p.assetReportGet({ asset_report_token: 'assets-sandbox-x' }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
    expect(calls).toBe(3);
  });
});
