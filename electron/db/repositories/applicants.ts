import type { z } from 'zod';
import {
  SavedApplicantInput,
  type ApplicantInput,
  type Applicant,
  type ApplicantListRow,
  type ApplicantStatus,
  type PlaidEnvironment,
} from '../../../shared/domain';
import { AppError, ErrorCodes } from '../../../shared/errors';
import { foldForSearch, searchAmountCents, searchWords } from '../../../shared/search';
import { likePattern, notFound, type StoreContext } from '../context';

export interface ApplicantSearchQuery {
  environment: PlaidEnvironment;
  /** Words matched against name, loan number and e-mail (all must match). */
  query?: string;
  status?: ApplicantStatus;
  /** A ready report older than this (ISO timestamp) makes the applicant 'refresh_due'; default now − 120 days. */
  refreshDueBefore?: string;
  limit?: number;
  offset?: number;
}

export interface ApplicantRepository {
  create(input: ApplicantInput): Applicant;
  update(id: string, changes: Partial<ApplicantInput>): Applicant;
  get(id: string): Applicant | null;
  /** Plain fields only, nothing decrypted: for paths a damaged value must not block (deletion). */
  describe(id: string): { id: string; firstName: string; lastName: string; loanNumber: string } | null;
  search(query: ApplicantSearchQuery): { rows: ApplicantListRow[]; total: number };
  /** Local delete of the applicant and everything hanging off it (see retention.deleteApplicantLocally). */
  delete(id: string): void;
  /** The full SSN, for the Plaid request only; null when none was entered. */
  revealSsn(id: string): string | null;
}

/** Fannie Mae: asset documents may be at most 4 months old at closing. */
export const REFRESH_AFTER_DAYS = 120;

interface ApplicantRow {
  id: string;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  email: string;
  phone: string;
  loan_number: string;
  loan_purpose: 'purchase' | 'refinance';
  application_date: string;
  qualifying_monthly_income: number;
  funds_to_close: number;
  reserves_needed: number;
  ssn_enc: Buffer | null;
  created_at: string;
  updated_at: string;
}

type ParsedApplicant = z.output<typeof SavedApplicantInput>;

function validationError(error: z.ZodError): AppError {
  const issue = error.issues[0];
  const shape = {
    code: ErrorCodes.validation,
    message: issue ? issue.message : 'Check the applicant details and try again.',
    retryable: false,
  };
  return new AppError(issue && issue.path.length > 0 ? { ...shape, field: issue.path.join('.') } : shape);
}

// Names, contact details and loan terms stay plain because the officer searches and sorts on them;
// the SSN (and its last four, which with a name is enough for identity checks) is only ciphertext.
// Folded (migration 008): accents removed and lower-cased in every script, as the typed words are.
const searchText = (a: ParsedApplicant): string =>
  foldForSearch([a.firstName, a.middleName, a.lastName, a.loanNumber, a.email].filter(Boolean).join(' '));
const SEARCH_TEXT = '@search_text';

/**
 * SQL for one search word (all words must match): in the name, loan number or e-mail, or, when it reads
 * as an amount (7350, 7,350.00, $7350), equal to the funds to close, income or reserves.
 */
export function applicantWordSql(column: (name: string) => string, i: number, word: string): string {
  const text = `${column('search_text')} LIKE @t${i} ESCAPE '\\'`;
  if (searchAmountCents(word) === null) return text;
  const amounts = ['funds_to_close', 'qualifying_monthly_income', 'reserves_needed']
    .map((c) => `round(${column(c)} * 100) = @a${i}`)
    .join(' OR ');
  return `(${text} OR ${amounts})`;
}

/** Fills @t{i} (and @a{i} for amounts) for the words of applicantWordSql. */
export function wordParams(words: string[], params: Record<string, unknown>): void {
  words.forEach((w, i) => {
    params[`t${i}`] = likePattern(w);
    const cents = searchAmountCents(w);
    if (cents !== null) params[`a${i}`] = cents;
  });
}

