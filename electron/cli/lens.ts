/**
 * `npm run lens -- REPORT.json --income 8000 --name "First Middle Last" …`: the underwriter's lens on the command
 * line, for underwriters and scripts. Reads an Asset Report JSON as Plaid returns it (or as AssetDesk exports it)
 * and prints the findings, or with --json the whole analysis in a documented, versioned shape (README: "npm run lens").
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { AssetReportGetResult } from '../../shared/asset-report';
import {
  AccountConfirmationKind,
  DocumentAgeRule,
  LARGE_DEPOSIT_SHARE_DECIMALS,
  atMostTwoPercentDecimals,
} from '../../shared/domain';
import {
  analyzeReport,
  describeAccount,
  formatMoney,
  localIsoDate,
  readAssetReport,
  reportFunds,
  underwritingSettings,
} from '../../shared/underwriting';
import { DEFAULT_UNDERWRITING_SETTINGS } from '../../shared/underwriting';
import type {
  LoanInputs,
  LoanPurpose,
  PersonName,
  UnderwritingAnalysis,
  UnderwritingSettings,
} from '../../shared/underwriting';
import { NOT_COUNTED } from '../../shared/underwriting/funds-to-close';
import { loanFundsSentence } from '../../shared/underwriting/loan-funds';

/** Bumped whenever a field of the JSON output changes meaning or goes away (new fields do not bump it). */
export const LENS_JSON_VERSION = 2;
export const LENS_JSON_FORMAT = 'assetdesk-lens-analysis';

export const USAGE = `Usage: npm run lens -- REPORT.json --income MONTHLY --name "First Middle Last" [options]

  REPORT.json             an Asset Report as Plaid's /asset_report/get returns it, or as AssetDesk exports it
  --income AMOUNT         qualifying monthly income in US dollars (required)
  --name "FIRST [MIDDLE] LAST"  the applicant as on the loan (required); "Last, First Middle" also works
  --co-borrower NAME      another borrower whose accounts count (repeatable)
  --purpose purchase|refinance|cash-out-refinance   default purchase
  --application-date YYYY-MM-DD  initial application date (default: the report date)
  --funds-to-close AMOUNT        default 0
  --reserves AMOUNT              default 0
  --note-date YYYY-MM-DD         expected note (closing) date; document age is measured against it, else today
  --as-of YYYY-MM-DD             today, for document age (default: today in this machine's time zone)
  --settings FILE         lender settings as JSON (see README), including confirmations and sourced deposits
  --other-report FILE     another of the borrower's reports, where the other leg of a transfer may be (repeatable)
  --loan-report FILE      another current report of the loan (a co-borrower's): its funds to close are added to
                          this one's, each account once, as the app counts the loan's (repeatable)
  --json                  print the whole analysis as versioned JSON instead of text
  --help                  this text`;

/** A problem with what the user gave: printed with the usage, exit code 2. */
export class UsageError extends Error {}

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
const share = z.number().min(0).max(5);
const SettingsFile = z.strictObject({
  coverageDays: z
    .strictObject({
      purchase: z.number().int().min(0).optional(),
      refinance: z.number().int().min(0).optional(),
      cash_out_refinance: z.number().int().min(0).optional(),
    })
    .optional(),
  largeDepositShare: share.refine(atMostTwoPercentDecimals, LARGE_DEPOSIT_SHARE_DECIMALS).optional(),
  largeDepositLookbackDays: z.number().int().min(0).nullable().optional(),
  transferMatchBusinessDays: z.number().int().min(0).max(30).optional(),
  jumpFactor: z.number().min(1).optional(),
  jumpMinimumIncrease: z.number().min(0).optional(),
  newAccountDays: z.number().int().min(0).optional(),
  documentAgeRule: DocumentAgeRule.optional(),
  retirementDiscount: z.number().min(0).max(1).optional(),
  brokerageShare: z.number().min(0).max(1).optional(),
  hsaTreatment: z.enum(['excluded', 'full', 'retirement']).optional(),
  sourcedDeposits: z.array(z.strictObject({ transactionId: z.string().min(1), note: z.string().min(1) })).optional(),
  accountConfirmations: z
    .array(
      z.strictObject({
        accountKey: z.string().min(1),
        kind: AccountConfirmationKind,
        note: z.string().min(1),
        usdRate: z.number().gt(0).nullable().optional(),
      }),
    )
    .optional(),
});

const SUFFIX = /^(?:JR|SR|II|III|IV)\.?$/i;

