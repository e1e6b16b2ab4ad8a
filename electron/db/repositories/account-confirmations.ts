import type { AccountConfirmation } from '../../../shared/underwriting/types';
import { notFound, type StoreContext } from '../context';

export interface StoredAccountConfirmation extends AccountConfirmation {
  confirmedAt: string;
}

/**
 * The officer's "this account counts" confirmations, per account identity (see accountKey), held by a borrower
 * (the primary one when confirmed from a loan's report) so every report of the loan sees them.
 */
export interface AccountConfirmationRepository {
  confirm(applicantId: string, confirmation: AccountConfirmation): Promise<StoredAccountConfirmation>;
  withdraw(applicantId: string, accountKey: string, kind: AccountConfirmation['kind']): Promise<void>;
  list(applicantId: string): Promise<StoredAccountConfirmation[]>;
  /** Every borrower's confirmations on the loan: the analysis of any of its reports uses them all. */
  listForLoan(loanId: string): Promise<StoredAccountConfirmation[]>;
  /** Withdraws the confirmation whichever borrower on the loan holds it. */
  withdrawForLoan(loanId: string, accountKey: string, kind: AccountConfirmation['kind']): Promise<void>;
}

export function createAccountConfirmationRepository(ctx: StoreContext): AccountConfirmationRepository {
  // The AAD names the row's whole key, so a sealed note cannot be moved to another account or applicant.
  const noteWhere = (applicantId: string, accountKey: string, kind: string) => ({
    table: 'account_confirmations',
    column: 'note_enc',
    rowId: `${applicantId}/${accountKey}/${kind}`,
  });

  async function list(applicantId: string): Promise<StoredAccountConfirmation[]> {
    const rows = (await ctx
      .statement(
        `SELECT account_key, kind, note_enc, usd_rate, confirmed_at FROM account_confirmations
         WHERE applicant_id = ? ORDER BY confirmed_at, account_key, kind`,
      )
      .all(applicantId)) as {
      account_key: string;
      kind: AccountConfirmation['kind'];
      note_enc: Buffer;
      usd_rate: number | null;
      confirmed_at: string;
    }[];
    return rows.map((row) => ({
      accountKey: row.account_key,
      kind: row.kind,
      note: ctx.cipher.openText(row.note_enc, noteWhere(applicantId, row.account_key, row.kind)),
      usdRate: row.usd_rate,
      confirmedAt: row.confirmed_at,
    }));
  }

  return {
    async confirm(applicantId, { accountKey, kind, note, usdRate }) {
      if (!(await ctx.statement('SELECT 1 FROM applicants WHERE id = ?').get(applicantId))) throw notFound('applicant');
      const confirmedAt = ctx.now();
      await ctx
        .statement(
          `INSERT INTO account_confirmations (applicant_id, account_key, kind, note_enc, usd_rate, confirmed_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (applicant_id, account_key, kind) DO UPDATE SET
             note_enc = excluded.note_enc, usd_rate = excluded.usd_rate, confirmed_at = excluded.confirmed_at`,
        )
        .run(
          applicantId,
          accountKey,
          kind,
          ctx.cipher.sealText(note, noteWhere(applicantId, accountKey, kind)),
          usdRate ?? null,
          confirmedAt,
        );
      return { accountKey, kind, note, usdRate: usdRate ?? null, confirmedAt };
    },

    async withdraw(applicantId, accountKey, kind) {
      await ctx
        .statement('DELETE FROM account_confirmations WHERE applicant_id = ? AND account_key = ? AND kind = ?')
        .run(applicantId, accountKey, kind);
    },

    list,

    async listForLoan(loanId) {
      const holders = (await ctx
        .statement('SELECT id FROM applicants WHERE loan_id = ? ORDER BY position')
        .pluck()
        .all(loanId)) as string[];
      return (await Promise.all(holders.map((applicantId) => list(applicantId)))).flat();
    },

    async withdrawForLoan(loanId, accountKey, kind) {
      await ctx
        .statement(
          `DELETE FROM account_confirmations WHERE account_key = ? AND kind = ?
             AND applicant_id IN (SELECT id FROM applicants WHERE loan_id = ?)`,
        )
        .run(accountKey, kind, loanId);
    },
  };
}
