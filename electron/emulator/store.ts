import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The emulator's state (Items, tokens, Link sessions, reports, audit copies, keys) in SQLite, so access tokens
 * and reports survive a restart when there is a data folder; `:memory:` otherwise.
 */
export interface ItemRecord {
  item_id: string;
  access_token: string;
  institution_id: string;
  username: string;
  products: string[];
  webhook: string | null;
  /** Standing Item error (e.g. ITEM_LOGIN_REQUIRED), Plaid error fields without request_id. */
  error: Record<string, unknown> | null;
  created_at: string;
  removed: boolean;
}

export interface LinkTokenRecord {
  link_token: string;
  created_at: string;
  expiration: string;
  /** The /link/token/create request (without credentials). */
  request: Record<string, unknown>;
  /** Update mode: the Item being repaired. */
  item_id: string | null;
  hosted_link_id: string | null;
}

export interface LinkSessionRecord {
  link_session_id: string;
  link_token: string;
  started_at: string;
  finished_at: string | null;
  events: Record<string, unknown>[];
  exit: Record<string, unknown> | null;
  results: ({ item_add_results: Record<string, unknown>[] } & Record<string, unknown>) | null;
  on_success: Record<string, unknown> | null;
  /** The Item being linked: its id is chosen at the credentials step so account ids are final before selection. */
  pending?: { institution_id: string; username: string; item_id: string } | null;
  status?: 'SUCCESS' | 'EXITED' | null;
}

export type ReportStatus = 'pending' | 'ready' | 'failed';

export interface ReportRecord {
  asset_report_id: string;
  asset_report_token: string;
  item_ids: string[];
  days_requested: number;
  options: Record<string, unknown>;
  account_ids_to_exclude: string[];
  created_at: string;
  ready_at: string;
  date_generated: string;
  /** A failure decided at creation (fault injection) or generation. */
  failure: Record<string, unknown> | null;
  removed: boolean;
  parent_report_id: string | null;
  webhook_sent: boolean;
}

