import type { AuditCopy } from '../../../shared/domain';
import { conflict, notFound, type StoreContext } from '../context';

export interface AuditCopyRepository {
  create(input: { reportId: string; auditorId: string; token: string }): Promise<AuditCopy>;
  get(id: string): Promise<AuditCopy | null>;
  list(reportId: string): Promise<AuditCopy[]>;
  /** Decrypted audit_copy_token, or null once removed. */
  token(id: string): Promise<string | null>;
  /** Destroys the token and records when; the row stays for the history. */
  markRemoved(id: string): Promise<AuditCopy>;
}

interface AuditCopyRow {
  id: string;
  report_id: string;
  auditor_id: string;
  created_at: string;
  removed_at: string | null;
}

const COLUMNS = 'id, report_id, auditor_id, created_at, removed_at';

export function createAuditCopyRepository(ctx: StoreContext): AuditCopyRepository {
  const tokenWhere = (rowId: string) => ({ table: 'audit_copies', column: 'token_enc', rowId });
  const toAuditCopy = (row: AuditCopyRow): AuditCopy => ({
    id: row.id,
    reportId: row.report_id,
    auditorId: row.auditor_id,
    createdAt: row.created_at,
    removedAt: row.removed_at,
  });
  const getRow = async (id: string) =>
    (await ctx.statement(`SELECT ${COLUMNS} FROM audit_copies WHERE id = ?`).get(id)) as AuditCopyRow | undefined;

  return {
    async create(input) {
      const report = (await ctx.statement('SELECT status FROM reports WHERE id = ?').get(input.reportId)) as
        { status: string } | undefined;
      if (!report) throw notFound('Asset Report');
      if (report.status !== 'ready') throw conflict('Only a ready Asset Report can be shared with an auditor.');
      const id = ctx.newId();
      await ctx
        .statement('INSERT INTO audit_copies (id, report_id, auditor_id, token_enc, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, input.reportId, input.auditorId, ctx.cipher.sealText(input.token, tokenWhere(id)), ctx.now());
      return toAuditCopy((await getRow(id))!);
    },

    async get(id) {
      const row = await getRow(id);
      return row ? toAuditCopy(row) : null;
    },

    async list(reportId) {
      const rows = (await ctx
        .statement(`SELECT ${COLUMNS} FROM audit_copies WHERE report_id = ? ORDER BY created_at, id`)
        .all(reportId)) as AuditCopyRow[];
      return rows.map(toAuditCopy);
    },

    async token(id) {
      const row = (await ctx.statement('SELECT token_enc FROM audit_copies WHERE id = ?').get(id)) as
        { token_enc: Buffer | null } | undefined;
      if (!row) throw notFound('audit copy');
      return row.token_enc ? ctx.cipher.openText(row.token_enc, tokenWhere(id)) : null;
    },

    async markRemoved(id) {
      const info = await ctx
        .statement('UPDATE audit_copies SET token_enc = NULL, removed_at = coalesce(removed_at, ?) WHERE id = ?')
        .run(ctx.now(), id);
      if (info.changes === 0) throw notFound('audit copy');
      return toAuditCopy((await getRow(id))!);
    },
  };
}
