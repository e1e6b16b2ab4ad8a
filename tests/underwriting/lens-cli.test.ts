import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LENS_JSON_FORMAT, LENS_JSON_VERSION, parsePersonName, runLens } from '../../electron/cli/lens';
import { analysisContextFor } from '../../electron/services/features/underwriting';
import type { AssetReportGetResult } from '../../shared/asset-report';
import { analyzeInContext } from '../../shared/underwriting';
import { addApplicant } from '../helpers/applicant';
import { FAKE_ACCESS_TOKEN } from '../helpers/fake-tokens';
import { applicantInput, tempStore } from '../store/helpers';
import { albertasReport, janesReport } from './couple-fixture';
import { personaReport } from './persona-report';

/**
 * `npm run lens` as a child process on real Asset Report JSON, as the emulator's own report builder makes it for a
 * persona (the same JSON Plaid's /asset_report/get returns and AssetDesk exports).
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

function lens(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [TSX, 'electron/cli/lens.ts', ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('npm run lens', () => {
  let dir: string;
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'assetdesk-lens-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // user_name_mismatch: both accounts are Robert Q Public's; 2 × 2,450 payroll makes income 4,900.
  const loanArgs = [
    '--purpose',
    'purchase',
    '--income',
    '4900',
    '--application-date',
    '2026-03-20',
    '--funds-to-close',
    '20000',
    '--reserves',
    '3000',
    '--name',
    'Alberta Bobbeth Charleson',
    '--as-of',
    '2026-03-31',
  ];

  it('prints the findings for people: the name-mismatch persona is short, with its accounts not counted and why', async () => {
    const report = file('mismatch.json', personaReport('user_name_mismatch'));
    const { code, stdout, stderr } = await lens([report, ...loanArgs]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // 0 counted against 20,000 + 3,000
    expect(stdout).toContain('Funds to close: $0.00 available vs $23,000.00 required → SHORT $23,000.00');
    expect(stdout).toContain(
      'Plaid Checking ••0000 ($4,268.19) [ins_109508:0000:checking]: the borrower is not among its owners.',
    );
    expect(stdout).toContain('Refresh by 2026-07-28 (Freddie Mac 120 days)');
    expect(stdout).toContain('!! The borrower is not among the owners: 2 accounts');
  });

  it('--json prints the documented, versioned analysis; settings and confirmations come from --settings', async () => {
    const report = file('heavy.json', personaReport('user_heavy'));
    const settings = file('settings.json', {
      hsaTreatment: 'full',
      accountConfirmations: [
        { accountKey: 'ins_109508:7070:checking', kind: 'business_review', note: 'Business returns reviewed' },
      ],
    });
    const plain = JSON.parse((await lens([report, ...loanArgs, '--income', '13600', '--json'])).stdout);
    expect(plain).toMatchObject({ format: LENS_JSON_FORMAT, version: LENS_JSON_VERSION, asOf: '2026-03-31' });
    expect(plain.loan).toMatchObject({ applicantName: { first: 'Alberta', middle: 'Bobbeth', last: 'Charleson' } });
    const keys = Object.keys(plain.analysis);
    for (const part of [
      'coverage',
      'documentAge',
      'largeDeposits',
      'nsf',
      'averageBalances',
      'ownership',
      'fundsToClose',
    ])
      expect(keys).toContain(part);
    expect(
      plain.analysis.fundsToClose.notCounted.map((a: { name: string; reasons: string[] }) => [a.name, a.reasons]),
    ).toEqual([
      ['Plaid Business Checking', ['business']],
      ['Plaid HSA', ['hsa_excluded']],
    ]);

    const { stdout, code } = await lens([report, ...loanArgs, '--income', '13600', '--settings', settings, '--json']);
    expect(code).toBe(0);
    const confirmed = JSON.parse(stdout);
    expect(confirmed.analysis.fundsToClose.notCounted).toEqual([]);
    // + 41,877.09 business + 6,009 HSA in full
    expect(confirmed.analysis.fundsToClose.depositoryAssets).toBe(
      plain.analysis.fundsToClose.depositoryAssets + 41877.09,
    );
    expect(confirmed.analysis.fundsToClose.hsaAssets).toBe(6009);
  });

  it.each([
    [['--income', '4900', '--name', 'Alberta Charleson'], 'give exactly one REPORT.json'],
    [['NOT_A_REPORT', '--income', '4900', '--name', 'Alberta Charleson'], 'is not an Asset Report'],
    [['REPORT', '--name', 'Alberta Charleson'], '--income is required'],
    [['REPORT', '--income', 'lots', '--name', 'Alberta Charleson'], '--income must be an amount'],
    [['REPORT', '--income', '4900'], '--name is required'],
    [
      ['REPORT', '--income', '4900', '--name', 'Alberta Charleson', '--purpose', 'heloc'],
      '--purpose must be purchase, refinance or cash-out-refinance',
    ],
    [
      ['REPORT', '--income', '4900', '--name', 'Alberta Charleson', '--note-date', '07/29/2026'],
      '--note-date must be a date',
    ],
    [['MISSING', '--income', '4900', '--name', 'Alberta Charleson'], 'cannot read report'],
    [['REPORT', '--income', '4900', '--name', 'Alberta Charleson', '--settings', 'BAD_SETTINGS'], 'settings file'],
  ])('bad input %j: a clear error and exit code 2', async (args, message) => {
    const paths: Record<string, string> = {
      REPORT: file('ok.json', personaReport('user_good')),
      NOT_A_REPORT: file('link-token.json', { link_token: 'link-sandbox-0', expiration: '2026-03-30T00:00:00Z' }),
      MISSING: join(dir, 'missing.json'),
      BAD_SETTINGS: file('bad-settings.json', { largeDepositShare: 'half' }),
    };
    const { code, stdout, stderr } = await lens(args.map((arg) => paths[arg] ?? arg));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).toContain('Usage: npm run lens');
  });

  it('reads a cash-out refinance and an income of 0 as the app does; coverage days left out keep their default', () => {
    const report = file('good.json', personaReport('user_good'));
    const base = [report, '--name', 'Alberta Charleson', '--as-of', '2026-03-31'];
    const cashOut = runLens([...base, '--income', '4900', '--purpose', 'cash-out-refinance']);
    expect(cashOut.analysis.purpose).toBe('cash_out_refinance');
    expect(cashOut.analysis.coverage[0]?.daysRequired).toBe(30);
    // A settings file naming only the purchase days: the cash-out refinance keeps its 30 (it read undefined)
    const settings = file('purchase-days.json', { coverageDays: { purchase: 90 } });
    const partial = runLens([...base, '--income', '4900', '--purpose', 'cash-out-refinance', '--settings', settings]);
    expect(partial.settings.coverageDays).toEqual({ purchase: 90, refinance: 30, cash_out_refinance: 30 });
    expect(partial.analysis.coverage[0]?.daysRequired).toBe(30);
    // Income 0 (refused before): half of 0 is 0, so every deposit is large
    expect(runLens([...base, '--income', '0']).analysis.largeDeposits.threshold).toBe(0);
  });

  it('reads names as written on the loan', () => {
    expect(parsePersonName('Alberta Bobbeth Charleson')).toEqual({
      first: 'Alberta',
      middle: 'Bobbeth',
      last: 'Charleson',
    });
    expect(parsePersonName('Charleson, Alberta B.')).toEqual({ first: 'Alberta', middle: 'B.', last: 'Charleson' });
    expect(parsePersonName('John Smith Jr.')).toEqual({ first: 'John', middle: null, last: 'Smith Jr.' });
  });

  it("--loan-report adds a co-borrower's current report as the app adds the loan's reports, each account once", async () => {
    // Alberta's 19,000 (checking and the joint ••2222 at 4,000) and Jane's, a day later: the joint at 4,500 and her
    // savings 14,000 with an unsourced 5,000 deposit, against 20,000 + 5,000.
    const albertas = albertasReport('plaid-alberta');
    const janes = janesReport('plaid-jane');
    const args = [
      file('alberta.json', albertas),
      '--income',
      '8000',
      '--application-date',
      '2026-03-20',
      '--funds-to-close',
      '20000',
      '--reserves',
      '5000',
      '--name',
      'Alberta Charleson',
      '--co-borrower',
      'Jane Doe',
      '--as-of',
      '2026-04-01',
    ];

    // The app's figure for the same loan, from its store: Alberta's report read with Jane's as the loan's other one.
    const t = await tempStore();
    let appLoan;
    try {
      const primary = await addApplicant(
        t.store,
        applicantInput({
          firstName: 'Alberta',
          lastName: 'Charleson',
          applicationDate: '2026-03-20',
          qualifyingMonthlyIncome: 8_000,
          fundsToClose: 20_000,
          reservesNeeded: 5_000,
        }),
      );
      const loan = await t.store.loans.addBorrower(primary.loanId, {
        firstName: 'Jane',
        lastName: 'Doe',
        email: 'jane.doe@example.com',
        phone: '+1 415 555 0135',
      });
      const stored = async (applicantId: string, content: AssetReportGetResult) => {
        const item = await t.store.items.add({
          applicantId,
          environment: 'sandbox',
          plaidItemId: `item-${content.report.asset_report_id}`,
          accessToken: FAKE_ACCESS_TOKEN,
          institutionId: 'ins_109508',
          institutionName: 'First Platypus Bank',
          accounts: [],
        });
        const pending = await t.store.reports.createPending({
          loanId: loan.id,
          applicantId,
          environment: 'sandbox',
          daysRequested: 90,
          itemIds: [item.id],
          kind: 'create',
          parentId: null,
          includeApplicantDetails: true,
        });
        await t.store.reports.markReady(pending.id, {
          reportJson: JSON.stringify(content),
          pdf: new Uint8Array([37, 80, 68, 70]),
          summary: { totalBalance: 0, accountCount: 1, earliestHistoryDate: null },
          readyAt: `${content.report.date_generated.slice(0, 10)}T19:00:00.000Z`,
        });
        return pending.id;
      };
      const albertaId = await stored(primary.id, albertas);
      await stored(loan.borrowers[1]!.id, janes);
      const context = await analysisContextFor(t.store, loan, albertaId, new Date('2026-04-01T12:00:00'));
      appLoan = analyzeInContext(albertas, context).fundsToClose.loan;
    } finally {
      await t.cleanup();
    }
    expect(appLoan).toMatchObject({ availableFunds: 28_500, surplus: 3_500, sharedAccounts: 1 });

    // Without Jane's report the lens knows only Alberta's: short 6,000, no loan figure.
    const alone = runLens(args).analysis.fundsToClose;
    expect(alone).toMatchObject({ availableFunds: 19_000, shortfall: 6_000, loan: null });
    // With it, the app's figure to the cent (the joint account once, Jane's unsourced deposit off).
    const together = runLens([...args, '--loan-report', file('jane.json', janes)]).analysis;
    expect(together.fundsToClose.shortfall).toBe(6_000);
    expect(together.fundsToClose.loan).toEqual(appLoan);
    expect(together.findings.find((f) => f.id === 'funds-to-close')?.severity).toBe('info');

    const { code, stdout } = await lens([...args, '--loan-report', join(dir, 'jane.json')]);
    expect(code).toBe(0);
    expect(stdout).toContain('Funds to close, this report alone: $19,000.00 available vs $25,000.00 required → SHORT');
    expect(stdout).toContain(
      "Loan: This report and the loan's other current report together, each account counted once (1 account in more than one report, counted once from the newest): $28,500.00 available after $5,000.00 of unsourced large deposits against $25,000.00, covered, $3,500.00 to spare.",
    );
  });
});
