import type { z } from 'zod';
import {
  MAX_BORROWERS,
  SavedLoanTerms,
  loanNumberKey,
  noteDateProblem,
  type BorrowerInput,
  type Loan,
  type LoanListRow,
  type LoanStatus,
  type LoanTermsInput,
} from '../../../shared/domain';
import { AppError, ErrorCodes } from '../../../shared/errors';
import { foldForSearch } from '../../../shared/search';
import { conflict, notFound, type StoreContext } from '../context';
import { validationError, type ApplicantRepository } from './applicants';
import { queryPipeline, type PipelineQuery } from './loan-pipeline';

/** The officer typed a loan number another file already has. */
export const LOAN_NUMBER_TAKEN = ErrorCodes.loanNumberTaken;

export type { PipelineQuery } from './loan-pipeline';
export { refreshBySql } from './loan-pipeline';

export interface LoanRepository {
  /** A loan with its borrowers (the first is the primary); a taken loan number is refused with LOAN_NUMBER_TAKEN. */
  create(input: { loan: LoanTermsInput; borrowers: BorrowerInput[] }): Promise<Loan>;
  get(id: string): Promise<Loan | null>;
  /** The open file with this loan number (case-insensitive), to offer instead of a duplicate. */
  findByNumber(loanNumber: string): Promise<{ loanId: string; loanNumber: string; borrowerNames: string } | null>;
  update(id: string, changes: Partial<LoanTermsInput>): Promise<Loan>;
  setStatus(id: string, status: LoanStatus): Promise<Loan>;
  addBorrower(loanId: string, input: BorrowerInput): Promise<Loan>;
  /** Keeps the loan's search text in step with its borrowers (call after a borrower changes). */
  refreshSearchText(loanId: string): Promise<void>;
  pipeline(query: PipelineQuery): Promise<{ rows: LoanListRow[]; total: number }>;
  /** Plain fields only, nothing decrypted: for deletion, which damaged data must not block. */
  numberOf(id: string): Promise<string | null>;
  borrowerIds(id: string): Promise<string[]>;
  /** Local delete of the loan with its borrowers, Items, reports and everything hanging off them. */
  delete(id: string): Promise<void>;
}

export interface LoanRow {
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

function refuseNoteDateBeforeApplication(terms: { applicationDate: string; expectedNoteDate?: string | null }): void {
  const problem = noteDateProblem(terms);
  if (problem)
    throw new AppError({ code: ErrorCodes.validation, message: problem, retryable: false, field: 'expectedNoteDate' });
}

const takenError = (loanNumber: string) =>
  new AppError({
    code: LOAN_NUMBER_TAKEN,
    message: `Loan number ${loanNumber} is already used by another loan file. Open that file, or check the number.`,
    retryable: false,
    field: 'loanNumber',
  });

/** The unique index on loan numbers refused the row: another desk saved the same number a moment before. */
function isNumberClash(err: unknown): boolean {
  const e = err as { code?: unknown; constraint?: unknown; message?: unknown };
  return (
    (e.code === '23505' && typeof e.constraint === 'string' && e.constraint.includes('loan_number_key')) ||
    (e.code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof e.message === 'string' && e.message.includes('loan_number_key'))
  );
}

/** `write`, with a loan number another desk took meanwhile (past ensureNumberFree) told as LOAN_NUMBER_TAKEN. */
async function numberMustBeFree<T>(loanNumber: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw isNumberClash(err) ? takenError(loanNumber) : err;
  }
}

