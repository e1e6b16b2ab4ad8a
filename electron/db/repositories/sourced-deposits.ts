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
  /**
   * The marks that apply to a report: its own and those made on the reports it was refreshed or filtered from
   * (Plaid keeps transaction ids across a refresh), nearest report first when the same deposit was marked twice.
   */
  listCarried(reportId: string): SourcedDeposit[];
}

export function createSourcedDepositRepository(ctx: StoreContext): SourcedDepositRepository {
  // The AAD names report and transaction, the row's composite key.
  const noteWhere = (reportId: string, transactionId: string) => ({
    table: 'sourced_deposits',
    column: 'note_enc',
    rowId: `${reportId}/${transactionId}`,
  });

  /** The report, then the report it was refreshed or filtered from, and so on. */
  const chainOf = (reportId: string): string[] =>
    (
      ctx
        .statement(
          `WITH RECURSIVE chain(id, parent_id, depth) AS (
             SELECT id, parent_id, 0 FROM reports WHERE id = ?
             UNION ALL
             SELECT r.id, r.parent_id, chain.depth + 1 FROM reports r JOIN chain ON r.id = chain.parent_id
             WHERE chain.depth < 100
           ) SELECT id FROM chain ORDER BY depth`,
        )
        .all(reportId) as { id: string }[]
    ).map((row) => row.id);

  const repository: SourcedDepositRepository = {
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
      // A mark carried from an earlier report is withdrawn there too, or it would come straight back.
      for (const id of chainOf(reportId))
        ctx.statement('DELETE FROM sourced_deposits WHERE report_id = ? AND transaction_id = ?').run(id, transactionId);
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

    listCarried(reportId) {
      const chain = chainOf(reportId);
      const seen = new Set<string>();
      const carried: SourcedDeposit[] = [];
      for (const id of chain) {
        for (const deposit of repository.list(id)) {
          if (seen.has(deposit.transactionId)) continue;
          seen.add(deposit.transactionId);
          carried.push(deposit);
        }
      }
      return carried;
    },
  };
  return repository;
}
