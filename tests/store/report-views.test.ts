import type { AssetReportGetResult } from '../../shared/asset-report';
import { decodeReportView } from '../../shared/report-view';
import { buildReportView, readReportView } from '../../electron/services/reports/report-view';
import { createLogger } from '../../electron/log/logger';
import { reportWithTransactions } from '../bench/renderer-seed';
import { REPORT_TOKEN, SSN, borrowerWithBank, tempStore } from './helpers';

/**
 * The report screen's prepared view, kept sealed beside the report's JSON and PDF (both engines): stored with a
 * ready report, made and kept on first open for a report stored before views existed, gone with the report.
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
  const ready = (view?: Uint8Array) => ({
    reportJson: JSON.stringify(content),
    pdf: new Uint8Array([0x25, 0x50, 0x44, 0x46]),
    summary: { totalBalance: 1, accountCount: 2, earliestHistoryDate: null },
    readyAt: '2026-11-02T12:01:00.000Z',
    ...(view ? { view } : {}),
  });

  it('is stored with the ready report, sealed, and read back byte for byte', async () => {
    const id = await pendingReport();
    const view = buildReportView(content);
    await t.store.reports.markReady(id, ready(view));
    const read = await t.store.reports.readView(id);
    expect(read).toEqual(view);
    expect(read!.byteOffset).toBe(0); // its own buffer: the page reads a Float64Array from its start
    expect(decodeReportView(read!).columns.count).toBe(
      content.report.items.reduce((n, i) => n + i.accounts.reduce((m, a) => m + a.transactions.length, 0), 0),
    );
    // Nothing of it is readable at rest: not the masked SSN's digits, not a transaction id.
    const stored = await t.stored();
    expect(stored.includes('***-**-8123')).toBe(false);
    expect(stored.includes(content.report.items[0]!.accounts[0]!.transactions[0]!.transaction_id)).toBe(false);
  });

  it('a report stored without one gets it on first open, kept for the next', async () => {
    const id = await pendingReport();
    await t.store.reports.markReady(id, ready());
    expect(await t.store.reports.readView(id)).toBeNull();
    const first = await readReportView(t.store, id, silent);
    expect(decodeReportView(first).head.report.user.ssn).toBe('***-**-8123');
    expect(await t.store.reports.readView(id)).toEqual(first);
    expect(await readReportView(t.store, id, silent)).toEqual(first);
  });

  it('a view this version cannot read is made again from the report', async () => {
    const id = await pendingReport();
    const view = buildReportView(content);
    const newer = view.slice();
    new DataView(newer.buffer).setUint32(4, 99, true);
    await t.store.reports.markReady(id, ready(newer));
    expect(await readReportView(t.store, id, silent)).toEqual(view);
    expect(await t.store.reports.readView(id)).toEqual(view);
  });

  it('goes with the report when it is removed; a view for a removed report is refused', async () => {
    const id = await pendingReport();
    await t.store.reports.markReady(id, ready(buildReportView(content)));
    await t.store.reports.markRemoved(id);
    await expect(t.store.reports.readView(id)).rejects.toThrowError(/no saved content/);
    await expect(t.store.reports.saveView(id, buildReportView(content))).rejects.toThrowError(/removed/);
  });

  it('a damaged view is reported as damaged, never shown', async () => {
    const id = await pendingReport();
    await t.store.reports.markReady(id, ready(buildReportView(content)));
    await t.raw.run('UPDATE report_content SET view_enc = json_enc WHERE report_id = ?', id);
    await expect(t.store.reports.readView(id)).rejects.toMatchObject({ code: 'STORE_DATA_CORRUPT' });
  });
});
