import { randomBytes } from 'node:crypto';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { brotliDecompressSync, gunzipSync, inflateRawSync, inflateSync, zstdDecompressSync } from 'node:zlib';
import { openAssetDeskStore, STORE_KEY_MISMATCH } from '../../electron/db';
import { AppError } from '../../shared/errors';
import {
  FIXTURE_ACCOUNT_NAMES,
  FIXTURE_OWNER,
  buildAssetReport,
  transactionDescriptions,
} from './fixtures/asset-report';
import { plainPdf } from './fixtures/pdf';
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

const DEPOSIT_NOTE = 'Gift of 25,000 from grandmother Rosalind Whitcombe';

/** Every way the JSON might sit on disk if it were merely compressed. */
function decompressAttempts(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (const fn of [zstdDecompressSync, gunzipSync, inflateSync, inflateRawSync, brotliDecompressSync]) {
    try {
      out.push(fn(bytes));
    } catch {
      // expected: ciphertext is not a compressed stream
    }
  }
  return out;
}

function findAll(haystack: Buffer, needle: Buffer): number[] {
  const at: number[] = [];
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) at.push(i);
  return at;
}

async function expectCorrupt(fn: () => unknown) {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AppError);
  expect((caught as AppError).code).toBe('STORE_DATA_CORRUPT');
  expect((caught as AppError).message).toMatch(/damaged or was changed outside AssetDesk/);
}

