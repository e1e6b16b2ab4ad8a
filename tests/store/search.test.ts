import type { PlaidEnvironment } from '../../shared/domain';
import type { PipelineQuery } from '../../electron/db/repositories/loans';
import { ACCESS_TOKEN, applicantInput, pipeline, tempStore } from './helpers';
import { addApplicant } from '../helpers/applicant';

const DAY = 86_400_000;

describe('report history store: search and loan status', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore({ start: '2026-06-01T09:00:00.000Z' });
  });
  afterEach(() => t.cleanup());

  async function applicantWithBank(
    first: string,
    last: string,
    loanNumber: string,
    institutionName: string,
    environment: PlaidEnvironment = 'sandbox',
  ) {
    const applicant = await addApplicant(
      t.store,
      applicantInput({ firstName: first, lastName: last, loanNumber, email: `${first.toLowerCase()}@example.com` }),
    );
    const item = await t.store.items.add({
      applicantId: applicant.id,
      environment,
      plaidItemId: `item-${loanNumber}-${environment}`,
      accessToken: ACCESS_TOKEN,
      institutionId: `ins_${institutionName.length}`,
      institutionName,
      accounts: [],
    });
    return { applicant, item };
  }

  // The pipeline as of the store's clock (the app passes the officer's today).
  const list = (q: Partial<PipelineQuery> = {}) =>
    pipeline(t.store, { today: t.now().toISOString().slice(0, 10), ...q });

  async function report(applicantId: string, itemId: string, environment: PlaidEnvironment = 'sandbox') {
    return t.store.reports.createPending({
      loanId: (await t.store.applicants.get(applicantId))!.loanId,
      applicantId,
      environment,
      kind: 'create',
      parentId: null,
      daysRequested: 61,
      itemIds: [itemId],
      includeApplicantDetails: false,
    });
  }

  async function ready(id: string) {
    return t.store.reports.markReady(id, {
      reportJson: '{}',
      pdf: new Uint8Array([1]),
      summary: { totalBalance: 1000, accountCount: 1, earliestHistoryDate: '2026-04-01' },
      readyAt: new Date(Date.parse((await t.store.reports.get(id))!.createdAt) + 60_000).toISOString(),
    });
  }

  it('reports: by name, loan number, institution, status, date range, environment; newest first; paged', async () => {
    const maria = await applicantWithBank('Maria', 'Lopez', 'LN-100', 'First Platypus Bank');
    const kwame = await applicantWithBank('Kwame', 'Mensah', 'LN-200', 'Tattersall Federal Credit Union');
    const r1 = await report(maria.applicant.id, maria.item.id); // 2026-06-01
    t.advance(10 * DAY);
    const r2 = await report(kwame.applicant.id, kwame.item.id); // 2026-06-11
    await ready(r2.id);
    t.advance(10 * DAY);
    const r3 = await report(maria.applicant.id, maria.item.id); // 2026-06-21
    await ready(r3.id);
    t.advance(DAY);
    const r4 = await report(kwame.applicant.id, kwame.item.id); // 2026-06-22
    await t.store.reports.markRemoved(r4.id);
    const prod = await applicantWithBank('Ana', 'Lopez', 'LN-300', 'First Platypus Bank', 'production');
    await report(prod.applicant.id, prod.item.id, 'production');

    const ids = async (q: Parameters<typeof t.store.reports.search>[0]) =>
      (await t.store.reports.search(q)).rows.map((r) => r.id);
    expect(await ids({ environment: 'sandbox' })).toEqual([r3.id, r2.id, r1.id]);
    expect(await ids({ environment: 'sandbox', query: 'lopez' })).toEqual([r3.id, r1.id]);
    expect(await ids({ environment: 'sandbox', query: 'MARIA lop' })).toEqual([r3.id, r1.id]);
    expect(await ids({ environment: 'sandbox', query: 'LN-200' })).toEqual([r2.id]);
    expect(await ids({ environment: 'sandbox', query: 'kwame', institution: 'tattersall' })).toEqual([r2.id]);
    expect(await ids({ environment: 'sandbox', query: 'maria', institution: 'tattersall' })).toEqual([]);
    expect(await ids({ environment: 'sandbox', institution: 'platypus' })).toEqual([r3.id, r1.id]);
    expect(await ids({ environment: 'sandbox', status: 'ready' })).toEqual([r3.id, r2.id]);
    expect(await ids({ environment: 'sandbox', status: 'pending' })).toEqual([r1.id]);
    expect(await ids({ environment: 'sandbox', status: 'removed' })).toEqual([r4.id]);
    expect(await ids({ environment: 'sandbox', from: '2026-06-11', to: '2026-06-21' })).toEqual([r3.id, r2.id]);
    expect(await ids({ environment: 'sandbox', to: '2026-06-10' })).toEqual([r1.id]);
    expect(await ids({ environment: 'sandbox', loanId: kwame.applicant.loanId })).toEqual([r2.id]);
    expect(await ids({ environment: 'production' })).toHaveLength(1);
    expect(await ids({ environment: 'emulator' })).toEqual([]);
    // LIKE wildcards typed by the officer are literal characters.
    expect(await ids({ environment: 'sandbox', query: '%' })).toEqual([]);
    expect(await ids({ environment: 'sandbox', query: 'LN_100' })).toEqual([]);

    const page = await t.store.reports.search({ environment: 'sandbox', limit: 2, offset: 1 });
    expect(page.total).toBe(3);
    expect(page.rows.map((r) => r.id)).toEqual([r2.id, r1.id]);
    expect(page.rows[0]).toMatchObject({
      applicantName: 'Kwame Mensah',
      loanNumber: 'LN-200',
      institutions: ['Tattersall Federal Credit Union'],
      totalBalance: 1000,
      accountCount: 1,
    });
  });

  it('loans: status no_report → pending → ready → refresh_due (by the document-age rule’s refresh-by date), needs_relink wins; finding counts of the latest ready report', async () => {
    const { applicant, item } = await applicantWithBank('Maria', 'Lopez', 'LN-100', 'First Platypus Bank');
    const row = async (q: Partial<PipelineQuery> = {}) => (await list({ query: 'LN-100', ...q })).rows[0]!;
    expect(await row()).toMatchObject({
      reportStatus: 'no_report',
      reportCount: 0,
      latestReportAt: null,
      findingCounts: null,
      refreshBy: null,
    });

    const first = await report(applicant.id, item.id);
    expect(await row()).toMatchObject({ reportStatus: 'pending', reportCount: 1 });
    await ready(first.id); // ready on 2026-06-01: Fannie Mae's 4 months run to 2026-10-01
    await t.store.reports.setFindingCounts(first.id, { attention: 1, info: 3 });
    expect(await row()).toMatchObject({
      reportStatus: 'ready',
      findingCounts: { attention: 1, info: 3 },
      refreshBy: '2026-10-01',
    });
    expect((await row({ documentAgeRule: 'freddie_120_days' })).refreshBy).toBe('2026-09-29');

    t.advance(122 * DAY); // 2026-10-01: the last day the report serves
    expect((await row()).reportStatus).toBe('ready');
    t.advance(DAY);
    expect((await row()).reportStatus).toBe('refresh_due');
    // A note date after the refresh-by date makes it due before that day comes.
    expect((await row({ today: '2026-09-01' })).reportStatus).toBe('ready');
    await t.store.loans.update(applicant.loanId, { expectedNoteDate: '2026-10-25' });
    expect((await row({ today: '2026-09-01' })).reportStatus).toBe('refresh_due');
    // A note date already past (09-20; the report served to 10-01) on a loan still open: it is 10-02, so any closing
    // from now on is too late. Once the loan is marked closed, the note date it closed on is the one that counted.
    await t.store.loans.update(applicant.loanId, { applicationDate: '2026-05-20', expectedNoteDate: '2026-09-20' });
    expect((await row()).reportStatus).toBe('refresh_due');
    await t.store.loans.setStatus(applicant.loanId, 'closed');
    expect((await row()).reportStatus).toBe('ready');
    await t.store.loans.setStatus(applicant.loanId, 'open');
    await t.store.loans.update(applicant.loanId, { expectedNoteDate: null });

    const second = await report(applicant.id, item.id);
    expect((await row()).reportStatus).toBe('pending');
    await ready(second.id);
    expect(await row()).toMatchObject({
      reportStatus: 'ready',
      reportCount: 2,
      findingCounts: null,
      refreshBy: '2027-02-02',
    });

    await t.store.items.setStatus(item.id, 'needs_relink', { code: 'ITEM_LOGIN_REQUIRED', message: 'sign in again' });
    expect((await row()).reportStatus).toBe('needs_relink');
    // Other environments are untouched by this environment's reports and Items.
    expect((await row({ environment: 'production' })).reportStatus).toBe('no_report');
  });

  it('loans: text and status filters, totals and paging', async () => {
    const a = await applicantWithBank('Maria', 'Lopez', 'LN-100', 'First Platypus Bank');
    const b = await applicantWithBank('Kwame', 'Mensah', 'LN-200', 'First Platypus Bank');
    await applicantWithBank('Ana', 'Lopez', 'LN-300', 'First Platypus Bank');
    t.advance(1000);
    const pending = await report(b.applicant.id, b.item.id);
    await t.store.activity.append({ action: 'report_created', reportId: pending.id, detail: {} });
    await t.store.items.setStatus(a.item.id, 'needs_relink', null);

    const all = await list();
    expect(all.total).toBe(3);
    expect(all.rows[0]!.id).toBe(b.applicant.loanId); // latest activity first
    expect((await list({ query: 'lopez' })).rows.map((r) => r.loanNumber).sort()).toEqual(['LN-100', 'LN-300']);
    expect((await list({ query: 'maria@example' })).rows.map((r) => r.loanNumber)).toEqual(['LN-100']);
    expect((await list({ reportStatus: 'needs_relink' })).rows.map((r) => r.loanNumber)).toEqual(['LN-100']);
    expect((await list({ reportStatus: 'pending' })).rows.map((r) => r.loanNumber)).toEqual(['LN-200']);
    expect((await list({ reportStatus: 'no_report' })).total).toBe(1);
    const page = await list({ limit: 1, offset: 1 });
    expect(page.total).toBe(3);
    expect(page.rows).toHaveLength(1);
  });
});