/** --purpose as typed: the loan file's words, or its code name. */
const PURPOSES = new Map<string, LoanPurpose>([
  ['purchase', 'purchase'],
  ['refinance', 'refinance'],
  ['cash-out-refinance', 'cash_out_refinance'],
  ['cash_out_refinance', 'cash_out_refinance'],
]);

/** "Alberta Bobbeth Charleson", "Charleson, Alberta B.", "John Smith Jr." → first, middle, last (suffix kept on last). */
export function parsePersonName(text: string): PersonName {
  const trimmed = text.trim();
  if (trimmed.includes(',')) {
    const [last = '', rest = ''] = trimmed.split(',', 2).map((part) => part.trim());
    const given = rest.split(/\s+/).filter(Boolean);
    if (last && given.length > 0 && !SUFFIX.test(rest))
      return { first: given[0] ?? '', middle: given.slice(1).join(' ') || null, last };
  }
  const words = trimmed.replace(/,/g, ' ').split(/\s+/).filter(Boolean);
  const suffix = words.length > 2 && SUFFIX.test(words.at(-1) ?? '') ? words.pop() : undefined;
  if (words.length < 2) throw new UsageError(`--name needs at least a first and a last name, got "${text}"`);
  const last = words.pop() ?? '';
  return { first: words[0] ?? '', middle: words.slice(1).join(' ') || null, last: suffix ? `${last} ${suffix}` : last };
}

function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} ${path} is not JSON: ${(error as Error).message}`);
  }
}

function readReport(path: string): AssetReportGetResult {
  const read = readAssetReport(readJsonFile(path, 'report'));
  if (!read.ok)
    throw new UsageError(
      `${path} is not an Asset Report (as /asset_report/get returns it):\n  ${read.problems.join('\n  ')}`,
    );
  return read.result;
}

function amount(value: string | undefined, flag: string, required: boolean): number {
  if (value === undefined) {
    if (required) throw new UsageError(`${flag} is required`);
    return 0;
  }
  const parsed = Number(value.replace(/[$,\s]/g, ''));
  if (!Number.isFinite(parsed) || parsed < 0)
    throw new UsageError(`${flag} must be an amount in dollars, got "${value}"`);
  return parsed;
}

function date(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  if (!isoDate.safeParse(value).success) throw new UsageError(`${flag} must be a date as YYYY-MM-DD, got "${value}"`);
  return value;
}

export interface LensRun {
  loan: LoanInputs;
  settings: UnderwritingSettings;
  asOf: string;
  analysis: UnderwritingAnalysis;
}

/** Parses the arguments and runs the analysis; throws UsageError for anything the user must fix. */
export function runLens(argv: string[], now = new Date()): LensRun & { json: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        income: { type: 'string' },
        name: { type: 'string' },
        'co-borrower': { type: 'string', multiple: true },
        purpose: { type: 'string' },
        'application-date': { type: 'string' },
        'funds-to-close': { type: 'string' },
        reserves: { type: 'string' },
        'note-date': { type: 'string' },
        'as-of': { type: 'string' },
        settings: { type: 'string' },
        'other-report': { type: 'string', multiple: true },
        'loan-report': { type: 'string', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError('give exactly one REPORT.json');
  const result = readReport(positionals[0] ?? '');
  const purpose = PURPOSES.get(values.purpose ?? 'purchase');
  if (!purpose)
    throw new UsageError(`--purpose must be purchase, refinance or cash-out-refinance, got "${values.purpose ?? ''}"`);
  if (!values.name) throw new UsageError('--name is required (the applicant as on the loan)');
  // 0 is a figure like any other: half of it is 0, so every deposit is large (as in the app).
  const income = amount(values.income, '--income', true);

  let fileSettings: z.infer<typeof SettingsFile> = {};
  if (values.settings) {
    const checked = SettingsFile.safeParse(readJsonFile(values.settings, 'settings file'));
    if (!checked.success)
      throw new UsageError(
        `settings file ${values.settings}: ${checked.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ')}`,
      );
    fileSettings = checked.data;
  }
  const loan: LoanInputs = {
    purpose,
    applicationDate:
      date(values['application-date'], '--application-date') ?? result.report.date_generated.slice(0, 10),
    qualifyingMonthlyIncome: income,
    fundsToClose: amount(values['funds-to-close'], '--funds-to-close', false),
    reservesNeeded: amount(values.reserves, '--reserves', false),
    applicantName: parsePersonName(values.name),
    coBorrowerNames: (values['co-borrower'] ?? []).map(parsePersonName),
    expectedNoteDate: date(values['note-date'], '--note-date') ?? null,
  };
  const settings = underwritingSettings({
    ...fileSettings,
    // A purpose the file leaves out keeps its default days.
    ...(fileSettings.coverageDays
      ? { coverageDays: { ...DEFAULT_UNDERWRITING_SETTINGS.coverageDays, ...fileSettings.coverageDays } }
      : {}),
    accountConfirmations: (fileSettings.accountConfirmations ?? []).map((c) => ({ ...c, usdRate: c.usdRate ?? null })),
  } as Partial<UnderwritingSettings>);
  const asOf = date(values['as-of'], '--as-of') ?? localIsoDate(now);
  const otherReports = (values['other-report'] ?? []).map(readReport);
  const loanReports = (values['loan-report'] ?? []).map(readReport);
  // As the app does: each of the loan's current reports is analysed on its own (the others its transfer evidence),
  // and what each counts is added to this report's figure, each account once (combineLoanFunds).
  const otherReportFunds = loanReports.map((other) =>
    reportFunds(
      analyzeReport(other, loan, settings, asOf, {
        otherReports: [result, ...loanReports.filter((r) => r !== other), ...otherReports],
      }),
    ),
  );
  const analysis = analyzeReport(result, loan, settings, asOf, {
    otherReports: [...loanReports, ...otherReports],
    otherReportFunds,
  });
  return { loan, settings, asOf, analysis, json: values.json ?? false };
}

