import type { AccountConfirmation } from '../../../shared/underwriting/types';
import { notFound, type StoreContext } from '../context';

export interface StoredAccountConfirmation extends AccountConfirmation {
  confirmedAt: string;
}

/**
 * The officer's "this account counts" confirmations, per applicant and account identity (see accountKey), and the
 * loan's expected note date: what the officer records for the lens, kept at the applicant so every report sees it.
 */
export interface AccountConfirmationRepository {
  confirm(applicantId: string, confirmation: AccountConfirmation): StoredAccountConfirmation;
  withdraw(applicantId: string, accountKey: string, kind: AccountConfirmation['kind']): void;
  list(applicantId: string): StoredAccountConfirmation[];
  /** The loan's expected note (closing) date, YYYY-MM-DD, or null while not known. */
  noteDate(applicantId: string): string | null;
  setNoteDate(applicantId: string, date: string | null): void;
}

export function createAccountConfirmationRepository(ctx: StoreContext): AccountConfirmationRepository {
  // The AAD names the row's whole key, so a sealed note cannot be moved to another account or applicant.
  const noteWhere = (applicantId: string, accountKey: string, kind: string) => ({
    table: 'account_confirmations',
    column: 'note_enc',
    rowId: `${applicantId}/${accountKey}/${kind}`,
  });

  return {
    confirm(applicantId, { accountKey, kind, note, usdRate }) {
      if (!ctx.statement('SELECT 1 FROM applicants WHERE id = ?').get(applicantId)) throw notFound('applicant');
      const confirmedAt = ctx.now();
      ctx
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

    withdraw(applicantId, accountKey, kind) {
      ctx
        .statement('DELETE FROM account_confirmations WHERE applicant_id = ? AND account_key = ? AND kind = ?')
        .run(applicantId, accountKey, kind);
    },

    list(applicantId) {
      const rows = ctx
        .statement(
          `SELECT account_key, kind, note_enc, usd_rate, confirmed_at FROM account_confirmations
           WHERE applicant_id = ? ORDER BY confirmed_at, account_key, kind`,
        )
        .all(applicantId) as {
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
    },

    noteDate(applicantId) {
      const row = ctx
        .statement('SELECT expected_note_date FROM loan_note_dates WHERE applicant_id = ?')
        .get(applicantId) as { expected_note_date: string } | undefined;
      return row?.expected_note_date ?? null;
    },

    setNoteDate(applicantId, date) {
      if (date === null) {
        ctx.statement('DELETE FROM loan_note_dates WHERE applicant_id = ?').run(applicantId);
        return;
      }
      if (!ctx.statement('SELECT 1 FROM applicants WHERE id = ?').get(applicantId)) throw notFound('applicant');
      ctx
        .statement(
          `INSERT INTO loan_note_dates (applicant_id, expected_note_date) VALUES (?, ?)
           ON CONFLICT (applicant_id) DO UPDATE SET expected_note_date = excluded.expected_note_date`,
        )
        .run(applicantId, date);
    },
  };
}
