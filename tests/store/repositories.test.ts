import { AppError } from '../../shared/errors';
import { DEFAULT_UNDERWRITING_SETTINGS } from '../../shared/underwriting';
import { SETTINGS_DEFAULTS } from '../../electron/db';
import {
  ACCESS_TOKEN,
  AUDIT_TOKEN,
  REPORT_TOKEN,
  SSN,
  applicantInput,
  onPostgres,
  pipeline,
  tempStore,
} from './helpers';
import { addApplicant } from '../helpers/applicant';

const DAY = 86_400_000;

describe('report history store: repositories', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(() => t.cleanup());

  const account = {
    accountId: 'acc-1',
    name: 'Plaid Gold Standard 0% Interest Checking',
    mask: '0000',
    type: 'depository',
    subtype: 'checking',
  };

  async function linkedApplicant(overrides = {}) {
    const applicant = await addApplicant(t.store, applicantInput(overrides));
    const item = await t.store.items.add({
      applicantId: applicant.id,
      environment: 'sandbox',
      plaidItemId: `item-${applicant.id}`,
      accessToken: ACCESS_TOKEN,
      institutionId: 'ins_109508',
      institutionName: 'First Platypus Bank',
      accounts: [account],
    });
    return { applicant, item };
  }

  it('borrowers: create, get, update, masked SSN and reveal', async () => {
    const created = await addApplicant(t.store, applicantInput({ ssn: SSN, middleName: 'Elena' }));
    expect(await t.store.loans.get(created.loanId)).toMatchObject({ reservesNeeded: 0, fundsToClose: 62_000 });
    expect(created).toMatchObject({
      firstName: 'Maria',
      middleName: 'Elena',
      lastName: 'Lopez',
      position: 0,
      ssnMasked: '***-**-8123',
      ssnUnreadable: false,
    });
    expect(created.createdAt).toBe('2026-11-02T12:00:00.000Z');
    expect(await t.store.applicants.get(created.id)).toEqual(created);
    expect(await t.store.applicants.revealSsn(created.id)).toBe(SSN);

    t.advance(1000);
    expect((await t.store.loans.update(created.loanId, { fundsToClose: 70_000 })).fundsToClose).toBe(70_000);
    const updated = await t.store.applicants.update(created.id, { phone: '+1 415 555 0199' });
    expect(updated).toMatchObject({
      phone: '+14155550199', // saved as E.164 whatever way it was typed
      ssnMasked: '***-**-8123',
      updatedAt: '2026-11-02T12:00:01.000Z',
    });
    await t.store.applicants.update(created.id, { ssn: '600-11-2222' });
    expect(await t.store.applicants.revealSsn(created.id)).toBe('600-11-2222');
    expect(await t.store.applicants.get('missing')).toBeNull();
  });

  it('borrowers: invalid input is refused with the field named', async () => {
    const attempt = () => addApplicant(t.store, applicantInput({ ssn: '000-12-3456' }));
    await expect(attempt()).rejects.toThrowError(AppError);
    try {
      await attempt();
    } catch (err) {
      expect((err as AppError).code).toBe('VALIDATION_FAILED');
      expect((err as AppError).field).toBe('ssn');
    }
    await expect(t.store.applicants.update('nope', { firstName: 'Ana' })).rejects.toThrowError(/no longer exists/);
  });

  it('items: add, lookups, decrypted token, status, remove', async () => {
    const { applicant, item } = await linkedApplicant();
    expect(item).toMatchObject({
      status: 'ok',
      environment: 'sandbox',
      institutionName: 'First Platypus Bank',
      accounts: [account],
      lastError: null,
    });
    expect(await t.store.items.get(item.id)).toEqual(item);
    expect(await t.store.items.listForApplicant(applicant.id, 'sandbox')).toEqual([item]);
    expect(await t.store.items.listForApplicant(applicant.id, 'production')).toEqual([]);
    expect((await t.store.items.findByInstitution(applicant.id, 'sandbox', 'ins_109508'))?.id).toBe(item.id);
    expect(await t.store.items.findByInstitution(applicant.id, 'emulator', 'ins_109508')).toBeNull();
    expect((await t.store.items.findByPlaidItemId('sandbox', `item-${applicant.id}`))?.id).toBe(item.id);
    expect(await t.store.items.accessToken(item.id)).toBe(ACCESS_TOKEN);
    await expect(
      t.store.items.add({
        applicantId: applicant.id,
        environment: 'sandbox',
        plaidItemId: `item-${applicant.id}`,
        accessToken: 'x',
        institutionId: 'i',
        institutionName: 'n',
        accounts: [],
      }),
    ).rejects.toThrowError(/already saved/);

    const broken = await t.store.items.setStatus(item.id, 'needs_relink', {
      code: 'ITEM_LOGIN_REQUIRED',
      message: 'the login changed',
    });
    expect(broken).toMatchObject({
      status: 'needs_relink',
      lastError: { code: 'ITEM_LOGIN_REQUIRED', message: 'the login changed' },
    });
    expect((await t.store.items.setStatus(item.id, 'ok', null)).lastError).toBeNull();

    await t.store.items.remove(item.id);
    expect((await t.store.items.get(item.id))?.status).toBe('removed');
    expect(await t.store.items.findByInstitution(applicant.id, 'sandbox', 'ins_109508')).toBeNull();
    await expect(t.store.items.accessToken(item.id)).rejects.toThrowError(/no longer exists/);
  });

  it('reports: pending → attached → ready → content → findings → removed', async () => {
    const { applicant, item } = await linkedApplicant();
    const pending = await t.store.reports.createPending({
      loanId: applicant.loanId,
      applicantId: applicant.id,
      environment: 'sandbox',
      kind: 'create',
      parentId: null,
      daysRequested: 61,
      itemIds: [item.id],
      includeApplicantDetails: true,
    });
    expect(pending).toMatchObject({
      status: 'pending',
      kind: 'create',
      applicantName: 'Maria Lopez',
      loanNumber: (await t.store.loans.get(applicant.loanId))!.loanNumber,
      institutions: ['First Platypus Bank'],
      itemIds: [item.id],
      includeApplicantDetails: true,
      plaidReportId: null,
      totalBalance: null,
    });
    expect((await t.store.reports.listPending('sandbox')).map((r) => r.id)).toEqual([pending.id]);
    expect(await t.store.reports.listPending('production')).toEqual([]);
    expect(await t.store.reports.reportToken(pending.id)).toBeNull();

    const attached = await t.store.reports.attachPlaid(pending.id, {
      plaidReportId: 'plaid-report-1',
      reportToken: REPORT_TOKEN,
    });
    expect(attached.plaidReportId).toBe('plaid-report-1');
    expect(await t.store.reports.reportToken(pending.id)).toBe(REPORT_TOKEN);
    expect((await t.store.reports.findByPlaidReportId('sandbox', 'plaid-report-1'))?.id).toBe(pending.id);
    expect(await t.store.reports.findByPlaidReportId('production', 'plaid-report-1')).toBeNull();
    await expect(t.store.reports.readJson(pending.id)).rejects.toThrowError(/no saved content/);

    const json = { report: { asset_report_id: 'plaid-report-1', items: [] }, warnings: [] };
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 1, 2, 3]);
    const ready = await t.store.reports.markReady(pending.id, {
      reportJson: JSON.stringify(json),
      pdf,
      summary: { totalBalance: 12_345.67, accountCount: 3, earliestHistoryDate: '2026-09-01' },
      readyAt: '2026-11-02T12:01:00.000Z',
    });
    expect(ready).toMatchObject({
      status: 'ready',
      readyAt: '2026-11-02T12:01:00.000Z',
      totalBalance: 12_345.67,
      accountCount: 3,
      earliestHistoryDate: '2026-09-01',
    });
    expect(await t.store.reports.readJson(pending.id)).toEqual(json);
    expect(await t.store.reports.readPdf(pending.id)).toEqual(pdf);
    expect(await t.store.reports.readContent(pending.id)).toEqual({ json, pdf });
    await t.store.reports.setFindingCounts(pending.id, { attention: 2, info: 5 });
    expect((await t.store.reports.get(pending.id))?.findingCounts).toEqual({ attention: 2, info: 5 });

    const refresh = await t.store.reports.createPending({
      loanId: applicant.loanId,
      applicantId: applicant.id,
      environment: 'sandbox',
      kind: 'refresh',
      parentId: pending.id,
      daysRequested: 61,
      itemIds: [item.id],
      includeApplicantDetails: false,
    });
    expect(refresh.parentId).toBe(pending.id);
    const failed = await t.store.reports.markFailed(refresh.id, {
      code: 'PRODUCT_NOT_READY',
      message: 'still preparing',
      requestId: 'req-1',
    });
    expect(failed).toMatchObject({
      status: 'failed',
      failure: { code: 'PRODUCT_NOT_READY', message: 'still preparing', requestId: 'req-1' },
    });

    const copy = await t.store.auditCopies.create({
      reportId: pending.id,
      auditorId: 'fannie_mae',
      token: AUDIT_TOKEN,
    });
    await t.store.sourcedDeposits.mark(pending.id, 'txn-1', 'gift letter from parents');
    expect(await t.store.reports.markRemoved(pending.id)).toBe(true);
    expect((await t.store.reports.get(pending.id))?.status).toBe('removed');
    expect(await t.store.reports.reportToken(pending.id)).toBeNull();
    await expect(t.store.reports.readPdf(pending.id)).rejects.toThrowError(/no saved content/);
    expect(await t.store.auditCopies.token(copy.id)).toBeNull();
    expect((await t.store.auditCopies.get(copy.id))?.removedAt).toBe('2026-11-02T12:00:00.000Z');
    expect(await t.store.sourcedDeposits.list(pending.id)).toEqual([]);
    // A second removal (another desk's, a moment later) changes nothing and says so.
    t.advance(60_000);
    expect(await t.store.reports.markRemoved(pending.id)).toBe(false);
    expect(await t.raw.value('SELECT removed_at FROM reports WHERE id = ?', pending.id)).toBe(
      '2026-11-02T12:00:00.000Z',
    );
    expect((await t.store.reports.listForLoan(applicant.loanId, 'sandbox')).map((r) => [r.id, r.status])).toEqual(
      expect.arrayContaining([
        [pending.id, 'removed'],
        [refresh.id, 'failed'],
      ]),
    );
  });

  test('a pending row Plaid never made anything for is deleted; one with Plaid ids, or settled, is kept', async () => {
    const { applicant, item } = await linkedApplicant();
    const request = {
      loanId: applicant.loanId,
      applicantId: applicant.id,
      environment: 'sandbox' as const,
      kind: 'create' as const,
      parentId: null,
      daysRequested: 61,
      itemIds: [item.id],
      includeApplicantDetails: false,
    };
    const refused = await t.store.reports.createPending(request);
    const attached = await t.store.reports.createPending(request);
    await t.store.reports.attachPlaid(attached.id, { plaidReportId: 'plaid-report-1', reportToken: REPORT_TOKEN });
    const failed = await t.store.reports.createPending(request);
    await t.store.reports.markFailed(failed.id, { code: 'OUTCOME_UNKNOWN', message: 'no answer' });
    expect((await pipeline(t.store)).rows[0]?.reportCount).toBe(3);

    expect(await t.store.reports.deleteNeverMade(refused.id)).toBe(true);
    expect(await t.store.reports.get(refused.id)).toBeNull();
    expect(await t.store.reports.deleteNeverMade(refused.id)).toBe(false);
    expect(await t.store.reports.deleteNeverMade(attached.id)).toBe(false);
    expect(await t.store.reports.deleteNeverMade(failed.id)).toBe(false);
    expect((await t.store.reports.listForLoan(applicant.loanId, 'sandbox')).map((r) => r.id).sort()).toEqual(
      [attached.id, failed.id].sort(),
    );
    // The loan's summary (the pipeline's count) follows the deletion, on either engine.
    expect((await pipeline(t.store)).rows[0]?.reportCount).toBe(2);
  });

  it('reports: a filter keeps its excluded accounts on the row; the generated day and the plain summary read alone', async () => {
    const { applicant, item } = await linkedApplicant();
    const base = {
      loanId: applicant.loanId,
      applicantId: applicant.id,
      environment: 'sandbox' as const,
      daysRequested: 61,
      itemIds: [item.id],
      includeApplicantDetails: false,
    };
    const parent = await t.store.reports.createPending({ ...base, kind: 'create', parentId: null });
    expect(parent.excludedAccountIds).toEqual([]);
    await t.store.reports.attachPlaid(parent.id, { plaidReportId: 'p1', reportToken: REPORT_TOKEN });
    expect(await t.store.reports.generatedOn(parent.id)).toBeNull();
    await t.store.reports.markReady(parent.id, {
      reportJson: '{"report":{}}',
      pdf: new Uint8Array([37, 80, 68, 70]),
      summary: { totalBalance: 1, accountCount: 1, earliestHistoryDate: null },
      readyAt: '2026-11-02T12:00:00.000Z',
      generatedOn: '2026-11-02',
    });
    expect(await t.store.reports.generatedOn(parent.id)).toBe('2026-11-02');
    const filter = await t.store.reports.createPending({
      ...base,
      kind: 'filter',
      parentId: parent.id,
      excludedAccountIds: ['acc-1'],
    });
    expect((await t.store.reports.get(filter.id))?.excludedAccountIds).toEqual(['acc-1']);
    const summary = (await t.store.reports.summary(filter.id))!;
    expect(summary).toMatchObject({ id: filter.id, status: 'pending', kind: 'filter', parentId: parent.id });
    expect(summary).not.toHaveProperty('itemIds');
    expect(await t.store.reports.summary('nope')).toBeNull();
    await expect(t.store.reports.generatedOn('nope')).rejects.toThrowError(AppError);
  });

  it('reports: items must belong to the loan and environment', async () => {
    const { applicant, item } = await linkedApplicant();
    const other = await addApplicant(t.store, applicantInput({ loanNumber: 'LN-9' }));
    const base = {
      environment: 'sandbox' as const,
      kind: 'create' as const,
      parentId: null,
      daysRequested: 61,
      includeApplicantDetails: false,
    };
    await expect(
      t.store.reports.createPending({ ...base, loanId: other.loanId, applicantId: other.id, itemIds: [item.id] }),
    ).rejects.toThrowError(/bank connection/);
    await expect(
      t.store.reports.createPending({
        ...base,
        environment: 'production',
        loanId: applicant.loanId,
        applicantId: applicant.id,
        itemIds: [item.id],
      }),
    ).rejects.toThrowError(/bank connection/);
  });

  it('audit copies and sourced deposits round-trip', async () => {
    const { applicant, item } = await linkedApplicant();
    const report = await t.store.reports.createPending({
      loanId: applicant.loanId,
      applicantId: applicant.id,
      environment: 'sandbox',
      kind: 'create',
      parentId: null,
      daysRequested: 90,
      itemIds: [item.id],
      includeApplicantDetails: false,
    });
    await expect(
      t.store.auditCopies.create({ reportId: report.id, auditorId: 'fannie_mae', token: AUDIT_TOKEN }),
    ).rejects.toThrowError(/ready/);
    await t.store.reports.markReady(report.id, {
      reportJson: '{}',
      pdf: new Uint8Array([1]),
      summary: { totalBalance: 1, accountCount: 1, earliestHistoryDate: null },
      readyAt: '2026-11-02T12:00:00.000Z',
    });
    const copy = await t.store.auditCopies.create({ reportId: report.id, auditorId: 'fannie_mae', token: AUDIT_TOKEN });
    expect(copy).toMatchObject({ reportId: report.id, auditorId: 'fannie_mae', removedAt: null });
    expect(await t.store.auditCopies.list(report.id)).toEqual([copy]);
    expect(await t.store.auditCopies.token(copy.id)).toBe(AUDIT_TOKEN);
    expect((await t.store.auditCopies.markRemoved(copy.id)).removedAt).not.toBeNull();
    expect(await t.store.auditCopies.token(copy.id)).toBeNull();

    await t.store.sourcedDeposits.mark(report.id, 'txn-1', 'bonus from employer');
    t.advance(1000);
    await t.store.sourcedDeposits.mark(report.id, 'txn-2', 'sale of car');
    t.advance(1000);
    await t.store.sourcedDeposits.mark(report.id, 'txn-1', 'bonus — letter on file');
    expect((await t.store.sourcedDeposits.list(report.id)).map((d) => [d.transactionId, d.note])).toEqual([
      ['txn-2', 'sale of car'],
      ['txn-1', 'bonus — letter on file'],
    ]);
    await t.store.sourcedDeposits.unmark(report.id, 'txn-2');
    expect((await t.store.sourcedDeposits.list(report.id)).map((d) => d.transactionId)).toEqual(['txn-1']);
  });

  it('activity log: append, filter, newest first, secrets redacted, append-only in SQL', async () => {
    const first = await t.store.activity.append({
      action: 'report_created',
      applicantId: 'a1',
      reportId: 'r1',
      detail: { daysRequested: 61 },
    });
    await t.store.activity.append({
      action: 'exported',
      applicantId: 'a1',
      detail: { folder: '/tmp/x', access_token: ACCESS_TOKEN, note: `token ${REPORT_TOKEN}` },
    });
    await t.store.activity.append({ action: 'report_created', applicantId: 'a2', detail: {} });
    expect(first).toMatchObject({
      id: 1,
      action: 'report_created',
      applicantId: 'a1',
      reportId: 'r1',
      detail: { daysRequested: 61 },
    });
    const forA1 = await t.store.activity.list({ applicantId: 'a1' });
    expect(forA1.map((e) => e.action)).toEqual(['exported', 'report_created']);
    expect(JSON.stringify(forA1)).not.toContain(ACCESS_TOKEN);
    expect(JSON.stringify(forA1)).not.toContain(REPORT_TOKEN);
    expect(await t.store.activity.list({ reportId: 'r1' })).toHaveLength(1);
    expect(await t.store.activity.list({ limit: 2 })).toHaveLength(2);

    // A second, raw connection to the same database proves the triggers, not the repository, enforce it.
    await expect(t.raw.run("UPDATE activity SET action = 'x'")).rejects.toThrowError(/append-only/);
    await expect(t.raw.run('DELETE FROM activity')).rejects.toThrowError(/append-only/);
    expect(await t.raw.value('SELECT count(*) FROM activity')).toBe(3);
    // On the desk's own history the desk's officer did everything: no actor is recorded.
    if (!onPostgres) expect((await t.store.activity.list()).map((e) => e.actor)).toEqual([null, null, null]);
  });

  it('settings: JSON values with fallbacks', async () => {
    expect(await t.store.settings.get('retentionDays', null)).toBeNull();
    await t.store.settings.set('retentionDays', 365);
    await t.store.settings.set('webhook', { enabled: true, publicUrl: null });
    expect(await t.store.settings.get('retentionDays', null)).toBe(365);
    expect(await t.store.settings.get('webhook', {})).toEqual({ enabled: true, publicUrl: null });
  });

  it('settings: typed preferences answer their one default until saved, then what was saved', async () => {
    const settings = t.store.settings;
    expect(await settings.value('environment')).toBe('emulator');
    expect(await settings.value('webhook')).toEqual({ enabled: true, publicUrl: null });
    expect(await settings.value('retentionDays')).toBeNull();
    expect(await settings.value('credentialsRejected')).toEqual({});
    expect(await settings.underwriting()).toEqual({
      largeDepositShare: DEFAULT_UNDERWRITING_SETTINGS.largeDepositShare,
      documentAgeRule: DEFAULT_UNDERWRITING_SETTINGS.documentAgeRule,
      retirementDiscount: DEFAULT_UNDERWRITING_SETTINGS.retirementDiscount,
      brokerageShare: DEFAULT_UNDERWRITING_SETTINGS.brokerageShare,
      hsaTreatment: DEFAULT_UNDERWRITING_SETTINGS.hsaTreatment,
      transferMatchBusinessDays: DEFAULT_UNDERWRITING_SETTINGS.transferMatchBusinessDays,
    });
    await settings.update('underwritingAssetClasses', {
      ...SETTINGS_DEFAULTS.underwritingAssetClasses,
      brokerageShare: 0.9,
    });
    expect((await settings.underwriting()).brokerageShare).toBe(0.9);
    expect(SETTINGS_DEFAULTS.largeDepositShare).toBe(DEFAULT_UNDERWRITING_SETTINGS.largeDepositShare);
    await settings.update('documentAgeRule', 'du_45_days');
    await settings.update('retentionDays', 90);
    await settings.update('credentialsRejected', { sandbox: 'wrong keys (INVALID_API_KEYS)' });
    expect((await settings.underwriting()).documentAgeRule).toBe('du_45_days');
    expect(await settings.value('retentionDays')).toBe(90);
    // The typed getters read the same stored keys as before (a database from an older version keeps its settings).
    expect(await settings.get('credentialsRejected', null)).toEqual({ sandbox: 'wrong keys (INVALID_API_KEYS)' });
    expect(await settings.get('documentAgeRule', null)).toBe('du_45_days');
  });

  it('transaction() rolls back everything when the callback throws', async () => {
    await expect(
      t.store.transaction(async () => {
        await addApplicant(t.store, applicantInput());
        throw new Error('boom');
      }),
    ).rejects.toThrowError('boom');
    expect((await pipeline(t.store)).total).toBe(0);
  });

  it('olderThan (retention now starts when a loan is closed or withdrawn): only reports of loans closed or withdrawn longer ago than the retention age, in every environment', async () => {
    const pendingFor = (a: { id: string; loanId: string }, itemId: string) =>
      t.store.reports.createPending({
        loanId: a.loanId,
        applicantId: a.id,
        environment: 'sandbox',
        kind: 'create',
        parentId: null,
        daysRequested: 61,
        itemIds: [itemId],
        includeApplicantDetails: false,
      });
    const closed = await linkedApplicant();
    const withdrawn = await linkedApplicant();
    const open = await linkedApplicant();
    const closedLate = await linkedApplicant();
    const closedReport = await pendingFor(closed.applicant, closed.item.id);
    const withdrawnReport = await pendingFor(withdrawn.applicant, withdrawn.item.id);
    await pendingFor(open.applicant, open.item.id);
    await pendingFor(closedLate.applicant, closedLate.item.id);
    await t.store.loans.setStatus(closed.applicant.loanId, 'closed');
    await t.store.loans.setStatus(withdrawn.applicant.loanId, 'withdrawn');
    t.advance(40 * DAY);
    // Closed 40 days ago and just now: only the first is past a 30-day retention; an open loan never is.
    await t.store.loans.setStatus(closedLate.applicant.loanId, 'closed');
    const now = new Date(Date.parse('2026-11-02T12:00:00.000Z') + 40 * DAY);
    expect((await t.store.reports.olderThan(30, now)).map((r) => r.id).sort()).toEqual(
      [closedReport.id, withdrawnReport.id].sort(),
    );
    // Reopening stops the clock.
    await t.store.loans.setStatus(withdrawn.applicant.loanId, 'open');
    expect((await t.store.reports.olderThan(30, now)).map((r) => r.id)).toEqual([closedReport.id]);
  });
});
