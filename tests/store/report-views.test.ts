import type { AssetReportGetResult } from '../../shared/asset-report';
import { decodeReportView } from '../../shared/report-view';
import { firstScreenOf } from '../../shared/report-view-encode';
import { buildReportViews, FIRST_SCREEN_ROWS, readReportView } from '../../electron/services/reports/report-view';
import type { ReportViewBlocks } from '../../electron/db/repositories/reports';
import { createLogger } from '../../electron/log/logger';
import { reportWithTransactions } from '../bench/renderer-seed';
import { REPORT_TOKEN, SSN, borrowerWithBank, tempStore } from './helpers';

/**
 * The report screen's prepared views (the whole view and its first screen), kept sealed beside the report's JSON
 * and PDF (both engines): stored with a ready report, made and kept on first open for a report stored before
 * views existed, gone with the report.
 */
const content = {
  report: { ...reportWithTransactions(2, 300, 90), user: { ssn: SSN } },
  warnings: [],
} as unknown as AssetReportGetResult;
const silent = createLogger({ sinks: [] });

describe('report views in the store', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(() => t.cleanup());

  async function pendingReport() {
    const { applicant, item } = await borrowerWithBank(t.store);
    const pending = await t.store.reports.createPending({
      loanId: applicant.loanId,
      applicantId: applicant.id,
      environment: 'sandbox',
      kind: 'create',
      parentId: null,
      daysRequested: 90,
      itemIds: [item.id],
      includeApplicantDetails: true,
    });
    await t.store.reports.attachPlaid(pending.id, { plaidReportId: 'plaid-report-v', reportToken: REPORT_TOKEN });
    return pending.id;
  }
  const ready = (view?: ReportViewBlocks) => ({
    reportJson: JSON.stringify(content),
    pdf: new Uint8Array([0x25, 0x50, 0x44, 0x46]),
    summary: { totalBalance: 1, accountCount: 2, earliestHistoryDate: null },
    readyAt: '2026-11-02T12:01:00.000Z',
    ...(view ? { view } : {}),
  });

  const transactionCount = content.report.items.reduce(
    (n, i) => n + i.accounts.reduce((m, a) => m + a.transactions.length, 0),
    0,
  );

  it('are stored with the ready report, sealed, and read back byte for byte', async () => {
    const id = await pendingReport();
    const views = buildReportViews(content);
    await t.store.reports.markReady(id, ready(views));
    const read = await t.store.reports.readView(id, 'whole');
    expect(read).toEqual(views.whole);
    expect(read!.byteOffset).toBe(0); // its own buffer: the page reads a Float64Array from its start
    expect(decodeReportView(read!).columns.count).toBe(transactionCount);
    // The first screen: the newest rows, with the head counting them all.
    const first = await t.store.reports.readView(id, 'firstScreen');
    expect(first).toEqual(views.firstScreen);
    expect(first!.byteOffset).toBe(0);
    const firstRead = decodeReportView(first!);
    expect(firstRead.columns.count).toBe(FIRST_SCREEN_ROWS);
    expect(firstRead.transactionCount).toBe(transactionCount);
    expect(first!.byteLength).toBeLessThan(read!.byteLength);
    // Nothing of it is readable at rest: not the masked SSN's digits, not a transaction id.
    const stored = await t.stored();
    expect(stored.includes('***-**-8123')).toBe(false);
    expect(stored.includes(content.report.items[0]!.accounts[0]!.transactions[0]!.transaction_id)).toBe(false);
  });

  it('a report stored without them gets both on first open, kept for the next', async () => {
    const id = await pendingReport();
    await t.store.reports.markReady(id, ready());
    expect(await t.store.reports.readView(id, 'firstScreen')).toBeNull();
    const first = await readReportView(t.store, id, silent, 'firstScreen');
    expect(decodeReportView(first).head.report.user.ssn).toBe('***-**-8123');
    expect(decodeReportView(first).columns.count).toBe(FIRST_SCREEN_ROWS);
    expect(await t.store.reports.readView(id, 'firstScreen')).toEqual(first);
    const whole = await t.store.reports.readView(id, 'whole');
    expect(decodeReportView(whole!).columns.count).toBe(transactionCount);
    expect(first).toEqual(firstScreenOf(whole!, FIRST_SCREEN_ROWS));
    expect(await readReportView(t.store, id, silent, 'firstScreen')).toEqual(first);
    expect(await readReportView(t.store, id, silent, 'whole')).toEqual(whole);
  });

  it('a report stored with only its whole view gets its first screen made from that view', async () => {
    const id = await pendingReport();
    const views = buildReportViews(content);
    await t.store.reports.markReady(id, ready(views));
    await t.raw.run('UPDATE report_content SET view_first_enc = NULL WHERE report_id = ?', id);
    // Its JSON is not read: damaged, it would be refused.
    await t.raw.run('UPDATE report_content SET json_enc = pdf_enc WHERE report_id = ?', id);
    expect(await readReportView(t.store, id, silent, 'firstScreen')).toEqual(views.firstScreen);
    expect(await t.store.reports.readView(id, 'firstScreen')).toEqual(views.firstScreen);
  });

  it('a view this version cannot read is made again from the report', async () => {
    const id = await pendingReport();
    const views = buildReportViews(content);
    const newer = (block: Uint8Array) => {
      const copy = block.slice();
      new DataView(copy.buffer).setUint32(4, 99, true);
      return copy;
    };
    await t.store.reports.markReady(id, ready({ whole: newer(views.whole), firstScreen: newer(views.firstScreen) }));
    expect(await readReportView(t.store, id, silent, 'firstScreen')).toEqual(views.firstScreen);
    expect(await t.store.reports.readView(id, 'whole')).toEqual(views.whole);
    expect(await readReportView(t.store, id, silent, 'whole')).toEqual(views.whole);
  });

  it('go with the report when it is removed; views for a removed report are refused', async () => {
    const id = await pendingReport();
    await t.store.reports.markReady(id, ready(buildReportViews(content)));
    await t.store.reports.markRemoved(id);
    await expect(t.store.reports.readView(id, 'whole')).rejects.toThrowError(/no saved content/);
    await expect(t.store.reports.readView(id, 'firstScreen')).rejects.toThrowError(/no saved content/);
    await expect(t.store.reports.saveView(id, buildReportViews(content))).rejects.toThrowError(/removed/);
  });

  it('a damaged view is reported as damaged, never shown', async () => {
    const id = await pendingReport();
    await t.store.reports.markReady(id, ready(buildReportViews(content)));
    await t.raw.run('UPDATE report_content SET view_enc = json_enc WHERE report_id = ?', id);
    await expect(t.store.reports.readView(id, 'whole')).rejects.toMatchObject({ code: 'STORE_DATA_CORRUPT' });
    // Each is sealed for its own place: the whole view's bytes are refused as the first screen.
    await t.raw.run('UPDATE report_content SET view_first_enc = view_enc WHERE report_id = ?', id);
    await expect(t.store.reports.readView(id, 'firstScreen')).rejects.toMatchObject({ code: 'STORE_DATA_CORRUPT' });
  });
});
