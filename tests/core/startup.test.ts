import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_ACCESS_TOKEN, FAKE_REPORT_TOKEN } from '../helpers/fake-tokens';
import { realKeytar, requireKeychain, testKeychainService } from '../helpers/keychain';
import { applicantInput } from '../helpers/applicant';
import { EMULATOR_CLIENT_ID, EMULATOR_SECRET, leftPendingReport, startHarness, type CoreHarness } from './harness';
import { finishesWithin } from './deadline';
import { addApplicant } from '../helpers/applicant';

/**
 * Start-up answers without the network: the window can open while pending reports resume (and the
 * retention sweep runs) in the background. Every wait is raced against a deadline and asserted on.
 */

const hasKeychain = await requireKeychain();

describe.skipIf(!hasKeychain)('start-up and environment switching', () => {
  let plaid: Server;
  let plaidUrl = '';
  let requests = 0;
  const dirs: string[] = [];
  beforeAll(async () => {
    // A Plaid that accepts requests and never answers them.
    plaid = createServer(() => void requests++);
    await new Promise<void>((resolve) => plaid.listen(0, '127.0.0.1', () => resolve()));
    plaidUrl = `http://127.0.0.1:${(plaid.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    plaid.closeAllConnections();
    await new Promise<void>((resolve) => plaid.close(() => resolve()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A Plaid that never answers, as the session's "emulator", with short gateway timeouts. */
  const silentPlaidServices = (timeoutMs: number) => ({
    startEmulator: async () => ({
      baseUrl: plaidUrl,
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
      linkScriptUrl: `${plaidUrl}/link-initialize.js`,
      close: async () => undefined,
    }),
    gatewayOptions: { maxAttempts: 1, timeoutMs },
  });

  /** An applicant with one linked bank, straight in the store. */
  const applicantWithBank = async (store: NonNullable<ReturnType<CoreHarness['services']['internals']['store']>>) => {
    const applicant = await addApplicant(store, applicantInput());
    const item = await store.items.add({
      applicantId: applicant.id,
      environment: 'emulator',
      plaidItemId: 'item-1',
      accessToken: FAKE_ACCESS_TOKEN,
      institutionId: 'ins_109508',
      institutionName: 'First Platypus Bank',
      accounts: [],
    });
    return { applicant, item };
  };

  test('start() resolves while a pending report waits on an unanswering Plaid; the failure surfaces afterwards', async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'assetdesk-startup-'));
    dirs.push(userDataDir);
    const keychainService = testKeychainService();
    const services = silentPlaidServices(800);

    // First run: a report left pending before Plaid was called (what a crash at that moment leaves).
    const first = await startHarness({ userDataDir, keychainService, services });
    const store = first.services.internals.store()!;
    const { applicant, item } = await applicantWithBank(store);
    const pending = await leftPendingReport(store, applicant, item.id);
    await first.close();

    // Second run: start() must not wait for Plaid's answer to the resubmission.
    requests = 0;
    const startedAt = Date.now();
    const second = await startHarness({ userDataDir, keychainService, services });
    try {
      expect(Date.now() - startedAt, 'start-up took less than the Plaid timeout').toBeLessThan(800);
      expect((await second.handlers['app:info']({})).keychain).toEqual({ state: 'ok' });
      expect(await finishesWithin(second.services.background(), 50), 'resumption still waits on Plaid').toBe(false);
      expect(await finishesWithin(second.services.background(), 5_000), 'resumption ends within 5 s').toBe(true);
      expect(requests).toBe(1);
      const report = (await second.services.internals.store()!.reports.get(pending.id))!;
      expect(report.status).toBe('failed');
      expect(report.failure?.code).toBe('OUTCOME_UNKNOWN'); // a create that timed out is never sent twice
      expect(second.events).toContainEqual({
        event: 'report:progress',
        payload: expect.objectContaining({ reportId: pending.id, status: 'failed' }),
      });
    } finally {
      await second.close();
      const keytar = await realKeytar();
      await keytar.deletePassword(keychainService, 'data-key').catch(() => false);
    }
  });

  test('a create resent at start-up that Plaid refuses leaves no report, and a notice says so (no dialog waits for it)', async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'assetdesk-startup-refused-'));
    dirs.push(userDataDir);
    const keychainService = testKeychainService();
    // First run: a report left pending before Plaid was called, for a bank the emulator does not know.
    const first = await startHarness({ userDataDir, keychainService });
    const store = first.services.internals.store()!;
    const { applicant, item } = await applicantWithBank(store);
    const pending = await leftPendingReport(store, applicant, item.id);
    await first.close();

    const second = await startHarness({ userDataDir, keychainService });
    try {
      await second.services.background();
      await second.services.internals.settled();
      expect(await second.services.internals.store()!.reports.get(pending.id)).toBeNull();
      expect(second.notifications).toContainEqual({
        title: 'Asset Report not made',
        body: expect.stringMatching(/^.+: .+/),
      });
    } finally {
      await second.close();
      const keytar = await realKeytar();
      await keytar.deletePassword(keychainService, 'data-key').catch(() => false);
    }
  });

  test('the officer sees the background work: pending reports checked, reports past retention removed, a failure kept', async () => {
    const userDataDir = mkdtempSync(join(tmpdir(), 'assetdesk-startup-work-'));
    dirs.push(userDataDir);
    const keychainService = testKeychainService();
    const services = silentPlaidServices(500);
    const first = await startHarness({ userDataDir, keychainService, services });
    const store = first.services.internals.store()!;
    const { applicant, item } = await applicantWithBank(store);
    // One report never reached Plaid (resumed, then past retention: removed here only); one failed
    // at Plaid (past retention: its removal at the unanswering Plaid fails).
    const neverSent = await leftPendingReport(store, applicant, item.id);
    const atPlaid = await leftPendingReport(store, applicant, item.id);
    await store.reports.attachPlaid(atPlaid.id, { plaidReportId: 'assets-report-1', reportToken: FAKE_REPORT_TOKEN });
    await store.reports.markFailed(atPlaid.id, { code: 'PRODUCT_NOT_READY', message: 'not ready' });
    await store.settings.update('retentionDays', 1);
    // Retention counts from when the loan was closed or withdrawn.
    await store.loans.setStatus(applicant.loanId, 'withdrawn');
    await first.close();

    const later = () => new Date(Date.now() + 3 * 86_400_000);
    const second = await startHarness({ userDataDir, keychainService, services: { ...services, clock: later } });
    try {
      const checking = {
        task: 'resumingReports',
        count: 1,
        state: 'running',
        message: 'Checking 1 pending report with Plaid…',
      };
      // Read by a window that opens after the event went out.
      expect((await second.handlers['app:info']({})).backgroundWork).toEqual(checking);
      expect(await finishesWithin(second.services.background(), 5_000), 'background work ends within 5 s').toBe(true);
      const told = second.events.filter((e) => e.event === 'app:backgroundWork').map((e) => e.payload);
      const failed = {
        task: 'retention',
        count: 1,
        state: 'failed',
        message: '1 report past retention could not be removed at Plaid. AssetDesk tries again tomorrow.',
      };
      expect(told).toEqual([
        { work: checking },
        { work: null },
        { work: { task: 'retention', count: 2, state: 'running', message: 'Removing 2 reports past retention…' } },
        { work: failed },
      ]);
      expect((await second.handlers['app:info']({})).backgroundWork).toEqual(failed);
      // A restart (here: "Try the keychain again") clears the line first, then tells what is still due.
      const seen = second.events.length;
      expect((await second.handlers['keychain:retry']({})).keychain).toEqual({ state: 'ok' });
      expect(await finishesWithin(second.services.background(), 5_000), 'background work ends within 5 s').toBe(true);
      expect(
        second.events
          .slice(seen)
          .filter((e) => e.event === 'app:backgroundWork')
          .map((e) => e.payload),
      ).toEqual([
        { work: null },
        { work: { task: 'retention', count: 1, state: 'running', message: 'Removing 1 report past retention…' } },
        { work: failed },
      ]);
      const after = second.services.internals.store()!;
      expect((await after.reports.get(neverSent.id))?.status).toBe('removed');
      expect((await after.reports.get(atPlaid.id))?.status).toBe('failed');
    } finally {
      await second.close();
      const keytar = await realKeytar();
      await keytar.deletePassword(keychainService, 'data-key').catch(() => false);
    }
  });

  test('onEnvironmentChanged is told the new environment and the emulator origin after a switch', async () => {
    const h = await startHarness();
    try {
      const changes: unknown[] = [];
      const unsubscribe = h.services.onEnvironmentChanged((change) => changes.push(change));
      await h.handlers['credentials:save']({
        environment: 'sandbox',
        clientId: EMULATOR_CLIENT_ID,
        secret: EMULATOR_SECRET,
      });
      await h.handlers['settings:switchEnvironment']({ environment: 'sandbox' });
      await h.handlers['settings:switchEnvironment']({ environment: 'emulator' });
      unsubscribe();
      await h.handlers['settings:switchEnvironment']({ environment: 'sandbox' });
      const origin = new URL(h.emulator.baseUrl).origin;
      const bank = new URL(h.emulator.bankOrigin).origin;
      expect(changes).toEqual([
        { environment: 'sandbox', emulatorOrigin: origin, emulatorBankOrigin: bank },
        { environment: 'emulator', emulatorOrigin: origin, emulatorBankOrigin: bank },
      ]);
    } finally {
      await h.close();
    }
  });
});
