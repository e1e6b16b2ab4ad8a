import type { AssetReportAuditCopyGetRequest } from 'plaid';
import type { AssetReportGetResult } from '../../shared/asset-report';
import type { ReportSummary } from '../../shared/domain';
import { requireKeychain } from '../helpers/keychain';
import { emulatorPlaid, linkSandboxBank } from '../helpers/emulator-plaid';
import { emulatorControl } from './counting-proxy';
import { createApplicant, linkBank, startHarness, until, type CoreHarness } from './harness';

const hasKeychain = await requireKeychain();

/**
 * Plaid's documented ways of saying no, each run from the emulator through the real services to what
 * the officer sees: the report's status and message, its warnings, the events the screens get.
 */
describe.skipIf(!hasKeychain)("Plaid's failures through to the officer (real services, emulator)", () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterEach(() => h.emulator.faults.reset());
  afterAll(() => h?.close());

  /** The first non-pending progress event of a report: what the screens show when it settles. */
  const settledEvent = (reportId: string) =>
    until(
      () =>
        h.events.find(
          (e) =>
            e.event === 'report:progress' &&
            (e.payload as { reportId: string }).reportId === reportId &&
            (e.payload as { status: string }).status !== 'pending',
        )?.payload as { status: string; message?: string; summary: ReportSummary } | undefined,
      `report ${reportId} to settle`,
    );

  async function applicantWithTwoBanks(loanNumber: string) {
    const { id: applicantId, loanId } = await createApplicant(h.handlers, { loanNumber });
    const good = await linkBank(h, applicantId);
    const failing = await linkSandboxBank(h.plaid, h.handlers, applicantId, {
      institutionId: 'ins_109511',
      name: 'Tartan Bank',
      username: 'user_bank_timeout',
    });
    return { applicantId, loanId, itemIds: [good.id, failing.id] };
  }

  test('two banks, one times out, require_all_items true (the default): failed, and the message names the bank', async () => {
    const { loanId, itemIds } = await applicantWithTwoBanks('LN-MULTI-ALL');
    const report = await h.handlers['reports:create']({
      loanId,
      itemIds,
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    const outcome = await settledEvent(report.id);
    expect(outcome.status).toBe('failed');
    expect(outcome.message).toMatch(/Tartan Bank:/);
    expect(outcome.message).not.toMatch(/First Platypus Bank:/);
    const summary = await h.handlers['reports:summary']({ reportId: report.id });
    expect(summary.failure).toMatchObject({ code: 'DATA_UNAVAILABLE', message: expect.stringMatching(/Tartan Bank/) });
  });

  test('the same with require_all_items false: ready without that bank, and the warning names it', async () => {
    const { loanId, itemIds } = await applicantWithTwoBanks('LN-MULTI-SOME');
    const report = await h.handlers['reports:create']({
      loanId,
      itemIds,
      daysRequested: 61,
      includeApplicantDetails: false,
      requireAllItems: false,
    });
    const outcome = await settledEvent(report.id);
    expect(outcome.status).toBe('ready');
    expect(outcome.message).toMatch(/Tartan Bank/);
    const got = await h.handlers['reports:get']({ reportId: report.id });
    const content = JSON.parse(got.contentJson) as AssetReportGetResult;
    expect(content.report.items.map((i) => i.institution_name)).toEqual(['First Platypus Bank']);
    expect(content.warnings).toEqual([
      expect.objectContaining({
        warning_type: 'ASSET_REPORT_WARNING',
        cause: expect.objectContaining({ institution_name: 'Tartan Bank', item_id: expect.any(String) }),
      }),
    ]);
  });

  test('a client without insights still gets a usable report, fetched plainly, and the choice is remembered', async () => {
    const { id: applicantId, loanId } = await createApplicant(h.handlers, { loanNumber: 'LN-NO-INSIGHTS' });
    const itemId = (await linkBank(h, applicantId)).id;
    await emulatorControl(h.emulator, 'entitlements', { insights: false });
    expect((await h.handlers['settings:get']({})).insights.emulator).toBe(true);
    const report = await h.handlers['reports:create']({
      loanId,
      itemIds: [itemId],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    expect((await settledEvent(report.id)).status).toBe('ready');
    const content = JSON.parse((await h.handlers['reports:get']({ reportId: report.id })).contentJson) as {
      report: { items: Array<{ accounts: Array<{ transactions: Array<Record<string, unknown>> }> }> };
    };
    const transactions = content.report.items.flatMap((i) => i.accounts.flatMap((a) => a.transactions));
    expect(transactions.length).toBeGreaterThan(0);
    expect(transactions.some((t) => 'merchant_name' in t || 'category' in t)).toBe(false);
    expect((await h.handlers['settings:get']({})).insights).toMatchObject({ emulator: false, sandbox: true });
    const activity = await h.handlers['activity:list']({ reportId: report.id });
    expect(activity.map((a) => a.action)).toContain('report_fetched_without_insights');
    await h.handlers['settings:update']({ insights: { environment: 'emulator', enabled: true } });
  });

  test('a report made while insights were off is fetched plainly once they are on, and insights stay on', async () => {
    const { id: applicantId, loanId } = await createApplicant(h.handlers, { loanNumber: 'LN-PREV-INSIGHTS' });
    const itemId = (await linkBank(h, applicantId)).id;
    await emulatorControl(h.emulator, 'entitlements', { insights: false });
    h.emulator.faults.setReadyAfterMs(600_000);
    const report = await h.handlers['reports:create']({
      loanId,
      itemIds: [itemId],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    await emulatorControl(h.emulator, 'entitlements', { insights: true });
    await emulatorControl(h.emulator, 'ready_after', { ms: 0, asset_report_id: report.plaidReportId });
    expect((await settledEvent(report.id)).status).toBe('ready');
    const activity = await h.handlers['activity:list']({ reportId: report.id });
    expect(activity.find((a) => a.action === 'report_fetched_without_insights')?.detail).toEqual({
      code: 'INSIGHTS_PREVIOUSLY_NOT_ENABLED',
    });
    expect((await h.handlers['settings:get']({})).insights.emulator).toBe(true);
  });

  test("Fast Assets: Plaid's FAST report is announced while the report stays pending; the FULL one is what is stored", async () => {
    const { id: applicantId, loanId } = await createApplicant(h.handlers, { loanNumber: 'LN-FAST' });
    const itemId = (await linkBank(h, applicantId)).id;
    h.emulator.faults.setFastReportGapMs(1500);
    const report = await h.handlers['reports:create']({
      loanId,
      itemIds: [itemId],
      daysRequested: 61,
      includeApplicantDetails: false,
      fastAssets: true,
    });
    const outcome = await settledEvent(report.id);
    expect(outcome.status).toBe('ready');
    const progress = h.events
      .filter((e) => e.event === 'report:progress' && (e.payload as { reportId: string }).reportId === report.id)
      .map((e) => e.payload as { status: string; message?: string });
    const firstLook = progress.findIndex((p) => p.status === 'pending' && /first look/.test(p.message ?? ''));
    expect(firstLook).toBeGreaterThan(0);
    expect(firstLook).toBeLessThan(progress.findIndex((p) => p.status === 'ready'));
    const actions = (await h.handlers['activity:list']({ reportId: report.id })).map((a) => a.action);
    expect(actions).toContain('report_fast_ready');
    const content = JSON.parse((await h.handlers['reports:get']({ reportId: report.id })).contentJson) as {
      report: { items: Array<{ accounts: Array<{ transactions: unknown[] }> }> };
    };
    // The FULL report: the FAST one has no transactions.
    expect(content.report.items.flatMap((i) => i.accounts.flatMap((a) => a.transactions)).length).toBeGreaterThan(0);
  });

  test('a client without Fast Assets gets a message naming the add-on, and no report is left pending', async () => {
    const { id: applicantId, loanId } = await createApplicant(h.handlers, { loanNumber: 'LN-NO-FAST' });
    const itemId = (await linkBank(h, applicantId)).id;
    await emulatorControl(h.emulator, 'entitlements', { fast_assets: false });
    const refused = await h.handlers['reports:create']({
      loanId,
      itemIds: [itemId],
      daysRequested: 61,
      includeApplicantDetails: false,
      fastAssets: true,
    }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'INVALID_PRODUCT', message: expect.stringMatching(/Fast Assets/) });
    // Plaid refused the create, so nothing exists there: no "Failed" row is left behind.
    expect((await h.handlers['loans:get']({ loanId })).reports).toEqual([]);
  });

  test("Plaid's per-bank create limit (5 a minute) ends in a message the officer can act on", async () => {
    const { id: applicantId, loanId } = await createApplicant(h.handlers, { loanNumber: 'LN-LIMIT' });
    const itemId = (await linkBank(h, applicantId)).id;
    await emulatorControl(h.emulator, 'rate_limits', { enabled: true });
    const request = { loanId, itemIds: [itemId], daysRequested: 61, includeApplicantDetails: false };
    for (let i = 0; i < 5; i++) await h.handlers['reports:create'](request);
    const refused = await h.handlers['reports:create'](request).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'RATE_LIMIT', message: expect.stringMatching(/Wait a minute/) });
    // The five made reports remain; the refused sixth left no row (Plaid made nothing).
    const rows = (await h.handlers['loans:get']({ loanId })).reports;
    expect(rows).toHaveLength(5);
    expect(rows.filter((r) => r.status === 'failed')).toEqual([]);
    await h.services.internals.settled();
  });

  test("the auditor reads the audit copy the officer shares; the officer's own keys cannot", async () => {
    const { id: applicantId, loanId } = await createApplicant(h.handlers, { loanNumber: 'LN-AUDIT' });
    const itemId = (await linkBank(h, applicantId)).id;
    const report = await h.handlers['reports:create']({
      loanId,
      itemIds: [itemId],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    expect((await settledEvent(report.id)).status).toBe('ready');
    const copy = await h.handlers['auditCopies:create']({ reportId: report.id, auditorId: 'fannie_mae' });
    await h.handlers['auditCopies:copyToken']({ auditCopyId: copy.id });
    const token = h.clipboard.at(-1)!;
    const request: AssetReportAuditCopyGetRequest = { audit_copy_token: token };

    const fannie = emulatorPlaid({ baseUrl: h.emulator.baseUrl, ...h.emulator.auditors.fannie_mae! });
    const read = await fannie.assetReportAuditCopyGet(request);
    expect(read.data.report.asset_report_id).toBe(report.plaidReportId);
    const refused = await h.plaid.assetReportAuditCopyGet(request).catch((e: { response: { data: unknown } }) => e);
    expect((refused as { response: { data: unknown } }).response.data).toMatchObject({
      error_code: 'INVALID_AUDIT_COPY_TOKEN',
    });
  });
});
