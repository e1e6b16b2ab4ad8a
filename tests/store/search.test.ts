import type { PlaidEnvironment } from '../../shared/domain';
import { ACCESS_TOKEN, applicantInput, tempStore } from './helpers';

const DAY = 86_400_000;

describe('report history store: search and applicant status', () => {
  let t: ReturnType<typeof tempStore>;
  beforeEach(() => {
    t = tempStore({ start: '2026-06-01T09:00:00.000Z' });
  });
  afterEach(() => t.cleanup());

  function applicantWithBank(
    first: string,
    last: string,
    loanNumber: string,
    institutionName: string,
    environment: PlaidEnvironment = 'sandbox',
  ) {
    const applicant = t.store.applicants.create(
      applicantInput({ firstName: first, lastName: last, loanNumber, email: `${first.toLowerCase()}@example.com` }),
    );
    const item = t.store.items.add({
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

  function report(applicantId: string, itemId: string, environment: PlaidEnvironment = 'sandbox') {
    return t.store.reports.createPending({
      applicantId,
      environment,
      kind: 'create',
      parentId: null,
      daysRequested: 61,
      itemIds: [itemId],
      includeApplicantDetails: false,
    });
  }

  function ready(id: string) {
    return t.store.reports.markReady(id, {
      reportJson: '{}',
      pdf: new Uint8Array([1]),
      summary: { totalBalance: 1000, accountCount: 1, earliestHistoryDate: '2026-04-01' },
      readyAt: new Date(Date.parse(t.store.reports.get(id)!.createdAt) + 60_000).toISOString(),
    });
  }

  it('reports: by name, loan number, institution, status, date range, environment; newest first; paged', () => {
    const maria = applicantWithBank('Maria', 'Lopez', 'LN-100', 'First Platypus Bank');
    const kwame = applicantWithBank('Kwame', 'Mensah', 'LN-200', 'Tattersall Federal Credit Union');
    const r1 = report(maria.applicant.id, maria.item.id); // 2026-06-01
    t.advance(10 * DAY);
    const r2 = report(kwame.applicant.id, kwame.item.id); // 2026-06-11
    ready(r2.id);
    t.advance(10 * DAY);
    const r3 = report(maria.applicant.id, maria.item.id); // 2026-06-21
    ready(r3.id);
    t.advance(DAY);
    const r4 = report(kwame.applicant.id, kwame.item.id); // 2026-06-22
    t.store.reports.markRemoved(r4.id);
    const prod = applicantWithBank('Ana', 'Lopez', 'LN-300', 'First Platypus Bank', 'production');
    report(prod.applicant.id, prod.item.id, 'production');

    const ids = (q: Parameters<typeof t.store.reports.search>[0]) => t.store.reports.search(q).rows.map((r) => r.id);
    expect(ids({ environment: 'sandbox' })).toEqual([r3.id, r2.id, r1.id]);
    expect(ids({ environment: 'sandbox', query: 'lopez' })).toEqual([r3.id, r1.id]);
    expect(ids({ environment: 'sandbox', query: 'MARIA lop' })).toEqual([r3.id, r1.id]);
    expect(ids({ environment: 'sandbox', query: 'LN-200' })).toEqual([r2.id]);
    expect(ids({ environment: 'sandbox', query: 'kwame', institution: 'tattersall' })).toEqual([r2.id]);
    expect(ids({ environment: 'sandbox', query: 'maria', institution: 'tattersall' })).toEqual([]);
    expect(ids({ environment: 'sandbox', institution: 'platypus' })).toEqual([r3.id, r1.id]);
    expect(ids({ environment: 'sandbox', status: 'ready' })).toEqual([r3.id, r2.id]);
    expect(ids({ environment: 'sandbox', status: 'pending' })).toEqual([r1.id]);
    expect(ids({ environment: 'sandbox', status: 'removed' })).toEqual([r4.id]);
    expect(ids({ environment: 'sandbox', from: '2026-06-11', to: '2026-06-21' })).toEqual([r3.id, r2.id]);
    expect(ids({ environment: 'sandbox', to: '2026-06-10' })).toEqual([r1.id]);
    expect(ids({ environment: 'sandbox', applicantId: kwame.applicant.id })).toEqual([r2.id]);
    expect(ids({ environment: 'production' })).toHaveLength(1);
    expect(ids({ environment: 'emulator' })).toEqual([]);
    // LIKE wildcards typed by the officer are literal characters.
    expect(ids({ environment: 'sandbox', query: '%' })).toEqual([]);
    expect(ids({ environment: 'sandbox', query: 'LN_100' })).toEqual([]);

    const page = t.store.reports.search({ environment: 'sandbox', limit: 2, offset: 1 });
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

  it('applicants: status no_report → pending → ready → refresh_due, needs_relink wins; finding counts of the latest ready report', () => {
    const { applicant, item } = applicantWithBank('Maria', 'Lopez', 'LN-100', 'First Platypus Bank');
    const row = () => t.store.applicants.search({ environment: 'sandbox', query: 'LN-100' }).rows[0]!;
    expect(row()).toMatchObject({ status: 'no_report', reportCount: 0, latestReportAt: null, findingCounts: null });

    const first = report(applicant.id, item.id);
    expect(row()).toMatchObject({ status: 'pending', reportCount: 1 });
    ready(first.id);
    t.store.reports.setFindingCounts(first.id, { attention: 1, info: 3 });
    expect(row()).toMatchObject({ status: 'ready', findingCounts: { attention: 1, info: 3 } });

    t.advance(121 * DAY);
    expect(row().status).toBe('refresh_due');
    expect(
      t.store.applicants.search({ environment: 'sandbox', refreshDueBefore: '2026-01-01T00:00:00.000Z' }).rows[0]!
        .status,
    ).toBe('ready');

    const second = report(applicant.id, item.id);
    expect(row().status).toBe('pending');
    ready(second.id);
    expect(row()).toMatchObject({ status: 'ready', reportCount: 2, findingCounts: null });

    t.store.items.setStatus(item.id, 'needs_relink', { code: 'ITEM_LOGIN_REQUIRED', message: 'sign in again' });
    expect(row().status).toBe('needs_relink');
    // Other environments are untouched by this environment's reports and Items.
    expect(t.store.applicants.search({ environment: 'production', query: 'LN-100' }).rows[0]!.status).toBe('no_report');
  });

  it('applicants: text and status filters, totals and paging', () => {
    const a = applicantWithBank('Maria', 'Lopez', 'LN-100', 'First Platypus Bank');
    const b = applicantWithBank('Kwame', 'Mensah', 'LN-200', 'First Platypus Bank');
    applicantWithBank('Ana', 'Lopez', 'LN-300', 'First Platypus Bank');
    t.advance(1000);
    report(b.applicant.id, b.item.id);
    t.store.items.setStatus(a.item.id, 'needs_relink', null);

    const all = t.store.applicants.search({ environment: 'sandbox' });
    expect(all.total).toBe(3);
    expect(all.rows[0]!.id).toBe(b.applicant.id); // latest report activity first
    expect(
      t.store.applicants
        .search({ environment: 'sandbox', query: 'lopez' })
        .rows.map((r) => r.loanNumber)
        .sort(),
    ).toEqual(['LN-100', 'LN-300']);
    expect(
      t.store.applicants.search({ environment: 'sandbox', query: 'maria@example' }).rows.map((r) => r.loanNumber),
    ).toEqual(['LN-100']);
    expect(
      t.store.applicants.search({ environment: 'sandbox', status: 'needs_relink' }).rows.map((r) => r.loanNumber),
    ).toEqual(['LN-100']);
    expect(
      t.store.applicants.search({ environment: 'sandbox', status: 'pending' }).rows.map((r) => r.loanNumber),
    ).toEqual(['LN-200']);
    expect(t.store.applicants.search({ environment: 'sandbox', status: 'no_report' }).total).toBe(1);
    const page = t.store.applicants.search({ environment: 'sandbox', limit: 1, offset: 1 });
    expect(page.total).toBe(3);
    expect(page.rows).toHaveLength(1);
  });
});
