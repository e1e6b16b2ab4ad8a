import type Database from 'better-sqlite3';
import type { AuditCopyRecord, ItemRecord, LinkSessionRecord, LinkTokenRecord, ReportRecord } from './store';

/**
 * Reads a data folder written before tokens were digested and sensitive values sealed (schema version 1),
 * so its Items and reports carry over into the current format instead of being lost.
 */
export interface V1Contents {
  meta: Map<string, string>;
  items: ItemRecord[];
  publicTokens: { public_token: string; item_id: string; expires_at: string; used: boolean }[];
  linkTokens: LinkTokenRecord[];
  linkSessions: LinkSessionRecord[];
  reports: ReportRecord[];
  auditCopies: AuditCopyRecord[];
}

interface V1ItemRow {
  item_id: string;
  access_token: string;
  institution_id: string;
  username: string;
  products: string;
  webhook: string | null;
  error: string | null;
  created_at: string;
  removed: number;
}

const parse = <T>(json: string): T => JSON.parse(json) as T;

/** Everything a version-1 database holds, or null when it has no version-1 tables. */
export function readV1(db: Database.Database): V1Contents | null {
  const tables = new Set(
    (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name),
  );
  const columns = tables.has('items')
    ? (db.prepare('PRAGMA table_info(items)').all() as { name: string }[]).map((c) => c.name)
    : [];
  if (!columns.includes('access_token')) return null;
  const all = <T>(sql: string): T[] => db.prepare(sql).all() as T[];
  return {
    meta: new Map(all<{ key: string; value: string }>('SELECT key, value FROM meta').map((r) => [r.key, r.value])),
    items: all<V1ItemRow>('SELECT * FROM items').map((row) => ({
      ...row,
      products: parse<string[]>(row.products),
      error: row.error ? parse<Record<string, unknown>>(row.error) : null,
      removed: row.removed === 1,
      // Version 1 billed on creation and kept no login time: the Item counts as logged in at creation.
      billed: true,
      login_at: row.created_at,
    })),
    publicTokens: all<{ public_token: string; item_id: string; expires_at: string; used: number }>(
      'SELECT * FROM public_tokens',
    ).map((row) => ({ ...row, used: row.used === 1 })),
    linkTokens: all<Omit<LinkTokenRecord, 'request'> & { request: string }>('SELECT * FROM link_tokens').map((row) => ({
      ...row,
      request: parse<Record<string, unknown>>(row.request),
    })),
    linkSessions: all<{ data: string }>('SELECT data FROM link_sessions ORDER BY rowid').map((row) =>
      parse<LinkSessionRecord>(row.data),
    ),
    reports: all<{ asset_report_token: string; data: string }>('SELECT asset_report_token, data FROM reports').map(
      (row) => ({ ...parse<ReportRecord>(row.data), asset_report_token: row.asset_report_token, generated: false }),
    ),
    auditCopies: all<Omit<AuditCopyRecord, 'removed'> & { removed: number }>('SELECT * FROM audit_copies').map(
      (row) => ({ ...row, removed: row.removed === 1 }),
    ),
  };
}
