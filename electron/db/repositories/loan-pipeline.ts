import type {
  ApplicantStatus,
  DocumentAgeRule,
  Loan,
  LoanListRow,
  LoanStatus,
  PipelineSort,
  PlaidEnvironment,
} from '../../../shared/domain';
import { foldForSearch, rawSearchWords, searchAmountCents } from '../../../shared/search';
import type { StoreContext } from '../context';
import type { SqlDialect } from '../sql';
import { loanWordSql, wordParams } from './loan-search';
import type { LoanRow } from './loans';

/**
 * The pipeline: one row per loan with its report status, findings, refresh-by and consent-expiry dates, filtered,
 * sorted and searched in SQL so that 100,000 reports answer in milliseconds.
 */
export interface PipelineQuery {
  environment: PlaidEnvironment;
  /** Words (all must match): a borrower's name or e-mail, the loan number, a bank, a report id, an amount. */
  query?: string;
  /** Default: every status. */
  loanStatus?: LoanStatus;
  reportStatus?: ApplicantStatus;
  /** Findings needing attention, a bank to relink, or a refresh due. */
  needsAttention?: boolean;
  /** Loans whose refresh-by date falls within this many days of today (or has passed). */
  refreshDueWithinDays?: number;
  sort?: PipelineSort;
  direction?: 'asc' | 'desc';
  /** The lender's document-age rule, which sets the refresh-by dates. */
  documentAgeRule: DocumentAgeRule;
  /** The officer's today, YYYY-MM-DD. */
  today: string;
  limit?: number;
  offset?: number;
}

/**
 * The last note date a report dated `d` serves, in SQL, as YYYY-MM-DD text: the same rule as document-age.ts's
 * refreshByDate. Date arithmetic is where the two engines' SQL differs most.
 */
export function refreshBySql(d: string, dialect: SqlDialect): string {
  if (dialect === 'postgres') {
    // PostgreSQL's month arithmetic already clamps to the month's last day (Oct 31 + 4 months = Feb 28/29).
    const fannie = `to_char(CAST(${d} AS date) + interval '4 months', 'YYYY-MM-DD')`;
    const freddie = `to_char(CAST(${d} AS date) + 120, 'YYYY-MM-DD')`;
    return `CASE CAST(@rule AS text) WHEN 'freddie_120_days' THEN ${freddie} WHEN 'both_agencies' THEN least(${fannie}, ${freddie}) ELSE ${fannie} END`;
  }
  // SQLite's month arithmetic overflows into the next month; the end of the target month clamps it, as addMonths does.
  const fannie = `min(date(${d}, '+4 months'), date(${d}, 'start of month', '+5 months', '-1 day'))`;
  const freddie = `date(${d}, '+120 days')`;
  return `CASE @rule WHEN 'freddie_120_days' THEN ${freddie} WHEN 'both_agencies' THEN min(${fannie}, ${freddie}) ELSE ${fannie} END`;
}

/**
 * `column` is one of the values of a JSON array parameter. PostgreSQL gets them as an array, which it matches
 * through the column's index; as a set-returning function's rows it assumed a hundred and scanned the whole table.
 */
function inJsonArraySql(column: string, param: string, dialect: SqlDialect): string {
  return dialect === 'postgres'
    ? `${column} = ANY (ARRAY(SELECT json_array_elements_text(CAST(${param} AS json))))`
    : `${column} IN (SELECT value FROM json_each(${param}))`;
}

/**
 * A loan's report status from the pipeline's columns (needs_relink, has_pending, latest_ready_on, refresh_by, the
 * note date, the loan's status). Refresh is due as the report's document-age finding says: when the report is too
 * old on the expected note date (today when there is none), or, for a loan still open, already too old today (its
 * closing can no longer happen on a note date that has passed). It tests latest_ready_on, not refresh_by, for "no
 * report": refresh_by's date arithmetic then runs once.
 */
const REPORT_STATUS_SQL = `CASE
    WHEN needs_relink <> 0 THEN 'needs_relink'
    WHEN has_pending <> 0 THEN 'pending'
    WHEN latest_ready_on IS NULL THEN 'no_report'
    WHEN refresh_by < coalesce(expected_note_date, @today) THEN 'refresh_due'
    WHEN loan_status = 'open' AND refresh_by < @today THEN 'refresh_due'
    ELSE 'ready'
  END`;

const SORT_SQL: Record<PipelineSort, string> = {
  // NULL (a loan without borrowers) sorts first ascending on both engines, as SQLite orders NULLs.
  borrower: "coalesce(sort_name, '')",
  loanNumber: 'loan_number_key',
  status: 'report_status',
  findings: 'coalesce(findings_attention, -1)',
  refreshBy: "coalesce(refresh_by, '9999-12-31')",
  plaidExpiresOn: "coalesce(consent_expires_on, '9999-12-31')",
  noteDate: "coalesce(expected_note_date, '9999-12-31')",
  lastActivity: 'last_activity_at',
};

