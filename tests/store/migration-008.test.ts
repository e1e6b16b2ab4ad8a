import { fakeAccessToken } from '../helpers/fake-tokens';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { AppError } from '../../shared/errors';
import { LATEST_SCHEMA_VERSION, openAssetDeskStore, type AssetDeskStore } from '../../electron/db';
import { schemaVersion } from '../../electron/db/migrations';
import { newLoanInput } from '../helpers/applicant';

/**
 * The database in fixtures/v7 was made by version 7's own code (make-v7-fixture.ts.txt, run in a checkout of
 * fd02ccf): four applicants, two of them sharing a loan number, with banks, reports in every state, audit copies,
 * sourced deposits, confirmations, Hosted Link sessions and activity. Today's store must migrate a copy of it to
 * loan files with nothing lost.
 */
const FIXTURE = fileURLToPath(new URL('./fixtures/v7/assetdesk-v7.sqlite', import.meta.url));
const DATA_KEY = Buffer.from(
  readFileSync(fileURLToPath(new URL('./fixtures/v7/data-key.hex', import.meta.url)), 'utf8').trim(),
  'hex',
);

describe('migration 008 on a database made by version 7', () => {
  let dir: string;
  let file: string;
  let store: AssetDeskStore;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'assetdesk-migration-008-'));
    file = join(dir, 'assetdesk.sqlite');
    copyFileSync(FIXTURE, file);
    const before = new Database(file, { readonly: true });
    expect(schemaVersion(before)).toBe(7);
    before.close();
    store = await openAssetDeskStore({ file, dataKey: DATA_KEY, clock: () => new Date('2026-10-06T12:00:00.000Z') });
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const list = async () =>
    (await store.loans.pipeline({ environment: 'sandbox', documentAgeRule: 'fannie_4_months', today: '2026-10-06' }))
      .rows;
  const loanOf = async (lastName: string) => {
    const row = (await list()).find((r) => r.borrowers[0]?.lastName === lastName);
    expect(row, lastName).toBeDefined();
    return (await store.loans.get(row!.id))!;
  };

  it('opens at the latest version, and the file passes SQLite’s integrity and foreign-key checks', () => {
    const db = new Database(file, { readonly: true });
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Nothing is left without its loan.
    for (const table of ['applicants', 'reports'])
      expect(db.prepare(`SELECT count(*) FROM ${table} WHERE loan_id IS NULL`).pluck().get(), table).toBe(0);
    db.close();
  });

  it('one loan per old applicant, with the same terms and note date; the borrower keeps name, contact and SSN', async () => {
    expect(await list()).toHaveLength(4);
    const maria = await loanOf('Lopez');
    expect(maria).toMatchObject({
      loanNumber: 'LN-2026-0100',
      loanNumberShared: false,
      loanPurpose: 'purchase',
      applicationDate: '2026-10-01',
      expectedNoteDate: '2026-12-15',
      property: null,
      qualifyingMonthlyIncome: 9500,
      fundsToClose: 62_000,
      reservesNeeded: 3000,
      status: 'open',
      statusChangedAt: null,
    });
    expect(maria.borrowers).toHaveLength(1);
    expect(maria.borrowers[0]).toMatchObject({
      position: 0,
      firstName: 'Maria',
      middleName: 'Elena',
      lastName: 'Lopez',
      email: 'maria.lopez@example.com',
      phone: '+14155550134',
      ssnMasked: '***-**-8123',
      ssnUnreadable: false,
    });
    expect(await store.applicants.revealSsn(maria.borrowers[0]!.id)).toBe('512-44-8123');
    expect((await loanOf('Mensah')).borrowers[0]!.ssnMasked).toBe('***-**-2222');
    expect(await store.applicants.revealSsn((await loanOf('Mensah')).borrowers[0]!.id)).toBe('600-11-2222');

    const jose = await loanOf('Ñúñez-O’Brien');
    expect(jose).toMatchObject({ loanPurpose: 'refinance', expectedNoteDate: null, fundsToClose: 7350 });
    expect(await store.applicants.revealSsn(jose.borrowers[0]!.id)).toBeNull();
    expect(await loanOf('Жукова')).toMatchObject({ loanNumber: 'LN-2026-0300', reservesNeeded: 0 });
  });

  it('a loan number two files shared stays as typed; only the later file is flagged, and it can be fixed', async () => {
    const jose = await loanOf('Ñúñez-O’Brien');
    const kwame = await loanOf('Mensah');
    expect(jose).toMatchObject({ loanNumber: 'LN-2026-0200', loanNumberShared: false });
    expect(kwame).toMatchObject({ loanNumber: 'ln-2026-0200', loanNumberShared: true });
    expect((await store.loans.findByNumber('ln-2026-0200'))?.loanId).toBe(jose.id);
    // The number is taken for new files, whatever its case.
    const attempt = () => store.loans.create(newLoanInput({ loanNumber: 'Ln-2026-0200' }));
    await expect(attempt()).rejects.toThrowError(AppError);
    await expect(attempt()).rejects.toThrowError(
      expect.objectContaining({ code: 'LOAN_NUMBER_TAKEN', field: 'loanNumber' }),
    );
    // Editing something else keeps the flag; a new number clears it.
    expect((await store.loans.update(kwame.id, { fundsToClose: 31_000 })).loanNumberShared).toBe(true);
    expect(await store.loans.update(kwame.id, { loanNumber: 'LN-2026-0201' })).toMatchObject({
      loanNumber: 'LN-2026-0201',
      loanNumberShared: false,
    });
  });

  it('Items, Hosted Link sessions and their tokens stay with the borrower; reports, content and tokens with the loan', async () => {
    const maria = await loanOf('Lopez');
    const borrower = maria.borrowers[0]!;
    const items = await store.items.listForApplicant(borrower.id, 'sandbox');
    expect(items.map((i) => i.institutionName).sort()).toEqual([
      'First Platypus Bank',
      'Tattersall Federal Credit Union',
    ]);
    expect(items.find((i) => i.institutionName === 'First Platypus Bank')!.accounts.map((a) => a.mask)).toEqual([
      '0000',
      '1111',
    ]);
    expect((await Promise.all(items.map((i) => store.items.accessToken(i.id)))).sort()).toEqual([
      fakeAccessToken(1),
      fakeAccessToken(2),
    ]);
    const sessions = await store.hostedLinkSessions.listForApplicant(borrower.id, 'sandbox');
    expect(sessions.map((s) => s.status).sort()).toEqual(['completed', 'waiting']);
    const waiting = sessions.find((s) => s.status === 'waiting')!;
    expect(await store.hostedLinkSessions.url(waiting.id)).toBe('https://hosted.plaid.com/link/v7-fixture-waiting');

    const reports = await store.reports.listForLoan(maria.id, 'sandbox');
    expect(reports.map((r) => r.status).sort()).toEqual(['pending', 'ready', 'removed']);
    const ready = reports.find((r) => r.status === 'ready')!;
    expect(ready).toMatchObject({
      loanId: maria.id,
      applicantId: borrower.id,
      applicantName: 'Maria Elena Lopez',
      loanNumber: 'LN-2026-0100',
      plaidReportId: 'plaid-report-v7-1',
      institutions: ['First Platypus Bank', 'Tattersall Federal Credit Union'],
      findingCounts: { attention: 2, info: 4 },
    });
    const content = (await store.reports.readContent(ready.id)) as {
      json: { report: { items: unknown[] } };
      pdf: Uint8Array;
    };
    expect(content.json.report.items).toHaveLength(2);
    expect(Buffer.from(content.pdf).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await store.reports.reportToken(ready.id)).toBe('assets-sandbox-00000000-0000-4000-8000-000000000001');
    expect(await store.reports.generatedOn(ready.id)).toBe('2026-10-05');
    const copies = await store.auditCopies.list(ready.id);
    expect(copies).toHaveLength(1);
    expect(await store.auditCopies.token(copies[0]!.id)).toBe('a-sandbox-V7FIXTUREAUDITCOPYAAAAAAAA');
    expect((await store.sourcedDeposits.list(ready.id)).map((d) => d.note)).toEqual(['Gift letter from her parents']);
    const removed = reports.find((r) => r.status === 'removed')!;
    expect(await store.reports.reportToken(removed.id)).toBeNull();
    const pending = (await store.reports.get(reports.find((r) => r.status === 'pending')!.id))!;
    expect(pending).toMatchObject({ kind: 'refresh', parentId: ready.id, plaidReportId: 'plaid-report-v7-3' });
    expect(pending.itemIds.sort()).toEqual(items.map((i) => i.id).sort());
    // Still found where the officer looks: by bank, by name, by amount.
    expect((await store.reports.search({ environment: 'sandbox', query: 'tattersall maria' })).total).toBe(2);
    expect((await store.reports.search({ environment: 'sandbox', query: 'depositos' })).total).toBe(1);
  });

  it('confirmations are listed for the loan, and every activity entry about an applicant carries its loan', async () => {
    const maria = await loanOf('Lopez');
    expect(await store.accountConfirmations.listForLoan(maria.id)).toMatchObject([
      {
        accountKey: 'ins_109510:2222:checking',
        kind: 'ownership',
        note: 'Joint account with her sister; letter on file',
      },
    ]);
    expect(await store.accountConfirmations.listForLoan((await loanOf('Mensah')).id)).toEqual([]);

    const all = await store.activity.list({ limit: 1000 });
    const borrowerLoan = new Map((await list()).flatMap((row) => row.borrowers.map((b) => [b.id, row.id] as const)));
    const aboutSomeone = all.filter((e) => e.applicantId !== null);
    expect(aboutSomeone).toHaveLength(9); // every entry the fixture logged about an applicant
    for (const entry of aboutSomeone) expect(entry.loanId, entry.action).toBe(borrowerLoan.get(entry.applicantId!));
    expect(all.find((e) => e.action === 'settings_changed')).toMatchObject({ loanId: null, applicantId: null });
    expect((await store.activity.list({ loanId: maria.id })).map((e) => e.action)).toEqual(
      expect.arrayContaining(['applicant_created', 'report_created', 'account_confirmed', 'report_removed']),
    );
    // The log stays append-only after the migration stepped its guards aside.
    const db = new Database(file);
    expect(() => db.prepare('DELETE FROM activity').run()).toThrowError(/append-only/);
    expect(() => db.prepare("UPDATE activity SET action = 'x'").run()).toThrowError(/append-only/);
    db.close();
  });

  it('the pipeline lists every loan with the right status, counts, findings, refresh-by and last activity', async () => {
    const rows = new Map((await list()).map((r) => [r.borrowers[0]!.lastName, r]));
    expect(rows.get('Lopez')).toMatchObject({
      reportStatus: 'pending',
      reportCount: 2,
      reportsRemoved: false,
      findingCounts: { attention: 2, info: 4 },
      refreshBy: '2027-02-05',
      plaidExpiresOn: null,
    });
    expect(rows.get('Ñúñez-O’Brien')).toMatchObject({
      reportStatus: 'ready',
      reportCount: 1,
      findingCounts: { attention: 1, info: 0 },
      refreshBy: '2027-01-01',
    });
    expect(rows.get('Mensah')).toMatchObject({ reportStatus: 'needs_relink', reportCount: 0, refreshBy: null });
    expect(rows.get('Жукова')).toMatchObject({ reportStatus: 'no_report', reportCount: 0, findingCounts: null });
    // Last activity is the applicant's latest logged entry.
    const lopezLatest = (await store.activity.list({ loanId: rows.get('Lopez')!.id, limit: 1 }))[0]!;
    expect(rows.get('Lopez')!.lastActivityAt).toBe(lopezLatest.at);
    // The folded search text was built for every migrated loan.
    const search = async (query: string) =>
      (
        await store.loans.pipeline({
          environment: 'sandbox',
          documentAgeRule: 'fannie_4_months',
          today: '2026-10-06',
          query,
        })
      ).rows.map((r) => r.borrowers[0]!.lastName);
    expect(await search('nunez')).toEqual(['Ñúñez-O’Brien']);
    expect(await search('АННА')).toEqual(['Жукова']);
    expect(await search('maria.lopez@example')).toEqual(['Lopez']);
    expect(await search('gingham')).toEqual(['Mensah']);
    // Other environments keep their own Items: Kwame's emulator bank is fine there.
    const emulator = await store.loans.pipeline({
      environment: 'emulator',
      documentAgeRule: 'fannie_4_months',
      today: '2026-10-06',
      query: 'mensah',
    });
    expect(emulator.rows[0]).toMatchObject({ reportStatus: 'no_report' });
  });
});

