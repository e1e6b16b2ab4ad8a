import type { AuditCopy } from '../../../shared/domain';
import { conflict, notFound, type StoreContext } from '../context';

export interface AuditCopyRepository {
  create(input: { reportId: string; auditorId: string; token: string }): AuditCopy;
  get(id: string): AuditCopy | null;
  list(reportId: string): AuditCopy[];
  /** Decrypted audit_copy_token, or null once removed. */
  token(id: string): string | null;
  /** Destroys the token and records when; the row stays for the history. */
  markRemoved(id: string): AuditCopy;
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
  const getRow = (id: string) =>
    ctx.statement(`SELECT ${COLUMNS} FROM audit_copies WHERE id = ?`).get(id) as AuditCopyRow | undefined;

  return {
    create(input) {
      const report = ctx.statement('SELECT status FROM reports WHERE id = ?').get(input.reportId) as
        { status: string } | undefined;
      if (!report) throw notFound('Asset Report');
      if (report.status !== 'ready') throw conflict('Only a ready Asset Report can be shared with an auditor.');
      const id = ctx.newId();
      ctx
        .statement('INSERT INTO audit_copies (id, report_id, auditor_id, token_enc, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(id, input.reportId, input.auditorId, ctx.cipher.sealText(input.token, tokenWhere(id)), ctx.now());
      return toAuditCopy(getRow(id)!);
    },

    get(id) {
      const row = getRow(id);
      return row ? toAuditCopy(row) : null;
    },

    list(reportId) {
      const rows = ctx
        .statement(`SELECT ${COLUMNS} FROM audit_copies WHERE report_id = ? ORDER BY created_at, id`)
        .all(reportId) as AuditCopyRow[];
      return rows.map(toAuditCopy);
    },

    token(id) {
      const row = ctx.statement('SELECT token_enc FROM audit_copies WHERE id = ?').get(id) as
        { token_enc: Buffer | null } | undefined;
      if (!row) throw notFound('audit copy');
      return row.token_enc ? ctx.cipher.openText(row.token_enc, tokenWhere(id)) : null;
    },

    markRemoved(id) {
      const info = ctx
        .statement('UPDATE audit_copies SET token_enc = NULL, removed_at = coalesce(removed_at, ?) WHERE id = ?')
        .run(ctx.now(), id);
      if (info.changes === 0) throw notFound('audit copy');
      return toAuditCopy(getRow(id)!);
    },
  };
}
