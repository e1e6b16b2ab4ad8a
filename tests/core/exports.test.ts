import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { AssetReportGetResult } from '../../shared/asset-report';
import type { ReportSummary } from '../../shared/domain';
import { requireKeychain } from '../helpers/keychain';
import { inside, pageLayouts } from '../helpers/pdf-layout';
import { linkSandboxBank } from '../helpers/emulator-plaid';
import { ReportHolder } from '../../renderer/src/reports/report-holder';
import { createApplicant, leftPendingReport, startHarness, TOKEN_PATTERN, until, type CoreHarness } from './harness';

const hasKeychain = await requireKeychain();

/**
 * What a processor puts in a loan file, made through the real services against the emulator and read back as
 * an outsider reads it: the folder's listing, poppler's pdfinfo, the bytes.
 */
describe.skipIf(!hasKeychain)('report exports, as a processor files them', () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  const ready = (reportId: string) =>
    until(async () => {
      const summary = await h.handlers['reports:summary']({ reportId });
      return summary.status === 'ready' ? summary : null;
    }, `report ${reportId} ready`);

  async function readyReport(overrides: Parameters<typeof createApplicant>[1], username = 'user_steady_saver') {
    const borrower = await createApplicant(h.handlers, overrides);
    const item = await linkSandboxBank(h.plaid, h.handlers, borrower.id, { username });
    const created = await h.handlers['reports:create']({
      loanId: borrower.loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    return { borrower, report: await ready(created.id) };
  }

  async function exportAs(report: ReportSummary, format: 'pdf' | 'json' | 'csv', withCoverPage = false) {
    const saved = await h.handlers['reports:export']({ reportId: report.id, format, withCoverPage });
    if (!saved.saved) throw new Error('export cancelled');
    return saved.path;
  }

  const pdfPages = (path: string): number =>
    Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [path], { encoding: 'utf8' }))?.[1]);

  // The original, its refresh and its filtered copy, with their exports (pdf, pdf with cover, json, csv each).
  let family: { report: ReportSummary; refresh: ReportSummary; filter: ReportSummary; excluded: string };
  const paths: string[] = [];

  test('each report and each kind of file gets its own name: none replaces another, and the name says which', async () => {
    const { report } = await readyReport({ lastName: "Ñúñez-O'Brien", loanNumber: 'LN-EXPORT-NAMES' });
    const refresh = await ready((await h.handlers['reports:refresh']({ reportId: report.id, daysRequested: 90 })).id);
    const content = JSON.parse(
      (await h.handlers['reports:get']({ reportId: report.id })).contentJson,
    ) as AssetReportGetResult;
    const filter = await ready(
      (
        await h.handlers['reports:filter']({
          reportId: report.id,
          accountIdsToExclude: [content.report.items[0]!.accounts[0]!.account_id],
        })
      ).id,
    );

    const left = content.report.items[0]!.accounts[0]!;
    family = {
      report,
      refresh,
      filter,
      excluded: `${left.name} ••${left.mask} · ${content.report.items[0]!.institution_name}`,
    };
    for (const one of [report, refresh, filter]) {
      paths.push(await exportAs(one, 'pdf'), await exportAs(one, 'pdf', true));
      paths.push(await exportAs(one, 'json'), await exportAs(one, 'csv'));
    }
    const names = paths.map((path) => basename(path));
    expect(new Set(names).size).toBe(12);
    // Every file is still there: the second PDF did not take the first one's place.
    const listed = readdirSync(h.userDataDir).filter((name) => name.startsWith('LN-EXPORT-NAMES_'));
    expect(listed.sort()).toEqual([...names].sort());
    const id = (one: ReportSummary) => one.plaidReportId!.replace(/-/g, '').slice(0, 8);
    const day = /_(\d{4}-\d{2}-\d{2})_/.exec(names[0]!)![1];
    expect(names).toEqual(
      expect.arrayContaining([
        `LN-EXPORT-NAMES_Nunez-OBrien_AssetReport_${day}_${id(report)}.pdf`,
        `LN-EXPORT-NAMES_Nunez-OBrien_AssetReport_${day}_${id(report)}_WithCoverPage.pdf`,
        `LN-EXPORT-NAMES_Nunez-OBrien_AssetReport-Refresh_${day}_${id(refresh)}.json`,
        `LN-EXPORT-NAMES_Nunez-OBrien_AssetReport-Filtered_${day}_${id(filter)}_Transactions.csv`,
      ]),
    );
    // The cover page's file is the plain one with the cover pages in front.
    const [plain, covered] = [paths[0]!, paths[1]!];
    expect(pdfPages(covered)).toBeGreaterThan(pdfPages(plain));
  });

  test('the cover page of a refresh or a filtered copy says which it is and what it was made from', async () => {
    const coverText = (path: string) =>
      execFileSync('pdftotext', ['-enc', 'UTF-8', '-l', '2', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const [original, refresh, filter] = [paths[1]!, paths[5]!, paths[9]!].map(coverText);
    const parent = family.report.plaidReportId!;
    expect(refresh).toContain(`REPORT Refresh of Plaid report ${parent}`);
    expect(filter).toContain(`REPORT Filtered copy of Plaid report ${parent}, without ${family.excluded}`);
    expect(original).not.toMatch(/Refresh of|Filtered copy/);
  });

  test('a borrower whose name is 100 characters of Chinese: the export is saved under a name every disk takes', async () => {
    const { report } = await readyReport({
      firstName: '小明',
      lastName: '王'.repeat(100),
      loanNumber: 'LN-EXPORT-LONG',
    });
    for (const format of ['pdf', 'json', 'csv'] as const) {
      const path = await exportAs(report, format, format === 'pdf');
      expect(Buffer.byteLength(basename(path), 'utf8')).toBeLessThanOrEqual(200);
      expect(basename(path)).toMatch(/^LN-EXPORT-LONG_王+_AssetReport_/);
      expect(readFileSync(path).byteLength).toBeGreaterThan(100);
    }
  });

  test("the JSON is Plaid's answer as Plaid sent it: nothing of AssetDesk's added, no token, valid UTF-8", async () => {
    // A bank that shares no owners: Plaid's answer carries a warning naming the Item by id.
    const { report } = await readyReport(
      { lastName: 'Owners', loanNumber: 'LN-EXPORT-JSON' },
      'user_owners_unavailable',
    );
    const token = (await h.services.internals.store()!.reports.reportToken(report.id))!;
    const answer = await fetch(`${h.emulator.baseUrl}/asset_report/get`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_id: h.emulator.clientId,
        secret: h.emulator.secret,
        asset_report_token: token,
        include_insights: true,
      }),
    });
    const { request_id: _notKept, ...sent } = (await answer.json()) as AssetReportGetResult & { request_id: string };
    expect(sent.warnings.map((w) => w.warning_code)).toEqual(['OWNERS_UNAVAILABLE']);

    const bytes = readFileSync(await exportAs(report, 'json'));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    expect(JSON.parse(text)).toStrictEqual(sent);
    expect(text).not.toMatch(TOKEN_PATTERN);
    expect(text).not.toContain(token);
  });

  test('the CSV, read by an outside reader (Python’s csv, Excel’s dialect): one row per transaction, with its bank, account, sign and pending flag', async () => {
    const { report } = await readyReport({ lastName: 'Rows', loanNumber: 'LN-EXPORT-CSV' }, 'user_large_deposit');
    const path = await exportAs(report, 'csv');
    const bytes = readFileSync(path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8').split('\r\n').length).toBe(bytes.toString('utf8').split('\n').length);
    const rows = JSON.parse(
      execFileSync(
        'python3',
        [
          '-c',
          'import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], encoding="utf-8-sig", newline="")))))',
          path,
        ],
        { encoding: 'utf8' },
      ),
    ) as string[][];
    const [header, ...body] = rows;
    expect(header).toEqual([
      'date',
      'bank',
      'account',
      'mask',
      'description',
      'merchant',
      'category',
      'amount (+ money in / - money out)',
      'currency',
      'pending',
      'transaction id',
    ]);
    const content = JSON.parse(
      (await h.handlers['reports:get']({ reportId: report.id })).contentJson,
    ) as AssetReportGetResult;
    const expected = content.report.items.flatMap((item) =>
      item.accounts.flatMap((account) => account.transactions.map((t) => ({ item, account, t }))),
    );
    expect(body).toHaveLength(expected.length);
    const byId = new Map(body.map((row) => [row[10], row]));
    for (const { item, account, t } of expected) {
      const row = byId.get(t.transaction_id)!;
      expect(row[0]).toBe(t.date);
      expect(row[0]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect([row[1], row[2], row[3]]).toEqual([item.institution_name, account.name, account.mask]);
      // Plaid's sign is money out positive; the file's is money in positive, a plain number with a dot.
      expect(row[7]).toMatch(/^-?\d+\.\d{2}$/);
      expect(Number(row[7])).toBeCloseTo(-t.amount, 2);
      expect(row[9]).toBe(t.pending ? 'yes' : 'no');
    }
    expect(body.some((row) => row[4]!.startsWith('MOBILE CHECK DEPOSIT') && row[7] === '7350.00')).toBe(true);
  });

  test('the cover page shows the figures and findings the report screen shows, each account named with its bank', async () => {
    // Two banks that both have a "Plaid Checking ••0000": only the bank tells the findings' accounts apart.
    const borrower = await createApplicant(h.handlers, {
      loanNumber: 'LN-EXPORT-COVER',
      qualifyingMonthlyIncome: 5000,
      fundsToClose: 30_000,
    });
    const items = [
      await linkSandboxBank(h.plaid, h.handlers, borrower.id, { username: 'user_large_deposit' }),
      await linkSandboxBank(h.plaid, h.handlers, borrower.id, {
        institutionId: 'ins_109509',
        name: 'First Gingham Credit Union',
        username: 'user_steady_saver',
      }),
    ];
    const created = await h.handlers['reports:create']({
      loanId: borrower.loanId,
      itemIds: items.map((item) => item.id),
      daysRequested: 90,
      includeApplicantDetails: false,
    });
    const report = await ready(created.id);

    // The analysis as the report screen makes it: the renderer's own holder, fed through the same handlers.
    const holder = ReportHolder.open(
      report.id,
      (await h.handlers['reports:get']({ reportId: report.id })).contentJson,
      (await h.handlers['underwriting:otherReports']({ reportId: report.id })).reportsJson,
    )!;
    const settings = await h.handlers['settings:get']({});
    const shown = holder.analyze({
      loan: (await h.handlers['loans:get']({ loanId: borrower.loanId })).loan,
      settings: {
        ...(await h.handlers['underwriting:getSettings']({})),
        largeDepositShare: settings.largeDepositShare,
        documentAgeRule: settings.documentAgeRule,
      },
      sourcedDeposits: await h.handlers['deposits:listSourced']({ reportId: report.id }),
      accountConfirmations: await h.handlers['underwriting:listConfirmations']({ loanId: borrower.loanId }),
      now: new Date(),
    });

    const pdf = readFileSync(await exportAs(report, 'pdf', true));
    const cover = execFileSync('pdftotext', ['-enc', 'UTF-8', '-l', '2', '-', '-'], { input: pdf, encoding: 'utf8' });
    // Each tile's label and figure, read from where pdf.js finds them inside the tile.
    const [first] = await pageLayouts(pdf);
    const tiles = new Map(
      first!.fills
        .filter((fill) => fill.colour === '#f6f5f9')
        .map((tile) => {
          const [label, value] = first!.texts.filter((text) => inside(text, tile)).sort((a, b) => b.y1 - a.y1);
          return [label!.text, value!.text] as const;
        }),
    );
    const money = (value: number) =>
      `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    const f = shown.fundsToClose;
    const [d30, d60, d90] = shown.nsf.windows;
    expect(Object.fromEntries(tiles)).toEqual({
      'NEEDS ATTENTION': String(shown.counts.attention),
      'VERIFIED LIQUID ASSETS': money(f.verifiedLiquidAssets),
      'NEEDED TO CLOSE': money(f.required),
      [f.shortfall > 0 ? 'SHORTFALL' : 'SURPLUS']: money(f.shortfall > 0 ? f.shortfall : f.surplus),
      'REFRESH BY': shown.documentAge.refreshBy,
      'UNSOURCED DEPOSITS': money(shown.largeDeposits.totalUnsourced),
      'NSF / OVERDRAFT 30·60·90': `${d30!.net} · ${d60!.net} · ${d90!.net}`,
      'AVG DAILY BALANCE 60 DAYS': money(shown.averageBalances.totals.days60!),
    });
    expect(f.verifiedLiquidAssets).toBeGreaterThan(0);

    // The screen writes dates as "Nov 8, 2026", the cover page as 2026-11-08: the titles are compared without them.
    const withoutDates = (text: string) =>
      text.replace(/\b\d{4}-\d{2}-\d{2}\b|\b[A-Z][a-z]{2} \d{1,2}, \d{4}\b/g, '<date>');
    const needing = shown.findings.filter((finding) => finding.severity !== 'ok');
    expect(needing.some((finding) => finding.title.includes('First Platypus Bank · Plaid Checking ••0000'))).toBe(true);
    const coverText = withoutDates(cover.replace(/\s+/g, ' '));
    for (const finding of needing) expect(coverText).toContain(withoutDates(finding.title));
  });

  test('a pending, failed or removed report is refused, saying why and what to do, and no file is written', async () => {
    const before = readdirSync(h.userDataDir).sort();
    const refused = async (reportId: string) => {
      for (const format of ['pdf', 'json', 'csv'] as const)
        await expect(h.handlers['reports:export']({ reportId, format, withCoverPage: true })).rejects.toMatchObject({
          code: 'REPORT_NOT_READY',
        });
      return h.handlers['reports:export']({ reportId, format: 'pdf' }).catch((error: Error) => error.message);
    };

    const borrower = await createApplicant(h.handlers, { lastName: 'Waiting', loanNumber: 'LN-EXPORT-REFUSED' });
    const item = await linkSandboxBank(h.plaid, h.handlers, borrower.id, { username: 'user_bank_timeout' });
    const pending = await leftPendingReport(h.services.internals.store()!, borrower, item.id);
    expect(await refused(pending.id)).toBe(
      'Plaid is still making this report, so there is nothing to export yet. Export it once it is ready.',
    );

    const created = await h.handlers['reports:create']({
      loanId: borrower.loanId,
      itemIds: [item.id],
      daysRequested: 61,
      includeApplicantDetails: false,
    });
    const failed = await until(async () => {
      const summary = await h.handlers['reports:summary']({ reportId: created.id });
      return summary.status === 'failed' ? summary : null;
    }, 'the report to fail');
    expect(await refused(failed.id)).toBe(
      `Plaid could not make this report, so it has nothing to export. ${failed.failure!.message}`,
    );

    const { report } = await readyReport({ lastName: 'Removed', loanNumber: 'LN-EXPORT-REMOVED' });
    await h.handlers['reports:remove']({ reportId: report.id });
    expect(await refused(report.id)).toMatch(
      /^This report was removed, and its content with it, so it cannot be exported\./,
    );

    expect(readdirSync(h.userDataDir).sort()).toEqual(before);
  });
});
