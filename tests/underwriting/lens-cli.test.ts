import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LENS_JSON_FORMAT, LENS_JSON_VERSION, parsePersonName, runLens } from '../../electron/cli/lens';
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
});