/** Runs one pipeline query; `toLoanFields` turns a loan row into the loan's own fields. */
export async function queryPipeline(
  ctx: StoreContext,
  query: PipelineQuery,
  toLoanFields: (row: LoanRow) => Omit<Loan, 'borrowers'>,
): Promise<{ rows: LoanListRow[]; total: number }> {
  const dialect = ctx.sql.dialect;
  const raw = rawSearchWords(query.query);
  const words = raw.map(foldForSearch);
  const sort = query.sort ?? 'lastActivity';
  const direction = query.direction === 'asc' ? 'ASC' : 'DESC';
  const params: Record<string, unknown> = {
    environment: query.environment,
    rule: query.documentAgeRule,
    today: query.today,
  };
  wordParams(words, params);
  // Bank names are few: fold them here as the words are (SQLite's lower() knows ASCII only, so
  // "Económico" would never match), then look Items up by the names that match.
  const bankNames =
    words.length > 0
      ? ((await ctx.statement('SELECT DISTINCT institution_name FROM items').pluck().all()) as string[])
      : [];
  // Each word's matches are found once, as sets of loans (never a lookup per loan per word).
  const wordSql = words.map((word, i) => {
    // A report's banks are its Items' (kept, as removed, after the bank is unlinked): the Items stand for them.
    const alternatives = [loanWordSql(i, word, 'l.')];
    const banks = bankNames.filter((name) => foldForSearch(name).includes(word));
    if (banks.length > 0) {
      // One parameter per name, not a JSON array: PostgreSQL then plans with the names' own frequencies and reads
      // their Items through the bank's index (with an array it guessed at every Item, and joined them all).
      const names = banks.map((name, k) => {
        params[`b${i}_${k}`] = name;
        return `@b${i}_${k}`;
      });
      alternatives.push(
        // SQLite's CROSS JOIN keeps Items first, read through their bank's index (not every borrower in turn);
        // PostgreSQL plans the join order itself and has no CROSS JOIN … ON.
        `l.id IN (SELECT b.loan_id FROM items i ${dialect === 'postgres' ? 'JOIN' : 'CROSS JOIN'} applicants b ON b.id = i.applicant_id
             WHERE i.institution_name IN (${names.join(', ')}))`,
      );
    }
    if (/^[A-Za-z0-9-]{8,}$/.test(raw[i]!)) {
      // A report id or Plaid's, or their first characters: index ranges (ids hold letters, digits, dashes).
      params[`idlo${i}`] = raw[i]!.toLowerCase();
      params[`idhi${i}`] = `${raw[i]!.toLowerCase()}\x7f`;
      // Plaid's ids are matched ignoring case, each engine through its own index (NOCASE on SQLite, lower() on PostgreSQL).
      const plaidId = dialect === 'postgres' ? 'lower(plaid_report_id)' : 'plaid_report_id COLLATE NOCASE';
      alternatives.push(
        `l.id IN (SELECT loan_id FROM reports WHERE id >= @idlo${i} AND id < @idhi${i}
             UNION ALL SELECT loan_id FROM reports WHERE ${plaidId} >= @idlo${i} AND ${plaidId} < @idhi${i})`,
      );
    }
    const cents = searchAmountCents(word);
    if (cents !== null) {
      params[`alo${i}`] = (cents - 0.5) / 100;
      params[`ahi${i}`] = (cents + 0.5) / 100;
      alternatives.push(
        `l.id IN (SELECT loan_id FROM reports WHERE total_balance BETWEEN @alo${i} AND @ahi${i}
             AND round(total_balance * 100) = @a${i})`,
      );
    }
    return `AND (${alternatives.join(' OR ')})`;
  });

  // Only what filtering and sorting need is computed for every loan; the page's rows are read after.
  const filters: string[] = [];
  if (query.loanStatus) {
    params.loanStatus = query.loanStatus;
    filters.push('l.status = @loanStatus');
  }
  const outer: string[] = [];
  if (query.reportStatus) {
    params.reportStatus = query.reportStatus;
    outer.push('report_status = @reportStatus');
  }
  if (query.needsAttention) outer.push("(findings_attention > 0 OR report_status IN ('needs_relink', 'refresh_due'))");
  if (query.refreshDueWithinDays !== undefined) {
    params.dueBy = new Date(Date.parse(`${query.today}T00:00:00Z`) + query.refreshDueWithinDays * 86_400_000)
      .toISOString()
      .slice(0, 10);
    outer.push('refresh_by <= @dueBy');
  }
  // The refresh-by date (three date() calls) and the status only when a filter or the order needs them.
  const needsStatus = outer.length > 0 || sort === 'status';
  const needsRefreshBy = needsStatus || sort === 'refreshBy';
  const narrow = `
      SELECT id, last_activity_at, loan_number_key, expected_note_date, findings_attention, consent_expires_on,
        refresh_by, loan_status${sort === 'borrower' ? ', sort_name' : ''}
        ${needsStatus ? `, ${REPORT_STATUS_SQL} AS report_status` : ''}
      FROM (
        SELECT l.id, l.last_activity_at, l.loan_number_key, l.expected_note_date, l.status AS loan_status, s.findings_attention,
          s.consent_expires_on, coalesce(s.needs_relink, 0) AS needs_relink, coalesce(s.has_pending, 0) AS has_pending,
          s.latest_ready_on,
          ${needsRefreshBy ? `CASE WHEN s.latest_ready_on IS NULL THEN NULL ELSE ${refreshBySql('s.latest_ready_on', dialect)} END` : 'NULL'} AS refresh_by
          ${sort === 'borrower' ? `, (SELECT lower(last_name || ' ' || first_name) FROM applicants WHERE loan_id = l.id ORDER BY position LIMIT 1) AS sort_name` : ''}
        FROM loans l
        LEFT JOIN loan_env_summary s ON s.loan_id = l.id AND s.environment = @environment
        WHERE 1 = 1 ${filters.map((f) => `AND ${f}`).join(' ')} ${wordSql.join(' ')}
      ) AS loan_rows`;
  // Filters on the status are applied a level up, where it is a column: PostgreSQL's WHERE can't see SELECT aliases.
  const outerWhere = outer.length > 0 ? `WHERE ${outer.join(' AND ')}` : '';
  const limit = query.limit ?? 200;
  const offset = query.offset ?? 0;
  const ids = (await ctx
    .statement(
      `SELECT id FROM (${narrow}) AS narrowed ${outerWhere} ORDER BY ${SORT_SQL[sort]} ${direction}, id ${direction} LIMIT @limit OFFSET @offset`,
    )
    .all({ ...params, limit, offset })) as { id: string }[];
  let total: number;
  if (offset === 0 && ids.length < limit) total = ids.length;
  else if (outer.length === 0 && words.length === 0)
    total = (await ctx
      .statement(`SELECT count(*) FROM loans l WHERE 1 = 1 ${filters.map((f) => `AND ${f}`).join(' ')}`)
      .pluck()
      // PostgreSQL refuses values for a statement without placeholders.
      .get(...(filters.length > 0 ? [params] : []))) as number;
  else
    total = (await ctx
      .statement(`SELECT count(*) FROM (${narrow}) AS narrowed ${outerWhere}`)
      .pluck()
      .get(params)) as number;

  const wide = (await ctx
    .statement(
      `SELECT *, ${REPORT_STATUS_SQL} AS report_status FROM (
           SELECT l.*, l.status AS loan_status, coalesce(s.report_count, 0) AS report_count, s.latest_report_at, s.findings_attention,
             s.findings_info, coalesce(s.has_removed, 0) AS has_removed, coalesce(s.has_pending, 0) AS has_pending,
             coalesce(s.needs_relink, 0) AS needs_relink, s.consent_expires_on, s.latest_ready_on,
             CASE WHEN s.latest_ready_on IS NULL THEN NULL ELSE ${refreshBySql('s.latest_ready_on', dialect)} END AS refresh_by
           FROM loans l LEFT JOIN loan_env_summary s ON s.loan_id = l.id AND s.environment = @environment
           WHERE ${inJsonArraySql('l.id', '@ids', dialect)}
         ) AS page_rows`,
    )
    .all({
      environment: query.environment,
      rule: query.documentAgeRule,
      today: query.today,
      ids: JSON.stringify(ids.map((r) => r.id)),
    })) as (LoanRow & {
    report_count: number;
    latest_report_at: string | null;
    findings_attention: number | null;
    findings_info: number | null;
    has_removed: number;
    consent_expires_on: string | null;
    refresh_by: string | null;
    report_status: ApplicantStatus;
  })[];
  const byId = new Map(wide.map((row) => [row.id, row]));
  const rows = ids.map(({ id }) => byId.get(id)!);
  // The page's borrowers in one statement: a query per loan costs a round trip each on the team's server.
  const people = (await ctx
    .statement(
      `SELECT loan_id, id, first_name, middle_name, last_name FROM applicants
       WHERE ${inJsonArraySql('loan_id', '@ids', dialect)} ORDER BY loan_id, position`,
    )
    .all({ ids: JSON.stringify(ids.map((r) => r.id)) })) as {
    loan_id: string;
    id: string;
    first_name: string;
    middle_name: string | null;
    last_name: string;
  }[];
  const borrowersOf = new Map<string, LoanListRow['borrowers']>();
  for (const b of people) {
    const list = borrowersOf.get(b.loan_id) ?? [];
    list.push({ id: b.id, firstName: b.first_name, middleName: b.middle_name, lastName: b.last_name });
    borrowersOf.set(b.loan_id, list);
  }
  return {
    total,
    rows: rows.map((row) => ({
      ...toLoanFields(row),
      borrowers: borrowersOf.get(row.id) ?? [],
      reportStatus: row.report_status,
      reportCount: row.report_count,
      reportsRemoved: row.report_count === 0 && row.has_removed === 1,
      // Reports are pending, ready, failed or removed: kept ones that are neither pending nor ready all failed.
      reportsFailed: row.report_count > 0 && row.report_status === 'no_report',
      latestReportAt: row.latest_report_at,
      findingCounts:
        row.findings_attention === null || row.findings_info === null
          ? null
          : { attention: row.findings_attention, info: row.findings_info },
      refreshBy: row.refresh_by,
      plaidExpiresOn: row.consent_expires_on,
      lastActivityAt: row.last_activity_at,
    })),
  };
}
