import { readFileSync, statSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import type { AssetReportGetResult } from '../../shared/asset-report';
import { decodeReportView } from '../../shared/report-view';
import { withoutTransactions } from '../../shared/report-view-encode';
import type { ReportSummary } from '../../shared/domain';
import { createMemoryLogger } from '../../electron/log/logger';
import { requireKeychain } from '../helpers/keychain';
import { emulatorPlaid } from '../helpers/emulator-plaid';
import {
  createApplicant,
  APPLICANT,
  EMULATOR_CLIENT_ID,
  EMULATOR_SECRET,
  linkBank,
  startHarness,
  TOKEN_PATTERN,
  until,
  type CoreHarness,
} from './harness';

const hasKeychain = await requireKeychain();

describe.skipIf(!hasKeychain)('the whole lifecycle against the emulator, through the SDK, with a real keychain', () => {
  let h: CoreHarness;
  // Polling starts only after 10 minutes here: readiness can only come from the webhook.
  beforeAll(async () => {
    h = await startHarness({ services: { pollIntervals: { initialMs: 600_000, factor: 1.5, maxMs: 600_000 } } });
  });
  afterAll(() => h?.close());

  const readyEvent = (reportId: string) =>
    until(
      () =>
        h.events.find(
          (e) =>
            e.event === 'report:progress' &&
            (e.payload as { reportId: string; status: string }).reportId === reportId &&
            (e.payload as { status: string }).status !== 'pending',
        ),
      `report ${reportId} to finish`,
    );

  test("credentials: wrong keys are rejected with Plaid's reason and never stored; right keys are verified, stored and usable", async () => {
    expect((await h.handlers['app:info']({})).keychain).toEqual({ state: 'ok' });
    const wrong = await h.handlers['credentials:save']({
      environment: 'sandbox',
      clientId: EMULATOR_CLIENT_ID,
      secret: 'f'.repeat(30),
    });
    expect(wrong.credentials.sandbox.state).toBe('rejected');
    expect(wrong.credentials.sandbox).toMatchObject({ reason: expect.stringMatching(/INVALID_API_KEYS/) });
    await expect(h.handlers['settings:switchEnvironment']({ environment: 'sandbox' })).rejects.toMatchObject({
      code: 'CREDENTIALS_NOT_CONFIGURED',
    });

    const right = await h.handlers['credentials:save']({
      environment: 'sandbox',
      clientId: EMULATOR_CLIENT_ID,
      secret: EMULATOR_SECRET,
    });
    expect(right.credentials.sandbox).toEqual({ state: 'configured' });
    expect(right.credentials.production).toEqual({ state: 'not_configured' });
    const switched = await h.handlers['settings:switchEnvironment']({ environment: 'sandbox' });
    expect(switched.environment).toBe('sandbox');
    expect(h.services.internals.gateway().environment).toBe('sandbox');
    // The keys in use are known to the logger's run-time secrets (the main process hands it this list).
    expect(h.services.secretsInUse()).toEqual(expect.arrayContaining([EMULATOR_CLIENT_ID, EMULATOR_SECRET]));
    const logger = createMemoryLogger({ secrets: () => h.services.secretsInUse() });
    logger.warn(`sent ${EMULATOR_CLIENT_ID}`, { note: `with ${EMULATOR_SECRET}` });
    expect(logger.lines.join()).not.toMatch(new RegExp(`${EMULATOR_CLIENT_ID}|${EMULATOR_SECRET}`));
  });

  let applicantId = '';
  let loanId = '';
  let itemId = '';
  let report: ReportSummary;

  test('link token for the applicant, public-token exchange into the store, duplicate institution caught', async () => {
    ({ id: applicantId, loanId } = await createApplicant(h.handlers));
    const link = await h.handlers['link:createToken']({ applicantId });
    expect(link.linkToken).toMatch(/^link-sandbox-/);
    expect(link.updateMode).toBe(false);
    const item = await linkBank(h, applicantId);
    itemId = item.id;
    expect(item).toMatchObject({ applicantId, environment: 'sandbox', institutionId: 'ins_109508', status: 'ok' });
    expect(JSON.stringify(item)).not.toMatch(/access-/);
    await expect(linkBank(h, applicantId)).rejects.toMatchObject({
      code: 'DUPLICATE_INSTITUTION',
      message: expect.stringMatching(/already linked/),
    });
    expect((await h.handlers['loans:get']({ loanId })).items).toHaveLength(1);
    const update = await h.handlers['link:createToken']({ applicantId, itemId });
    expect(update.updateMode).toBe(true);
  });

  test('create → pending first → ready by webhook, JSON (with insights) and PDF stored', async () => {
    report = await h.handlers['reports:create']({
      loanId,
      itemIds: [itemId],
      daysRequested: 61,
      includeApplicantDetails: true,
    });
    expect(report.status).toBe('pending');
    expect(report.plaidReportId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h.services.internals.webhookUrl()).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/plaid\/webhook$/);
    const done = await readyEvent(report.id);
    expect(done.payload).toMatchObject({ status: 'ready', applicantId });
    expect(h.logger.lines.some((l) => l.includes('webhook accepted') && l.includes('PRODUCT_READY'))).toBe(true);

    const got = await h.handlers['reports:get']({ reportId: report.id });
    expect(got.summary).toMatchObject({
      status: 'ready',
      kind: 'create',
      loanNumber: APPLICANT.loanNumber,
      institutions: ['First Platypus Bank'],
    });
    expect(got.summary.totalBalance).toBeGreaterThan(0);
    expect(got.summary.findingCounts).not.toBeNull();
    expect(got.contentJson).not.toMatch(/123-?45-?6789/); // nowhere in the text the renderer gets
    const content = JSON.parse(got.contentJson) as AssetReportGetResult;
    expect(content.report.client_report_id).toBe(APPLICANT.loanNumber);
    expect(content.report.user.first_name).toBe('Alberta');
    expect(content.report.user.ssn).toBe('***-**-6789'); // Plaid got the full SSN; the renderer sees it masked
    expect(content.report.days_requested).toBe(61);
    const anyTransaction = content.report.items[0]!.accounts.flatMap((a) => a.transactions)[0] as { name?: string };
    expect(anyTransaction.name).toBeTruthy(); // insights
    const pdf = await h.handlers['reports:pdf']({ reportId: report.id });
    expect(Buffer.from(pdf.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(h.notifications.some((n) => n.title === 'Asset Report ready')).toBe(true);

    // The screen's views were prepared when the report was stored, and say what the report says.
    const stored = await h.services.internals.store()!.reports.readView(report.id, 'whole');
    const { summary, view } = await h.handlers['reports:view']({ reportId: report.id });
    expect(summary).toStrictEqual(got.summary);
    expect(view).toEqual(stored);
    const firstScreen = await h.handlers['reports:view']({ reportId: report.id, part: 'firstScreen' });
    expect(firstScreen.view).toEqual(await h.services.internals.store()!.reports.readView(report.id, 'firstScreen'));
    expect(Buffer.from(firstScreen.view).includes('123-45-6789')).toBe(false);
    expect(Buffer.from(view).includes('123-45-6789')).toBe(false);
    const read = decodeReportView(view);
    expect(read.head).toStrictEqual(withoutTransactions(content));
    expect(read.columns.count).toBe(
      content.report.items.flatMap((i) => i.accounts.flatMap((a) => a.transactions)).length,
    );
  });

  // A second PRODUCT_READY for a ready report: tested on the lifecycle itself (tests/core/feature-modules.test.ts).

  test('exports: PDF (with cover page), JSON and transactions CSV, named for the loan and logged', async () => {
    const pdf = await h.handlers['reports:export']({ reportId: report.id, format: 'pdf', withCoverPage: true });
    expect(pdf.saved).toBe(true);
    if (!pdf.saved) return;
    expect(pdf.path).toMatch(
      new RegExp(
        `LN-2024-0001_Charleson_AssetReport_\\d{4}-\\d{2}-\\d{2}_${report.plaidReportId!.replace(/-/g, '').slice(0, 8)}_WithCoverPage\\.pdf$`,
      ),
    );
    const bytes = readFileSync(pdf.path);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const plaidPages = (
      await PDFDocument.load((await h.handlers['reports:pdf']({ reportId: report.id })).pdf)
    ).getPageCount();
    expect((await PDFDocument.load(bytes)).getPageCount()).toBeGreaterThan(plaidPages);
    const json = await h.handlers['reports:export']({ reportId: report.id, format: 'json' });
    if (!json.saved) throw new Error('json not saved');
    expect(JSON.parse(readFileSync(json.path, 'utf8')).report.asset_report_id).toBe(report.plaidReportId);
    // The JSON export holds the full SSN: owner-only, like every export.
    for (const saved of [pdf.path, json.path]) expect(statSync(saved).mode & 0o777).toBe(0o600);
    const csv = await h.handlers['reports:export']({ reportId: report.id, format: 'csv' });
    if (!csv.saved) throw new Error('csv not saved');
    const lines = readFileSync(csv.path, 'utf8').split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFdate,bank,account,mask,description,merchant,category,amount (+ money in / - money out),currency,pending,transaction id',
    );
    expect(lines.length).toBeGreaterThan(10);
    expect(
      lines.some(
        (l) => l.includes('"United Airlines **** REFUND ****"') || l.includes('United Airlines **** REFUND ****'),
      ),
    ).toBe(true);
    const exported = (await h.handlers['activity:list']({ reportId: report.id })).filter(
      (a) => a.action === 'report_exported',
    );
    expect(exported).toHaveLength(3);
  });

  test('refresh and filter make child reports linked to their parent', async () => {
    const refreshed = await h.handlers['reports:refresh']({ reportId: report.id, daysRequested: 90 });
    expect(refreshed).toMatchObject({ kind: 'refresh', parentId: report.id, status: 'pending', daysRequested: 90 });
    expect((await readyEvent(refreshed.id)).payload).toMatchObject({ status: 'ready' });

    const parentContent = JSON.parse(
      (await h.handlers['reports:get']({ reportId: report.id })).contentJson,
    ) as AssetReportGetResult;
    const accounts = parentContent.report.items[0]!.accounts;
    const excluded = accounts[0]!.account_id;
    const filtered = await h.handlers['reports:filter']({ reportId: report.id, accountIdsToExclude: [excluded] });
    expect(filtered).toMatchObject({ kind: 'filter', parentId: report.id });
    expect((await readyEvent(filtered.id)).payload).toMatchObject({ status: 'ready' });
    const filteredContent = JSON.parse(
      (await h.handlers['reports:get']({ reportId: filtered.id })).contentJson,
    ) as AssetReportGetResult;
    const remaining = filteredContent.report.items.flatMap((i) => i.accounts.map((a) => a.account_id));
    expect(remaining).not.toContain(excluded);
    expect(remaining).toHaveLength(accounts.length - 1);
  });

  test('filter refuses an account the report does not hold, or leaving none, before anything is created', async () => {
    const parentContent = JSON.parse(
      (await h.handlers['reports:get']({ reportId: report.id })).contentJson,
    ) as AssetReportGetResult;
    const all = parentContent.report.items.flatMap((i) => i.accounts.map((a) => a.account_id));
    const before = (await h.handlers['reports:search']({})).total;
    const eventsBefore = h.events.length;
    await expect(
      h.handlers['reports:filter']({ reportId: report.id, accountIdsToExclude: [all[0]!, 'not-in-this-report'] }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'accountIdsToExclude',
      message: expect.stringMatching(/not-in-this-report is not an account of this report/),
    });
    await expect(h.handlers['reports:filter']({ reportId: report.id, accountIdsToExclude: all })).rejects.toMatchObject(
      { code: 'VALIDATION_FAILED', field: 'accountIdsToExclude' },
    );
    expect((await h.handlers['reports:search']({})).total).toBe(before);
    expect(h.events.slice(eventsBefore).filter((e) => e.event === 'report:progress')).toEqual([]);
  });

  test('audit copy: created for an auditor, listed, token only ever on the clipboard, removed', async () => {
    const copy = await h.handlers['auditCopies:create']({ reportId: report.id, auditorId: 'fannie_mae' });
    expect(copy).toMatchObject({ reportId: report.id, auditorId: 'fannie_mae', removedAt: null });
    expect(await h.handlers['auditCopies:list']({ reportId: report.id })).toHaveLength(1);
    await h.handlers['auditCopies:copyToken']({ auditCopyId: copy.id });
    const token = h.clipboard.at(-1)!;
    expect(token).toMatch(/^a-sandbox-/);
    // The auditor can read it at Plaid (with the auditor's own credentials, not the creator's)
    const auditor = emulatorPlaid({ baseUrl: h.emulator.baseUrl, ...h.emulator.auditors.fannie_mae! });
    expect((await auditor.assetReportAuditCopyGet({ audit_copy_token: token })).data.report.asset_report_id).toBe(
      report.plaidReportId,
    );
    await h.handlers['auditCopies:remove']({ auditCopyId: copy.id });
    expect((await h.handlers['auditCopies:list']({ reportId: report.id }))[0]!.removedAt).not.toBeNull();
    await expect(auditor.assetReportAuditCopyGet({ audit_copy_token: token })).rejects.toMatchObject({
      response: { status: 400 },
    });
  });

  test('remove: gone at Plaid and locally, with an activity entry', async () => {
    const store = h.services.internals.store()!;
    const token = (await store.reports.reportToken(report.id))!;
    await h.handlers['reports:remove']({ reportId: report.id });
    await expect(h.handlers['reports:get']({ reportId: report.id })).rejects.toMatchObject({
      code: 'REPORT_NOT_READY',
    });
    expect((await store.reports.get(report.id))!.status).toBe('removed');
    expect(await store.reports.reportToken(report.id)).toBeNull();
    await expect(h.plaid.assetReportGet({ asset_report_token: token })).rejects.toMatchObject({
      response: { status: 400 },
    });
    const log = await h.handlers['activity:list']({ reportId: report.id });
    expect(log.some((a) => a.action === 'report_removed')).toBe(true);
  });

  test('switching environment never mixes Items or reports', async () => {
    await h.handlers['settings:switchEnvironment']({ environment: 'emulator' });
    const inEmulator = await h.handlers['loans:get']({ loanId });
    expect(inEmulator.items).toHaveLength(0);
    expect(inEmulator.reports).toHaveLength(0);
    expect((await h.handlers['reports:search']({})).total).toBe(0);
    await h.handlers['settings:switchEnvironment']({ environment: 'sandbox' });
    expect((await h.handlers['loans:get']({ loanId })).items).toHaveLength(1);
  });

  test('removing an Item calls /item/remove; no token or secret in logs, responses or events', async () => {
    const store = h.services.internals.store()!;
    const accessToken = await store.items.accessToken(itemId);
    await h.handlers['items:remove']({ itemId });
    await expect(h.plaid.itemGet({ access_token: accessToken })).rejects.toMatchObject({ response: { status: 400 } });
    expect((await h.handlers['loans:get']({ loanId })).items[0]!.status).toBe('removed');

    await h.services.internals.settled();
    const everything = [...h.logger.lines, ...h.responses, ...h.events.map((e) => JSON.stringify(e))];
    expect(h.responses.length).toBeGreaterThan(20);
    for (const text of everything) {
      expect(text).not.toMatch(TOKEN_PATTERN);
      expect(text).not.toContain(EMULATOR_SECRET);
      expect(text).not.toContain('123-45-6789');
    }
    expect(h.logger.lines.join('\n')).not.toContain(accessToken);
  });
});
