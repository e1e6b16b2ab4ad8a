import type { ReportStatus, ReportSummary, PlaidEnvironment } from '../../../shared/domain';
import { foldForSearch, rawSearchWords, searchAmountCents } from '../../../shared/search';
import { dayAfter, likePattern, type StoreContext } from '../context';
import { loanWordSql, wordParams } from './loan-search';
import { SUMMARY_COLUMNS, toSummary, type ReportRow } from './report-rows';

export interface ReportSearchQuery {
  environment: PlaidEnvironment;
  /** Words matched against applicant name, loan number and e-mail (all must match). */
  query?: string;
  institution?: string;
  /** Without a status, removed reports are left out. */
  status?: ReportStatus;
  loanId?: string;
  /** Created on or after this day (YYYY-MM-DD, UTC). */
  from?: string;
  /** Created on or before this day (YYYY-MM-DD, UTC). */
  to?: string;
  limit?: number;
  offset?: number;
}

/** The reports screen's search: filters and words over one environment's reports, newest first, a page at a time. */
export async function searchReports(
  ctx: StoreContext,
  query: ReportSearchQuery,
): Promise<{ rows: ReportSummary[]; total: number }> {
  const raw = rawSearchWords(query.query);
  const words = raw.map(foldForSearch);
  // Ids match whatever their case: SQLite's LIKE ignores ASCII case, PostgreSQL's doesn't (the pattern is lower-cased).
  const idLike = (column: string, param: string) =>
    ctx.sql.dialect === 'postgres'
      ? `lower(${column}) LIKE ${param} ESCAPE '\\'`
      : `${column} LIKE ${param} ESCAPE '\\'`;
  // Each word (all must match) names the loan (a borrower's name or e-mail, the loan number, an amount
  // of the loan), a bank, the report's total, or the report itself by its id or Plaid's (or their first 8+).
  const tokenSql = words
    .map((word, i) => {
      const applicant = `r.loan_id IN (SELECT id FROM loans WHERE ${loanWordSql(i, word)})`;
      const bank = `r.institutions_search LIKE @t${i} ESCAPE '\\'`;
      const ids = /^[A-Za-z0-9-]{8,}$/.test(raw[i]!)
        ? ` OR ${idLike('r.id', `@id${i}`)} OR ${idLike('r.plaid_report_id', `@id${i}`)}`
        : '';
      const total = searchAmountCents(word) === null ? '' : ` OR round(r.total_balance * 100) = @a${i}`;
      return `AND (${applicant} OR ${bank}${ids}${total})`;
    })
    .join(' ');
  const where = `WHERE r.environment = @environment
      AND (CASE WHEN CAST(@status AS text) IS NULL THEN r.status != 'removed' ELSE r.status = @status END)
      AND (CAST(@loanId AS text) IS NULL OR r.loan_id = @loanId)
      AND (CAST(@from AS text) IS NULL OR r.created_at >= @from)
      AND (CAST(@toExclusive AS text) IS NULL OR r.created_at < @toExclusive)
      AND (CAST(@institution AS text) IS NULL OR r.institutions_search LIKE @institution ESCAPE '\\')
      ${tokenSql}`;
  // The page is chosen on reports alone (walking the created_at index, stopping at LIMIT), and only
  // its rows are joined to applicants; the total is a separate count.
  const pageSql = `WITH page AS (SELECT r.id FROM reports r ${where} ORDER BY r.created_at DESC, r.id DESC LIMIT @limit OFFSET @offset)
    SELECT ${SUMMARY_COLUMNS} FROM page JOIN reports r ON r.id = page.id JOIN applicants a ON a.id = r.applicant_id
    JOIN loans l ON l.id = r.loan_id ORDER BY r.created_at DESC, r.id DESC`;
  const countSql = `SELECT count(*) FROM reports r ${where}`;
  const params: Record<string, unknown> = {
    environment: query.environment,
    status: query.status ?? null,
    loanId: query.loanId ?? null,
    from: query.from ?? null,
    toExclusive: query.to ? dayAfter(query.to) : null,
    institution: query.institution ? likePattern(foldForSearch(query.institution)) : null,
    limit: query.limit ?? 200,
    offset: query.offset ?? 0,
  };
  wordParams(words, params);
  raw.forEach((w, i) => {
    if (/^[A-Za-z0-9-]{8,}$/.test(w)) params[`id${i}`] = `${w.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  });
  const rows = (await ctx.statement(pageSql).all(params)) as ReportRow[];
  const { limit, offset, ...countParams } = params;
  const total =
    offset === 0 && rows.length < (limit as number)
      ? rows.length
      : ((await ctx.statement(countSql).pluck().get(countParams)) as number);
  return { rows: rows.map(toSummary), total };
}
