import type { DocumentAgeRule, LoanListRow, PipelineSort } from '../../shared/domain';
import { refreshByDate } from '../../shared/underwriting/document-age';
import { addDays } from '../../shared/underwriting/dates';
import { refreshBySql, type PipelineQuery } from '../../electron/db/repositories/loans';
import { borrowerInput, newLoanInput, type ApplicantInput } from '../helpers/applicant';
import { ACCESS_TOKEN, REPORT_TOKEN, onPostgres, pipeline, tempStore } from './helpers';

const RULES: DocumentAgeRule[] = ['fannie_4_months', 'freddie_120_days', 'both_agencies', 'du_45_days'];

describe('the refresh-by date in SQL agrees with the document-age rule in TypeScript', () => {
  it('for every day from 2023 to 2030 (month ends, Oct 31, Jan 31, Feb 29 of leap years) under every rule', async () => {
    const t = await tempStore();
    try {
      const days: string[] = [];
      for (let day = '2023-01-01'; day <= '2030-12-31'; day = addDays(day, 1)) days.push(day);
      // Every day in one statement per rule, on the engine under test.
      const from = onPostgres
        ? 'json_array_elements_text(CAST(@days AS json)) AS days(d)'
        : '(SELECT value AS d FROM json_each(@days)) AS days';
      const sql = `SELECT d, ${refreshBySql('d', onPostgres ? 'postgres' : 'sqlite')} AS refresh_by FROM ${from}`;
      let checked = 0;
      const mismatches: string[] = [];
      for (const rule of RULES) {
        const rows = (await t.raw.all(sql, { days: JSON.stringify(days), rule })) as {
          d: string;
          refresh_by: string;
        }[];
        for (const { d, refresh_by: fromSql } of rows) {
          const js = refreshByDate(d, rule);
          if (fromSql !== js) mismatches.push(`${d} ${rule}: SQL ${fromSql}, TypeScript ${js}`);
          checked += 1;
        }
      }
      expect(checked).toBe(2922 * RULES.length);
      expect(mismatches).toEqual([]);
    } finally {
      await t.cleanup();
    }
    // The cases that trip calendar arithmetic, spelled out.
    expect(refreshByDate('2026-10-31', 'fannie_4_months')).toBe('2027-02-28');
    expect(refreshByDate('2027-10-31', 'fannie_4_months')).toBe('2028-02-29');
    expect(refreshByDate('2028-02-29', 'freddie_120_days')).toBe('2028-06-28');
    expect(refreshByDate('2027-01-31', 'both_agencies')).toBe('2027-05-31');
  });
});

