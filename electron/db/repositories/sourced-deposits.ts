import { notFound, type StoreContext } from '../context';

export interface SourcedDeposit {
  transactionId: string;
  note: string;
  markedAt: string;
}

/** The officer's "this large deposit is explained" marks; the note may quote the borrower, so it is encrypted. */
export interface SourcedDepositRepository {
  mark(reportId: string, transactionId: string, note: string): Promise<SourcedDeposit>;
  unmark(reportId: string, transactionId: string): Promise<void>;
  list(reportId: string): Promise<SourcedDeposit[]>;
  /**
   * The marks that apply to a report: its own and those made on the reports it was refreshed or filtered from
   * (Plaid keeps transaction ids across a refresh), nearest report first when the same deposit was marked twice.
   */
  listCarried(reportId: string): Promise<SourcedDeposit[]>;
}

export function createSourcedDepositRepository(ctx: StoreContext): SourcedDepositRepository {
  // The AAD names report and transaction, the row's composite key.
  const noteWhere = (reportId: string, transactionId: string) => ({
    table: 'sourced_deposits',
    column: 'note_enc',
    rowId: `${reportId}/${transactionId}`,
  });

  /** The report, then the report it was refreshed or filtered from, and so on. */
  const chainOf = async (reportId: string): Promise<string[]> =>
    (
      (await ctx
        .statement(
          `WITH RECURSIVE chain(id, parent_id, depth) AS (
             SELECT id, parent_id, 0 FROM reports WHERE id = ?
             UNION ALL
             SELECT r.id, r.parent_id, chain.depth + 1 FROM reports r JOIN chain ON r.id = chain.parent_id
             WHERE chain.depth < 100
           ) SELECT id FROM chain ORDER BY depth`,
        )
        .all(reportId)) as { id: string }[]
    ).map((row) => row.id);

  const repository: SourcedDepositRepository = {
    async mark(reportId, transactionId, note) {
      if (!(await ctx.statement('SELECT 1 FROM reports WHERE id = ?').get(reportId))) throw notFound('Asset Report');
      const markedAt = ctx.now();
      await ctx
        .statement(
          `INSERT INTO sourced_deposits (report_id, transaction_id, note_enc, marked_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (report_id, transaction_id) DO UPDATE SET note_enc = excluded.note_enc, marked_at = excluded.marked_at`,
        )
        .run(reportId, transactionId, ctx.cipher.sealText(note, noteWhere(reportId, transactionId)), markedAt);
      return { transactionId, note, markedAt };
    },

    async unmark(reportId, transactionId) {
      // A mark carried from an earlier report is withdrawn there too, or it would come straight back.
      for (const id of await chainOf(reportId))
        await ctx
          .statement('DELETE FROM sourced_deposits WHERE report_id = ? AND transaction_id = ?')
          .run(id, transactionId);
    },

    async list(reportId) {
      const rows = (await ctx
        .statement(
          'SELECT transaction_id, note_enc, marked_at FROM sourced_deposits WHERE report_id = ? ORDER BY marked_at, transaction_id',
        )
        .all(reportId)) as { transaction_id: string; note_enc: Buffer; marked_at: string }[];
      return rows.map((row) => ({
        transactionId: row.transaction_id,
        note: ctx.cipher.openText(row.note_enc, noteWhere(reportId, row.transaction_id)),
        markedAt: row.marked_at,
      }));
    },

    async listCarried(reportId) {
      const chain = await chainOf(reportId);
      const seen = new Set<string>();
      const carried: SourcedDeposit[] = [];
      for (const id of chain) {
        for (const deposit of await repository.list(id)) {
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
