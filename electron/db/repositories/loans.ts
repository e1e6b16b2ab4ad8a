import type { z } from 'zod';
import {
  MAX_BORROWERS,
  SavedLoanTerms,
  loanNumberKey,
  noteDateProblem,
  type ApplicantStatus,
  type BorrowerInput,
  type DocumentAgeRule,
  type Loan,
  type LoanListRow,
  type LoanStatus,
  type LoanTermsInput,
  type PipelineSort,
  type PlaidEnvironment,
} from '../../../shared/domain';
import { AppError, ErrorCodes } from '../../../shared/errors';
import { foldForSearch, rawSearchWords, searchAmountCents } from '../../../shared/search';
import { conflict, notFound, type StoreContext } from '../context';
import { validationError, type ApplicantRepository } from './applicants';
import { loanWordSql, wordParams } from './loan-search';

/** The officer typed a loan number another file already has. */
export const LOAN_NUMBER_TAKEN = 'LOAN_NUMBER_TAKEN';

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

export interface LoanRepository {
  /** A loan with its borrowers (the first is the primary); a taken loan number is refused with LOAN_NUMBER_TAKEN. */
  create(input: { loan: LoanTermsInput; borrowers: BorrowerInput[] }): Loan;
  get(id: string): Loan | null;
  /** The open file with this loan number (case-insensitive), to offer instead of a duplicate. */
  findByNumber(loanNumber: string): { loanId: string; loanNumber: string; borrowerNames: string } | null;
  update(id: string, changes: Partial<LoanTermsInput>): Loan;
  setStatus(id: string, status: LoanStatus): Loan;
  addBorrower(loanId: string, input: BorrowerInput): Loan;
  /** Keeps the loan's search text in step with its borrowers (call after a borrower changes). */
  refreshSearchText(loanId: string): void;
  pipeline(query: PipelineQuery): { rows: LoanListRow[]; total: number };
  /** Plain fields only, nothing decrypted: for deletion, which damaged data must not block. */
  numberOf(id: string): string | null;
  borrowerIds(id: string): string[];
  /** Local delete of the loan with its borrowers, Items, reports and everything hanging off them. */
  delete(id: string): void;
}

interface LoanRow {
  id: string;
  loan_number: string;
  loan_number_key: string;
  loan_purpose: Loan['loanPurpose'];
  application_date: string;
  expected_note_date: string | null;
  property_street: string | null;
  property_unit: string | null;
  property_city: string | null;
  property_state: string | null;
  property_zip: string | null;
  qualifying_monthly_income: number;
  funds_to_close: number;
  reserves_needed: number;
  status: LoanStatus;
  status_changed_at: string | null;
  last_activity_at: string;
  created_at: string;
  updated_at: string;
}

type ParsedTerms = z.output<typeof SavedLoanTerms>;

/** The last note date a report dated `d` serves, in SQL: the same rule as document-age.ts's refreshByDate. */
export function refreshBySql(d: string): string {
  // Calendar months clamp to the month's last day (Oct 31 + 4 months = Feb 28/29), as addMonths does.
  const fannie = `min(date(${d}, '+4 months'), date(${d}, 'start of month', '+5 months', '-1 day'))`;
  const freddie = `date(${d}, '+120 days')`;
  return `CASE @rule WHEN 'freddie_120_days' THEN ${freddie} WHEN 'both_agencies' THEN min(${fannie}, ${freddie}) ELSE ${fannie} END`;
}

/**
 * A loan's report status from the pipeline's columns (needs_relink, has_pending, latest_ready_on, refresh_by, the
 * note date). Refresh is due as the report's document-age finding says: measured on the expected note date when
 * there is one (the agencies' rule), else on today. It tests latest_ready_on, not refresh_by, for "no report": refresh_by's date arithmetic then runs once.
 */