describe('migrations 007 and 008 in one go, on the version-7 fixture rewound to version 6', () => {
  it('reports made before folded search find their banks, and the loans their names, in any accent or case', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'assetdesk-migration-007-'));
    try {
      const file = join(dir, 'assetdesk.sqlite');
      copyFileSync(FIXTURE, file);
      // As version 6 left the file: ASCII-only lower() search text and no folded bank names.
      const before = new Database(file);
      before.exec(`
        UPDATE applicants SET search_text = lower(first_name || ' ' || coalesce(middle_name || ' ', '') || last_name
          || ' ' || loan_number || ' ' || email);
        ALTER TABLE reports DROP COLUMN institutions_search;
      `);
      before.pragma('user_version = 6');
      expect(before.prepare("SELECT search_text FROM applicants WHERE email = 'jose@example.com'").pluck().get()).toBe(
        'josé Ñúñez-o’brien ln-2026-0200 jose@example.com', // SQLite's lower() leaves Ñ
      );
      before.close();

      const store = await openAssetDeskStore({
        file,
        dataKey: DATA_KEY,
        clock: () => new Date('2026-10-06T12:00:00Z'),
      });
      try {
        const loans = async (query: string) =>
          (
            await store.loans.pipeline({
              environment: 'sandbox',
              documentAgeRule: 'fannie_4_months',
              today: '2026-10-06',
              query,
            })
          ).rows.map((r) => r.borrowers[0]!.lastName);
        expect(await loans('nunez')).toEqual(['Ñúñez-O’Brien']);
        expect(await loans('ÑÚÑEZ')).toEqual(['Ñúñez-O’Brien']);
        expect(await loans('жукова')).toEqual(['Жукова']);
        const reports = async (query: string) => (await store.reports.search({ environment: 'sandbox', query })).rows;
        expect((await reports('depositos')).map((r) => r.applicantName)).toEqual(['José Ñúñez-O’Brien']);
        expect(await reports('DEPÓSITOS')).toHaveLength(1);
        expect((await reports('tattersall')).length).toBe(2); // Maria's ready and pending reports
      } finally {
        await store.close();
      }
      const after = new Database(file, { readonly: true });
      expect(schemaVersion(after)).toBe(LATEST_SCHEMA_VERSION);
      expect(after.prepare('SELECT institutions_search FROM reports ORDER BY created_at').pluck().all()).toContain(
        '["caixa geral de depositos"]',
      );
      expect(after.pragma('integrity_check', { simple: true })).toBe('ok');
      after.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
