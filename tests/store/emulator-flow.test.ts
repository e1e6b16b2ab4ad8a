import { Products, type AssetReportGetResponse, type PlaidApi } from 'plaid';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { SSN, applicantInput, tempStore } from './helpers';
import { emulatorPlaid } from '../helpers/emulator-plaid';
import { addApplicant } from '../helpers/applicant';

/**
 * The "done when" check on real Plaid-shaped data: the emulator's Sandbox personas through the
 * official SDK into the store, then the raw database file and WAL are searched byte by byte.
 */
let emulator: RunningEmulator;
let plaid: PlaidApi;

beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 0 });
  plaid = emulatorPlaid(emulator);
});
afterAll(() => emulator.close());

async function link(institutionId: string, username: string) {
  const created = await plaid.sandboxPublicTokenCreate({
    institution_id: institutionId,
    initial_products: [Products.Assets],
    options: { override_username: username },
  });
  return (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
}

async function readyReport(token: string): Promise<AssetReportGetResponse> {
  // Polls until Plaid says ready (immediately with readyAfterMs 0); no timing is asserted.
  for (;;) {
    try {
      return (await plaid.assetReportGet({ asset_report_token: token, include_insights: true })).data;
    } catch (err) {
      const code = (err as { response?: { data?: { error_code?: string } } }).response?.data?.error_code;
      if (code !== 'PRODUCT_NOT_READY') throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

it('a full emulator flow leaves no account names, transactions, owners, addresses, tokens or SSN in the raw file or WAL', async () => {
  const t = await tempStore();
  try {
    const { store } = t;
    const applicant = await addApplicant(store, applicantInput({ ssn: SSN }));
    const linked = [await link('ins_109508', 'user_large_deposit'), await link('ins_109509', 'user_joint')];
    const created = await plaid.assetReportCreate({
      access_tokens: linked.map((l) => l.access_token),
      days_requested: 90,
      options: { user: { first_name: 'Maria', last_name: 'Lopez', ssn: SSN, email: 'maria.lopez@example.com' } },
    });
    const got = await readyReport(created.data.asset_report_token);
    const pdf = (
      await plaid.assetReportPdfGet(
        { asset_report_token: created.data.asset_report_token },
        { responseType: 'arraybuffer' },
      )
    ).data as unknown as ArrayBuffer;
    const audit = await plaid.assetReportAuditCopyCreate({
      asset_report_token: created.data.asset_report_token,
      auditor_id: 'fannie_mae',
    });

    const items = await Promise.all(
      got.report.items.map((plaidItem) =>
        store.items.add({
          applicantId: applicant.id,
          environment: 'emulator',
          plaidItemId: plaidItem.item_id,
          accessToken: linked.find((l) => l.item_id === plaidItem.item_id)!.access_token,
          institutionId: plaidItem.institution_id,
          institutionName: plaidItem.institution_name,
          accounts: plaidItem.accounts.map((a) => ({
            accountId: a.account_id,
            name: a.name,
            mask: a.mask ?? null,
            type: a.type,
            subtype: a.subtype ?? null,
          })),
        }),
      ),
    );
    const report = await store.reports.createPending({
      loanId: applicant.loanId,
      applicantId: applicant.id,
      environment: 'emulator',
      kind: 'create',
      parentId: null,
      daysRequested: 90,
      itemIds: items.map((i) => i.id),
      includeApplicantDetails: true,
    });
    await store.reports.attachPlaid(report.id, {
      plaidReportId: created.data.asset_report_id,
      reportToken: created.data.asset_report_token,
    });
    const accounts = got.report.items.flatMap((i) => i.accounts);
    await store.reports.markReady(report.id, {
      reportJson: JSON.stringify({ report: got.report, warnings: got.warnings }),
      pdf: new Uint8Array(pdf),
      summary: {
        totalBalance: accounts.reduce((s, a) => s + (a.balances.current ?? 0), 0),
        accountCount: accounts.length,
        earliestHistoryDate: null,
      },
      readyAt: new Date().toISOString(),
    });
    await store.auditCopies.create({
      reportId: report.id,
      auditorId: 'fannie_mae',
      token: audit.data.audit_copy_token,
    });
    const deposit = accounts.flatMap((a) => a.transactions).find((x) => x.amount < -5000)!;
    await store.sourcedDeposits.mark(report.id, deposit.transaction_id, 'Proceeds from the sale of a 2019 Honda Civic');

    const owners = accounts.flatMap((a) => a.owners);
    const needles = new Set<string>([
      ...accounts.map((a) => a.name),
      ...accounts.flatMap((a) =>
        a.transactions.slice(0, 30).flatMap((x) => [x.original_description ?? '', x.name ?? '']),
      ),
      ...owners.flatMap((o) => o.names),
      ...owners.flatMap((o) => o.addresses.map((ad) => ad.data.street ?? '')),
      ...linked.map((l) => l.access_token),
      created.data.asset_report_token,
      audit.data.audit_copy_token,
      SSN,
      'Proceeds from the sale of a 2019 Honda Civic',
    ]);
    needles.delete('');
    // The data really carries what we look for: joint owners, addresses, the large deposit, the SSN echo.
    expect(owners.flatMap((o) => o.names)).toEqual(
      expect.arrayContaining(['Alberta Bobbeth Charleson', 'John Michael Smith', 'Jane Alana Smith']),
    );
    expect(JSON.stringify(got.report)).toContain(SSN);
    expect(needles.size).toBeGreaterThan(40);

    const scan = async () => {
      const raw = await t.stored();
      expect(raw.includes(Buffer.from('LN-2026-0001'))).toBe(true); // positive control: plain columns are visible
      const found = [...needles].filter((n) => raw.includes(Buffer.from(n, 'utf8')));
      expect(found).toEqual([]);
    };
    await scan(); // while open, with a live WAL (SQLite)
    await t.store.close();
    await scan(); // after the checkpoint into the main file (SQLite)

    const reopened = await t.open();
    expect(await reopened.reports.readJson(report.id)).toEqual(
      JSON.parse(JSON.stringify({ report: got.report, warnings: got.warnings })),
    );
    expect(
      Buffer.from(await reopened.reports.readPdf(report.id))
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-');
  } finally {
    await t.cleanup();
  }
});
