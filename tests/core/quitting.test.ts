import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createMemoryLogger } from '../../electron/log/logger';
import type { AppServicesDeps } from '../../electron/services/app-services';
import { realKeytar, requireKeychain, testKeychainService } from '../helpers/keychain';
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
 * Quitting during a Plaid outage or a slow answer (README "Going live with Plaid"): stopping the services is prompt,
 * whatever Plaid does. Nothing new is sent, reads in flight are abandoned and repeated at the next start, a request
 * that makes something gets a bounded grace to answer so its ids are saved, and past it the crash-safety rule
 * applies. Each desk runs on its own folder and keychain through a counting proxy, and is started again on them.
 */
describe.skipIf(!hasKeychain)('quitting while Plaid is slow or away', () => {
  let emulator: RunningEmulator;
  const folders: string[] = [];
  const services: string[] = [];
  const proxies: CountingProxy[] = [];
  const running: CoreHarness[] = [];

  beforeAll(async () => {
    emulator = await startEmulator({
      readyAfterMs: 300,
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
      logger: createMemoryLogger(),
    });
  });
  afterEach(() => emulator.faults.reset());
  afterAll(async () => {
    for (const h of running) await h.close().catch(() => undefined);
    for (const proxy of proxies) await proxy.close();
    await emulator?.close();
    for (const f of folders) rmSync(f, { recursive: true, force: true });
    const keytar = await realKeytar();
    for (const s of services) await keytar.deletePassword(s, 'data-key').catch(() => false);
  });

  /** A desk's folder and keychain, reaching Plaid through a counting proxy (or `baseUrl`); `start` opens it (again). */
  async function desk() {
    const userDataDir = mkdtempSync(join(tmpdir(), 'assetdesk-quit-'));
    const keychainService = testKeychainService();
    folders.push(userDataDir);
    services.push(keychainService);
    const proxy = await startCountingProxy(emulator.baseUrl);
    proxies.push(proxy);
    const start = async (options: { baseUrl?: string; services?: Partial<AppServicesDeps> } = {}) => {
      const h = await startHarness({
        emulator,
        userDataDir,
        keychainService,
        services: {
          startEmulator: async () => ({
            ...emulator,
            baseUrl: options.baseUrl ?? proxy.url,
            close: async () => undefined,
          }),
          ...options.services,
        },
      });
      running.push(h);
      return h;
    };
    return { proxy, start };
  }

  /** How long the services take to stop. */
  async function timedStop(h: CoreHarness): Promise<number> {
    const started = Date.now();
    await h.services.stop();
    return Date.now() - started;
  }

  /** A loan with a linked bank, on a desk that is then closed. */
  async function loanWithBank(start: () => Promise<CoreHarness>, loanNumber: string) {
    const h = await start();
    const borrower = await createApplicant(h.handlers, { loanNumber });
    const item = await linkBank(h, borrower.id);
    await h.services.stop();
    return { loanId: borrower.loanId, itemId: item.id };
  }

  const reportOf = async (h: CoreHarness, loanId: string) =>
    (await h.handlers['loans:get']({ loanId })).reports.filter((r) => r.kind === 'create');

  test.each(['/asset_report/get', '/asset_report/pdf/get'])(
    'a %s whose answer is slow is abandoned at once, and the report is fetched at the next start',
    async (endpoint) => {
      const { proxy, start } = await desk();
      const h = await start();
      const borrower = await createApplicant(h.handlers, { loanNumber: 'LN-QUIT-POLL' });
      const item = await linkBank(h, borrower.id);
      emulator.faults.addLatency(endpoint, 60_000);
      const report = await h.handlers['reports:create']({
        loanId: borrower.loanId,
        itemIds: [item.id],
        daysRequested: 61,
        includeApplicantDetails: false,
      });
      await until(() => proxy.count(endpoint) > 0, 'a poll or download on its way');

      // Before: stop waited for it (its answer 60 s away, cut by the 30 s timeout).
      expect(await timedStop(h)).toBeLessThan(2_000);
      emulator.faults.addLatency(endpoint, 0);

      const again = await start();
      await until(
        async () => (await again.handlers['reports:summary']({ reportId: report.id })).status === 'ready',
        'the report fetched after the restart',
      );
      expect(proxy.count('/asset_report/create')).toBe(1);
    },
  );

  test('a create answered within the grace keeps its ids, and the report is fetched at the next start', async () => {
    const { proxy, start } = await desk();
    const { loanId, itemId } = await loanWithBank(start, 'LN-QUIT-GRACE');
    const h = await start();
    emulator.faults.delayAnswer('/asset_report/create', 2_000);
    const asked = h.handlers['reports:create']({
      loanId,
      itemIds: [itemId],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await until(() => proxy.count('/asset_report/create') > 0, 'the create on its way');

    const took = await timedStop(h);
    expect(took).toBeGreaterThan(1_000); // it waited for Plaid's answer…
    expect(took).toBeLessThan(6_000); // …not for the 10 s grace
    expect((await asked).plaidReportId).toMatch(/^[0-9a-f-]{36}$/);

    const again = await start();
    const [report] = await reportOf(again, loanId);
    await until(
      async () => (await again.handlers['reports:summary']({ reportId: report!.id })).status === 'ready',
      'the report fetched after the restart',
    );
    expect(proxy.count('/asset_report/create')).toBe(1);
  });

  test('a create Plaid does not answer within the grace: the quit waits no longer, and the next start says the outcome is unknown, never sending it again', async () => {
    const { proxy, start } = await desk();
    const { loanId, itemId } = await loanWithBank(start, 'LN-QUIT-LATE');
    const h = await start({ services: { stopGraceMs: 1_500 } });
    emulator.faults.delayAnswer('/asset_report/create', 60_000);
    const asked = h.handlers['reports:create']({
      loanId,
      itemIds: [itemId],
      daysRequested: 61,
      includeApplicantDetails: false,
    }).catch((e: unknown) => e);
    await until(() => proxy.count('/asset_report/create') > 0, 'the create on its way');

    // Before: the quit waited for the answer until the 30 s timeout.
    const took = await timedStop(h);
    expect(took).toBeGreaterThanOrEqual(1_400);
    expect(took).toBeLessThan(4_000);
    expect(await asked).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
    emulator.faults.delayAnswer('/asset_report/create', 0);

    const again = await start();
    await again.services.internals.settled();
    const [report] = await reportOf(again, loanId);
    expect(report).toMatchObject({ status: 'failed', plaidReportId: null, failure: { code: 'OUTCOME_UNKNOWN' } });
    expect(report!.failure!.message).toMatch(
      /^AssetDesk stopped before Plaid's answer was saved, so .*not billed twice/,
    );
    expect(proxy.count('/asset_report/create')).toBe(1);
  });

  test('Plaid unreachable (connection refused): the quit ends the retries at once, and the report, never sent, is sent at the next start', async () => {
    const { proxy, start } = await desk();
    const { loanId, itemId } = await loanWithBank(start, 'LN-QUIT-REFUSED');
    // Nothing listens there: every attempt is refused before anything is sent; the waits between them are long.
    const h = await start({
      baseUrl: 'http://127.0.0.1:9',
      services: { gatewayOptions: { baseDelayMs: 20_000, maxDelayMs: 20_000 } },
    });
    const asked = h.handlers['reports:create']({
      loanId,
      itemIds: [itemId],
      daysRequested: 61,
      includeApplicantDetails: false,
    }).catch((e: unknown) => e);
    await until(async () => (await reportOf(h, loanId)).length > 0, 'the pending report');
    await new Promise((resolve) => setTimeout(resolve, 300)); // the first attempt refused, a retry waiting

    // Before: the quit waited out the retries (minutes), and the report, refused, was dropped.
    expect(await timedStop(h)).toBeLessThan(2_000);
    expect(await asked).toMatchObject({ code: 'APP_STOPPING' });

    const again = await start();
    const [report] = await reportOf(again, loanId);
    await until(
      async () => (await again.handlers['reports:summary']({ reportId: report!.id })).status === 'ready',
      'the report sent and fetched after the restart',
    );
    expect(proxy.count('/asset_report/create')).toBe(1);
    const actions = (await again.handlers['activity:list']({ reportId: report!.id })).map((e) => e.action).reverse();
    expect(actions).toEqual([
      'report_requested',
      'report_sent',
      'report_request_not_sent',
      'report_sent',
      'report_ready',
    ]);
  });

  test('an audit copy and a bank link answered within the grace are kept', async () => {
    const { proxy, start } = await desk();
    const h = await start();
    const borrower = await createApplicant(h.handlers, { loanNumber: 'LN-QUIT-COPY' });
    const item = await linkBank(h, borrower.id);
    const report = await h.handlers['reports:create']({
      loanId: borrower.loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await until(
      async () => (await h.handlers['reports:summary']({ reportId: report.id })).status === 'ready',
      'the report ready',
    );
    emulator.faults.delayAnswer('/asset_report/audit_copy/create', 1_500);
    emulator.faults.delayAnswer('/item/public_token/exchange', 1_500);
    const copy = h.handlers['auditCopies:create']({ reportId: report.id, auditorId: 'fannie_mae' });
    const second = linkBank(h, borrower.id, 'ins_109509', 'First Gingham Credit Union');
    await until(
      () => proxy.count('/asset_report/audit_copy/create') > 0 && proxy.count('/item/public_token/exchange') > 1,
      'both requests on their way',
    );

    // Before: the history closed under them, and neither the copy nor the bank was kept.
    expect(await timedStop(h)).toBeLessThan(6_000);
    expect(await copy).toMatchObject({ auditorId: 'fannie_mae' });
    expect(await second).toMatchObject({ institutionName: 'First Gingham Credit Union' });

    const again = await start();
    expect((await again.handlers['auditCopies:list']({ reportId: report.id })).map((c) => c.auditorId)).toEqual([
      'fannie_mae',
    ]);
    expect(
      (await again.handlers['loans:get']({ loanId: borrower.loanId })).items.map((i) => i.institutionName).sort(),
    ).toEqual(['First Gingham Credit Union', 'First Platypus Bank']);
  });
});
