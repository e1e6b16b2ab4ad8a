import { notFound, type StoreContext } from '../context';

export interface SourcedDeposit {
  transactionId: string;
  note: string;
  markedAt: string;
}

/** The officer's "this large deposit is explained" marks; the note may quote the borrower, so it is encrypted. */
export interface SourcedDepositRepository {
  mark(reportId: string, transactionId: string, note: string): SourcedDeposit;
  unmark(reportId: string, transactionId: string): void;
  list(reportId: string): SourcedDeposit[];
}

export function createSourcedDepositRepository(ctx: StoreContext): SourcedDepositRepository {
  // The AAD names report and transaction, the row's composite key.
  const noteWhere = (reportId: string, transactionId: string) => ({
    table: 'sourced_deposits',
    column: 'note_enc',
    rowId: `${reportId}/${transactionId}`,
  });

  return {
    mark(reportId, transactionId, note) {
      if (!ctx.statement('SELECT 1 FROM reports WHERE id = ?').get(reportId)) throw notFound('Asset Report');
      const markedAt = ctx.now();
      ctx
        .statement(
          `INSERT INTO sourced_deposits (report_id, transaction_id, note_enc, marked_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (report_id, transaction_id) DO UPDATE SET note_enc = excluded.note_enc, marked_at = excluded.marked_at`,
        )
        .run(reportId, transactionId, ctx.cipher.sealText(note, noteWhere(reportId, transactionId)), markedAt);
      return { transactionId, note, markedAt };
    },

    unmark(reportId, transactionId) {
      ctx
        .statement('DELETE FROM sourced_deposits WHERE report_id = ? AND transaction_id = ?')
        .run(reportId, transactionId);
    },

    list(reportId) {
      const rows = ctx
        .statement(
          'SELECT transaction_id, note_enc, marked_at FROM sourced_deposits WHERE report_id = ? ORDER BY marked_at, transaction_id',
        )
        .all(reportId) as { transaction_id: string; note_enc: Buffer; marked_at: string }[];
      return rows.map((row) => ({
        transactionId: row.transaction_id,
        note: ctx.cipher.openText(row.note_enc, noteWhere(reportId, row.transaction_id)),
        markedAt: row.marked_at,
      }));
    },
  };
}