const REPORT_STATUS_SQL = `CASE
    WHEN needs_relink THEN 'needs_relink'
    WHEN has_pending THEN 'pending'
    WHEN latest_ready_on IS NULL THEN 'no_report'
    WHEN refresh_by < coalesce(expected_note_date, @today) THEN 'refresh_due'
    ELSE 'ready'
  END`;

const SORT_SQL: Record<PipelineSort, string> = {
  borrower: 'sort_name',
  loanNumber: 'loan_number_key',
  status: 'report_status',
  findings: 'coalesce(findings_attention, -1)',
  refreshBy: "coalesce(refresh_by, '9999-12-31')",
  plaidExpiresOn: "coalesce(consent_expires_on, '9999-12-31')",
  noteDate: "coalesce(expected_note_date, '9999-12-31')",
  lastActivity: 'last_activity_at',
};

const takenError = (loanNumber: string) =>
  new AppError({
    code: LOAN_NUMBER_TAKEN,
    message: `Loan number ${loanNumber} is already used by another loan file. Open that file, or check the number.`,
    retryable: false,
    field: 'loanNumber',
  });

export function createLoanRepository(ctx: StoreContext, borrowers: ApplicantRepository): LoanRepository {
  const getRow = (id: string) => ctx.statement('SELECT * FROM loans WHERE id = ?').get(id) as LoanRow | undefined;

  const toLoanFields = (row: LoanRow): Omit<Loan, 'borrowers'> => ({
    id: row.id,
    loanNumber: row.loan_number,
    loanNumberShared: row.loan_number_key !== loanNumberKey(row.loan_number),
    loanPurpose: row.loan_purpose,
    applicationDate: row.application_date,
    expectedNoteDate: row.expected_note_date,
    property:
      row.property_street === null
        ? null
        : {
            street: row.property_street,
            ...(row.property_unit ? { unit: row.property_unit } : {}),
            city: row.property_city ?? '',
            state: (row.property_state ?? 'CA') as NonNullable<Loan['property']>['state'],
            zip: row.property_zip ?? '',
          },
    qualifyingMonthlyIncome: row.qualifying_monthly_income,
    fundsToClose: row.funds_to_close,
    reservesNeeded: row.reserves_needed,
    status: row.status,
    statusChangedAt: row.status_changed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  const mustGet = (id: string): Loan => {
    const row = getRow(id);
    if (!row) throw notFound('loan file');
    return { ...toLoanFields(row), borrowers: borrowers.listForLoan(id) };
  };

  const termColumns = (t: ParsedTerms) => ({
    loan_number: t.loanNumber,
    loan_number_key: loanNumberKey(t.loanNumber),
    loan_purpose: t.loanPurpose,
    application_date: t.applicationDate,
    expected_note_date: t.expectedNoteDate ?? null,
    property_street: t.property?.street ?? null,
    property_unit: t.property?.unit || null,
    property_city: t.property?.city ?? null,
    property_state: t.property?.state ?? null,
    property_zip: t.property?.zip ?? null,
    qualifying_monthly_income: t.qualifyingMonthlyIncome,
    funds_to_close: t.fundsToClose,
    reserves_needed: t.reservesNeeded,
  });

  const ensureNumberFree = (loanNumber: string, exceptId: string | null) => {
    const holder = ctx
      .statement('SELECT id FROM loans WHERE loan_number_key = ?')
      .pluck()
      .get(loanNumberKey(loanNumber));
    if (holder !== undefined && holder !== exceptId) throw takenError(loanNumber);
  };

  const refreshSearchText = (loanId: string) => {
    const row = getRow(loanId);
    if (!row) return;
    const people = ctx
      .statement('SELECT first_name, middle_name, last_name, email FROM applicants WHERE loan_id = ? ORDER BY position')
      .all(loanId) as { first_name: string; middle_name: string | null; last_name: string; email: string }[];
    const text = [row.loan_number, ...people.flatMap((p) => [p.first_name, p.middle_name, p.last_name, p.email])]
      .filter(Boolean)
      .join(' ');
    ctx.statement('UPDATE loans SET search_text = ? WHERE id = ?').run(foldForSearch(text), loanId);
  };

  const repo: LoanRepository = {
    create(input) {
      const terms = SavedLoanTerms.safeParse(input.loan);
      if (!terms.success) throw validationError(terms.error);
      const problem = noteDateProblem(terms.data);
      if (problem)
        throw new AppError({
          code: ErrorCodes.validation,
          message: problem,
          retryable: false,
          field: 'expectedNoteDate',
        });
      if (input.borrowers.length === 0)
        throw new AppError({ code: ErrorCodes.validation, message: 'Add at least one borrower', retryable: false });
      // The contract checks this too; the store holds the same line for any other caller.
      if (input.borrowers.length > MAX_BORROWERS)
        throw new AppError({
          code: ErrorCodes.validation,
          message: `A loan file has at most ${MAX_BORROWERS} borrowers`,
          retryable: false,
          field: 'borrowers',
        });
      return ctx.db.transaction(() => {
        ensureNumberFree(terms.data.loanNumber, null);
        const id = ctx.newId();
        const now = ctx.now();
        ctx
          .statement(
            `INSERT INTO loans (id, loan_number, loan_number_key, loan_purpose, application_date, expected_note_date,
               property_street, property_unit, property_city, property_state, property_zip, qualifying_monthly_income,
               funds_to_close, reserves_needed, status, last_activity_at, created_at, updated_at)
             VALUES (@id, @loan_number, @loan_number_key, @loan_purpose, @application_date, @expected_note_date,
               @property_street, @property_unit, @property_city, @property_state, @property_zip,
               @qualifying_monthly_income, @funds_to_close, @reserves_needed, 'open', @now, @now, @now)`,
          )
          .run({ id, ...termColumns(terms.data), now });
        input.borrowers.forEach((b, position) => borrowers.insert(id, position, b));
        refreshSearchText(id);
        return mustGet(id);
      })();
    },

    get(id) {
      return getRow(id) ? mustGet(id) : null;
    },

    findByNumber(loanNumber) {
      const row = ctx
        .statement(
          `SELECT l.id, l.loan_number, (SELECT group_concat(first_name || ' ' || last_name, ' & ')
             FROM (SELECT first_name, last_name FROM applicants WHERE loan_id = l.id ORDER BY position)) AS names
           FROM loans l WHERE l.loan_number_key = ?`,
        )
        .get(loanNumberKey(loanNumber)) as { id: string; loan_number: string; names: string | null } | undefined;
      return row ? { loanId: row.id, loanNumber: row.loan_number, borrowerNames: row.names ?? '' } : null;
    },

    update(id, changes) {
      const current = mustGet(id);
      const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      const parsed = SavedLoanTerms.partial().safeParse(given);
      if (!parsed.success) throw validationError(parsed.error);
      const merged: ParsedTerms = {
        loanNumber: current.loanNumber,
        loanPurpose: current.loanPurpose,
        applicationDate: current.applicationDate,
        expectedNoteDate: current.expectedNoteDate,
        property: current.property,
        qualifyingMonthlyIncome: current.qualifyingMonthlyIncome,
        fundsToClose: current.fundsToClose,
        reservesNeeded: current.reservesNeeded,
        ...Object.fromEntries(Object.entries(parsed.data).filter(([k]) => k in given)),
      };
      const problem = noteDateProblem(merged);
      if (problem)
        throw new AppError({
          code: ErrorCodes.validation,
          message: problem,
          retryable: false,
          field: 'expectedNoteDate',
        });
      return ctx.db.transaction(() => {
        const columns = termColumns(merged);
        // A number shared before numbers were unique keeps its flagged key until the officer changes it.
        const numberChanged = loanNumberKey(merged.loanNumber) !== loanNumberKey(current.loanNumber);
        if (numberChanged) ensureNumberFree(merged.loanNumber, id);
        else columns.loan_number_key = (getRow(id) as LoanRow).loan_number_key;
        ctx
          .statement(
            `UPDATE loans SET loan_number = @loan_number, loan_number_key = @loan_number_key, loan_purpose = @loan_purpose,
               application_date = @application_date, expected_note_date = @expected_note_date,
               property_street = @property_street, property_unit = @property_unit, property_city = @property_city,
               property_state = @property_state, property_zip = @property_zip,
               qualifying_monthly_income = @qualifying_monthly_income, funds_to_close = @funds_to_close,
               reserves_needed = @reserves_needed, updated_at = @now
             WHERE id = @id`,
          )
          .run({ id, ...columns, now: ctx.now() });
        refreshSearchText(id);
        return mustGet(id);
      })();
    },

    setStatus(id, status) {
      const current = mustGet(id);
      if (current.status === status) return current;
      // Closing or withdrawing starts the retention clock; reopening stops it.
      ctx
        .statement('UPDATE loans SET status = ?, status_changed_at = ?, updated_at = ? WHERE id = ?')
        .run(status, status === 'open' ? null : ctx.now(), ctx.now(), id);
      return mustGet(id);
    },

    addBorrower(loanId, input) {
      return ctx.db.transaction(() => {
        const loan = mustGet(loanId);
        if (loan.borrowers.length >= 4) throw conflict('A loan file has at most 4 borrowers.');
        const next = loan.borrowers.reduce((max, b) => Math.max(max, b.position + 1), 0);
        borrowers.insert(loanId, next, input);
        refreshSearchText(loanId);
        return mustGet(loanId);
      })();
    },

    refreshSearchText,

    pipeline(query) {
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
          ? (ctx.statement('SELECT DISTINCT institution_name FROM items').pluck().all() as string[])
          : [];
      // Each word's matches are found once, as sets of loans (never a lookup per loan per word).
      const wordSql = words.map((word, i) => {
        // A report's banks are its Items' (kept, as removed, after the bank is unlinked): the Items stand for them.
        const alternatives = [loanWordSql(i, word, 'l.')];
        const banks = bankNames.filter((name) => foldForSearch(name).includes(word));
        if (banks.length > 0) {
          params[`b${i}`] = JSON.stringify(banks);
          alternatives.push(
            // CROSS JOIN keeps Items first, read through their bank's index (not every borrower in turn).
            `l.id IN (SELECT b.loan_id FROM items i CROSS JOIN applicants b ON b.id = i.applicant_id
               WHERE i.institution_name IN (SELECT value FROM json_each(@b${i})))`,
          );
        }
        if (/^[A-Za-z0-9-]{8,}$/.test(raw[i]!)) {
          // A report id or Plaid's, or their first characters: index ranges (ids hold letters, digits, dashes).
          params[`idlo${i}`] = raw[i]!.toLowerCase();
          params[`idhi${i}`] = `${raw[i]!.toLowerCase()}\x7f`;
          alternatives.push(
            `l.id IN (SELECT loan_id FROM reports WHERE id >= @idlo${i} AND id < @idhi${i}
               UNION ALL SELECT loan_id FROM reports WHERE plaid_report_id COLLATE NOCASE >= @idlo${i}
                 AND plaid_report_id COLLATE NOCASE < @idhi${i})`,
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
      if (query.needsAttention)
        outer.push("(findings_attention > 0 OR report_status IN ('needs_relink', 'refresh_due'))");
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
          refresh_by${sort === 'borrower' ? ', sort_name' : ''}
          ${needsStatus ? `, ${REPORT_STATUS_SQL} AS report_status` : ''}
        FROM (
          SELECT l.id, l.last_activity_at, l.loan_number_key, l.expected_note_date, s.findings_attention,
            s.consent_expires_on, coalesce(s.needs_relink, 0) AS needs_relink, coalesce(s.has_pending, 0) AS has_pending,
            s.latest_ready_on,
            ${needsRefreshBy ? `CASE WHEN s.latest_ready_on IS NULL THEN NULL ELSE ${refreshBySql('s.latest_ready_on')} END` : 'NULL'} AS refresh_by
            ${sort === 'borrower' ? `, (SELECT last_name || ' ' || first_name FROM applicants WHERE loan_id = l.id ORDER BY position LIMIT 1) COLLATE NOCASE AS sort_name` : ''}
          FROM loans l
          LEFT JOIN loan_env_summary s ON s.loan_id = l.id AND s.environment = @environment
          WHERE 1 ${filters.map((f) => `AND ${f}`).join(' ')} ${wordSql.join(' ')}
        )
        ${outer.length > 0 ? `WHERE ${outer.join(' AND ')}` : ''}`;
      const limit = query.limit ?? 200;
      const offset = query.offset ?? 0;
      const ids = ctx
        .statement(
          `SELECT id FROM (${narrow}) ORDER BY ${SORT_SQL[sort]} ${direction}, id ${direction} LIMIT @limit OFFSET @offset`,
        )
        .all({ ...params, limit, offset }) as { id: string }[];
      let total: number;
      if (offset === 0 && ids.length < limit) total = ids.length;
      else if (outer.length === 0 && words.length === 0)
        total = ctx
          .statement(`SELECT count(*) FROM loans l WHERE 1 ${filters.map((f) => `AND ${f}`).join(' ')}`)
          .pluck()
          .get(params) as number;
      else total = ctx.statement(`SELECT count(*) FROM (${narrow})`).pluck().get(params) as number;

      const wide = ctx
        .statement(
          `SELECT *, ${REPORT_STATUS_SQL} AS report_status FROM (
             SELECT l.*, coalesce(s.report_count, 0) AS report_count, s.latest_report_at, s.findings_attention,
               s.findings_info, coalesce(s.has_removed, 0) AS has_removed, coalesce(s.has_pending, 0) AS has_pending,
               coalesce(s.needs_relink, 0) AS needs_relink, s.consent_expires_on, s.latest_ready_on,
               CASE WHEN s.latest_ready_on IS NULL THEN NULL ELSE ${refreshBySql('s.latest_ready_on')} END AS refresh_by
             FROM loans l LEFT JOIN loan_env_summary s ON s.loan_id = l.id AND s.environment = @environment
             WHERE l.id IN (SELECT value FROM json_each(@ids))
           )`,
        )
        .all({
          environment: query.environment,
          rule: query.documentAgeRule,
          today: query.today,
          ids: JSON.stringify(ids.map((r) => r.id)),
        }) as (LoanRow & {
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
      const names = ctx.statement(
        `SELECT id, first_name, middle_name, last_name FROM applicants WHERE loan_id = ? ORDER BY position`,
      );
      return {
        total,
        rows: rows.map((row) => ({
          ...toLoanFields(row),
          borrowers: (
            names.all(row.id) as { id: string; first_name: string; middle_name: string | null; last_name: string }[]
          ).map((b) => ({ id: b.id, firstName: b.first_name, middleName: b.middle_name, lastName: b.last_name })),
          reportStatus: row.report_status,
          reportCount: row.report_count,
          reportsRemoved: row.report_count === 0 && row.has_removed === 1,
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
    },

    numberOf(id) {
      return (
        (ctx.statement('SELECT loan_number FROM loans WHERE id = ?').pluck().get(id) as string | undefined) ?? null
      );
    },

    borrowerIds(id) {
      return ctx.statement('SELECT id FROM applicants WHERE loan_id = ? ORDER BY position').pluck().all(id) as string[];
    },

    delete(id) {
      // Borrowers, Items, reports, content, audit copies and sourced deposits go by ON DELETE CASCADE.
      const info = ctx.statement('DELETE FROM loans WHERE id = ?').run(id);
      if (info.changes === 0) throw notFound('loan file');
    },
  };
  return repo;
}