export interface AuditCopyRecord {
  audit_copy_token: string;
  asset_report_id: string;
  auditor_id: string;
  created_at: string;
  removed: boolean;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  item_id TEXT PRIMARY KEY, access_token TEXT NOT NULL UNIQUE, institution_id TEXT NOT NULL, username TEXT NOT NULL,
  products TEXT NOT NULL, webhook TEXT, error TEXT, created_at TEXT NOT NULL, removed INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS public_tokens (
  public_token TEXT PRIMARY KEY, item_id TEXT NOT NULL, expires_at TEXT NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS link_tokens (
  link_token TEXT PRIMARY KEY, created_at TEXT NOT NULL, expiration TEXT NOT NULL, request TEXT NOT NULL,
  item_id TEXT, hosted_link_id TEXT UNIQUE);
CREATE TABLE IF NOT EXISTS link_sessions (
  link_session_id TEXT PRIMARY KEY, link_token TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS link_sessions_by_token ON link_sessions(link_token);
CREATE TABLE IF NOT EXISTS reports (
  asset_report_id TEXT PRIMARY KEY, asset_report_token TEXT NOT NULL UNIQUE, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS audit_copies (
  audit_copy_token TEXT PRIMARY KEY, asset_report_id TEXT NOT NULL, auditor_id TEXT NOT NULL, created_at TEXT NOT NULL,
  removed INTEGER NOT NULL DEFAULT 0);
`;

interface ItemRow {
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

const itemFromRow = (row: ItemRow): ItemRecord => ({
  ...row,
  products: JSON.parse(row.products) as string[],
  error: row.error ? (JSON.parse(row.error) as Record<string, unknown>) : null,
  removed: row.removed === 1,
});

export class EmulatorStore {
  private readonly db: Database.Database;

  constructor(dataDir: string | null) {
    if (dataDir) mkdirSync(dataDir, { recursive: true });
    this.db = new Database(dataDir ? join(dataDir, 'emulator.sqlite') : ':memory:');
    this.db.pragma('journal_mode = WAL');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  getMeta(key: string): string | null {
    const row = this.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value);
  }

  // ---- Items ----
  insertItem(item: ItemRecord): void {
    this.db
      .prepare(
        'INSERT INTO items (item_id, access_token, institution_id, username, products, webhook, error, created_at, removed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)',
      )
      .run(
        item.item_id,
        item.access_token,
        item.institution_id,
        item.username,
        JSON.stringify(item.products),
        item.webhook,
        item.error ? JSON.stringify(item.error) : null,
        item.created_at,
      );
  }

  itemByAccessToken(accessToken: string): ItemRecord | null {
    const row = this.db.prepare('SELECT * FROM items WHERE access_token = ? AND removed = 0').get(accessToken) as
      ItemRow | undefined;
    return row ? itemFromRow(row) : null;
  }

  itemById(itemId: string): ItemRecord | null {
    const row = this.db.prepare('SELECT * FROM items WHERE item_id = ?').get(itemId) as ItemRow | undefined;
    return row ? itemFromRow(row) : null;
  }

  setItemError(itemId: string, error: Record<string, unknown> | null): void {
    this.db.prepare('UPDATE items SET error = ? WHERE item_id = ?').run(error ? JSON.stringify(error) : null, itemId);
  }

  removeItem(itemId: string): void {
    this.db.prepare('UPDATE items SET removed = 1 WHERE item_id = ?').run(itemId);
  }

  // ---- public tokens ----
  insertPublicToken(publicToken: string, itemId: string, expiresAt: string): void {
    this.db
      .prepare('INSERT INTO public_tokens (public_token, item_id, expires_at) VALUES (?, ?, ?)')
      .run(publicToken, itemId, expiresAt);
  }

  /** Marks the token used and returns it, or null if unknown or already used. */
  consumePublicToken(publicToken: string): { item_id: string; expires_at: string } | null {
    const row = this.db
      .prepare('SELECT item_id, expires_at, used FROM public_tokens WHERE public_token = ?')
      .get(publicToken) as { item_id: string; expires_at: string; used: number } | undefined;
    if (!row || row.used === 1) return null;
    this.db.prepare('UPDATE public_tokens SET used = 1 WHERE public_token = ?').run(publicToken);
    return { item_id: row.item_id, expires_at: row.expires_at };
  }

  // ---- Link tokens and sessions ----
  insertLinkToken(record: LinkTokenRecord): void {
    this.db
      .prepare(
        'INSERT INTO link_tokens (link_token, created_at, expiration, request, item_id, hosted_link_id) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        record.link_token,
        record.created_at,
        record.expiration,
        JSON.stringify(record.request),
        record.item_id,
        record.hosted_link_id,
      );
  }

  linkToken(linkToken: string): LinkTokenRecord | null {
    const row = this.db.prepare('SELECT * FROM link_tokens WHERE link_token = ?').get(linkToken) as
      (Omit<LinkTokenRecord, 'request'> & { request: string }) | undefined;
    return row ? { ...row, request: JSON.parse(row.request) as Record<string, unknown> } : null;
  }

  linkTokenByHostedId(hostedLinkId: string): LinkTokenRecord | null {
    const row = this.db.prepare('SELECT link_token FROM link_tokens WHERE hosted_link_id = ?').get(hostedLinkId) as
      { link_token: string } | undefined;
    return row ? this.linkToken(row.link_token) : null;
  }

  saveLinkSession(session: LinkSessionRecord): void {
    this.db
      .prepare(
        'INSERT INTO link_sessions (link_session_id, link_token, data) VALUES (?, ?, ?) ON CONFLICT(link_session_id) DO UPDATE SET data = excluded.data',
      )
      .run(session.link_session_id, session.link_token, JSON.stringify(session));
  }

  linkSession(linkSessionId: string): LinkSessionRecord | null {
    const row = this.db.prepare('SELECT data FROM link_sessions WHERE link_session_id = ?').get(linkSessionId) as
      { data: string } | undefined;
    return row ? (JSON.parse(row.data) as LinkSessionRecord) : null;
  }

  linkSessionsOf(linkToken: string): LinkSessionRecord[] {
    const rows = this.db
      .prepare('SELECT data FROM link_sessions WHERE link_token = ? ORDER BY rowid')
      .all(linkToken) as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as LinkSessionRecord);
  }

  // ---- reports ----
  saveReport(report: ReportRecord): void {
    this.db
      .prepare(
        'INSERT INTO reports (asset_report_id, asset_report_token, data) VALUES (?, ?, ?) ON CONFLICT(asset_report_id) DO UPDATE SET data = excluded.data',
      )
      .run(report.asset_report_id, report.asset_report_token, JSON.stringify(report));
  }

  reportByToken(token: string): ReportRecord | null {
    const row = this.db.prepare('SELECT data FROM reports WHERE asset_report_token = ?').get(token) as
      { data: string } | undefined;
    return row ? (JSON.parse(row.data) as ReportRecord) : null;
  }

  reportById(id: string): ReportRecord | null {
    const row = this.db.prepare('SELECT data FROM reports WHERE asset_report_id = ?').get(id) as
      { data: string } | undefined;
    return row ? (JSON.parse(row.data) as ReportRecord) : null;
  }

  reportsAwaitingWebhook(): ReportRecord[] {
    const rows = this.db.prepare('SELECT data FROM reports').all() as { data: string }[];
    return rows.map((r) => JSON.parse(r.data) as ReportRecord).filter((r) => !r.webhook_sent && !r.removed);
  }

  // ---- audit copies ----
  insertAuditCopy(copy: Omit<AuditCopyRecord, 'removed'>): void {
    this.db
      .prepare(
        'INSERT INTO audit_copies (audit_copy_token, asset_report_id, auditor_id, created_at) VALUES (?, ?, ?, ?)',
      )
      .run(copy.audit_copy_token, copy.asset_report_id, copy.auditor_id, copy.created_at);
  }

  auditCopy(token: string): AuditCopyRecord | null {
    const row = this.db.prepare('SELECT * FROM audit_copies WHERE audit_copy_token = ?').get(token) as
      (Omit<AuditCopyRecord, 'removed'> & { removed: number }) | undefined;
    return row ? { ...row, removed: row.removed === 1 } : null;
  }

  removeAuditCopy(token: string): void {
    this.db.prepare('UPDATE audit_copies SET removed = 1 WHERE audit_copy_token = ?').run(token);
  }

  removeAuditCopiesOf(reportId: string): void {
    this.db.prepare('UPDATE audit_copies SET removed = 1 WHERE asset_report_id = ?').run(reportId);
  }
}
