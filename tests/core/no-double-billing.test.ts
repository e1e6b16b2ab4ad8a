import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createMemoryLogger } from '../../electron/log/logger';
import type { AppServicesDeps } from '../../electron/services/app-services';
import { realKeytar, requireKeychain, testKeychainService } from '../helpers/keychain';
import {
  startCountingProxy,
  emulatorControl,
  mostInAnyWindow,
  virtualTime,
  type CountingProxy,
} from './counting-proxy';
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
 * Billed calls reach Plaid once: a create whose outcome is unknown is not repeated, a restart resumes a
 * report Plaid already has, and /asset_report/get keeps to 15 per minute per report — each counted on
 * the wire between the app and the emulator.
 */
describe.skipIf(!hasKeychain)(
  'no report billed twice, no more gets than Plaid allows (real services, emulator)',
  () => {
    let emulator: RunningEmulator;
    let proxy: CountingProxy;
    const harnesses: CoreHarness[] = [];
    const folders: string[] = [];
    const keychainServices: string[] = [];

    beforeAll(async () => {
      emulator = await startEmulator({
        readyAfterMs: 200,
        clientId: EMULATOR_CLIENT_ID,
        secret: EMULATOR_SECRET,
        webhookRetryDelaysMs: [50],
        logger: createMemoryLogger(),
      });
    });
    afterEach(async () => {
      emulator.faults.reset();
      for (const h of harnesses.splice(0)) await h.close();
      await proxy?.close();
    });
    afterAll(async () => {
      await emulator?.close();
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
      const keytar = await realKeytar();
      for (const service of keychainServices)
        for (const account of ['data-key', 'plaid:sandbox', 'plaid:production'])
          await keytar.deletePassword(service, account).catch(() => false);
    });

    /** The app with its "built-in emulator" reached through the counting proxy. */
    async function appThroughProxy(
      services: Partial<AppServicesDeps>,
      more: { userDataDir?: string; keychainService?: string } = {},
    ): Promise<CoreHarness> {
      const h = await startHarness({
        emulator,
        ...more,
        services: {
          startEmulator: async () => ({ ...emulator, baseUrl: proxy.url, close: async () => undefined }),
          ...services,
        },
      });
      harnesses.push(h);
      return h;
    }

    const create = (h: CoreHarness, loanId: string, itemId: string) =>
      h.handlers['reports:create']({
        loanId,
        itemIds: [itemId],
        daysRequested: 61,
        includeApplicantDetails: false,
      });

    test('a 500 on /asset_report/create is not repeated: one create at Plaid, the officer told the outcome is unknown', async () => {
      proxy = await startCountingProxy(emulator.baseUrl);
      const h = await appThroughProxy({});
      const { id: applicantId, loanId } = await createApplicant(h.handlers);
      const itemId = (await linkBank(h, applicantId)).id;
      emulator.faults.failNext('/asset_report/create', 500, 3);

      const error = await create(h, loanId, itemId).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN', message: expect.stringMatching(/not billed twice/) });
      await h.services.internals.settled();
      expect(proxy.count('/asset_report/create')).toBe(1);
      const { rows } = await h.handlers['reports:search']({});
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'failed', failure: { code: 'OUTCOME_UNKNOWN' } });
      const failed = h.events.find(
        (e) => e.event === 'report:progress' && (e.payload as { status: string }).status === 'failed',
      );
      expect((failed?.payload as { message: string }).message).toMatch(/cannot tell whether Plaid started this report/);
    });

    test('a timeout on /asset_report/create is not repeated either (Plaid went on to make that report)', async () => {
      proxy = await startCountingProxy(emulator.baseUrl);
      const h = await appThroughProxy({ gatewayOptions: { baseDelayMs: 20, maxDelayMs: 200, timeoutMs: 700 } });
      const { id: applicantId, loanId } = await createApplicant(h.handlers);
      const itemId = (await linkBank(h, applicantId)).id;
      emulator.faults.addLatency('/asset_report/create', 1500);

      await expect(create(h, loanId, itemId)).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
      await new Promise((resolve) => setTimeout(resolve, 1600)); // the emulator's answer would have come by now
      expect(proxy.count('/asset_report/create')).toBe(1);
      expect((await h.handlers['reports:search']({})).rows.map((r) => r.status)).toEqual(['failed']);
    });

    test('429 and PLANNED_MAINTENANCE on create are retried (Plaid did not act): one report, ready', async () => {
      proxy = await startCountingProxy(emulator.baseUrl);
      const h = await appThroughProxy({});
      const { id: applicantId, loanId } = await createApplicant(h.handlers);
      const itemId = (await linkBank(h, applicantId)).id;
      emulator.faults.failNext('/asset_report/create', 429, 1);
      emulator.faults.failNext('/asset_report/create', 503, 1);

      const report = await create(h, loanId, itemId);
      expect(report.plaidReportId).toEqual(expect.any(String));
      expect(proxy.count('/asset_report/create')).toBe(3);
      await until(
        () => h.events.some((e) => (e.payload as { reportId?: string; status?: string }).status === 'ready'),
        'the report to be ready',
      );
      expect((await h.handlers['reports:search']({})).total).toBe(1);
    });

    test('the exchange and audit-copy create are not repeated after a 500 either; the officer is told what to check', async () => {
      proxy = await startCountingProxy(emulator.baseUrl);
      const h = await appThroughProxy({});
      const { id: applicantId, loanId } = await createApplicant(h.handlers);
      emulator.faults.failNext('/item/public_token/exchange', 500, 1);
      await expect(linkBank(h, applicantId)).rejects.toMatchObject({
        code: 'OUTCOME_UNKNOWN',
        message: expect.stringMatching(/Check the applicant's banks/),
      });
      expect(proxy.count('/item/public_token/exchange')).toBe(1);

      const itemId = (await linkBank(h, applicantId, 'ins_109509', 'First Gingham Credit Union')).id;
      const report = await create(h, loanId, itemId);
      await until(
        async () => (await h.services.internals.store()!.reports.get(report.id))?.status === 'ready',
        'the report',
      );
      emulator.faults.failNext('/asset_report/audit_copy/create', 500, 1);
      await expect(
        h.handlers['auditCopies:create']({ reportId: report.id, auditorId: 'fannie_mae' }),
      ).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN', message: expect.stringMatching(/share the report again/) });
      expect(proxy.count('/asset_report/audit_copy/create')).toBe(1);
    });

    test('refresh and filter after a 500 reach Plaid once each; the new report is failed with the outcome unknown', async () => {
      proxy = await startCountingProxy(emulator.baseUrl);
      const h = await appThroughProxy({});
      const { id: applicantId, loanId } = await createApplicant(h.handlers);
      const itemId = (await linkBank(h, applicantId)).id;
      const parent = await create(h, loanId, itemId);
      await until(
        async () => (await h.services.internals.store()!.reports.get(parent.id))?.status === 'ready',
        'the parent report',
      );

      emulator.faults.failNext('/asset_report/refresh', 500, 1);
      await expect(h.handlers['reports:refresh']({ reportId: parent.id })).rejects.toMatchObject({
        code: 'OUTCOME_UNKNOWN',
      });
      expect(proxy.count('/asset_report/refresh')).toBe(1);

      const content = JSON.parse((await h.handlers['reports:get']({ reportId: parent.id })).contentJson) as {
        report: { items: Array<{ accounts: Array<{ account_id: string }> }> };
      };
      emulator.faults.failNext('/asset_report/filter', 500, 1);
      await expect(
        h.handlers['reports:filter']({
          reportId: parent.id,
          accountIdsToExclude: [content.report.items[0]!.accounts[0]!.account_id],
        }),
      ).rejects.toMatchObject({ code: 'OUTCOME_UNKNOWN' });
      expect(proxy.count('/asset_report/filter')).toBe(1);
      const children = (await h.handlers['reports:search']({})).rows.filter((r) => r.parentId === parent.id);
      expect(children.map((r) => [r.kind, r.status, r.failure?.code]).sort()).toEqual([
        ['filter', 'failed', 'OUTCOME_UNKNOWN'],
        ['refresh', 'failed', 'OUTCOME_UNKNOWN'],
      ]);
    });

    test('a restart with a report pending at Plaid resumes it and never calls /asset_report/create again', async () => {
      proxy = await startCountingProxy(emulator.baseUrl);
      const userDataDir = mkdtempSync(join(tmpdir(), 'assetdesk-restart-'));
      const keychainService = testKeychainService();
      folders.push(userDataDir);
      keychainServices.push(keychainService);

      const first = await appThroughProxy({}, { userDataDir, keychainService });
      const { id: applicantId, loanId } = await createApplicant(first.handlers);
      const itemId = (await linkBank(first, applicantId)).id;
      emulator.faults.setReadyAfterMs(600_000); // Plaid is still generating when the app stops
      const pending = await create(first, loanId, itemId);
      expect(pending).toMatchObject({ status: 'pending', plaidReportId: expect.any(String) });
      await first.close();
      harnesses.splice(harnesses.indexOf(first), 1);
      expect(proxy.count('/asset_report/create')).toBe(1);

      const getsBefore = proxy.count('/asset_report/get');
      const second = await appThroughProxy({}, { userDataDir, keychainService });
      // Whichever comes first: a poll of the recorded report (resumed) or a second create (resubmitted).
      await until(
        () => proxy.count('/asset_report/get') > getsBefore || proxy.count('/asset_report/create') > 1,
        'the second start to pick the report up',
      );
      expect(proxy.count('/asset_report/create')).toBe(1);
      await emulatorControl(emulator, 'ready_after', { ms: 0, asset_report_id: pending.plaidReportId });
      const ready = await until(async () => {
        const summary = await second.services.internals.store()!.reports.get(pending.id);
        return summary?.status === 'ready' ? summary : undefined;
      }, 'the resumed report');
      expect(ready.plaidReportId).toBe(pending.plaidReportId);
      expect(proxy.count('/asset_report/create')).toBe(1);
      expect((await second.handlers['reports:search']({})).total).toBe(1);
    });

    test('15 /asset_report/get per minute per report, end to end: fast polls, a report not ready for minutes, no webhook', async () => {
      const time = virtualTime();
      proxy = await startCountingProxy(emulator.baseUrl, time.now);
      const h = await appThroughProxy({ pollIntervals: { initialMs: 100, factor: 1.5, maxMs: 1000, time } });
      await h.handlers['settings:update']({ webhook: { enabled: false, publicUrl: null } });
      const { id: applicantId, loanId } = await createApplicant(h.handlers);
      const itemId = (await linkBank(h, applicantId)).id;
      emulator.faults.setReadyAfterMs(600_000);
      const started = time.now();
      await create(h, loanId, itemId);

      const minutes = 5;
      await until(() => time.now() - started >= minutes * 60_000, `${minutes} minutes of polling on the test clock`);
      const gets = proxy.calls.filter((c) => c.path === '/asset_report/get').map((c) => c.at);
      expect(mostInAnyWindow(gets)).toBeLessThanOrEqual(15);
      // The poller asks about once a second: only the limit keeps it at 15 a minute.
      expect(gets.length).toBeGreaterThanOrEqual((minutes - 1) * 15);
    });
  },
);