export function createApplicantRepository(ctx: StoreContext): ApplicantRepository {
  const ssnWhere = (rowId: string) => ({ table: 'applicants', column: 'ssn_enc', rowId });

  // One damaged SSN must not take the whole applicant list down with it: the row still shows, flagged
  // so the officer re-enters the number (revealSsn still throws the specific STORE_DATA_CORRUPT error).
  const maskedSsn = (row: ApplicantRow): { ssnMasked: string | null; ssnUnreadable: boolean } => {
    if (!row.ssn_enc) return { ssnMasked: null, ssnUnreadable: false };
    try {
      return {
        ssnMasked: `***-**-${ctx.cipher.openText(row.ssn_enc, ssnWhere(row.id)).slice(-4)}`,
        ssnUnreadable: false,
      };
    } catch (error) {
      if (error instanceof AppError && error.code === ErrorCodes.storeCorrupt)
        return { ssnMasked: null, ssnUnreadable: true };
      throw error;
    }
  };

  const toApplicant = (row: ApplicantRow): Applicant => ({
    id: row.id,
    firstName: row.first_name,
    middleName: row.middle_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    loanNumber: row.loan_number,
    loanPurpose: row.loan_purpose,
    applicationDate: row.application_date,
    qualifyingMonthlyIncome: row.qualifying_monthly_income,
    fundsToClose: row.funds_to_close,
    reservesNeeded: row.reserves_needed,
    ...maskedSsn(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  const getRow = (id: string): ApplicantRow | undefined =>
    ctx.statement('SELECT * FROM applicants WHERE id = ?').get(id) as ApplicantRow | undefined;

  const columns = (id: string, a: ParsedApplicant) => ({
    id,
    first_name: a.firstName,
    middle_name: a.middleName ? a.middleName : null,
    last_name: a.lastName,
    email: a.email,
    phone: a.phone,
    loan_number: a.loanNumber,
    loan_purpose: a.loanPurpose,
    application_date: a.applicationDate,
    qualifying_monthly_income: a.qualifyingMonthlyIncome,
    funds_to_close: a.fundsToClose,
    reserves_needed: a.reservesNeeded,
  });

  const repo: ApplicantRepository = {
    create(input) {
      const parsed = SavedApplicantInput.safeParse(input);
      if (!parsed.success) throw validationError(parsed.error);
      const id = ctx.newId();
      const now = ctx.now();
      ctx
        .statement(
          `INSERT INTO applicants (id, first_name, middle_name, last_name, email, phone, loan_number, loan_purpose,
             application_date, qualifying_monthly_income, funds_to_close, reserves_needed, ssn_enc, search_text, created_at, updated_at)
           VALUES (@id, @first_name, @middle_name, @last_name, @email, @phone, @loan_number, @loan_purpose,
             @application_date, @qualifying_monthly_income, @funds_to_close, @reserves_needed, @ssn_enc, ${SEARCH_TEXT}, @now, @now)`,
        )
        .run({
          ...columns(id, parsed.data),
          search_text: searchText(parsed.data),
          ssn_enc: parsed.data.ssn ? ctx.cipher.sealText(parsed.data.ssn, ssnWhere(id)) : null,
          now,
        });
      return toApplicant(getRow(id)!);
    },

    update(id, changes) {
      const row = getRow(id);
      if (!row) throw notFound('applicant');
      const current = toApplicant(row);
      // Only what changed is checked: a saved row keeps its values even if a rule tightened since.
      const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      const parsedChanges = SavedApplicantInput.partial().safeParse(given);
      if (!parsedChanges.success) throw validationError(parsedChanges.error);
      const changed = Object.fromEntries(Object.entries(parsedChanges.data).filter(([k]) => k in given));
      const merged = {
        data: {
          firstName: current.firstName,
          middleName: current.middleName ?? undefined,
          lastName: current.lastName,
          email: current.email,
          phone: current.phone,
          loanNumber: current.loanNumber,
          loanPurpose: current.loanPurpose,
          applicationDate: current.applicationDate,
          qualifyingMonthlyIncome: current.qualifyingMonthlyIncome,
          fundsToClose: current.fundsToClose,
          reservesNeeded: current.reservesNeeded,
          ...changed,
        } as ParsedApplicant,
      };
      ctx
        .statement(
          `UPDATE applicants SET first_name = @first_name, middle_name = @middle_name, last_name = @last_name, email = @email,
             phone = @phone, loan_number = @loan_number, loan_purpose = @loan_purpose, application_date = @application_date,
             qualifying_monthly_income = @qualifying_monthly_income, funds_to_close = @funds_to_close,
             reserves_needed = @reserves_needed, search_text = ${SEARCH_TEXT}, updated_at = @now
           WHERE id = @id`,
        )
        .run({ ...columns(id, merged.data), search_text: searchText(merged.data), now: ctx.now() });
      if (merged.data.ssn !== undefined && changes.ssn !== undefined) {
        ctx
          .statement('UPDATE applicants SET ssn_enc = ? WHERE id = ?')
          .run(ctx.cipher.sealText(merged.data.ssn, ssnWhere(id)), id);
      }
      return toApplicant(getRow(id)!);
    },

    get(id) {
      const row = getRow(id);
      return row ? toApplicant(row) : null;
    },

    describe(id) {
      const row = ctx
        .statement('SELECT id, first_name, last_name, loan_number FROM applicants WHERE id = ?')
        .get(id) as Pick<ApplicantRow, 'id' | 'first_name' | 'last_name' | 'loan_number'> | undefined;
      return row
        ? { id: row.id, firstName: row.first_name, lastName: row.last_name, loanNumber: row.loan_number }
        : null;
    },

    search(query) {
      const tokens = searchWords(query.query);
      const refreshDueBefore =
        query.refreshDueBefore ?? new Date(Date.parse(ctx.now()) - REFRESH_AFTER_DAYS * 86_400_000).toISOString();
      const tokenSql = tokens.map((w, i) => `AND ${applicantWordSql((c) => `a.${c}`, i, w)}`).join(' ');
      // Summary rows are kept by triggers (migration 003). Relink beats pending beats the ready report's age.
      const sql = `
        SELECT *,
          -- "No report yet" would be untrue when reports were made and removed (retention, by hand).
          CASE WHEN status = 'no_report' THEN EXISTS (
            SELECT 1 FROM reports r WHERE r.applicant_id = listed.id AND r.environment = @environment AND r.status = 'removed'
          ) ELSE 0 END AS has_removed_reports
        FROM (
          SELECT a.*, coalesce(s.report_count, 0) AS report_count, s.latest_report_at,
                 s.findings_attention, s.findings_info,
                 CASE
                   WHEN s.needs_relink THEN 'needs_relink'
                   WHEN s.has_pending THEN 'pending'
                   WHEN s.latest_ready_at IS NULL THEN 'no_report'
                   WHEN s.latest_ready_at < @refreshDueBefore THEN 'refresh_due'
                   ELSE 'ready'
                 END AS status,
                 coalesce(s.latest_report_at, a.updated_at) AS sort_at
          FROM applicants a
          LEFT JOIN applicant_env_summary s ON s.applicant_id = a.id AND s.environment = @environment
          WHERE 1 = 1 ${tokenSql}
        ) AS listed
        WHERE @status IS NULL OR status = @status`;
      const pageSql = `${sql} ORDER BY sort_at DESC, id LIMIT @limit OFFSET @offset`;
      const countSql = `SELECT count(*) FROM (${sql})`;
      const params: Record<string, unknown> = {
        environment: query.environment,
        refreshDueBefore,
        status: query.status ?? null,
        limit: query.limit ?? 200,
        offset: query.offset ?? 0,
      };
      wordParams(tokens, params);
      type Row = ApplicantRow & {
        report_count: number;
        latest_report_at: string | null;
        findings_attention: number | null;
        findings_info: number | null;
        status: ApplicantStatus;
        has_removed_reports: number;
      };
      const rows = ctx.statement(pageSql).all(params) as Row[];
      const { limit, offset, ...countParams } = params;
      return {
        total:
          offset === 0 && rows.length < (limit as number)
            ? rows.length
            : (ctx.statement(countSql).pluck().get(countParams) as number),
        rows: rows.map((row) => ({
          ...toApplicant(row),
          status: row.status,
          reportCount: row.report_count,
          reportsRemoved: row.has_removed_reports === 1,
          latestReportAt: row.latest_report_at,
          findingCounts:
            row.findings_attention === null || row.findings_info === null
              ? null
              : { attention: row.findings_attention, info: row.findings_info },
        })),
      };
    },

    delete(id) {
      // Reports, content, items, audit copies and sourced deposits go by ON DELETE CASCADE.
      const info = ctx.statement('DELETE FROM applicants WHERE id = ?').run(id);
      if (info.changes === 0) throw notFound('applicant');
    },

    revealSsn(id) {
      const row = ctx.statement('SELECT ssn_enc FROM applicants WHERE id = ?').get(id) as
        { ssn_enc: Buffer | null } | undefined;
      if (!row) throw notFound('applicant');
      return row.ssn_enc ? ctx.cipher.openText(row.ssn_enc, ssnWhere(id)) : null;
    },
  };
  return repo;
}
