import type { AssetReportGetResult } from '../../../shared/asset-report';
import type { ReportSummary } from '../../../shared/domain';
import { stripLatinAccents } from '../../../shared/search';

/**
 * A name part for a file name on every OS: Latin accents transliterated (Ñúñez → Nunez), apostrophes
 * dropped (O'Brien → OBrien), other separators a dash; letters of any script are kept with their marks, never lost.
 * Cut to `maxChars` characters and `maxBytes` bytes of UTF-8 (a file name may have 255 bytes on Linux and
 * macOS, 王 takes three), so a long name still leaves room for the rest of the file name.
 */
export function fileNamePart(text: string, maxChars = 40, maxBytes = 80): string {
  const part = stripLatinAccents(text)
    .replace(/['’‘`]/g, '')
    .replace(/[^\p{L}\p{M}\p{N}-]+/gu, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return fitName(part, maxChars, maxBytes).replace(/-+$/, '') || 'x';
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * The longest start of `text` within `maxChars` characters (code points) and `maxBytes` bytes of UTF-8, cut
 * between letters as a reader sees them: never between a letter and its marks.
 */
export function fitName(text: string, maxChars: number, maxBytes: number): string {
  let kept = '';
  let bytes = 0;
  let chars = 0;
  for (const { segment } of graphemes.segment(text)) {
    bytes += Buffer.byteLength(segment, 'utf8');
    chars += [...segment].length;
    if (bytes > maxBytes || chars > maxChars) break;
    kept += segment;
  }
  return kept;
}

/** What a file name says about the report: an original, a refresh, or a filtered copy. */
const KIND_IN_NAME: Record<ReportSummary['kind'], string> = {
  create: 'AssetReport',
  refresh: 'AssetReport-Refresh',
  filter: 'AssetReport-Filtered',
};

/**
 * `{LoanNumber}_{LastName}_AssetReport[-Refresh|-Filtered]_{YYYY-MM-DD}_{first 8 of report id}[_WithCoverPage].{ext}`,
 * safe on every OS. The date is the day Plaid generated the report (else the day it became ready, else created).
 * Each report and each kind of file gets its own name, so one export never takes another's place.
 */
export function exportFileName(
  summary: ReportSummary,
  lastName: string,
  generatedOn: string | null,
  format: 'pdf' | 'json' | 'csv',
  withCoverPage = false,
): string {
  const date = (generatedOn ?? summary.readyAt ?? summary.createdAt).slice(0, 10);
  const id = (summary.plaidReportId ?? summary.id).replace(/-/g, '').slice(0, 8);
  const suffix =
    format === 'csv' ? '_Transactions.csv' : format === 'pdf' && withCoverPage ? '_WithCoverPage.pdf' : `.${format}`;
  const kind = KIND_IN_NAME[summary.kind] ?? KIND_IN_NAME.create;
  return `${fileNamePart(summary.loanNumber)}_${fileNamePart(lastName)}_${kind}_${date}_${id}${suffix}`;
}

/**
 * The report as Plaid's /asset_report/get answered it, for the JSON exports: `report` and `warnings` as sent. The
 * bank's name AssetDesk adds to a warning's cause when it stores the report (Plaid names the Item by id only) is
 * taken off again; Plaid's request_id was never kept.
 */
export function asPlaidSentIt(content: AssetReportGetResult): AssetReportGetResult {
  if (!Array.isArray(content.warnings)) return content;
  return {
    ...content,
    warnings: content.warnings.map((warning) => {
      if (!warning.cause || !('institution_name' in warning.cause)) return warning;
      const { institution_name: _ours, ...cause } = warning.cause;
      return { ...warning, cause };
    }),
  };
}

/** The amount column's header says the sign, as the screen shows it (Plaid's own is the opposite). */
export const CSV_AMOUNT_HEADER = 'amount (+ money in / - money out)';

/**
 * Excel reads a CSV file in the PC's legacy code page unless it starts with this mark; with it, names and merchants
 * in any script open as written.
 */
export const CSV_UTF8_BOM = '\uFEFF';

/**
 * Transactions as RFC 4180 CSV, UTF-8 with a byte-order mark, lines ending CRLF: date, bank, account, mask,
 * description, merchant, category, amount, currency, pending (yes/no) and Plaid's transaction id. Amounts use the
 * screen's sign (a deposit is +7350.00); Plaid's JSON has deposits negative. A text cell that a spreadsheet would
 * read as a formula is written with a leading apostrophe (see inertText).
 */
export function transactionsCsv(json: AssetReportGetResult): string {
  const field = (value: unknown, kind: 'text' | 'number' = 'text'): string => {
    const raw = value === null || value === undefined ? '' : String(value);
    const text = kind === 'text' ? inertText(raw) : raw;
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const header = [
    'date',
    'bank',
    'account',
    'mask',
    'description',
    'merchant',
    'category',
    CSV_AMOUNT_HEADER,
    'currency',
    'pending',
    'transaction id',
  ];
  const lines = [CSV_UTF8_BOM + header.join(',')];
  for (const item of json.report.items) {
    for (const account of item.accounts) {
      for (const t of account.transactions) {
        const description = t.original_description ?? t.name ?? '';
        const category = (t.category ?? []).join(' > ');
        const currency = t.iso_currency_code ?? t.unofficial_currency_code ?? '';
        lines.push(
          [
            field(t.date),
            field(item.institution_name),
            field(account.name),
            field(account.mask),
            field(description),
            field(t.merchant_name ?? ''),
            field(category),
            // The amount stays a number the spreadsheet can add up (a withdrawal keeps its minus sign).
            field((-t.amount).toFixed(2), 'number'),
            field(currency),
            // A pending transaction may still change or drop out: the processor must be able to tell it apart.
            t.pending ? 'yes' : 'no',
            field(t.transaction_id),
          ].join(','),
        );
      }
    }
  }
  return lines.join('\r\n') + '\r\n';
}

// A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(…) can send the sheet's
// data away, =cmd|… can start a program). Descriptions and merchant names come from the bank, not from us.
const FORMULA_START = /^[=+\-@\t\r]/;

/** Text a spreadsheet shows as written: a cell that would start a formula gets a leading apostrophe. */
function inertText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Plaid echoes the SSN in `report.user`; the full number never leaves the main process (exports excepted). */
function maskSsn(ssn: string): string {
  return `***-**-${ssn.slice(-4)}`;
}

// A JSON "ssn" member with a string value; a quote inside a string is always escaped, so this can't match inside one.
const SSN_MEMBER = /"ssn"(\s*:\s*)"((?:[^"\\]|\\.)*)"/g;

/**
 * The report's JSON text as the renderer gets it: report.user.ssn masked to its last four digits, without
 * parsing the tens of MB around it. Plaid's report has that one "ssn"; any other member of the name would
 * be masked too, never left readable.
 */
export function maskSsnInReportJson(text: string): string {
  return text.replace(SSN_MEMBER, (member: string, colon: string, literal: string) => {
    const ssn = JSON.parse(`"${literal}"`) as string;
    return ssn ? `"ssn"${colon}${JSON.stringify(maskSsn(ssn))}` : member;
  });
}
