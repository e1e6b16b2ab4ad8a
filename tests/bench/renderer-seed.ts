import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AssetReport } from 'plaid';
import { startWebBridge, type WebBridge } from '../../electron/dev/web-bridge';
import { openAssetDeskStore, type AssetDeskStore } from '../../electron/db';
import { renderAssetReportPdf } from '../../electron/emulator/pdf';
import { createAppServices } from '../../electron/services/app-services';
import { buildReportViews } from '../../electron/services/reports/report-view';
import type { AssetReportGetResult } from '../../shared/asset-report';
import { createKeychainVault, type KeytarLike } from '../../electron/services/vault';
import { buildAssetReport } from '../emulator/pdf-fixture';
import { addApplicant, type ApplicantInput } from '../helpers/applicant';

/**
 * Seeds a real AssetDesk store directly (no Plaid round trips) and serves it through the web bridge
 * with the real app services, for the renderer benchmark and the report screen's browser test.
 * The keychain is an in-memory keytar shared by the seeding and the services, so both use one data key.
 */

export function memoryKeytar(): KeytarLike {
  const entries = new Map<string, string>();
  return {
    getPassword: async (service, account) => entries.get(`${service}/${account}`) ?? null,
    setPassword: async (service, account, password) => {
      entries.set(`${service}/${account}`, password);
    },
    deletePassword: async (service, account) => entries.delete(`${service}/${account}`),
  };
}

export const KEYCHAIN_SERVICE = 'AssetDesk-renderer-test';

export async function openSeedStore(userDataDir: string, keytar: KeytarLike): Promise<AssetDeskStore> {
  mkdirSync(userDataDir, { recursive: true });
  const vault = createKeychainVault({ keytar, service: KEYCHAIN_SERVICE });
  return openAssetDeskStore({ file: join(userDataDir, 'assetdesk.sqlite'), dataKey: await vault.dataKey() });
}

export interface SeededApplicant {
  loanId: string;
  applicantId: string;
  itemId: string;
}

export async function seedApplicant(
  store: AssetDeskStore,
  n = 0,
  overrides: Partial<ApplicantInput> = {},
): Promise<SeededApplicant> {
  const applicant = await addApplicant(store, {
    firstName: 'Alberta',
    middleName: 'Bobbeth',
    lastName: n === 0 ? 'Charleson' : `Charleson${n}`,
    email: `alberta${n}@example.com`,
    phone: '+1 415 555 0142',
    loanNumber: `LN-${1000 + n}`,
    loanPurpose: 'purchase',
    applicationDate: '2026-03-01',
    qualifyingMonthlyIncome: 8000,
    fundsToClose: 20_000,
    reservesNeeded: 2_000,
    ...overrides,
  });
  const item = await store.items.add({
    applicantId: applicant.id,
    environment: 'emulator',
    plaidItemId: `item-${n}`,
    accessToken: `access-emulator-${n}`,
    institutionId: 'ins_109508',
    institutionName: 'First Platypus Bank',
    accounts: [],
  });
  return { loanId: applicant.loanId, applicantId: applicant.id, itemId: item.id };
}

export async function storeReadyReport(
  store: AssetDeskStore,
  seeded: SeededApplicant,
  content: { report: AssetReport; warnings: unknown[] },
  pdf: Uint8Array,
  plaidReportId: string = content.report.asset_report_id,
): Promise<string> {
  const pending = await store.reports.createPending({
    loanId: seeded.loanId,
    applicantId: seeded.applicantId,
    environment: 'emulator',
    kind: 'create',
    parentId: null,
    daysRequested: content.report.days_requested,
    itemIds: [seeded.itemId],
    includeApplicantDetails: true,
  });
  await store.reports.attachPlaid(pending.id, { plaidReportId, reportToken: `assets-emulator-${pending.id}` });
  const accounts = content.report.items.flatMap((i) => i.accounts);
  await store.reports.markReady(pending.id, {
    reportJson: JSON.stringify(content),
    pdf,
    summary: {
      totalBalance: accounts.reduce((sum, a) => sum + (a.balances.current ?? 0), 0),
      accountCount: accounts.length,
      earliestHistoryDate: null,
    },
    readyAt: new Date().toISOString(),
    // As the app stores a ready report (electron/services/reports/fetch.ts): with the screen's prepared views.
    view: buildReportViews(content as unknown as AssetReportGetResult),
  });
  return pending.id;
}

/** A report with `accounts × perAccount` transactions, plus one large unexplained wire into the first account. */
export function reportWithTransactions(accounts: number, perAccount: number, days: number): AssetReport {
  const report = buildAssetReport({ accounts, transactionsPerAccount: perAccount, days });
  const first = report.items[0]!.accounts[0]!;
  first.transactions.unshift({
    account_id: first.account_id,
    transaction_id: 'txn-large-wire-0001',
    amount: -12_500,
    date: report.date_generated.slice(0, 10),
    iso_currency_code: 'USD',
    unofficial_currency_code: null,
    original_description: 'INCOMING WIRE REF 88231 J SMITH',
    pending: false,
  } as never);
  return report;
}

export async function renderPdf(report: AssetReport): Promise<Uint8Array> {
  return new Uint8Array(await renderAssetReportPdf({ report, warnings: [] }));
}

/** Builds the renderer in web mode into `outDir`, so parallel work on out/renderer-web cannot change what is measured. */
export function buildRenderer(outDir: string): void {
  execFileSync('npx', ['vite', 'build', '--mode', 'web', '--logLevel', 'error', '--outDir', outDir, '--emptyOutDir'], {
    stdio: 'inherit',
    // React's production build, also when called from inside vitest (which sets NODE_ENV=test).
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

export async function startSeededBridge(
  userDataDir: string,
  staticDir: string,
  keytar: KeytarLike,
): Promise<WebBridge> {
  return startWebBridge({
    userDataDir,
    staticDir,
    port: 0,
    createServices: (deps) =>
      createAppServices({ ...deps, keychain: keytar, keychainService: KEYCHAIN_SERVICE, transport: 'web-bridge' }),
  });
}
