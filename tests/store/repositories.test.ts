import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { DEFAULT_UNDERWRITING_SETTINGS } from '../../shared/underwriting';
import { SETTINGS_DEFAULTS } from '../../electron/db';
import { ACCESS_TOKEN, AUDIT_TOKEN, REPORT_TOKEN, SSN, applicantInput, tempStore } from './helpers';

const DAY = 86_400_000;

describe('report history store: repositories', () => {
  let t: ReturnType<typeof tempStore>;
  beforeEach(() => {
    t = tempStore();
  });
  afterEach(() => t.cleanup());

  const account = {
    accountId: 'acc-1',
    name: 'Plaid Gold Standard 0% Interest Checking',
    mask: '0000',
    type: 'depository',
    subtype: 'checking',
  };

  function linkedApplicant(overrides = {}) {
    const applicant = t.store.applicants.create(applicantInput(overrides));
    const item = t.store.items.add({
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

  it('applicants: create, get, update, masked SSN and reveal', () => {
    const created = t.store.applicants.create(applicantInput({ ssn: SSN, middleName: 'Elena' }));
    expect(created).toMatchObject({
      firstName: 'Maria',
      middleName: 'Elena',
      lastName: 'Lopez',
      reservesNeeded: 0,
      ssnMasked: '***-**-8123',
      ssnUnreadable: false,
    });
    expect(created.createdAt).toBe('2026-11-02T12:00:00.000Z');
    expect(t.store.applicants.get(created.id)).toEqual(created);
    expect(t.store.applicants.revealSsn(created.id)).toBe(SSN);

    t.advance(1000);
    const updated = t.store.applicants.update(created.id, { fundsToClose: 70_000, phone: '+1 415 555 0199' });
    expect(updated).toMatchObject({
      fundsToClose: 70_000,
      phone: '+14155550199', // saved as E.164 whatever way it was typed
      ssnMasked: '***-**-8123',
      updatedAt: '2026-11-02T12:00:01.000Z',
    });
    t.store.applicants.update(created.id, { ssn: '600-11-2222' });
    expect(t.store.applicants.revealSsn(created.id)).toBe('600-11-2222');
    expect(t.store.applicants.get('missing')).toBeNull();
  });

  it('applicants: invalid input is refused with the field named', () => {
    const attempt = () => t.store.applicants.create(applicantInput({ ssn: '000-12-3456' }));
    expect(attempt).toThrowError(AppError);
    try {
      attempt();
    } catch (err) {
      expect((err as AppError).code).toBe('VALIDATION_FAILED');
      expect((err as AppError).field).toBe('ssn');
    }
    expect(() => t.store.applicants.update('nope', { fundsToClose: 1 })).toThrowError(/no longer exists/);
  });

  it('items: add, lookups, decrypted token, status, remove', () => {
    const { applicant, item } = linkedApplicant();
    expect(item).toMatchObject({
      status: 'ok',
      environment: 'sandbox',
      institutionName: 'First Platypus Bank',
      accounts: [account],
      lastError: null,
    });
    expect(t.store.items.get(item.id)).toEqual(item);
    expect(t.store.items.listForApplicant(applicant.id, 'sandbox')).toEqual([item]);
    expect(t.store.items.listForApplicant(applicant.id, 'production')).toEqual([]);
    expect(t.store.items.findByInstitution(applicant.id, 'sandbox', 'ins_109508')?.id).toBe(item.id);
    expect(t.store.items.findByInstitution(applicant.id, 'emulator', 'ins_109508')).toBeNull();
    expect(t.store.items.findByPlaidItemId('sandbox', `item-${applicant.id}`)?.id).toBe(item.id);
    expect(t.store.items.accessToken(item.id)).toBe(ACCESS_TOKEN);
    expect(() =>
      t.store.items.add({
        applicantId: applicant.id,
        environment: 'sandbox',
        plaidItemId: `item-${applicant.id}`,
        accessToken: 'x',
        institutionId: 'i',
        institutionName: 'n',
        accounts: [],
      }),
    ).toThrowError(/already saved/);

    const broken = t.store.items.setStatus(item.id, 'needs_relink', {
      code: 'ITEM_LOGIN_REQUIRED',
      message: 'the login changed',
    });
    expect(broken).toMatchObject({
      status: 'needs_relink',
      lastError: { code: 'ITEM_LOGIN_REQUIRED', message: 'the login changed' },
    });
    expect(t.store.items.setStatus(item.id, 'ok', null).lastError).toBeNull();

    t.store.items.remove(item.id);
    expect(t.store.items.get(item.id)?.status).toBe('removed');
    expect(t.store.items.findByInstitution(applicant.id, 'sandbox', 'ins_109508')).toBeNull();
    expect(() => t.store.items.accessToken(item.id)).toThrowError(/no longer exists/);
  });

  it('reports: pending → attached → ready → content → findings → removed', () => {
    const { applicant, item } = linkedApplicant();
    const pending = t.store.reports.createPending({
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
      loanNumber: 'LN-2026-0001',
      institutions: ['First Platypus Bank'],
      itemIds: [item.id],
      includeApplicantDetails: true,
      plaidReportId: null,
      totalBalance: null,
    });
    expect(t.store.reports.listPending('sandbox').map((r) => r.id)).toEqual([pending.id]);
    expect(t.store.reports.listPending('production')).toEqual([]);
    expect(t.store.reports.reportToken(pending.id)).toBeNull();

    const attached = t.store.reports.attachPlaid(pending.id, {
      plaidReportId: 'plaid-report-1',
      reportToken: REPORT_TOKEN,
    });
    expect(attached.plaidReportId).toBe('plaid-report-1');
    expect(t.store.reports.reportToken(pending.id)).toBe(REPORT_TOKEN);
    expect(t.store.reports.findByPlaidReportId('sandbox', 'plaid-report-1')?.id).toBe(pending.id);
    expect(t.store.reports.findByPlaidReportId('production', 'plaid-report-1')).toBeNull();
    expect(() => t.store.reports.readJson(pending.id)).toThrowError(/no saved content/);

    const json = { report: { asset_report_id: 'plaid-report-1', items: [] }, warnings: [] };
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 1, 2, 3]);
    const ready = t.store.reports.markReady(pending.id, {
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
    expect(t.store.reports.readJson(pending.id)).toEqual(json);
    expect(t.store.reports.readPdf(pending.id)).toEqual(pdf);
    expect(t.store.reports.readContent(pending.id)).toEqual({ json, pdf });
    t.store.reports.setFindingCounts(pending.id, { attention: 2, info: 5 });
    expect(t.store.reports.get(pending.id)?.findingCounts).toEqual({ attention: 2, info: 5 });

    const refresh = t.store.reports.createPending({
      applicantId: applicant.id,
      environment: 'sandbox',
      kind: 'refresh',
      parentId: pending.id,
      daysRequested: 61,
      itemIds: [item.id],
      includeApplicantDetails: false,
    });
    expect(refresh.parentId).toBe(pending.id);
    const failed = t.store.reports.markFailed(refresh.id, {
      code: 'PRODUCT_NOT_READY',
      message: 'still preparing',
      requestId: 'req-1',
    });
    expect(failed).toMatchObject({
      status: 'failed',
      failure: { code: 'PRODUCT_NOT_READY', message: 'still preparing', requestId: 'req-1' },
    });

    const copy = t.store.auditCopies.create({ reportId: pending.id, auditorId: 'fannie_mae', token: AUDIT_TOKEN });
    t.store.sourcedDeposits.mark(pending.id, 'txn-1', 'gift letter from parents');
    const removed = t.store.reports.markRemoved(pending.id);
    expect(removed.status).toBe('removed');
    expect(t.store.reports.reportToken(pending.id)).toBeNull();
    expect(() => t.store.reports.readPdf(pending.id)).toThrowError(/no saved content/);
    expect(t.store.auditCopies.token(copy.id)).toBeNull();
    expect(t.store.auditCopies.get(copy.id)?.removedAt).toBe('2026-11-02T12:00:00.000Z');
    expect(t.store.sourcedDeposits.list(pending.id)).toEqual([]);
    expect(t.store.reports.listForApplicant(applicant.id, 'sandbox').map((r) => [r.id, r.status])).toEqual(
      expect.arrayContaining([
        [pending.id, 'removed'],
        [refresh.id, 'failed'],
      ]),
    );
  });

  it('reports: a filter keeps its excluded accounts on the row; the generated day and the plain summary read alone', () => {
    const { applicant, item } = linkedApplicant();
    const base = {
      applicantId: applicant.id,
      environment: 'sandbox' as const,
      daysRequested: 61,
      itemIds: [item.id],
      includeApplicantDetails: false,
    };
    const parent = t.store.reports.createPending({ ...base, kind: 'create', parentId: null });
    expect(parent.excludedAccountIds).toEqual([]);
    t.store.reports.attachPlaid(parent.id, { plaidReportId: 'p1', reportToken: REPORT_TOKEN });
    expect(t.store.reports.generatedOn(parent.id)).toBeNull();
    t.store.reports.markReady(parent.id, {
      reportJson: '{"report":{}}',
      pdf: new Uint8Array([37, 80, 68, 70]),
      summary: { totalBalance: 1, accountCount: 1, earliestHistoryDate: null },
      readyAt: '2026-11-02T12:00:00.000Z',
      generatedOn: '2026-11-02',
    });
    expect(t.store.reports.generatedOn(parent.id)).toBe('2026-11-02');
    const filter = t.store.reports.createPending({
      ...base,
      kind: 'filter',
      parentId: parent.id,
      excludedAccountIds: ['acc-1'],
    });
    expect(t.store.reports.get(filter.id)?.excludedAccountIds).toEqual(['acc-1']);
    const summary = t.store.reports.summary(filter.id)!;
    expect(summary).toMatchObject({ id: filter.id, status: 'pending', kind: 'filter', parentId: parent.id });
    expect(summary).not.toHaveProperty('itemIds');
    expect(t.store.reports.summary('nope')).toBeNull();
    expect(() => t.store.reports.generatedOn('nope')).toThrowError(AppError);
  });

  it('reports: items must belong to the applicant and environment', () => {
    const { applicant, item } = linkedApplicant();
    const other = t.store.applicants.create(applicantInput({ loanNumber: 'LN-9' }));
    const base = {
      environment: 'sandbox' as const,
      kind: 'create' as const,
      parentId: null,
      daysRequested: 61,
      includeApplicantDetails: false,
    };
    expect(() => t.store.reports.createPending({ ...base, applicantId: other.id, itemIds: [item.id] })).toThrowError(
      /bank connection/,
    );
    expect(() =>
      t.store.reports.createPending({
        ...base,
        environment: 'production',
        applicantId: applicant.id,
        itemIds: [item.id],
      }),
    ).toThrowError(/bank connection/);
  });

  it('audit copies and sourced deposits round-trip', () => {
    const { applicant, item } = linkedApplicant();
    const report = t.store.reports.createPending({
      applicantId: applicant.id,
      environment: 'sandbox',
      kind: 'create',
      parentId: null,
      daysRequested: 90,
      itemIds: [item.id],
      includeApplicantDetails: false,
    });
    expect(() =>
      t.store.auditCopies.create({ reportId: report.id, auditorId: 'fannie_mae', token: AUDIT_TOKEN }),
    ).toThrowError(/ready/);
    t.store.reports.markReady(report.id, {
      reportJson: '{}',
      pdf: new Uint8Array([1]),
      summary: { totalBalance: 1, accountCount: 1, earliestHistoryDate: null },
      readyAt: '2026-11-02T12:00:00.000Z',
    });
    const copy = t.store.auditCopies.create({ reportId: report.id, auditorId: 'fannie_mae', token: AUDIT_TOKEN });
    expect(copy).toMatchObject({ reportId: report.id, auditorId: 'fannie_mae', removedAt: null });
    expect(t.store.auditCopies.list(report.id)).toEqual([copy]);
    expect(t.store.auditCopies.token(copy.id)).toBe(AUDIT_TOKEN);
    expect(t.store.auditCopies.markRemoved(copy.id).removedAt).not.toBeNull();
    expect(t.store.auditCopies.token(copy.id)).toBeNull();

    t.store.sourcedDeposits.mark(report.id, 'txn-1', 'bonus from employer');
    t.advance(1000);
    t.store.sourcedDeposits.mark(report.id, 'txn-2', 'sale of car');
    t.advance(1000);
    t.store.sourcedDeposits.mark(report.id, 'txn-1', 'bonus — letter on file');
    expect(t.store.sourcedDeposits.list(report.id).map((d) => [d.transactionId, d.note])).toEqual([
      ['txn-2', 'sale of car'],
      ['txn-1', 'bonus — letter on file'],
    ]);
    t.store.sourcedDeposits.unmark(report.id, 'txn-2');
    expect(t.store.sourcedDeposits.list(report.id).map((d) => d.transactionId)).toEqual(['txn-1']);
  });

  it('activity log: append, filter, newest first, secrets redacted, append-only in SQL', () => {
    const first = t.store.activity.append({
      action: 'report_created',
      applicantId: 'a1',
      reportId: 'r1',
      detail: { daysRequested: 61 },
    });
    t.store.activity.append({
      action: 'exported',
      applicantId: 'a1',
      detail: { folder: '/tmp/x', access_token: ACCESS_TOKEN, note: `token ${REPORT_TOKEN}` },
    });
    t.store.activity.append({ action: 'report_created', applicantId: 'a2', detail: {} });
    expect(first).toMatchObject({
      id: 1,
      action: 'report_created',
      applicantId: 'a1',
      reportId: 'r1',
      detail: { daysRequested: 61 },
    });
    const forA1 = t.store.activity.list({ applicantId: 'a1' });
    expect(forA1.map((e) => e.action)).toEqual(['exported', 'report_created']);
    expect(JSON.stringify(forA1)).not.toContain(ACCESS_TOKEN);
    expect(JSON.stringify(forA1)).not.toContain(REPORT_TOKEN);
    expect(t.store.activity.list({ reportId: 'r1' })).toHaveLength(1);
    expect(t.store.activity.list({ limit: 2 })).toHaveLength(2);

    // A second, raw connection on the same file proves the triggers, not the repository, enforce it.
    const db = new Database(t.file);
    expect(() => db.prepare("UPDATE activity SET action = 'x'").run()).toThrowError(/append-only/);
    expect(() => db.prepare('DELETE FROM activity').run()).toThrowError(/append-only/);
    expect(db.prepare('SELECT count(*) FROM activity').pluck().get()).toBe(3);
    db.close();
  });

  it('settings: JSON values with fallbacks', () => {
    expect(t.store.settings.get('retentionDays', null)).toBeNull();
    t.store.settings.set('retentionDays', 365);
    t.store.settings.set('webhook', { enabled: true, publicUrl: null });
    expect(t.store.settings.get('retentionDays', null)).toBe(365);
    expect(t.store.settings.get('webhook', {})).toEqual({ enabled: true, publicUrl: null });
  });

  it('settings: typed preferences answer their one default until saved, then what was saved', () => {
    const settings = t.store.settings;
    expect(settings.value('environment')).toBe('emulator');
    expect(settings.value('webhook')).toEqual({ enabled: true, publicUrl: null });
    expect(settings.value('retentionDays')).toBeNull();
    expect(settings.value('credentialsRejected')).toEqual({});
    expect(settings.underwriting()).toEqual({
      largeDepositShare: DEFAULT_UNDERWRITING_SETTINGS.largeDepositShare,
      documentAgeRule: DEFAULT_UNDERWRITING_SETTINGS.documentAgeRule,
      retirementDiscount: DEFAULT_UNDERWRITING_SETTINGS.retirementDiscount,
      brokerageShare: DEFAULT_UNDERWRITING_SETTINGS.brokerageShare,
      hsaTreatment: DEFAULT_UNDERWRITING_SETTINGS.hsaTreatment,
      transferMatchBusinessDays: DEFAULT_UNDERWRITING_SETTINGS.transferMatchBusinessDays,
    });
    settings.update('underwritingAssetClasses', { ...SETTINGS_DEFAULTS.underwritingAssetClasses, brokerageShare: 0.9 });
    expect(settings.underwriting().brokerageShare).toBe(0.9);
    expect(SETTINGS_DEFAULTS.largeDepositShare).toBe(DEFAULT_UNDERWRITING_SETTINGS.largeDepositShare);
    settings.update('documentAgeRule', 'du_45_days');
    settings.update('retentionDays', 90);
    settings.update('credentialsRejected', { sandbox: 'wrong keys (INVALID_API_KEYS)' });
    expect(settings.underwriting().documentAgeRule).toBe('du_45_days');
    expect(settings.value('retentionDays')).toBe(90);
    // The typed getters read the same stored keys as before (a database from an older version keeps its settings).
    expect(settings.get('credentialsRejected', null)).toEqual({ sandbox: 'wrong keys (INVALID_API_KEYS)' });
    expect(settings.get('documentAgeRule', null)).toBe('du_45_days');
  });

  it('transaction() rolls back everything when the callback throws', () => {
    expect(() =>
      t.store.transaction(() => {
        t.store.applicants.create(applicantInput());
        throw new Error('boom');
      }),
    ).toThrowError('boom');
    expect(t.store.applicants.search({ environment: 'sandbox' }).total).toBe(0);
  });

  it('olderThan finds reports past the retention age in every environment', () => {
    const { applicant, item } = linkedApplicant();
    const old = t.store.reports.createPending({
      applicantId: applicant.id,
      environment: 'sandbox',
      kind: 'create',
      parentId: null,
      daysRequested: 61,
      itemIds: [item.id],
      includeApplicantDetails: false,
    });
    t.advance(40 * DAY);
    t.store.reports.createPending({
      applicantId: applicant.id,
      environment: 'sandbox',
      kind: 'create',
      parentId: null,
      daysRequested: 61,
      itemIds: [item.id],
      includeApplicantDetails: false,
    });
    expect(
      t.store.reports.olderThan(30, new Date(Date.parse('2026-11-02T12:00:00.000Z') + 40 * DAY)).map((r) => r.id),
    ).toEqual([old.id]);
  });
});