describe('report history store: encryption at rest', () => {
  let t: Awaited<ReturnType<typeof tempStore>>;
  beforeEach(async () => {
    t = await tempStore();
  });
  afterEach(() => t.cleanup());

  async function fullFlow() {
    const result = buildAssetReport({ transactions: 3000, accounts: 8, items: 2 });
    const descriptions = transactionDescriptions(result, 40);
    const pdf = await plainPdf(`Asset Report — ${FIXTURE_OWNER.names[0]}`, [
      ...FIXTURE_ACCOUNT_NAMES,
      `${FIXTURE_OWNER.street}, ${FIXTURE_OWNER.city}`,
      ...descriptions,
    ]);
    const { store } = t;
    const applicant = await addApplicant(store, applicantInput({ ssn: SSN, loanNumber: 'LN-2026-0001' }));
    const items = await Promise.all(
      result.report.items.map((plaidItem, i) =>
        store.items.add({
          applicantId: applicant.id,
          environment: 'sandbox',
          plaidItemId: plaidItem.item_id,
          accessToken: i === 0 ? ACCESS_TOKEN : ACCESS_TOKEN.replace('3b1f', '7c2e'),
          institutionId: plaidItem.institution_id,
          institutionName: plaidItem.institution_name,
          accounts: plaidItem.accounts.map((a) => ({
            accountId: a.account_id,
            name: a.name,
            mask: a.mask,
            type: a.type,
            subtype: a.subtype,
          })),
        }),
      ),
    );
    const pending = await store.reports.createPending({
      loanId: applicant.loanId,
      applicantId: applicant.id,
      environment: 'sandbox',
      kind: 'create',
      parentId: null,
      daysRequested: 730,
      itemIds: items.map((i) => i.id),
      includeApplicantDetails: true,
    });
    await store.reports.attachPlaid(pending.id, {
      plaidReportId: result.report.asset_report_id,
      reportToken: REPORT_TOKEN,
    });
    // With includeApplicantDetails Plaid echoes the SSN inside the report JSON.
    result.report.user = { ...result.report.user, ssn: SSN, first_name: 'Maria', last_name: 'Lopez' };
    await store.reports.markReady(pending.id, {
      reportJson: JSON.stringify(result),
      pdf,
      summary: { totalBalance: 48_210.55, accountCount: 8, earliestHistoryDate: '2024-11-02' },
      readyAt: '2026-11-02T12:05:00.000Z',
    });
    const copy = await store.auditCopies.create({ reportId: pending.id, auditorId: 'fannie_mae', token: AUDIT_TOKEN });
    const deposit = result.report.items[0]!.accounts[0]!.transactions.find((x) => x.amount < 0)!;
    await store.sourcedDeposits.mark(pending.id, deposit.transaction_id, DEPOSIT_NOTE);
    await store.activity.append({
      action: 'report_ready',
      applicantId: applicant.id,
      reportId: pending.id,
      detail: { plaidReportId: result.report.asset_report_id },
    });

    const secrets = [
      ...FIXTURE_ACCOUNT_NAMES,
      ...descriptions,
      ...FIXTURE_OWNER.names,
      FIXTURE_OWNER.street,
      FIXTURE_OWNER.email,
      ACCESS_TOKEN,
      ACCESS_TOKEN.replace('3b1f', '7c2e'),
      REPORT_TOKEN,
      AUDIT_TOKEN,
      SSN,
      SSN.replaceAll('-', ''),
      DEPOSIT_NOTE,
    ];
    return { applicant, items, report: pending, copy, result, pdf, secrets };
  }

  it('after a full flow the raw database file and WAL contain no borrower detail, token or SSN — not even compressed', async () => {
    const flow = await fullFlow();
    // The needles really are in what was stored (or the test would prove nothing).
    const plain = Buffer.concat([Buffer.from(JSON.stringify(flow.result)), flow.pdf]);
    for (const s of [...FIXTURE_ACCOUNT_NAMES, FIXTURE_OWNER.names[0]!, FIXTURE_OWNER.street, SSN])
      expect(plain.includes(s)).toBe(true);
    expect(flow.pdf.includes(FIXTURE_ACCOUNT_NAMES[0]!)).toBe(true);

    const scan = (bytes: Buffer) => {
      // Positive control: the plain list columns are readable, so the scan does see stored text.
      expect(bytes.includes(Buffer.from('LN-2026-0001'))).toBe(true);
      expect(bytes.includes(Buffer.from('First Platypus Bank'))).toBe(true);
      for (const secret of flow.secrets) {
        expect(bytes.includes(Buffer.from(secret, 'utf8')), `raw bytes contain ${secret}`).toBe(false);
        expect(bytes.includes(Buffer.from(secret, 'utf16le')), `raw bytes contain UTF-16 ${secret}`).toBe(false);
      }
      // Any zstd / gzip frame in the file must not unpack to report content.
      for (const magic of [Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.from([0x1f, 0x8b, 0x08])]) {
        for (const at of findAll(bytes, magic)) {
          for (const out of decompressAttempts(bytes.subarray(at)))
            expect(out.includes(FIXTURE_ACCOUNT_NAMES[0]!)).toBe(false);
        }
      }
    };
    if (!onPostgres) {
      // While open: most pages are still in the WAL. Both files are readable by the officer's account only.
      expect(existsSync(`${t.file}-wal`)).toBe(true);
      expect(statSync(t.file).mode & 0o777).toBe(0o600);
      expect(statSync(`${t.file}-wal`).mode & 0o777).toBe(0o600);
    }
    scan(await t.stored());

    // The stored JSON blob is ciphertext, not a compressed stream, with or without its header.
    const blob = (await t.raw.value('SELECT json_enc FROM report_content')) as Buffer;
    for (const candidate of [blob, blob.subarray(13)]) {
      for (const out of decompressAttempts(candidate)) expect(out.includes(FIXTURE_ACCOUNT_NAMES[0]!)).toBe(false);
    }

    // After close: everything checkpointed into the main file.
    await t.store.close();
    scan(await t.stored());
    const reopened = await t.open();
    expect(
      ((await reopened.reports.readJson(flow.report.id)) as typeof flow.result).report.items[0]!.accounts[0]!.name,
    ).toBe(FIXTURE_ACCOUNT_NAMES[0]);
    expect(Buffer.from(await reopened.reports.readPdf(flow.report.id)).equals(flow.pdf)).toBe(true);
  });

  it('a flipped byte in any encrypted column is reported as STORE_DATA_CORRUPT, never returned', async () => {
    const flow = await fullFlow();
    const flip = async (table: string, column: string, where: string, arg: string, offset = 20) => {
      const blob = Buffer.from((await t.raw.value(`SELECT ${column} FROM ${table} WHERE ${where} = ?`, arg)) as Buffer);
      blob[Math.min(offset, blob.length - 1)]! ^= 0x01;
      await t.raw.run(`UPDATE ${table} SET ${column} = ? WHERE ${where} = ?`, blob, arg);
    };
    await flip('reports', 'report_token_enc', 'id', flow.report.id);
    await flip('report_content', 'json_enc', 'report_id', flow.report.id, 5000);
    await flip('items', 'access_token_enc', 'id', flow.items[0]!.id, 3); // inside the nonce
    await flip('items', 'accounts_enc', 'id', flow.items[1]!.id, 1e9); // inside the tag
    await flip('audit_copies', 'token_enc', 'id', flow.copy.id);
    await flip('applicants', 'ssn_enc', 'id', flow.applicant.id);

    await expectCorrupt(() => t.store.reports.reportToken(flow.report.id));
    await expectCorrupt(() => t.store.reports.readJson(flow.report.id));
    await expectCorrupt(() => t.store.reports.readContent(flow.report.id));
    expect(Buffer.from(await t.store.reports.readPdf(flow.report.id)).equals(flow.pdf)).toBe(true); // untouched column still opens
    await expectCorrupt(() => t.store.items.accessToken(flow.items[0]!.id));
    await expectCorrupt(() => t.store.items.get(flow.items[1]!.id));
    await expectCorrupt(() => t.store.auditCopies.token(flow.copy.id));
    await expectCorrupt(() => t.store.applicants.revealSsn(flow.applicant.id));
    // The applicant record itself still opens and lists, flagged, so one damaged SSN can't hide the desk;
    // re-entering the SSN replaces the damaged value.
    expect(await t.store.applicants.get(flow.applicant.id)).toMatchObject({ ssnMasked: null, ssnUnreadable: true });
    expect((await pipeline(t.store)).rows.map((r) => r.id)).toContain(flow.applicant.loanId);
    expect((await t.store.loans.get(flow.applicant.loanId))!.borrowers[0]).toMatchObject({
      ssnMasked: null,
      ssnUnreadable: true,
    });
    expect(await t.store.applicants.update(flow.applicant.id, { ssn: SSN })).toMatchObject({
      ssnMasked: `***-**-${SSN.slice(-4)}`,
      ssnUnreadable: false,
    });
    expect(await t.store.applicants.revealSsn(flow.applicant.id)).toBe(SSN);
  });

  it('a ciphertext moved to another row, column or a truncated/unknown-version value is rejected', async () => {
    const flow = await fullFlow();
    const other = await addApplicant(t.store, applicantInput({ loanNumber: 'LN-OTHER', ssn: '111-22-3333' }));
    const get = async (sql: string, ...args: string[]) => (await t.raw.value(sql, ...args)) as Buffer;
    // Another applicant's SSN ciphertext, an access token pasted as the report token, a PDF pasted as the JSON.
    await t.raw.run(
      'UPDATE applicants SET ssn_enc = ? WHERE id = ?',
      await get('SELECT ssn_enc FROM applicants WHERE id = ?', flow.applicant.id),
      other.id,
    );
    await t.raw.run(
      'UPDATE reports SET report_token_enc = ? WHERE id = ?',
      await get('SELECT access_token_enc FROM items WHERE id = ?', flow.items[0]!.id),
      flow.report.id,
    );
    await t.raw.run(
      'UPDATE items SET access_token_enc = ? WHERE id = ?',
      await get('SELECT access_token_enc FROM items WHERE id = ?', flow.items[0]!.id),
      flow.items[1]!.id,
    );
    await t.raw.run('UPDATE report_content SET json_enc = pdf_enc WHERE report_id = ?', flow.report.id);
    await t.raw.run('UPDATE audit_copies SET token_enc = substr(token_enc, 1, 20) WHERE id = ?', flow.copy.id);
    const pdf = Buffer.from(await get('SELECT pdf_enc FROM report_content WHERE report_id = ?', flow.report.id));
    pdf[0] = 9;
    await t.raw.run('UPDATE report_content SET pdf_enc = ? WHERE report_id = ?', pdf, flow.report.id);

    await expectCorrupt(() => t.store.applicants.revealSsn(other.id));
    expect(await t.store.applicants.revealSsn(flow.applicant.id)).toBe(SSN);
    await expectCorrupt(() => t.store.reports.reportToken(flow.report.id));
    await expectCorrupt(() => t.store.items.accessToken(flow.items[1]!.id));
    expect(await t.store.items.accessToken(flow.items[0]!.id)).toBe(ACCESS_TOKEN);
    await expectCorrupt(() => t.store.reports.readJson(flow.report.id));
    await expectCorrupt(() => t.store.reports.readPdf(flow.report.id));
    await expectCorrupt(() => t.store.auditCopies.token(flow.copy.id));
  });

  // SQLite's own files and key check; the team database's key check is in tests/team/team-store.test.ts.
  it.skipIf(onPostgres)(
    'a different data key is refused at open with STORE_KEY_MISMATCH; a non-database file with STORE_DATA_CORRUPT',
    async () => {
      const { loanId } = await addApplicant(t.store, applicantInput({ ssn: SSN }));
      await t.store.close();
      await expect(openAssetDeskStore({ file: t.file, dataKey: randomBytes(32) })).rejects.toThrowError(
        expect.objectContaining({ code: STORE_KEY_MISMATCH }) as Error,
      );
      await expect(openAssetDeskStore({ file: t.file, dataKey: Buffer.alloc(16) })).rejects.toThrowError(
        /wrong length/,
      );
      expect((await (await t.open()).loans.get(loanId))!.borrowers[0]!.ssnMasked).toBe('***-**-8123');

      const junk = `${t.dir}/junk.sqlite`;
      writeFileSync(junk, randomBytes(8192));
      await expect(openAssetDeskStore({ file: junk, dataKey: t.dataKey })).rejects.toThrowError(
        expect.objectContaining({ code: 'STORE_DATA_CORRUPT' }) as Error,
      );
    },
  );
});
