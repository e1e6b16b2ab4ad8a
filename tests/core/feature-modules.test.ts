import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { SETTINGS_DEFAULTS, type AssetDeskStore } from '../../electron/db';
import type { DesktopAdapters } from '../../electron/services/desktop';
import type { EnvironmentSession } from '../../electron/services/environment-session';
import { createLoanHandlers } from '../../electron/services/features/loans';
import { createAuditCopyHandlers } from '../../electron/services/features/audit-copies';
import { createDepositHandlers } from '../../electron/services/features/deposits';
import { createLinkHandlers } from '../../electron/services/features/link';
import { createReportHandlers } from '../../electron/services/features/reports';
import { createSettingsHandlers } from '../../electron/services/features/settings';
import { createItemService } from '../../electron/services/link/items';
import { createMemoryLogger } from '../../electron/log/logger';
import { createPlaidGateway } from '../../electron/services/plaid-gateway';
import { removeReportEverywhere, sweepRetention } from '../../electron/services/removal';
import { createReportLifecycle } from '../../electron/services/reports/lifecycle';
import type { ServiceContext } from '../../electron/services/service-context';
import { createKeychainVault } from '../../electron/services/vault';
import { createWebhookDesk } from '../../electron/services/webhook-desk';
import type { EventName, EventPayload } from '../../shared/ipc/contract';
import { newLoanInput } from '../helpers/applicant';
import { NewLoanInput } from '../../shared/domain';
import { emulatorPlaid, linkSandboxBank } from '../helpers/emulator-plaid';
import { tempStore } from '../store/helpers';
import { finishesWithin } from './deadline';
import { leftPendingReport } from './harness';

/**
 * Feature modules on their own: a real store in a temp folder and a session bound to the real
 * emulator through the SDK, wired by hand (no composition root, no keychain, no `internals`).
 */

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 50, logger: createMemoryLogger() });
});
afterAll(() => emulator?.close());

async function desk() {
  const temp = await tempStore({ start: new Date().toISOString() });
  const store: AssetDeskStore = temp.store;
  const logger = createMemoryLogger();
  const clipboard: string[] = [];
  const events: Array<{ event: EventName; payload: unknown }> = [];
  const desktop: DesktopAdapters = {
    chooseSavePath: async () => null,
    chooseFolder: async () => null,
    chooseFile: async () => null,
    writeClipboard: (text) => void clipboard.push(text),
    notify: () => undefined,
  };
  const sink = {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      events.push({ event, payload });
    },
  };
  const gateway = createPlaidGateway({
    environment: 'emulator',
    basePath: emulator.baseUrl,
    clientId: emulator.clientId,
    secret: emulator.secret,
    logger,
    maxAttempts: 3,
    baseDelayMs: 10,
    maxDelayMs: 50,
  });
  const items = createItemService({
    store,
    gateway,
    environment: 'emulator',
    events: sink,
    logger,
    webhookUrl: () => null,
    linkScriptUrl: emulator.linkScriptUrl,
  });
  const lifecycle = createReportLifecycle({
    store,
    gateway,
    environment: 'emulator',
    items,
    events: sink,
    desktop,
    logger,
    webhookUrl: () => null,
    pollIntervals: { initialMs: 30, factor: 1.5, maxMs: 200 },
    crashAt: null,
  });
  const session: EnvironmentSession = { environment: 'emulator', gateway, items, lifecycle };
  const ctx: ServiceContext = {
    desktop,
    events: sink,
    logger,
    clock: () => new Date(),
    store: () => store,
    openStore: () => store,
    environment: () => 'emulator',
    session: async () => session,
    gatewayFor: async () => gateway,
  };
  return {
    temp,
    store,
    ctx,
    session,
    clipboard,
    events,
    link: createLinkHandlers(ctx),
    loans: createLoanHandlers(ctx),
    reports: createReportHandlers(ctx),
    auditCopies: createAuditCopyHandlers(ctx),
    deposits: createDepositHandlers(ctx),
    async close() {
      await lifecycle.stop();
      items.stop();
      await temp.cleanup();
    },
  };
}

type Desk = Awaited<ReturnType<typeof desk>>;

/** A one-borrower loan made through loans:create; its borrower. */
async function newApplicant(d: Desk) {
  return (await d.loans['loans:create'](NewLoanInput.parse(newLoanInput()))).borrowers[0]!;
}

