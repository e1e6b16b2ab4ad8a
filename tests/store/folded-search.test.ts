import { ACCESS_TOKEN, applicantInput, pipeline, tempStore } from './helpers';
import { addApplicant } from '../helpers/applicant';

const DAY = 86_400_000;

describe('report history store: search as the officer types it', () => {
  let t: ReturnType<typeof tempStore>;
  beforeEach(() => {
    t = tempStore({ start: '2026-06-01T09:00:00.000Z' });
  });
  afterEach(() => t.cleanup());

  function applicantWithReport(first: string, last: string, loanNumber: string, bank: string, fundsToClose: number) {
    const applicant = addApplicant(
      t.store,
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
      loanId: applicant.loanId,
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
    pipeline(t.store, { query, today: '2026-06-10' }).rows.map((r) => r.borrowers[0]!.lastName);

  it('names: accent- and case-insensitive in any script, both lists', () => {
    populate();
    for (const q of ['Ñúñez', 'nunez', 'NUNEZ', 'ñúñez', 'jose nunez', 'o’brien']) {
      expect(applicantNames(q), q).toEqual(['Ñúñez-O’Brien']);
      expect(reportIds(q), q).toEqual(['José Ñúñez-O’Brien']);
    }
    expect(applicantNames('жукова')).toEqual(['ЖУКОВА']);
    expect(applicantNames('АННА')).toEqual(['ЖУКОВА']);
    expect(reportIds('анна жукова')).toEqual(['Анна ЖУКОВА']);
    // Editing a name keeps its search form current (borrowers:update refreshes the loan's search text).
    const nunez = pipeline(t.store, { query: 'nunez' }).rows[0]!;
    t.store.applicants.update(nunez.borrowers[0]!.id, { lastName: 'Peña' });
    t.store.loans.refreshSearchText(nunez.id);
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

  it('a loan whose only report was removed is not "no report yet"', () => {
    const { nunez } = populate();
    const row = (q: string) => pipeline(t.store, { query: q, today: '2026-06-10' }).rows[0]!;
    expect(row('nunez')).toMatchObject({ reportStatus: 'pending', reportsRemoved: false });
    t.store.reports.markRemoved(nunez.report.id);
    expect(row('nunez')).toMatchObject({ reportStatus: 'no_report', reportCount: 0, reportsRemoved: true });
    expect(row('жукова')).toMatchObject({ reportStatus: 'pending', reportsRemoved: false });
    expect(row('lopez')).toMatchObject({ reportStatus: 'ready', reportsRemoved: false });
  });
});
