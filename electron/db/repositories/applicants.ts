import type { z } from 'zod';
import { BorrowerInput, type Applicant } from '../../../shared/domain';
import { AppError, ErrorCodes } from '../../../shared/errors';
import { notFound, type StoreContext } from '../context';

/**
 * Borrowers, one row each in `applicants` (the name from before loans had several borrowers): who they
 * are and how to reach them. The loan's terms live on the loan (loans.ts), which adds and removes borrowers.
 */
export interface ApplicantRepository {
  /** A new borrower on a loan at `position` (0 = primary); the caller keeps the loan's search text current. */
  insert(loanId: string, position: number, input: BorrowerInput): Promise<Applicant>;
  update(id: string, changes: Partial<BorrowerInput>): Promise<Applicant>;
  get(id: string): Promise<Applicant | null>;
  listForLoan(loanId: string): Promise<Applicant[]>;
  /** Plain fields only, nothing decrypted: for paths a damaged value must not block (deletion). */
  describe(id: string): Promise<{ id: string; loanId: string; firstName: string; lastName: string } | null>;
  /** Local delete of the borrower and their Items and Hosted Link sessions (the loan keeps its reports). */
  delete(id: string): Promise<void>;
  /** The full SSN, for the Plaid request only; null when none was entered. */
  revealSsn(id: string): Promise<string | null>;
}

interface ApplicantRow {
  id: string;
  loan_id: string;
  position: number;
  first_name: string;
  middle_name: string | null;
  last_name: string;
  email: string;
  phone: string;
  ssn_enc: Buffer | null;
  created_at: string;
  updated_at: string;
}

type ParsedBorrower = z.output<typeof BorrowerInput>;

/** The first problem, worded for the officer and naming the field as the form labels it. */
export function validationError(error: z.ZodError, fallback = 'Check the details and try again.'): AppError {
  const issue = error.issues[0];
  const shape = { code: ErrorCodes.validation, message: issue ? issue.message : fallback, retryable: false };
  return new AppError(issue && issue.path.length > 0 ? { ...shape, field: issue.path.join('.') } : shape);
}

export function createApplicantRepository(ctx: StoreContext): ApplicantRepository {
  // Named, not *: a processor's desk may not name the secret columns (they come back as NULL there).
  const COLUMNS = (alias?: string) =>
    ctx.columns(
      'applicants',
      [
        'id',
        'loan_id',
        'position',
        'first_name',
        'middle_name',
        'last_name',
        'email',
        'phone',
        'ssn_enc',
        'created_at',
        'updated_at',
        'search_text',
      ],
      alias,
    );
  const ssnWhere = (rowId: string) => ({ table: 'applicants', column: 'ssn_enc', rowId });

  // One damaged SSN must not take the whole loan down with it: the borrower still shows, flagged so
  // the officer re-enters the number (revealSsn still throws the specific STORE_DATA_CORRUPT error).
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
    loanId: row.loan_id,
    position: row.position,
    firstName: row.first_name,
    middleName: row.middle_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    ...maskedSsn(row),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });

  const getRow = async (id: string): Promise<ApplicantRow | undefined> =>
    (await ctx.statement(`SELECT ${COLUMNS()} FROM applicants WHERE id = ?`).get(id)) as ApplicantRow | undefined;

  const columns = (b: ParsedBorrower) => ({
    first_name: b.firstName,
    middle_name: b.middleName ? b.middleName : null,
    last_name: b.lastName,
    email: b.email,
    phone: b.phone,
  });

  return {
    async insert(loanId, position, input) {
      const parsed = BorrowerInput.safeParse(input);
      if (!parsed.success) throw validationError(parsed.error);
      const id = ctx.newId();
      const now = ctx.now();
      await ctx
        .statement(
          `INSERT INTO applicants (id, loan_id, position, first_name, middle_name, last_name, email, phone, ssn_enc,
             created_at, updated_at)
           VALUES (@id, @loan_id, @position, @first_name, @middle_name, @last_name, @email, @phone, @ssn_enc, @now, @now)`,
        )
        .run({
          id,
          loan_id: loanId,
          position,
          ...columns(parsed.data),
          ssn_enc: parsed.data.ssn ? ctx.cipher.sealText(parsed.data.ssn, ssnWhere(id)) : null,
          now,
        });
      return toApplicant((await getRow(id))!);
    },

    async update(id, changes) {
      // Only what changed is checked: a saved row keeps its values even if a rule tightened since.
      const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      const parsed = BorrowerInput.partial().safeParse(given);
      if (!parsed.success) throw validationError(parsed.error);
      return ctx.transaction(async () => {
        // What another desk saves at the same moment is read first, so its change is kept beside this one.
        await ctx.lockRow('applicants', id);
        const row = await getRow(id);
        if (!row) throw notFound('borrower');
        const merged: ParsedBorrower = {
          firstName: row.first_name,
          middleName: row.middle_name ?? undefined,
          lastName: row.last_name,
          email: row.email,
          phone: row.phone,
          ...Object.fromEntries(Object.entries(parsed.data).filter(([k]) => k in given)),
        };
        await ctx
          .statement(
            `UPDATE applicants SET first_name = @first_name, middle_name = @middle_name, last_name = @last_name,
             email = @email, phone = @phone, updated_at = @now WHERE id = @id`,
          )
          .run({ id, ...columns(merged), now: ctx.now() });
        if (parsed.data.ssn !== undefined) {
          await ctx
            .statement('UPDATE applicants SET ssn_enc = ? WHERE id = ?')
            .run(ctx.cipher.sealText(parsed.data.ssn, ssnWhere(id)), id);
        }
        return toApplicant((await getRow(id))!);
      });
    },

    async get(id) {
      const row = await getRow(id);
      return row ? toApplicant(row) : null;
    },

    async listForLoan(loanId) {
      const rows = (await ctx
        .statement(`SELECT ${COLUMNS()} FROM applicants WHERE loan_id = ? ORDER BY position, created_at`)
        .all(loanId)) as ApplicantRow[];
      return rows.map(toApplicant);
    },

    async describe(id) {
      const row = (await ctx
        .statement('SELECT id, loan_id, first_name, last_name FROM applicants WHERE id = ?')
        .get(id)) as Pick<ApplicantRow, 'id' | 'loan_id' | 'first_name' | 'last_name'> | undefined;
      return row ? { id: row.id, loanId: row.loan_id, firstName: row.first_name, lastName: row.last_name } : null;
    },

    async delete(id) {
      // Items, Hosted Link sessions and confirmations go by ON DELETE CASCADE.
      const info = await ctx.statement('DELETE FROM applicants WHERE id = ?').run(id);
      if (info.changes === 0) throw notFound('borrower');
    },

    async revealSsn(id) {
      const row = (await ctx.statement('SELECT ssn_enc FROM applicants WHERE id = ?').get(id)) as
        { ssn_enc: Buffer | null } | undefined;
      if (!row) throw notFound('borrower');
      return row.ssn_enc ? ctx.cipher.openText(row.ssn_enc, ssnWhere(id)) : null;
    },
  };
}