/** A one-borrower loan with one linked bank and a report asked for, through the feature modules. */
async function requestReport(d: Desk) {
  const applicant = await newApplicant(d);
  const item = await linkSandboxBank(emulatorPlaid(emulator), d.link, applicant.id);
  const created = await d.reports['reports:create']({
    loanId: applicant.loanId,
    itemIds: [item.id],
    daysRequested: 61,
    includeApplicantDetails: false,
  });
  return { applicant, item, created };
}

/** The same, once Plaid has made the report and it is stored as ready. */
async function readyReport(d: Desk) {
  const { applicant, item, created } = await requestReport(d);
  expect(await finishesWithin(d.session.lifecycle.settled(), 10_000), 'the report settles within 10 s').toBe(true);
  expect((await d.store.reports.get(created.id))?.status).toBe('ready');
  return { applicant, item, report: (await d.store.reports.get(created.id))! };
}

describe('feature modules, each on its own (real SQLite, real emulator through the SDK)', () => {
  let d: Desk;
  beforeEach(async () => {
    d = await desk();
  });
  afterEach(() => d.close());

  test('resume carries on a report left pending before Plaid was called, on the same row (never a second one)', async () => {
    const applicant = await newApplicant(d);
    const item = await linkSandboxBank(emulatorPlaid(emulator), d.link, applicant.id);
    const pending = await leftPendingReport(d.store, applicant, item.id);
    await d.session.lifecycle.resume();
    expect(await finishesWithin(d.session.lifecycle.settled(), 10_000), 'resumed report settles within 10 s').toBe(
      true,
    );
    const rows = await d.store.reports.listForLoan(applicant.loanId, 'emulator');
    expect(rows.map((r) => [r.id, r.status])).toEqual([[pending.id, 'ready']]);
    // A second resume finds nothing pending and makes nothing new.
    await d.session.lifecycle.resume();
    expect(await d.store.reports.listForLoan(applicant.loanId, 'emulator')).toHaveLength(1);
  });

  test('reports:summary reads one report whatever its status, and progress events carry that summary', async () => {
    const { applicant, created } = await requestReport(d);
    const pending = await d.reports['reports:summary']({ reportId: created.id });
    expect(pending).toMatchObject({ id: created.id, status: 'pending', applicantId: applicant.id });
    expect(pending).not.toHaveProperty('itemIds'); // the screen's summary, not the lifecycle's record
    await expect(d.reports['reports:get']({ reportId: created.id })).rejects.toMatchObject({
      code: 'REPORT_NOT_READY',
    });
    expect(await finishesWithin(d.session.lifecycle.settled(), 10_000), 'the report settles within 10 s').toBe(true);
    const ready = await d.reports['reports:summary']({ reportId: created.id });
    expect(ready.status).toBe('ready');
    const progress = d.events
      .filter((e) => e.event === 'report:progress')
      .map(
        (e) => e.payload as { status: string; summary: { id: string; status: string; totalBalance: number | null } },
      );
    expect(progress.map((p) => [p.status, p.summary.status])).toEqual([
      ['pending', 'pending'],
      ['ready', 'ready'],
    ]);
    expect(progress[1]!.summary).toEqual(ready);
    await expect(d.reports['reports:summary']({ reportId: 'no-such-report' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  test('a second PRODUCT_READY for a ready report changes nothing', async () => {
    const { report } = await readyReport(d);
    await d.session.lifecycle.handleWebhook({
      webhook_type: 'ASSETS',
      webhook_code: 'PRODUCT_READY',
      asset_report_id: report.plaidReportId!,
    });
    const readies = (await d.deposits['activity:list']({ reportId: report.id })).filter(
      (a) => a.action === 'report_ready',
    );
    expect(readies).toHaveLength(1);
  });

  test('a filter keeps its excluded accounts on the report row and Plaid applies them', async () => {
    const { report } = await readyReport(d);
    const content = (await d.store.reports.readJson(report.id)) as {
      report: { items: Array<{ accounts: Array<{ account_id: string }> }> };
    };
    const accountIds = content.report.items.flatMap((i) => i.accounts.map((a) => a.account_id));
    expect(accountIds.length).toBeGreaterThan(1);
    const filtered = await d.reports['reports:filter']({ reportId: report.id, accountIdsToExclude: [accountIds[0]!] });
    expect((await d.store.reports.get(filtered.id))?.excludedAccountIds).toEqual([accountIds[0]]);
    expect(await finishesWithin(d.session.lifecycle.settled(), 10_000), 'the filter settles within 10 s').toBe(true);
    const filteredContent = (await d.store.reports.readJson(filtered.id)) as typeof content;
    const left = filteredContent.report.items.flatMap((i) => i.accounts.map((a) => a.account_id));
    expect(left).not.toContain(accountIds[0]);
    expect(left).toHaveLength(accountIds.length - 1);
    // The generated day that names export files is on the row too.
    expect(await d.store.reports.generatedOn(filtered.id)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  test('Plaid-side removal is idempotent: a report already gone at Plaid is still removed here, once', async () => {
    const { report } = await readyReport(d);
    const token = (await d.store.reports.reportToken(report.id))!;
    await d.session.gateway.removeReport(token); // gone at Plaid behind our back
    await d.session.gateway.removeReport(token); // and again: "already gone" counts as removed
    await removeReportEverywhere(d.ctx, report, 'test');
    expect((await d.store.reports.get(report.id))?.status).toBe('removed');
    const removals = (await d.store.activity.list({ reportId: report.id })).filter(
      (e) => e.action === 'report_removed',
    );
    expect(removals.map((e) => e.detail.reason)).toEqual(['test']);
  });

  test('a refusal that is not "already gone" still fails the removal, and nothing is marked removed', async () => {
    const { item } = await readyReport(d);
    const wrongKeys = createPlaidGateway({
      environment: 'emulator',
      basePath: emulator.baseUrl,
      clientId: emulator.clientId,
      secret: '0'.repeat(30),
      logger: createMemoryLogger(),
    });
    const accessToken = await d.store.items.accessToken(item.id);
    await expect(wrongKeys.removeItem(accessToken)).rejects.toMatchObject({ code: 'INVALID_API_KEYS' });
    expect((await d.store.items.get(item.id))?.status).toBe('ok');
    await d.link['items:remove']({ itemId: item.id });
    expect((await d.store.items.get(item.id))?.status).toBe('removed');
    // Removing the same Item at Plaid once more is answered as already gone.
    await expect(d.session.gateway.removeItem(accessToken)).resolves.toBeUndefined();
  });

  test('audit copies: made, token to the clipboard only, revoked at Plaid, and a second revoke is harmless', async () => {
    const { report } = await readyReport(d);
    const copy = await d.auditCopies['auditCopies:create']({ reportId: report.id, auditorId: 'fannie_mae' });
    expect(JSON.stringify(copy)).not.toMatch(/a-(sandbox|emulator)-/);
    await d.auditCopies['auditCopies:copyToken']({ auditCopyId: copy.id });
    expect(d.clipboard).toHaveLength(1);
    const token = d.clipboard[0]!;
    await d.auditCopies['auditCopies:remove']({ auditCopyId: copy.id });
    await d.auditCopies['auditCopies:remove']({ auditCopyId: copy.id });
    expect((await d.auditCopies['auditCopies:list']({ reportId: report.id }))[0]?.removedAt).toEqual(
      expect.any(String),
    );
    await expect(d.session.gateway.removeAuditCopy(token)).resolves.toBeUndefined();
    await expect(d.auditCopies['auditCopies:copyToken']({ auditCopyId: copy.id })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  test('sourced deposits are kept per report with their note and logged each way', async () => {
    const { report } = await readyReport(d);
    await d.deposits['deposits:markSourced']({ reportId: report.id, transactionId: 'tx-1', note: 'gift letter' });
    expect(await d.deposits['deposits:listSourced']({ reportId: report.id })).toEqual([
      { transactionId: 'tx-1', note: 'gift letter', markedAt: expect.any(String) },
    ]);
    await d.deposits['deposits:unmarkSourced']({ reportId: report.id, transactionId: 'tx-1' });
    expect(await d.deposits['deposits:listSourced']({ reportId: report.id })).toEqual([]);
    const actions = (await d.deposits['activity:list']({ reportId: report.id })).map((e) => e.action);
    expect(actions.slice(0, 2)).toEqual(['deposit_unsourced', 'deposit_sourced']);
  });

  test('retention (now counted from when the loan is closed or withdrawn) removes reports of loans closed longer ago than the setting, at Plaid and locally (nothing younger, nothing of an open loan)', async () => {
    const { applicant, report } = await readyReport(d);
    expect(await sweepRetention(d.ctx)).toEqual([]); // no retention set: keep forever
    await d.store.settings.update('retentionDays', 30);
    expect(await sweepRetention(d.ctx)).toEqual([]);
    const later = { ...d.ctx, clock: () => new Date(Date.now() + 31 * 86_400_000) };
    // However old, an open loan's report is still in use.
    expect(await sweepRetention(later)).toEqual([]);
    await d.store.loans.setStatus(applicant.loanId, 'closed');
    expect(await sweepRetention(d.ctx)).toEqual([]);
    const token = (await d.store.reports.reportToken(report.id))!;
    expect(await sweepRetention(later)).toEqual([report.id]);
    expect((await d.store.reports.get(report.id))?.status).toBe('removed');
    const gone = await emulatorPlaid(emulator)
      .assetReportGet({ asset_report_token: token })
      .catch((e: { response?: { data?: { error_code?: string } } }) => e.response?.data?.error_code);
    expect(gone).toBe('INVALID_ASSET_REPORT_TOKEN');
    const log = await d.deposits['activity:list']({ reportId: report.id });
    expect(log.some((entry) => /remov/i.test(entry.action))).toBe(true);
  });
});

describe('modules of the composition root, on their own', () => {
  test('settings answer with their defaults while the keychain is missing, and refuse to change anything', async () => {
    const ctx: ServiceContext = {
      desktop: {
        chooseSavePath: async () => null,
        chooseFolder: async () => null,
        chooseFile: async () => null,
        writeClipboard() {},
        notify() {},
      },
      events: { emit() {} },
      logger: createMemoryLogger(),
      clock: () => new Date(),
      store: () => {
        throw new Error('the keychain is missing');
      },
      openStore: () => null,
      environment: () => 'emulator',
      session: async () => {
        throw new Error('no session without a store');
      },
      gatewayFor: async () => {
        throw new Error('no gateway without a store');
      },
    };
    const keychain = { state: 'unavailable' as const, message: 'No Secret Service.', howToFix: 'Install one.' };
    const handlers = createSettingsHandlers({
      ctx,
      vault: createKeychainVault({ service: 'AssetDesk-never-used' }),
      keychain: () => keychain,
      version: '9.9.9',
      transport: 'web-bridge',
      switchEnvironment: async () => {
        throw new Error('no switching without a store');
      },
      sessionEnvironment: () => null,
      webhooks: { start: async () => undefined, stop: async () => undefined, url: () => null, localUrl: () => null },
      gatewayWith: () => {
        throw new Error('no gateway without a store');
      },
    });
    expect(await handlers['app:info']({})).toEqual({
      version: '9.9.9',
      environment: 'emulator',
      keychain,
      transport: 'web-bridge',
      backgroundWork: null,
    });
    expect(await handlers['settings:get']({})).toEqual({
      environment: 'emulator',
      credentials: { sandbox: { state: 'not_configured' }, production: { state: 'not_configured' } },
      webhook: SETTINGS_DEFAULTS.webhook,
      webhookDelivery: { mode: 'polling', plaidUrl: null, localUrl: null },
      oauthRedirectUri: { sandbox: null, production: null },
      hostedLinkLifetimeSeconds: SETTINGS_DEFAULTS.hostedLinkLifetimeSeconds,
      retentionDays: null,
      largeDepositShare: SETTINGS_DEFAULTS.largeDepositShare,
      documentAgeRule: SETTINGS_DEFAULTS.documentAgeRule,
      insights: SETTINGS_DEFAULTS.insights,
    });
    await expect(handlers['settings:update']({ retentionDays: 30 })).rejects.toThrow(/keychain is missing/);
  });

  test('the webhook URL: off, the public URL, our loopback receiver for a local Plaid, nothing for a remote one', async () => {
    let enabled = true;
    let publicUrl: string | null = null;
    let basePath = emulator.baseUrl;
    const session = () => ({ gateway: { basePath } }) as unknown as EnvironmentSession;
    const webhooks = createWebhookDesk({
      logger: createMemoryLogger(),
      clock: () => new Date(),
      enabled: () => enabled,
      publicUrl: () => publicUrl,
      session,
      requireSession: async () => session(),
      savedPort: () => null,
      savePort: async () => undefined,
    });
    expect(webhooks.url()).toBeNull(); // no receiver yet
    await webhooks.start();
    try {
      expect(webhooks.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/plaid\/webhook$/);
      basePath = 'https://sandbox.plaid.com';
      expect(webhooks.url()).toBeNull(); // Plaid's own hosts cannot reach our loopback receiver
      publicUrl = 'https://desk.example.com/plaid/webhook';
      expect(webhooks.url()).toBe(publicUrl);
      enabled = false;
      expect(webhooks.url()).toBeNull();
    } finally {
      await webhooks.stop();
    }
    enabled = true;
    publicUrl = null;
    basePath = emulator.baseUrl;
    expect(webhooks.url()).toBeNull(); // stopped
  });
});
