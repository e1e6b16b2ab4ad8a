import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deleteLoanLocally, planRetention } from '../../electron/db/retention';
import { exportLoanFile } from '../../electron/services/export/applicant-export';
import { ACCESS_TOKEN, AUDIT_TOKEN, REPORT_TOKEN, SSN, applicantInput, tempStore } from './helpers';
import { addApplicant } from '../helpers/applicant';

const DAY = 86_400_000;

describe('report history store: retention and export', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore({ start: '2026-01-10T09:00:00.000Z' });
  });
  afterEach(() => t.cleanup());

  async function loanFile(loanNumber: string, lastName = 'Lopez') {
    const { store } = t;
    const applicant = await addApplicant(store, applicantInput({ loanNumber, lastName, ssn: SSN }));
    const item = await store.items.add({
      applicantId: applicant.id,
      environment: 'sandbox',
      plaidItemId: `item-${loanNumber}`,
      accessToken: ACCESS_TOKEN,
      institutionId: 'ins_1',
      institutionName: 'First Platypus Bank',
      accounts: [],
    });
    const report = await store.reports.createPending({
      loanId: applicant.loanId,
      applicantId: applicant.id,
      environment: 'sandbox',
      kind: 'create',
      parentId: null,
      daysRequested: 61,
      itemIds: [item.id],
      includeApplicantDetails: false,
    });
    await store.reports.attachPlaid(report.id, { plaidReportId: `plaid-${loanNumber}`, reportToken: REPORT_TOKEN });
    await store.reports.markReady(report.id, {
      reportJson: JSON.stringify({ report: { asset_report_id: `plaid-${loanNumber}` }, warnings: [] }),
      pdf: Buffer.from('%PDF-1.7 fake'),
      summary: { totalBalance: 10, accountCount: 1, earliestHistoryDate: null },
      readyAt: (await t.store.reports.get(report.id))!.createdAt,
    });
    const copy = await store.auditCopies.create({ reportId: report.id, auditorId: 'fannie_mae', token: AUDIT_TOKEN });
    await store.sourcedDeposits.mark(report.id, 'txn-1', 'gift');
    return { applicant, item, report, copy };
  }

  it('planRetention (retention now starts when a loan is closed or withdrawn) lists reports of loans closed longer ago than the setting; none when retention is off', async () => {
    const old = await loanFile('LN-1');
    const stillOpen = await loanFile('LN-OPEN');
    await t.store.loans.setStatus(old.applicant.loanId, 'closed');
    t.advance(100 * DAY);
    const closedToday = await loanFile('LN-2');
    await t.store.loans.setStatus(closedToday.applicant.loanId, 'withdrawn');
    expect(stillOpen.report.status).toBe('pending'); // an open loan's report is in use however old
    const now = new Date(Date.parse('2026-01-10T09:00:00.000Z') + 100 * DAY);
    expect((await planRetention(t.store, { retentionDays: 90, now })).map((r) => r.id)).toEqual([old.report.id]);
    expect(await planRetention(t.store, { retentionDays: null, now })).toEqual([]);
    await t.store.reports.markRemoved(old.report.id);
    expect(await planRetention(t.store, { retentionDays: 90, now })).toEqual([]);
  });

  it('deleteLoanLocally removes everything of that loan file, logs each deletion, keeps others', async () => {
    const gone = await loanFile('LN-1');
    const kept = await loanFile('LN-2', 'Mensah');
    const result = await deleteLoanLocally(t.store, gone.applicant.loanId);
    expect(result).toEqual({ reportIds: [gone.report.id], itemIds: [gone.item.id], auditCopyIds: [gone.copy.id] });
    expect(await t.store.applicants.get(gone.applicant.id)).toBeNull();
    expect(await t.store.items.get(gone.item.id)).toBeNull();
    expect(await t.store.reports.get(gone.report.id)).toBeNull();
    expect(await t.store.auditCopies.get(gone.copy.id)).toBeNull();
    expect(await t.store.sourcedDeposits.list(gone.report.id)).toEqual([]);
    expect(await t.store.applicants.get(kept.applicant.id)).not.toBeNull();
    expect(await t.store.reports.readJson(kept.report.id)).toBeTruthy();

    expect(await t.store.loans.get(gone.applicant.loanId)).toBeNull();
    const log = await t.store.activity.list({ loanId: gone.applicant.loanId });
    expect(log.map((e) => e.action).sort()).toEqual([
      'audit_copy_deleted',
      'item_deleted',
      'loan_deleted',
      'report_deleted',
    ]);
    for (const table of ['report_content', 'report_items', 'sourced_deposits', 'audit_copies', 'items', 'reports']) {
      expect(await t.raw.value(`SELECT count(*) FROM ${table}`), table).toBe(1);
    }
    await expect(deleteLoanLocally(t.store, gone.applicant.loanId)).rejects.toThrowError(/no longer exists/);
  });

  it("deleteLoanLocally still deletes when the borrower's encrypted values are damaged", async () => {
    const file = await loanFile('LN-3');
    await t.raw.run('UPDATE applicants SET ssn_enc = ? WHERE id = ?', Buffer.from([1, 2]), file.applicant.id);
    await t.raw.run('UPDATE items SET accounts_enc = ? WHERE id = ?', Buffer.from([1, 2]), file.item.id);
    await expect(t.store.applicants.revealSsn(file.applicant.id)).rejects.toThrowError(
      expect.objectContaining({ code: 'STORE_DATA_CORRUPT' }) as Error,
    );
    await expect(t.store.items.get(file.item.id)).rejects.toThrowError(
      expect.objectContaining({ code: 'STORE_DATA_CORRUPT' }) as Error,
    );
    expect((await deleteLoanLocally(t.store, file.applicant.loanId)).itemIds).toEqual([file.item.id]);
    expect(await t.store.applicants.describe(file.applicant.id)).toBeNull();
    expect((await t.store.activity.list({ loanId: file.applicant.loanId }))[0]).toMatchObject({
      action: 'loan_deleted',
      detail: { loanNumber: 'LN-3' },
    });
  });

  it('exports PDFs, JSON, activity log and README into a new folder, logs it, and never overwrites', async () => {
    const file = await loanFile('LN-2026-77');
    t.advance(DAY);
    const failed = await t.store.reports.createPending({
      loanId: file.applicant.loanId,
      applicantId: file.applicant.id,
      environment: 'sandbox',
      kind: 'refresh',
      parentId: file.report.id,
      daysRequested: 61,
      itemIds: [file.item.id],
      includeApplicantDetails: false,
    });
    await t.store.reports.markFailed(failed.id, { code: 'X', message: 'failed' });
    const target = join(t.dir, 'exports');
    mkdirSync(target);

    const now = new Date('2026-02-01T10:00:00.000Z');
    const result = await exportLoanFile(t.store, file.applicant.loanId, target, { now });
    expect(result.folder).toBe(join(target, 'LN-2026-77_Lopez_AssetFile_2026-02-01'));
    const names = readdirSync(result.folder).sort();
    const stem = `AssetReport_2026-01-10_create_${file.report.id.slice(0, 8)}`;
    expect(names).toEqual(['README.txt', 'activity-log.json', `${stem}.json`, `${stem}.pdf`].sort());
    expect(result.files.map((f) => f.slice(result.folder.length + 1)).sort()).toEqual(names);
    expect(readFileSync(join(result.folder, `${stem}.pdf`), 'utf8')).toBe('%PDF-1.7 fake');
    expect(JSON.parse(readFileSync(join(result.folder, `${stem}.json`), 'utf8'))).toEqual({
      report: { asset_report_id: 'plaid-LN-2026-77' },
      warnings: [],
    });
    const log = JSON.parse(readFileSync(join(result.folder, 'activity-log.json'), 'utf8')) as { action: string }[];
    expect(Array.isArray(log)).toBe(true);
    expect(readFileSync(join(result.folder, 'README.txt'), 'utf8')).toMatch(/loan LN-2026-77[\s\S]*unencrypted/);
    expect(readdirSync(target).filter((n) => n.startsWith('.'))).toEqual([]); // no temp folder left

    const exported = (await t.store.activity.list({ loanId: file.applicant.loanId, limit: 1 }))[0]!;
    expect(exported).toMatchObject({ action: 'exported', detail: { folder: result.folder, reports: 1 } });

    const again = await exportLoanFile(t.store, file.applicant.loanId, target, {
      now,
      fileName: (r) => `Report ${r.kind}/../x`,
    });
    expect(again.folder).toBe(`${result.folder}-2`);
    expect(readdirSync(again.folder)).toContain('Report-create-.-x.pdf');
  });

  it('names the folder after the borrower in any script: accents transliterated, other letters kept', async () => {
    const target = join(t.dir, 'exports');
    mkdirSync(target);
    const now = new Date('2026-02-01T10:00:00.000Z');
    const chinese = await loanFile('LN-5', '王');
    expect((await exportLoanFile(t.store, chinese.applicant.loanId, target, { now })).folder).toBe(
      join(target, 'LN-5_王_AssetFile_2026-02-01'),
    );
    const accented = await loanFile('LN-6', "Ñúñez-O'Brien");
    expect((await exportLoanFile(t.store, accented.applicant.loanId, target, { now })).folder).toBe(
      join(target, 'LN-6_Nunez-OBrien_AssetFile_2026-02-01'),
    );
    // 100 characters of Chinese are 300 bytes: more than a folder name may have on Linux and macOS (255).
    const long = await loanFile('LN-7', '王'.repeat(100));
    const folder = (await exportLoanFile(t.store, long.applicant.loanId, target, { now })).folder;
    expect(folder).toBe(join(target, `LN-7_${'王'.repeat(40)}_AssetFile_2026-02-01`));
    expect(readdirSync(folder)).toContain('README.txt');
  });

  it('a failed export leaves nothing behind and says what to do', async () => {
    const file = await loanFile('LN-9');
    const blocker = join(t.dir, 'not-a-folder');
    writeFileSync(blocker, 'x');
    await expect(exportLoanFile(t.store, file.applicant.loanId, blocker)).rejects.toThrowError(
      expect.objectContaining({ code: 'EXPORT_FAILED' }) as Error,
    );
    expect(existsSync(blocker)).toBe(true);
    expect((await t.store.activity.list({ loanId: file.applicant.loanId })).some((e) => e.action === 'exported')).toBe(
      false,
    );
  });
});