/** The versioned JSON document: stable keys, the inputs as read, and the whole analysis. */
export function lensJson(run: LensRun): string {
  return JSON.stringify(
    {
      format: LENS_JSON_FORMAT,
      version: LENS_JSON_VERSION,
      asOf: run.asOf,
      loan: run.loan,
      settings: run.settings,
      analysis: run.analysis,
    },
    null,
    2,
  );
}

/** The findings for people: the money first, then what is not counted and why, then every finding by severity. */
export function lensText(run: LensRun): string {
  const { analysis: a } = run;
  const f = a.fundsToClose;
  const lines: string[] = [];
  lines.push(`Asset Report ${a.reportId}, dated ${a.documentAge.reportDate} · ${a.purpose} · as of ${a.asOf}`);
  lines.push(
    `Needs attention: ${a.counts.attention} · worth knowing: ${a.counts.info}`,
    '',
    `Funds to close${f.loan ? ', this report alone' : ''}: ${formatMoney(f.availableFunds)} available vs ${formatMoney(f.required)} required → ${
      f.shortfall > 0 ? `SHORT ${formatMoney(f.shortfall)}` : `covered, ${formatMoney(f.surplus)} to spare`
    }`,
    `  counted: cash ${formatMoney(f.depositoryAssets)}, brokerage ${formatMoney(f.brokerageAssets)}, retirement ${formatMoney(f.retirementAssets)}, HSA ${formatMoney(f.hsaAssets)}; less unsourced large deposits ${formatMoney(f.unsourcedDeducted)}`,
  );
  // The loan's figure decides when --loan-report gave its other current reports.
  if (f.loan) lines.push(`Loan: ${loanFundsSentence(f.loan)}`);
  if (f.notCounted.length > 0) {
    lines.push('  not counted until confirmed:');
    for (const account of f.notCounted) {
      const balance =
        account.balance === null
          ? 'no balance'
          : account.currency && account.currency !== 'USD'
            ? `${account.balance.toFixed(2)} ${account.currency}`
            : formatMoney(account.balance);
      lines.push(
        `    ${describeAccount(account)} (${balance}) [${account.accountKey}]: ${account.reasons.map((r) => NOT_COUNTED[r].why).join('; ')}. ${account.actions.join(' ')}`,
      );
    }
  }
  const age = a.documentAge;
  lines.push(
    `Refresh by ${age.refreshBy} (${age.bindingAgency === 'fannie_mae' ? 'Fannie Mae 4 months' : 'Freddie Mac 120 days'}${age.noteDateKnown ? `, against note date ${age.measuredOn}` : ''})${age.refreshDue ? ' — REFRESH DUE' : ''}`,
    '',
  );
  const marks = { attention: '!!', info: ' i', ok: 'ok' } as const;
  for (const finding of a.findings) {
    lines.push(`${marks[finding.severity]} ${finding.title}`);
    lines.push(`   ${finding.detail}`);
    lines.push(`   Rule: ${finding.citation}`);
  }
  return `${lines.join('\n')}\n`;
}

export function main(argv: string[]): number {
  if (argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const run = runLens(argv);
    process.stdout.write(run.json ? `${lensJson(run)}\n` : lensText(run));
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`lens: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    process.stderr.write(`lens: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) process.exitCode = main(process.argv.slice(2));