describe('the pipeline: one row per loan, filtered, sorted and searched in the store', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore({ start: '2026-11-02T12:00:00.000Z' });
  });
  afterEach(() => t.cleanup());

  const TODAY = '2026-11-02';
  const list = (q: Partial<PipelineQuery> = {}) => pipeline(t.store, { today: TODAY, ...q });
  const numbers = async (q: Partial<PipelineQuery> = {}) => (await list(q)).rows.map((r) => r.loanNumber);

  async function loanWithBank(
    overrides: Partial<ApplicantInput>,
    bank = 'First Platypus Bank',
    environment = 'sandbox' as const,
  ) {
    const loan = await t.store.loans.create(newLoanInput(overrides));
    const borrower = loan.borrowers[0]!;
    const item = await t.store.items.add({
      applicantId: borrower.id,
      environment,
      plaidItemId: `item-${loan.loanNumber}-${bank}`,
      accessToken: ACCESS_TOKEN,
      institutionId: `ins_${bank.length}`,
      institutionName: bank,
      accounts: [],
    });
    return { loan, borrower, item };
  }

  async function report(
    file: { loan: { id: string }; borrower: { id: string }; item: { id: string } },
    ready?: { on: string; total?: number; findings?: { attention: number; info: number } },
  ) {
    const pending = await t.store.reports.createPending({
      loanId: file.loan.id,
      applicantId: file.borrower.id,
      environment: 'sandbox',
      kind: 'create',
      parentId: null,
      daysRequested: 61,
      itemIds: [file.item.id],
      includeApplicantDetails: false,
    });
    await t.store.reports.attachPlaid(pending.id, { plaidReportId: `PLAID-${pending.id}`, reportToken: REPORT_TOKEN });
    if (!ready) return pending;
    await t.store.reports.markReady(pending.id, {
      reportJson: '{}',
      pdf: new Uint8Array([37, 80, 68, 70]),
      summary: { totalBalance: ready.total ?? 1000, accountCount: 1, earliestHistoryDate: null },
      readyAt: `${ready.on}T15:00:00.000Z`,
      generatedOn: ready.on,
    });
    if (ready.findings) await t.store.reports.setFindingCounts(pending.id, ready.findings);
    return pending;
  }

  /** Eight loans, each different in what a column shows. */
  async function populate() {
    const a = await loanWithBank({ loanNumber: 'LN-A', firstName: 'José', lastName: 'Ñúñez', fundsToClose: 7350 });
    const aReport = await report(a, { on: '2026-10-31', total: 12_345.67, findings: { attention: 2, info: 1 } });
    const b = await loanWithBank(
      { loanNumber: 'LN-B', firstName: 'Kwame', lastName: 'Mensah', expectedNoteDate: '2026-12-20' },
      'Tattersall Federal Credit Union',
    );
    await report(b, { on: '2026-08-01', findings: { attention: 0, info: 3 } }); // refresh by 2026-12-01, before the note date
    const c = await loanWithBank({
      loanNumber: 'LN-C',
      firstName: 'Анна',
      lastName: 'ЖУКОВА',
      email: 'anna@example.org',
    });
    await report(c); // pending
    const d = await loanWithBank(
      { loanNumber: 'LN-D', firstName: 'Wei', lastName: 'Chen' },
      'First Gingham Credit Union',
    );
    await report(d, { on: '2026-10-01', findings: { attention: 0, info: 0 } });
    await t.store.items.setStatus(d.item.id, 'needs_relink', { code: 'ITEM_LOGIN_REQUIRED', message: 'sign in again' });
    const e = await loanWithBank({ loanNumber: 'LN-E', firstName: 'Ἀλέξανδρος', lastName: 'ΠΑΠΑΔΌΠΟΥΛΟΣ' });
    await report(e, { on: '2026-06-15', findings: { attention: 1, info: 0 } }); // refresh was due 2026-10-15
    const f = await loanWithBank({
      loanNumber: 'LN-F',
      firstName: 'Maria',
      lastName: 'Lopez',
      expectedNoteDate: '2026-11-20',
    });
    await t.store.loans.addBorrower(f.loan.id, borrowerInput({ firstName: 'Ana', lastName: 'Kowalska' }));
    await report(f, { on: '2026-07-25', findings: { attention: 0, info: 2 } }); // refresh by 2026-11-25
    const g = await t.store.loans.create(newLoanInput({ loanNumber: 'LN-G', firstName: 'Fatima', lastName: 'Haddad' }));
    await t.store.loans.setStatus(g.id, 'closed');
    const h = await loanWithBank(
      { loanNumber: 'LN-H', firstName: 'Lucas', lastName: 'Silva' },
      'Caixa Geral de Depósitos',
    );
    await t.store.reports.markRemoved((await report(h, { on: '2026-10-20' })).id);
    await t.store.loans.setStatus(h.loan.id, 'withdrawn');
    // Consent expiries at Plaid (OAuth banks): the earliest among the loan's working Items counts.
    await t.store.items.setConsentExpiry(a.item.id, '2027-03-01T00:00:00Z');
    const second = await t.store.items.add({
      applicantId: a.borrower.id,
      environment: 'sandbox',
      plaidItemId: 'item-LN-A-second',
      accessToken: ACCESS_TOKEN,
      institutionId: 'ins_2',
      institutionName: 'Second Platypus Bank',
      accounts: [],
      consentExpiresAt: '2027-01-15T00:00:00Z',
    });
    await t.store.items.setConsentExpiry(d.item.id, '2026-12-01T00:00:00Z'); // needs relinking: does not count
    await t.store.items.setConsentExpiry(b.item.id, '2027-02-01T00:00:00Z');
    // Activity in a known order: E latest, then A.
    t.advance(60_000);
    await t.store.activity.append({ action: 'report_created', reportId: aReport.id, detail: {} });
    t.advance(60_000);
    await t.store.activity.append({ action: 'loan_updated', loanId: e.loan.id, detail: {} });
    return { a, b, c, d, e, f, g, h, second, aReport };
  }

  it('refresh is due as the document-age finding measures it: on the note date when there is one, else today; an open loan whose note date passed is due once today is too late', async () => {
    // Both reports are dated 2026-06-01, so their documents serve until 2026-10-01 (Fannie Mae, 4 months).
    const closedInTime = await loanWithBank({
      loanNumber: 'LN-P',
      applicationDate: '2026-05-20',
      expectedNoteDate: '2026-09-20',
    });
    await report(closedInTime, { on: '2026-06-01' });
    const noNoteDate = await loanWithBank({ loanNumber: 'LN-Q', applicationDate: '2026-05-20' });
    await report(noNoteDate, { on: '2026-06-01' });
    const rowsNow = async () => new Map((await list()).rows.map((r) => [r.loanNumber, r]));
    // Still open, the loan did not close on its 2026-09-20 note date, and today is past 2026-10-01: due.
    expect((await rowsNow()).get('LN-P')).toMatchObject({ refreshBy: '2026-10-01', reportStatus: 'refresh_due' });
    // Closed, the note date came before 2026-10-01: it was verified in time, though today is later.
    await t.store.loans.setStatus(closedInTime.loan.id, 'closed');
    const rows = await rowsNow();
    expect(rows.get('LN-P')).toMatchObject({ refreshBy: '2026-10-01', reportStatus: 'ready' });
    expect(rows.get('LN-Q')).toMatchObject({ refreshBy: '2026-10-01', reportStatus: 'refresh_due' });
  });

  it('a loan whose kept reports all failed says so, not "No report yet"; a later ready or pending report, or a removal, wins', async () => {
    const onlyFailed = await loanWithBank({ loanNumber: 'LN-R' });
    await t.store.reports.markFailed((await report(onlyFailed)).id, { code: 'INTERNAL_SERVER_ERROR', message: 'x' });
    const failedThenReady = await loanWithBank({ loanNumber: 'LN-S' });
    await t.store.reports.markFailed((await report(failedThenReady)).id, {
      code: 'INTERNAL_SERVER_ERROR',
      message: 'x',
    });
    await report(failedThenReady, { on: '2026-10-20' });
    const failedThenPending = await loanWithBank({ loanNumber: 'LN-T' });
    await t.store.reports.markFailed((await report(failedThenPending)).id, {
      code: 'INTERNAL_SERVER_ERROR',
      message: 'x',
    });
    await report(failedThenPending);
    const failedAndRemoved = await loanWithBank({ loanNumber: 'LN-U' });
    const gone = await report(failedAndRemoved);
    await t.store.reports.markFailed(gone.id, { code: 'INTERNAL_SERVER_ERROR', message: 'x' });
    await t.store.reports.markRemoved(gone.id);
    const never = await loanWithBank({ loanNumber: 'LN-V' });
    const rows = new Map((await list()).rows.map((r) => [r.loanNumber, r]));
    expect(rows.get('LN-R')).toMatchObject({ reportStatus: 'no_report', reportCount: 1, reportsFailed: true });
    expect(rows.get('LN-S')).toMatchObject({ reportStatus: 'ready', reportsFailed: false });
    expect(rows.get('LN-T')).toMatchObject({ reportStatus: 'pending', reportsFailed: false });
    expect(rows.get('LN-U')).toMatchObject({ reportStatus: 'no_report', reportsFailed: false, reportsRemoved: true });
    expect(rows.get(never.loan.loanNumber)).toMatchObject({ reportStatus: 'no_report', reportsFailed: false });
  });

  it('each row: borrowers, status, counts, findings, refresh-by and Plaid expiry', async () => {
    await populate();
    const rows = new Map((await list()).rows.map((r) => [r.loanNumber, r]));
    expect(rows.size).toBe(8);
    expect(rows.get('LN-A')).toMatchObject({
      borrowers: [{ firstName: 'José', lastName: 'Ñúñez' }],
      reportStatus: 'ready',
      reportCount: 1,
      findingCounts: { attention: 2, info: 1 },
      refreshBy: '2027-02-28', // Oct 31 + 4 months
      plaidExpiresOn: '2027-01-15', // the earlier of its two banks
    });
    expect(rows.get('LN-B')).toMatchObject({
      reportStatus: 'refresh_due',
      refreshBy: '2026-12-01',
      plaidExpiresOn: '2027-02-01',
    });
    expect(rows.get('LN-C')).toMatchObject({
      reportStatus: 'pending',
      reportCount: 1,
      findingCounts: null,
      refreshBy: null,
    });
    expect(rows.get('LN-D')).toMatchObject({ reportStatus: 'needs_relink', plaidExpiresOn: null });
    expect(rows.get('LN-E')).toMatchObject({ reportStatus: 'refresh_due', refreshBy: '2026-10-15' });
    expect(rows.get('LN-F')).toMatchObject({
      reportStatus: 'ready',
      refreshBy: '2026-11-25',
      borrowers: [
        { firstName: 'Maria', lastName: 'Lopez' },
        { firstName: 'Ana', lastName: 'Kowalska' },
      ],
    });
    expect(rows.get('LN-G')).toMatchObject({ status: 'closed', reportStatus: 'no_report', reportsRemoved: false });
    expect(rows.get('LN-H')).toMatchObject({
      status: 'withdrawn',
      reportStatus: 'no_report',
      reportCount: 0,
      reportsRemoved: true,
      refreshBy: null,
    });
  });

  it('filters: loan status, report status, needs attention, refresh due within N days', async () => {
    await populate();
    const sorted = async (q: Partial<PipelineQuery>) => (await numbers(q)).sort();
    expect(await sorted({ loanStatus: 'open' })).toEqual(['LN-A', 'LN-B', 'LN-C', 'LN-D', 'LN-E', 'LN-F']);
    expect(await sorted({ loanStatus: 'closed' })).toEqual(['LN-G']);
    expect(await sorted({ loanStatus: 'withdrawn' })).toEqual(['LN-H']);
    expect(await sorted({ reportStatus: 'ready' })).toEqual(['LN-A', 'LN-F']);
    expect(await sorted({ reportStatus: 'refresh_due' })).toEqual(['LN-B', 'LN-E']);
    expect(await sorted({ reportStatus: 'pending' })).toEqual(['LN-C']);
    expect(await sorted({ reportStatus: 'needs_relink' })).toEqual(['LN-D']);
    expect(await sorted({ reportStatus: 'no_report' })).toEqual(['LN-G', 'LN-H']);
    // Findings needing attention, a bank to relink, or a refresh due.
    expect(await sorted({ needsAttention: true })).toEqual(['LN-A', 'LN-B', 'LN-D', 'LN-E']);
    // Refresh-by on or before today + N (past ones included); loans with no ready report never.
    expect(await sorted({ refreshDueWithinDays: 0 })).toEqual(['LN-E']);
    expect(await sorted({ refreshDueWithinDays: 14 })).toEqual(['LN-E']);
    expect(await sorted({ refreshDueWithinDays: 23 })).toEqual(['LN-E', 'LN-F']);
    expect(await sorted({ refreshDueWithinDays: 29 })).toEqual(['LN-B', 'LN-E', 'LN-F']);
    expect(await sorted({ refreshDueWithinDays: 366 })).toEqual(['LN-A', 'LN-B', 'LN-D', 'LN-E', 'LN-F']);
    // Filters combine, and the total counts all matches, not the page.
    expect(await sorted({ needsAttention: true, refreshDueWithinDays: 14 })).toEqual(['LN-E']);
    const page = await list({ loanStatus: 'open', limit: 2, offset: 2 });
    expect(page.total).toBe(6);
    expect(page.rows).toHaveLength(2);
  });

  it('a search or a report-status filter counts every match: on each page, and on a page past the last', async () => {
    await populate();
    const all = await list();
    // Every loan number holds "ln-": the pages of that search add up to the whole pipeline, in its order.
    const pages = [0, 3, 6].map((offset) => list({ query: 'ln-', limit: 3, offset }));
    const found = await Promise.all(pages);
    for (const page of found) expect(page.total).toBe(all.total);
    expect(found.flatMap((page) => page.rows.map((r) => r.loanNumber))).toEqual(all.rows.map((r) => r.loanNumber));
    const past = await list({ query: 'ln-', limit: 3, offset: all.total + 1 });
    expect(past).toMatchObject({ total: all.total, rows: [] });
    // A bank's loans, paged: the count is the bank's, not the page's.
    const bank = (await list({ query: 'platypus' })).total;
    expect(bank).toBeGreaterThan(2);
    expect(await list({ query: 'platypus', limit: 2, offset: 1 })).toMatchObject({ total: bank });
    const attention = await list({ needsAttention: true, limit: 1, offset: 1 });
    expect(attention.total).toBe(4);
    expect(attention.rows).toHaveLength(1);
  });

  /** What each sort key means, in TypeScript: the oracle the SQL order is checked against. */
  const KEY: Record<PipelineSort, (r: LoanListRow) => string | number> = {
    borrower: (r) => `${r.borrowers[0]!.lastName} ${r.borrowers[0]!.firstName}`.toLowerCase(),
    loanNumber: (r) => r.loanNumber.toUpperCase(),
    status: (r) => r.reportStatus,
    findings: (r) => r.findingCounts?.attention ?? -1,
    refreshBy: (r) => r.refreshBy ?? '9999-12-31',
    plaidExpiresOn: (r) => r.plaidExpiresOn ?? '9999-12-31',
    noteDate: (r) => r.expectedNoteDate ?? '9999-12-31',
    lastActivity: (r) => r.lastActivityAt,
  };

  it.each(Object.keys(KEY) as PipelineSort[])(
    'sorts by %s both ways (ties by id), as the column reads',
    async (sort) => {
      await populate();
      const all = (await list()).rows;
      for (const direction of ['asc', 'desc'] as const) {
        const sign = direction === 'asc' ? 1 : -1;
        const expected = [...all]
          .sort((x, y) => {
            const [kx, ky] = [KEY[sort](x), KEY[sort](y)];
            if (kx !== ky) return (kx < ky ? -1 : 1) * sign;
            return (x.id < y.id ? -1 : 1) * sign;
          })
          .map((r) => r.loanNumber);
        expect(await numbers({ sort, direction }), `${sort} ${direction}`).toEqual(expected);
      }
      // The oracle is not trivially true: each key really orders these loans differently from their numbers.
      if (sort !== 'loanNumber') {
        const byKey = [...all].sort((x, y) => (KEY[sort](x) < KEY[sort](y) ? -1 : KEY[sort](x) > KEY[sort](y) ? 1 : 0));
        expect(byKey.map((r) => r.loanNumber)).not.toEqual(await numbers({ sort: 'loanNumber', direction: 'asc' }));
      }
    },
  );

  it('the default order is the latest activity first', async () => {
    await populate();
    expect((await numbers()).slice(0, 2)).toEqual(['LN-E', 'LN-A']);
  });

  it('search by name as typed: accents, case and any script fold; co-borrowers and e-mail count', async () => {
    await populate();
    for (const q of ['nunez', 'NUNEZ', 'Ñúñez', 'ñuñez', 'jose nunez'])
      expect(await numbers({ query: q }), q).toEqual(['LN-A']);
    expect(await numbers({ query: 'жукова' })).toEqual(['LN-C']);
    expect(await numbers({ query: 'АННА' })).toEqual(['LN-C']);
    expect(await numbers({ query: 'παπαδοπουλος' })).toEqual(['LN-E']);
    expect(await numbers({ query: 'ΑΛΕΞΑΝΔΡΟΣ' })).toEqual(['LN-E']);
    expect(await numbers({ query: 'kowalska' })).toEqual(['LN-F']); // the co-borrower
    expect(await numbers({ query: 'ana kowalska' })).toEqual(['LN-F']);
    expect(await numbers({ query: 'anna@example.org' })).toEqual(['LN-C']);
    expect(await numbers({ query: 'ln-b' })).toEqual(['LN-B']);
    expect(await numbers({ query: 'LN-B mensah' })).toEqual(['LN-B']);
    expect(await numbers({ query: 'LN-B chen' })).toEqual([]); // every word must match
    // LIKE's wildcards are plain characters.
    expect(await numbers({ query: '%' })).toEqual([]);
    expect(await numbers({ query: 'LN_A' })).toEqual([]);
  });

  it('search by bank (a linked Item or a report’s banks), report id or its first 8, Plaid’s report id', async () => {
    const { aReport } = await populate();
    expect(await numbers({ query: 'tattersall' })).toEqual(['LN-B']);
    expect(await numbers({ query: 'gingham' })).toEqual(['LN-D']); // a linked bank
    expect(await numbers({ query: 'second platypus' })).toEqual(['LN-A']); // an Item no report covers yet
    expect(await numbers({ query: 'depósitos' })).toEqual(['LN-H']); // the bank of a removed report, accents typed
    expect(await numbers({ query: 'depositos' })).toEqual(['LN-H']); // and without
    // A linked bank with accents and no report yet is found the same way.
    await loanWithBank({ loanNumber: 'LN-I', lastName: 'Ibáñez' }, 'Banco Económico');
    expect(await numbers({ query: 'economico' })).toEqual(['LN-I']);
    expect(await numbers({ query: 'Económico' })).toEqual(['LN-I']);
    expect(await numbers({ query: aReport.id })).toEqual(['LN-A']);
    expect(await numbers({ query: aReport.id.slice(0, 8) })).toEqual(['LN-A']);
    expect(await numbers({ query: `PLAID-${aReport.id}`.toLowerCase() })).toEqual(['LN-A']);
    expect(await numbers({ query: 'PLAID-' + aReport.id.slice(0, 4) })).toEqual(['LN-A']);
  });

  it('search by amount in any common format: funds to close, income, reserves, a report’s total', async () => {
    await populate();
    for (const q of ['7350', '7,350', '7,350.00', '$7350', '$7,350.00', '7350.0'])
      expect(await numbers({ query: q }), q).toEqual(['LN-A']);
    for (const q of ['12,345.67', '$12345.67', '12345.67']) expect(await numbers({ query: q }), q).toEqual(['LN-A']);
    expect(await numbers({ query: '12,345.68' })).toEqual([]);
    expect((await numbers({ query: '9,500' })).length).toBe(8); // every test loan's income
    expect(await numbers({ query: '9,500 mensah' })).toEqual(['LN-B']);
    expect(await numbers({ query: '73,50' })).toEqual([]); // not an amount as people write one
  });

  it.each(RULES)(
    'refresh-by through the pipeline under %s equals refreshByDate for month ends and leap days',
    async (rule) => {
      const days = ['2026-10-31', '2027-01-31', '2027-10-31', '2028-02-29', '2026-08-31', '2026-12-31', '2027-03-31'];
      for (const [i, day] of days.entries()) await report(await loanWithBank({ loanNumber: `LN-R${i}` }), { on: day });
      const rows = (await list({ documentAgeRule: rule })).rows;
      for (const [i, day] of days.entries()) {
        expect(rows.find((r) => r.loanNumber === `LN-R${i}`)!.refreshBy, day).toBe(refreshByDate(day, rule));
      }
    },
  );

  it('only the latest ready report sets refresh-by and findings; other environments are apart', async () => {
    const file = await loanWithBank({ loanNumber: 'LN-X' });
    await report(file, { on: '2026-09-01', findings: { attention: 3, info: 0 } });
    t.advance(60_000);
    await report(file, { on: '2026-10-15', findings: { attention: 0, info: 1 } });
    expect((await list()).rows[0]).toMatchObject({
      reportCount: 2,
      refreshBy: '2027-02-15',
      findingCounts: { attention: 0, info: 1 },
    });
    expect((await list({ environment: 'production' })).rows[0]).toMatchObject({
      reportCount: 0,
      refreshBy: null,
      findingCounts: null,
    });
  });
});