export function createLoanRepository(ctx: StoreContext, borrowers: ApplicantRepository): LoanRepository {
  const getRow = async (id: string) =>
    (await ctx.statement('SELECT * FROM loans WHERE id = ?').get(id)) as LoanRow | undefined;

  const toLoanFields = (row: LoanRow): Omit<Loan, 'borrowers'> => ({
    id: row.id,
    loanNumber: row.loan_number,
    loanNumberShared: row.loan_number_key !== loanNumberKey(row.loan_number),
    loanPurpose: row.loan_purpose,
    applicationDate: row.application_date,
    expectedNoteDate: row.expected_note_date,
    property:
      // The address is saved whole or not at all (PropertyAddress requires each part but the unit).
      row.property_street === null || row.property_state === null
        ? null
        : {
            street: row.property_street,
            ...(row.property_unit ? { unit: row.property_unit } : {}),
            city: row.property_city ?? '',
            state: row.property_state as NonNullable<Loan['property']>['state'],
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

  const mustGet = async (id: string): Promise<Loan> => {
    const row = await getRow(id);
    if (!row) throw notFound('loan file');
    return { ...toLoanFields(row), borrowers: await borrowers.listForLoan(id) };
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

  const ensureNumberFree = async (loanNumber: string, exceptId: string | null) => {
    const holder = await ctx
      .statement('SELECT id FROM loans WHERE loan_number_key = ?')
      .pluck()
      .get(loanNumberKey(loanNumber));
    if (holder !== undefined && holder !== exceptId) throw takenError(loanNumber);
  };

  const refreshSearchText = async (loanId: string) => {
    const row = await getRow(loanId);
    if (!row) return;
    const people = (await ctx
      .statement('SELECT first_name, middle_name, last_name, email FROM applicants WHERE loan_id = ? ORDER BY position')
      .all(loanId)) as { first_name: string; middle_name: string | null; last_name: string; email: string }[];
    const text = [row.loan_number, ...people.flatMap((p) => [p.first_name, p.middle_name, p.last_name, p.email])]
      .filter(Boolean)
      .join(' ');
    await ctx.statement('UPDATE loans SET search_text = ? WHERE id = ?').run(foldForSearch(text), loanId);
  };

  const repo: LoanRepository = {
    async create(input) {
      const terms = SavedLoanTerms.safeParse(input.loan);
      if (!terms.success) throw validationError(terms.error);
      refuseNoteDateBeforeApplication(terms.data);
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
      return numberMustBeFree(terms.data.loanNumber, () =>
        ctx.transaction(async () => {
          await ensureNumberFree(terms.data.loanNumber, null);
          const id = ctx.newId();
          const now = ctx.now();
          await ctx
            .statement(
              `INSERT INTO loans (id, loan_number, loan_number_key, loan_purpose, application_date, expected_note_date,
               property_street, property_unit, property_city, property_state, property_zip, qualifying_monthly_income,
               funds_to_close, reserves_needed, status, last_activity_at, created_at, updated_at)
             VALUES (@id, @loan_number, @loan_number_key, @loan_purpose, @application_date, @expected_note_date,
               @property_street, @property_unit, @property_city, @property_state, @property_zip,
               @qualifying_monthly_income, @funds_to_close, @reserves_needed, 'open', @now, @now, @now)`,
            )
            .run({ id, ...termColumns(terms.data), now });
          for (const [position, b] of input.borrowers.entries()) await borrowers.insert(id, position, b);
          await refreshSearchText(id);
          return mustGet(id);
        }),
      );
    },

    async get(id) {
      return (await getRow(id)) ? await mustGet(id) : null;
    },

    async findByNumber(loanNumber) {
      const row = (await ctx
        .statement(
          `SELECT l.id, l.loan_number, (SELECT string_agg(first_name || ' ' || last_name, ' & ' ORDER BY position)
             FROM applicants WHERE loan_id = l.id) AS names
           FROM loans l WHERE l.loan_number_key = ?`,
        )
        .get(loanNumberKey(loanNumber))) as { id: string; loan_number: string; names: string | null } | undefined;
      return row ? { loanId: row.id, loanNumber: row.loan_number, borrowerNames: row.names ?? '' } : null;
    },

    async update(id, changes) {
      const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      const parsed = SavedLoanTerms.partial().safeParse(given);
      if (!parsed.success) throw validationError(parsed.error);
      return ctx.transaction(async () => {
        // What another desk saves at the same moment is read first, so its change is kept beside this one.
        await ctx.lockRow('loans', id);
        const current = await mustGet(id);
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
        refuseNoteDateBeforeApplication(merged);
        const columns = termColumns(merged);
        // A number shared before numbers were unique keeps its flagged key until the officer changes it.
        const numberChanged = loanNumberKey(merged.loanNumber) !== loanNumberKey(current.loanNumber);
        if (numberChanged) await ensureNumberFree(merged.loanNumber, id);
        else columns.loan_number_key = ((await getRow(id)) as LoanRow).loan_number_key;
        await numberMustBeFree(merged.loanNumber, () =>
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
            .run({ id, ...columns, now: ctx.now() }),
        );
        await refreshSearchText(id);
        return mustGet(id);
      });
    },

    async setStatus(id, status) {
      const current = await mustGet(id);
      if (current.status === status) return current;
      // Closing or withdrawing starts the retention clock; reopening stops it.
      await ctx
        .statement('UPDATE loans SET status = ?, status_changed_at = ?, updated_at = ? WHERE id = ?')
        .run(status, status === 'open' ? null : ctx.now(), ctx.now(), id);
      return mustGet(id);
    },

    async addBorrower(loanId, input) {
      return ctx.transaction(async () => {
        // Two desks adding a borrower at once take turns: the second counts the first's.
        await ctx.lockRow('loans', loanId);
        const loan = await mustGet(loanId);
        if (loan.borrowers.length >= 4) throw conflict('A loan file has at most 4 borrowers.');
        const next = loan.borrowers.reduce((max, b) => Math.max(max, b.position + 1), 0);
        await borrowers.insert(loanId, next, input);
        await refreshSearchText(loanId);
        return mustGet(loanId);
      });
    },

    refreshSearchText,

    pipeline: (query) => queryPipeline(ctx, query, toLoanFields),

    async numberOf(id) {
      return (
        ((await ctx.statement('SELECT loan_number FROM loans WHERE id = ?').pluck().get(id)) as string | undefined) ??
        null
      );
    },

    async borrowerIds(id) {
      return (await ctx
        .statement('SELECT id FROM applicants WHERE loan_id = ? ORDER BY position')
        .pluck()
        .all(id)) as string[];
    },

    async delete(id) {
      // Borrowers, Items, reports, content, audit copies and sourced deposits go by ON DELETE CASCADE.
      const info = await ctx.statement('DELETE FROM loans WHERE id = ?').run(id);
      if (info.changes === 0) throw notFound('loan file');
    },
  };
  return repo;
}
