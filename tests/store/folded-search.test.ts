import { ACCESS_TOKEN, applicantInput, pipeline, tempStore } from './helpers';
import { addApplicant } from '../helpers/applicant';

const DAY = 86_400_000;

describe('report history store: search as the officer types it', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore({ start: '2026-06-01T09:00:00.000Z' });
  });
  afterEach(() => t.cleanup());

  async function applicantWithReport(
    first: string,
    last: string,
    loanNumber: string,
    bank: string,
    fundsToClose: number,
  ) {
    const applicant = await addApplicant(
      t.store,
      applicantInput({
        firstName: first,
        lastName: last,
        loanNumber,
        email: `${loanNumber}@example.com`,
        fundsToClose,
      }),
    );
    const item = await t.store.items.add({
      applicantId: applicant.id,
      environment: 'sandbox',
      plaidItemId: `item-${loanNumber}`,
      accessToken: ACCESS_TOKEN,
      institutionId: `ins_${loanNumber}`,
      institutionName: bank,
      accounts: [],
    });
    const report = await t.store.reports.createPending({
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

  async function populate() {
    const nunez = await applicantWithReport('José', 'Ñúñez-O’Brien', 'LN-1', 'Caixa Geral de Depósitos', 7350);
    const lopez = await applicantWithReport('Maria', 'Lopez', 'LN-2', 'First Platypus Bank', 62_000);
    const zhukov = await applicantWithReport('Анна', 'ЖУКОВА', 'LN-3', 'Tattersall Federal Credit Union', 10_000);
    await t.store.reports.attachPlaid(lopez.report.id, {
      plaidReportId: 'PLAIDREPORT-ABC-123',
      reportToken: 'assets-x',
    });
    await t.store.reports.markReady(lopez.report.id, {
      reportJson: '{}',
      pdf: new Uint8Array([1]),
      summary: { totalBalance: 12_345.67, accountCount: 1, earliestHistoryDate: '2026-04-01' },
      readyAt: (await t.store.reports.get(lopez.report.id))!.createdAt,
    });
    return { nunez, lopez, zhukov };
  }

  const reportIds = async (query: string) =>
    (await t.store.reports.search({ environment: 'sandbox', query })).rows.map((r) => r.applicantName);
  const applicantNames = async (query: string) =>
    (await pipeline(t.store, { query, today: '2026-06-10' })).rows.map((r) => r.borrowers[0]!.lastName);

  it('names: accent- and case-insensitive in any script, both lists', async () => {
    await populate();
    for (const q of ['Ñúñez', 'nunez', 'NUNEZ', 'ñúñez', 'jose nunez', 'o’brien']) {
      expect(await applicantNames(q), q).toEqual(['Ñúñez-O’Brien']);
      expect(await reportIds(q), q).toEqual(['José Ñúñez-O’Brien']);
    }
    expect(await applicantNames('жукова')).toEqual(['ЖУКОВА']);
    expect(await applicantNames('АННА')).toEqual(['ЖУКОВА']);
    expect(await reportIds('анна жукова')).toEqual(['Анна ЖУКОВА']);
    // Editing a name keeps its search form current (borrowers:update refreshes the loan's search text).
    const nunez = (await pipeline(t.store, { query: 'nunez' })).rows[0]!;
    await t.store.applicants.update(nunez.borrowers[0]!.id, { lastName: 'Peña' });
    await t.store.loans.refreshSearchText(nunez.id);
    expect(await applicantNames('pena')).toEqual(['Peña']);
    expect(await applicantNames('nunez')).toEqual([]);
  });

  it('the reports box finds a bank, a report id and an amount in any common format', async () => {
    const { lopez, nunez } = await populate();
    expect(await reportIds('platypus')).toEqual(['Maria Lopez']);
    expect(await reportIds('depositos')).toEqual(['José Ñúñez-O’Brien']);
    expect(await reportIds('caixa jose')).toEqual(['José Ñúñez-O’Brien']);
    expect(await reportIds('caixa maria')).toEqual([]);
    // Our report id, Plaid's, or their first 8 characters (as in export file names).
    expect(await reportIds(lopez.report.id)).toEqual(['Maria Lopez']);
    expect(await reportIds(lopez.report.id.slice(0, 8))).toEqual(['Maria Lopez']);
    expect(await reportIds('plaidreport-abc-123')).toEqual(['Maria Lopez']);
    expect(await reportIds('PLAIDREP')).toEqual(['Maria Lopez']);
    // Funds to close of the loan, or the report's total balance.
    for (const q of ['7350', '7,350.00', '$7350', '$7,350', '7350.00', '-7,350.00', '(7,350.00)']) {
      expect(await reportIds(q), q).toEqual(['José Ñúñez-O’Brien']);
      expect(await applicantNames(q), q).toEqual(['Ñúñez-O’Brien']);
    }
    expect(await reportIds('12,345.67')).toEqual(['Maria Lopez']);
    expect(await reportIds('$12345.67')).toEqual(['Maria Lopez']);
    expect(await reportIds('12,345.68')).toEqual([]);
    expect(await applicantNames('62,000')).toEqual(['Lopez']);
    // Words still match text: a loan number with digits is not read as an amount.
    expect(await applicantNames('LN-2')).toEqual(['Lopez']);
    expect(nunez.report.institutions).toEqual(['Caixa Geral de Depósitos']);
  });

  it('a loan whose only report was removed is not "no report yet"', async () => {
    const { nunez } = await populate();
    const row = async (q: string) => (await pipeline(t.store, { query: q, today: '2026-06-10' })).rows[0]!;
    expect(await row('nunez')).toMatchObject({ reportStatus: 'pending', reportsRemoved: false });
    await t.store.reports.markRemoved(nunez.report.id);
    expect(await row('nunez')).toMatchObject({ reportStatus: 'no_report', reportCount: 0, reportsRemoved: true });
    expect(await row('жукова')).toMatchObject({ reportStatus: 'pending', reportsRemoved: false });
    expect(await row('lopez')).toMatchObject({ reportStatus: 'ready', reportsRemoved: false });
  });
});
