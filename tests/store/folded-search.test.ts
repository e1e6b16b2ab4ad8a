import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openAssetDeskStore } from '../../electron/db';
import { schemaVersion } from '../../electron/db/migrations';
import { ACCESS_TOKEN, applicantInput, tempStore } from './helpers';

const DAY = 86_400_000;

describe('report history store: search as the officer types it', () => {
  let t: ReturnType<typeof tempStore>;
  beforeEach(() => {
    t = tempStore({ start: '2026-06-01T09:00:00.000Z' });
  });
  afterEach(() => t.cleanup());

  function applicantWithReport(first: string, last: string, loanNumber: string, bank: string, fundsToClose: number) {
    const applicant = t.store.applicants.create(
      applicantInput({
        firstName: first,
        lastName: last,
        loanNumber,
        email: `${loanNumber}@example.com`,
        fundsToClose,
      }),
    );
    const item = t.store.items.add({
      applicantId: applicant.id,
      environment: 'sandbox',
      plaidItemId: `item-${loanNumber}`,
      accessToken: ACCESS_TOKEN,
      institutionId: `ins_${loanNumber}`,
      institutionName: bank,
      accounts: [],
    });
    const report = t.store.reports.createPending({
      applicantId: applicant.id,
      environment: 'sandbox',
      kind: 'create',
      parentId: null,
      daysRequested: 61,
      itemIds: [item.id],
      includeApplicantDetails: false,
    });
    t.advance(DAY);
    return { applicant, report };
  }

  function populate() {
    const nunez = applicantWithReport('José', 'Ñúñez-O’Brien', 'LN-1', 'Caixa Geral de Depósitos', 7350);
    const lopez = applicantWithReport('Maria', 'Lopez', 'LN-2', 'First Platypus Bank', 62_000);
    const zhukov = applicantWithReport('Анна', 'ЖУКОВА', 'LN-3', 'Tattersall Federal Credit Union', 10_000);
    t.store.reports.attachPlaid(lopez.report.id, { plaidReportId: 'PLAIDREPORT-ABC-123', reportToken: 'assets-x' });
    t.store.reports.markReady(lopez.report.id, {
      reportJson: '{}',
      pdf: new Uint8Array([1]),
      summary: { totalBalance: 12_345.67, accountCount: 1, earliestHistoryDate: '2026-04-01' },
      readyAt: t.store.reports.get(lopez.report.id)!.createdAt,
    });
    return { nunez, lopez, zhukov };
  }

  const reportIds = (query: string) =>
    t.store.reports.search({ environment: 'sandbox', query }).rows.map((r) => r.applicantName);
  const applicantNames = (query: string) =>
    t.store.applicants.search({ environment: 'sandbox', query }).rows.map((r) => r.lastName);

  it('names: accent- and case-insensitive in any script, both lists', () => {
    populate();
    for (const q of ['Ñúñez', 'nunez', 'NUNEZ', 'ñúñez', 'jose nunez', 'o’brien']) {
      expect(applicantNames(q), q).toEqual(['Ñúñez-O’Brien']);
      expect(reportIds(q), q).toEqual(['José Ñúñez-O’Brien']);
    }
    expect(applicantNames('жукова')).toEqual(['ЖУКОВА']);
    expect(applicantNames('АННА')).toEqual(['ЖУКОВА']);
    expect(reportIds('анна жукова')).toEqual(['Анна ЖУКОВА']);
    // Editing a name keeps its search form current.
    const { nunez } = { nunez: t.store.applicants.search({ environment: 'sandbox', query: 'nunez' }).rows[0]! };
    t.store.applicants.update(nunez.id, { lastName: 'Peña' });
    expect(applicantNames('pena')).toEqual(['Peña']);
    expect(applicantNames('nunez')).toEqual([]);
  });

  it('the reports box finds a bank, a report id and an amount in any common format', () => {
    const { lopez, nunez } = populate();
    expect(reportIds('platypus')).toEqual(['Maria Lopez']);
    expect(reportIds('depositos')).toEqual(['José Ñúñez-O’Brien']);
    expect(reportIds('caixa jose')).toEqual(['José Ñúñez-O’Brien']);
    expect(reportIds('caixa maria')).toEqual([]);
    // Our report id, Plaid's, or their first 8 characters (as in export file names).
    expect(reportIds(lopez.report.id)).toEqual(['Maria Lopez']);
    expect(reportIds(lopez.report.id.slice(0, 8))).toEqual(['Maria Lopez']);
    expect(reportIds('plaidreport-abc-123')).toEqual(['Maria Lopez']);
    expect(reportIds('PLAIDREP')).toEqual(['Maria Lopez']);
    // Funds to close of the loan, or the report's total balance.
    for (const q of ['7350', '7,350.00', '$7350', '$7,350', '7350.00', '-7,350.00', '(7,350.00)']) {
      expect(reportIds(q), q).toEqual(['José Ñúñez-O’Brien']);
      expect(applicantNames(q), q).toEqual(['Ñúñez-O’Brien']);
    }
    expect(reportIds('12,345.67')).toEqual(['Maria Lopez']);
    expect(reportIds('$12345.67')).toEqual(['Maria Lopez']);
    expect(reportIds('12,345.68')).toEqual([]);
    expect(applicantNames('62,000')).toEqual(['Lopez']);
    // Words still match text: a loan number with digits is not read as an amount.
    expect(applicantNames('LN-2')).toEqual(['Lopez']);
    expect(nunez.report.institutions).toEqual(['Caixa Geral de Depósitos']);
  });

  it('an applicant whose only report was removed is not "no report yet"', () => {
    const { nunez } = populate();
    const row = (q: string) => t.store.applicants.search({ environment: 'sandbox', query: q }).rows[0]!;
    expect(row('nunez')).toMatchObject({ status: 'pending', reportsRemoved: false });
    t.store.reports.markRemoved(nunez.report.id);
    expect(row('nunez')).toMatchObject({ status: 'no_report', reportCount: 0, reportsRemoved: true });
    expect(row('жукова')).toMatchObject({ status: 'pending', reportsRemoved: false });
    expect(row('lopez')).toMatchObject({ status: 'ready', reportsRemoved: false });
  });

  it('migration 007 on a populated copy: folded search text and bank names for rows made before it', () => {
    populate();
    t.store.close();
    // Rewind the file to version 6, as the version before this migration leaves it: ASCII-only lower() search
    // text and no folded bank names.
    const before = new Database(t.file);
    before.exec(`
      UPDATE applicants SET search_text = lower(first_name || ' ' || coalesce(middle_name || ' ', '') || last_name || ' ' || loan_number || ' ' || email);
      ALTER TABLE reports DROP COLUMN institutions_search;
    `);
    before.pragma('user_version = 6');
    expect(before.prepare("SELECT search_text FROM applicants WHERE loan_number = 'LN-1'").pluck().get()).toBe(
      'josé Ñúñez-o’brien ln-1 ln-1@example.com', // SQLite's lower() leaves Ñ: the bug this migration fixes
    );
    before.pragma('wal_checkpoint(TRUNCATE)');
    before.close();
    const copy = join(t.dir, 'copy.sqlite');
    copyFileSync(t.file, copy);

    const store = openAssetDeskStore({ file: copy, dataKey: t.dataKey, clock: () => new Date('2026-06-10T00:00:00Z') });
    try {
      expect(store.applicants.search({ environment: 'sandbox', query: 'nunez' }).rows.map((r) => r.lastName)).toEqual([
        'Ñúñez-O’Brien',
      ]);
      expect(store.reports.search({ environment: 'sandbox', query: 'depositos' }).total).toBe(1);
      expect(store.reports.search({ environment: 'sandbox', query: 'жукова' }).total).toBe(1);
      expect(store.applicants.search({ environment: 'sandbox' }).total).toBe(3);
    } finally {
      store.close();
    }
    const after = new Database(copy, { readonly: true });
    expect(schemaVersion(after)).toBeGreaterThanOrEqual(7);
    expect(after.prepare('SELECT search_text FROM applicants ORDER BY loan_number').pluck().all()).toEqual([
      'jose nunez-o’brien ln-1 ln-1@example.com',
      'maria lopez ln-2 ln-2@example.com',
      'анна жукова ln-3 ln-3@example.com',
    ]);
    expect(after.prepare('SELECT institutions_search FROM reports ORDER BY created_at').pluck().all()).toEqual([
      '["caixa geral de depositos"]',
      '["first platypus bank"]',
      '["tattersall federal credit union"]',
    ]);
    expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
    after.close();
  });
});
