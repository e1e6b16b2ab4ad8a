import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { AssetReportGetResult } from '../../../shared/asset-report';
import type { PlaidEnvironment, ReportSummary } from '../../../shared/domain';
import { AppError, ErrorCodes } from '../../../shared/errors';
import type { AssetDeskStore } from '../../db';
import { stripLatinAccents } from '../../../shared/search';
import { fileSystemError, removeQuietly, writeAll } from '../safe-write';
import { asPlaidSentIt, fitName } from './report-files';

export interface ApplicantExportOptions {
  /** File name (without extension) for one report's PDF and JSON. */
  fileName?: (report: ReportSummary) => string;
  /** Only this environment's reports; default all. */
  environment?: PlaidEnvironment;
  now?: Date;
}

export interface ApplicantExportResult {
  folder: string;
  files: string[];
}

const ENVIRONMENTS: readonly PlaidEnvironment[] = ['production', 'sandbox', 'emulator'];

/**
 * Keeps letters and digits of any script, dot, dash and underscore: file names the officer can e-mail or
 * upload anywhere. Latin accents are transliterated first (Ñúñez → Nunez); other scripts (王, शर्मा) are kept with
 * their marks, never dropped.
 */
function safeName(text: string): string {
  const name = stripLatinAccents(text)
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{M}\p{N}._-]+/gu, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[-.]+|-+$/g, '');
  // At most 120 bytes: a folder or file name may have 255 on Linux and macOS, and 王 takes three.
  return fitName(name, 80, 120).replace(/[-.]+$/, '') || 'file';
}

function defaultFileName(report: ReportSummary): string {
  return `AssetReport_${report.createdAt.slice(0, 10)}_${report.kind}_${report.id.slice(0, 8)}`;
}

/**
 * Writes a loan file — each ready report's PDF and JSON, the activity log and a README — into a new
 * folder `{LoanNumber}_{PrimaryBorrowerLastName}_AssetFile_{YYYY-MM-DD}` inside `folder`. Everything is
 * written under a hidden temporary name and renamed at the end, so the officer never sees half a file.
 * The exported files are NOT encrypted: the officer chose where they go.
 */
export async function exportLoanFile(
  store: AssetDeskStore,
  loanId: string,
  folder: string,
  options: ApplicantExportOptions = {},
): Promise<ApplicantExportResult> {
  const loan = await store.loans.get(loanId);
  const primary = loan?.borrowers[0];
  if (!loan || !primary) {
    throw new AppError({
      code: ErrorCodes.notFound,
      message: 'That loan file no longer exists in AssetDesk. Refresh the list and try again.',
      retryable: false,
    });
  }
  const now = options.now ?? new Date();
  const environments = options.environment ? [options.environment] : ENVIRONMENTS;
  const reports = (await Promise.all(environments.map((env) => store.reports.listForLoan(loanId, env))))
    .flat()
    .filter((r) => r.status === 'ready');
  const fileName = options.fileName ?? defaultFileName;

  const base = `${safeName(loan.loanNumber)}_${safeName(primary.lastName)}_AssetFile_${now.toISOString().slice(0, 10)}`;
  const finalName = unusedName(folder, base);
  const finalFolder = join(folder, finalName);
  const temp = join(folder, `.${finalName}.partial-${randomBytes(4).toString('hex')}`);

  const files: string[] = [];
  const write = (name: string, data: string | Uint8Array) => {
    const fd = openSync(join(temp, name), 'wx', 0o600);
    try {
      writeAll(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    files.push(name);
  };
  try {
    mkdirSync(temp, { mode: 0o700 });
    const used = new Set<string>();
    const index: string[] = [];
    for (const report of reports) {
      let name = safeName(fileName(report));
      for (let n = 2; used.has(name); n += 1) name = `${safeName(fileName(report))}-${n}`;
      used.add(name);
      const { json, pdf } = await store.reports.readContent(report.id);
      write(`${name}.pdf`, pdf);
      write(`${name}.json`, JSON.stringify(asPlaidSentIt(json as AssetReportGetResult), null, 2));
      index.push(
        `${name}.pdf / .json — ${report.kind} report, ${report.daysRequested} days, created ${report.createdAt}, ` +
          `ready ${report.readyAt ?? '-'}, ${report.environment}, banks: ${report.institutions.join(', ') || '-'}`,
      );
    }
    write(
      'activity-log.json',
      JSON.stringify((await store.activity.list({ loanId, limit: 100_000 })).reverse(), null, 2),
    );
    write('README.txt', readmeText(loan, now, index));
    renameSync(temp, finalFolder);
  } catch (err) {
    removeQuietly(temp);
    throw fileSystemError(err, 'the asset file', folder);
  }

  const paths = files.map((f) => join(finalFolder, f));
  await store.activity.append({
    action: 'exported',
    loanId,
    detail: { folder: finalFolder, files, reports: reports.length },
  });
  return { folder: finalFolder, files: paths };
}

/** `base`, or `base-2`, `base-3` … whichever does not exist in `folder` yet. */
function unusedName(folder: string, base: string): string {
  let name = base;
  for (let n = 2; existsSync(join(folder, name)); n += 1) name = `${base}-${n}`;
  return name;
}

function readmeText(
  loan: { loanNumber: string; borrowers: readonly { firstName: string; lastName: string }[] },
  now: Date,
  index: string[],
): string {
  const names = loan.borrowers.map((b) => `${b.firstName} ${b.lastName}`).join(' & ');
  return [
    `AssetDesk asset file — ${names}, loan ${loan.loanNumber}`,
    `Exported ${now.toISOString()}`,
    '',
    "These files contain the borrower's financial information unencrypted. Store and send them securely.",
    '',
    ...(index.length > 0 ? index : ['No ready Asset Reports.']),
    'activity-log.json — what was done to this loan file, oldest first',
    '',
  ].join('\n');
}
