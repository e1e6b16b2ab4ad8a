import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { Sealer, tokenHash } from './sealed';
import { readV1, type V1Contents } from './store-v1';

/**
 * The emulator's state (Items, tokens, Link sessions, reports, audit copies, keys) in SQLite, so access tokens
 * and reports survive a restart when there is a data folder; `:memory:` otherwise.
 * Nothing sensitive is kept in clear: the folder and files are owner-only, tokens are looked up by SHA-256
 * digest, and what must be read back (access tokens for the exchange, the applicant in `options.user`, Link
 * requests and sessions, custom users' configurations, the secret and the webhook signing key) is sealed with
 * AES-256-GCM under the storage key.
 */
export interface ItemRecord {
  item_id: string;
  /** Known only while the request that carries it is handled: the store keeps its digest, never the token. */
  access_token?: string;
  institution_id: string;
  username: string;
  products: string[];
  webhook: string | null;
  /** Standing Item error (e.g. ITEM_LOGIN_REQUIRED), Plaid error fields without request_id. */
  error: Record<string, unknown> | null;
  created_at: string;
  removed: boolean;
  /** `assets` appears in billed_products only after the first /asset_report/create. */
  billed?: boolean;
  /** Last successful login (creation or update-mode repair): Sandbox Items need a new login 30 days later. */
  login_at?: string;
  /** The accounts the customer shared in Link (null: every account at the bank). */
  account_ids?: string[] | null;
  /** A `user_custom` Item's configuration (its accounts, owners, transactions): sealed at rest. */
  custom_user?: string | null;
  /** The last webhook fired to the Item's webhook, as /item/get's `status.last_webhook`. */
  last_webhook?: { sent_at: string; code_sent: string } | null;
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
  pending?: { institution_id: string; username: string; item_id: string; custom_user?: string | null } | null;
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
  /** Warnings of a report produced without some data (require_all_items false, owners unavailable). */
  warnings?: Record<string, unknown>[];
  /** Items left out of the report because they failed during generation (require_all_items false). */
  dropped_item_ids?: string[];
  /** With Fast Assets: when the FAST report is ready (the FULL one is ready at ready_at). */
  fast_ready_at?: string | null;
  fast_webhook_sent?: boolean;
  /** Whether the creating client had insights when the report was created. */
  insights_enabled?: boolean;
  /** Set once the Items' data was pulled: failures, warnings and dropped Items are then final. */
  generated?: boolean;
}

export interface AuditCopyRecord {
  /** The token's digest once stored. */
  audit_copy_token: string;
  asset_report_id: string;
  auditor_id: string;
  created_at: string;
  removed: boolean;
}

const SCHEMA_VERSION = 2;
const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS items (
  item_id TEXT PRIMARY KEY, access_token_hash TEXT NOT NULL UNIQUE, sealed_access_token TEXT NOT NULL,
  data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS public_tokens (
  public_token_hash TEXT PRIMARY KEY, item_id TEXT NOT NULL, expires_at TEXT NOT NULL, used INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS link_tokens (
  link_token_hash TEXT PRIMARY KEY, hosted_link_id_hash TEXT UNIQUE, sealed TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS link_sessions (
  link_session_id TEXT PRIMARY KEY, link_token_hash TEXT NOT NULL, sealed TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS link_sessions_by_token ON link_sessions(link_token_hash);
CREATE TABLE IF NOT EXISTS reports (
  asset_report_id TEXT PRIMARY KEY, asset_report_token_hash TEXT NOT NULL UNIQUE, data TEXT NOT NULL,
  sealed_user TEXT);
CREATE TABLE IF NOT EXISTS audit_copies (
  audit_copy_token_hash TEXT PRIMARY KEY, asset_report_id TEXT NOT NULL, auditor_id TEXT NOT NULL,
  created_at TEXT NOT NULL, removed INTEGER NOT NULL DEFAULT 0);
`;
const OLD_TABLES = ['items', 'public_tokens', 'link_tokens', 'link_sessions', 'reports', 'audit_copies', 'meta'];
const KEY_CHECK = 'storage_key_check';
const SEALED_META = ['secret', 'webhook_signing_key'];

/** Owner-only folder and database files (SQLite gives the -wal and -shm files the database file's mode). */
function prepareFiles(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  const file = join(dataDir, 'emulator.sqlite');
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600);
  return file;
}

export interface StoreOptions {
  /** 32 bytes that seal sensitive values; without it a new key per run (sealed values then last one run). */
  storageKey?: Buffer | null;
}

export class EmulatorStore {
  private readonly db: Database.Database;
  private readonly sealer: Sealer;
  /** Compiled once and reused: every request looks something up, and compiling SQL costs more than running it. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(dataDir: string | null, options: StoreOptions = {}) {
    this.db = new Database(dataDir ? prepareFiles(dataDir) : ':memory:');
    this.db.pragma('journal_mode = WAL');
    // Deleted rows are zeroed, so a scrubbed old-format file keeps no tokens or SSNs in free pages.
    this.db.pragma('secure_delete = ON');
    this.sealer = new Sealer(options.storageKey ?? null);
    this.migrate();
    this.checkKey();
  }

  private sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /**
   * Version 1 kept tokens, SSNs and keys in clear: its rows are carried over in the sealed format, then the
   * file is vacuumed so no clear copy stays in free pages or the WAL.
   */
  private migrate(): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version === SCHEMA_VERSION) return;
    const old = version < SCHEMA_VERSION ? readV1(this.db) : null;
    const hadTables = this.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as {
      n: number;
    };
    this.db.transaction(() => {
      if (hadTables.n > 0) for (const table of OLD_TABLES) this.db.exec(`DROP TABLE IF EXISTS ${table}`);
      this.db.exec(SCHEMA);
      if (old) this.importV1(old);
      this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    })();
    if (hadTables.n > 0) {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.exec('VACUUM');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    }
  }

  private importV1(old: V1Contents): void {
    const clientId = old.meta.get('client_id');
    if (clientId) this.setMeta('client_id', clientId);
    for (const key of SEALED_META) {
      const value = old.meta.get(key);
      if (value) this.setSealedMeta(key, value);
    }
    for (const item of old.items) this.insertItem(item);
    for (const token of old.publicTokens) {
      this.insertPublicToken(token.public_token, token.item_id, token.expires_at);
      if (token.used) this.consumePublicToken(token.public_token);
    }
    for (const record of old.linkTokens) this.insertLinkToken(record);
    for (const session of old.linkSessions) this.saveLinkSession(session);
    for (const report of old.reports) this.saveReport(report);
    for (const copy of old.auditCopies) {
      this.insertAuditCopy(copy);
      if (copy.removed) this.removeAuditCopy(copy.audit_copy_token);
    }
  }

  /** Values sealed under another key cannot be opened: forget them rather than fail on each read. */
  private checkKey(): void {
    const check = this.sealer.keyCheck();
    const saved = this.getMeta(KEY_CHECK);
    if (saved !== null && saved !== check) {
      for (const key of SEALED_META) this.sql('DELETE FROM meta WHERE key = ?').run(key);
    }
    this.setMeta(KEY_CHECK, check);
  }

  close(): void {
    this.db.close();
  }

  getMeta(key: string): string | null {
    const row = this.sql('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.sql('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
      key,
      value,
    );
  }

  getSealedMeta(key: string): string | null {
    const sealed = this.getMeta(key);
    return sealed === null ? null : this.sealer.open(sealed);
  }

  setSealedMeta(key: string, value: string): void {
    this.setMeta(key, this.sealer.seal(value));
  }

  // ---- Items ----
  insertItem(item: ItemRecord): void {
    if (!item.access_token) throw new Error('a new Item needs its access token');
    this.sql('INSERT INTO items (item_id, access_token_hash, sealed_access_token, data) VALUES (?, ?, ?, ?)').run(
      item.item_id,
      tokenHash(item.access_token),
      this.sealer.seal(item.access_token),
      this.itemData(item),
    );
  }

  private saveItem(item: ItemRecord): void {
    this.sql('UPDATE items SET data = ? WHERE item_id = ?').run(this.itemData(item), item.item_id);
  }

  /** The stored JSON: without the token, the custom configuration (names, addresses…) sealed. */
  private itemData(item: ItemRecord): string {
    const { custom_user: custom, ...rest } = withoutToken(item);
    return JSON.stringify(custom ? { ...rest, sealed_custom_user: this.sealer.seal(custom) } : rest);
  }

  private itemFromData(data: string): ItemRecord {
    const { sealed_custom_user: sealed, ...item } = JSON.parse(data) as ItemRecord & { sealed_custom_user?: string };
    // Sealed under another storage key: unreadable, the Item then has Sandbox's standard data.
    if (sealed !== undefined) item.custom_user = this.sealer.open(sealed);
    return item;
  }

  itemByAccessToken(accessToken: string): ItemRecord | null {
    const row = this.sql('SELECT data FROM items WHERE access_token_hash = ?').get(tokenHash(accessToken)) as
      { data: string } | undefined;
    if (!row) return null;
    const item = this.itemFromData(row.data);
    return item.removed ? null : { ...item, access_token: accessToken };
  }

  /** Rotation (/item/access_token/invalidate): the Item answers only to the new token from now on. */
  replaceAccessToken(itemId: string, accessToken: string): void {
    this.sql('UPDATE items SET access_token_hash = ?, sealed_access_token = ? WHERE item_id = ?').run(
      tokenHash(accessToken),
      this.sealer.seal(accessToken),
      itemId,
    );
  }

  itemById(itemId: string): ItemRecord | null {
    const row = this.sql('SELECT data FROM items WHERE item_id = ?').get(itemId) as { data: string } | undefined;
    return row ? this.itemFromData(row.data) : null;
  }

  /** The Item's access token, for /item/public_token/exchange (null if sealed under another storage key). */
  accessTokenOf(itemId: string): string | null {
    const row = this.sql('SELECT sealed_access_token FROM items WHERE item_id = ?').get(itemId) as
      { sealed_access_token: string } | undefined;
    return row ? this.sealer.open(row.sealed_access_token) : null;
  }

  activeItems(): ItemRecord[] {
    const rows = this.sql('SELECT data FROM items').all() as { data: string }[];
    return rows.map((r) => this.itemFromData(r.data)).filter((i) => !i.removed);
  }

  updateItem(itemId: string, change: Partial<Omit<ItemRecord, 'item_id' | 'access_token'>>): void {
    const item = this.itemById(itemId);
    if (item) this.saveItem({ ...item, ...change });
  }

  setItemError(itemId: string, error: Record<string, unknown> | null): void {
    this.updateItem(itemId, { error });
  }

  removeItem(itemId: string): void {
    this.updateItem(itemId, { removed: true });
  }

  // ---- public tokens ----
  insertPublicToken(publicToken: string, itemId: string, expiresAt: string): void {
    this.sql('INSERT INTO public_tokens (public_token_hash, item_id, expires_at) VALUES (?, ?, ?)').run(
      tokenHash(publicToken),
      itemId,
      expiresAt,
    );
  }

  /** Marks the token used and returns it, or null if unknown or already used. */
  consumePublicToken(publicToken: string): { item_id: string; expires_at: string } | null {
    const hash = tokenHash(publicToken);
    const row = this.sql('SELECT item_id, expires_at, used FROM public_tokens WHERE public_token_hash = ?').get(
      hash,
    ) as { item_id: string; expires_at: string; used: number } | undefined;
    if (!row || row.used === 1) return null;
    this.sql('UPDATE public_tokens SET used = 1 WHERE public_token_hash = ?').run(hash);
    return { item_id: row.item_id, expires_at: row.expires_at };
  }

  // ---- Link tokens and sessions ----
  insertLinkToken(record: LinkTokenRecord): void {
    this.sql('INSERT INTO link_tokens (link_token_hash, hosted_link_id_hash, sealed) VALUES (?, ?, ?)').run(
      tokenHash(record.link_token),
      // The Hosted Link id opens the Link page as the token does: kept as a digest too.
      record.hosted_link_id === null ? null : tokenHash(record.hosted_link_id),
      this.sealer.seal(JSON.stringify(record)),
    );
  }

  private openLinkToken(sealed: string): LinkTokenRecord | null {
    const json = this.sealer.open(sealed);
    return json === null ? null : (JSON.parse(json) as LinkTokenRecord);
  }

  linkToken(linkToken: string): LinkTokenRecord | null {
    const row = this.sql('SELECT sealed FROM link_tokens WHERE link_token_hash = ?').get(tokenHash(linkToken)) as
      { sealed: string } | undefined;
    return row ? this.openLinkToken(row.sealed) : null;
  }

  linkTokenByHostedId(hostedLinkId: string): LinkTokenRecord | null {
    const row = this.sql('SELECT sealed FROM link_tokens WHERE hosted_link_id_hash = ?').get(
      tokenHash(hostedLinkId),
    ) as { sealed: string } | undefined;
    return row ? this.openLinkToken(row.sealed) : null;
  }

  saveLinkSession(session: LinkSessionRecord): void {
    this.sql(
      'INSERT INTO link_sessions (link_session_id, link_token_hash, sealed) VALUES (?, ?, ?) ON CONFLICT(link_session_id) DO UPDATE SET sealed = excluded.sealed',
    ).run(session.link_session_id, tokenHash(session.link_token), this.sealer.seal(JSON.stringify(session)));
  }

  private openSession(sealed: string): LinkSessionRecord | null {
    const json = this.sealer.open(sealed);
    return json === null ? null : (JSON.parse(json) as LinkSessionRecord);
  }

  linkSession(linkSessionId: string): LinkSessionRecord | null {
    const row = this.sql('SELECT sealed FROM link_sessions WHERE link_session_id = ?').get(linkSessionId) as
      { sealed: string } | undefined;
    return row ? this.openSession(row.sealed) : null;
  }

  linkSessionsOf(linkToken: string): LinkSessionRecord[] {
    const rows = this.sql('SELECT sealed FROM link_sessions WHERE link_token_hash = ? ORDER BY rowid').all(
      tokenHash(linkToken),
    ) as { sealed: string }[];
    return rows.map((r) => this.openSession(r.sealed)).filter((s): s is LinkSessionRecord => s !== null);
  }

  // ---- reports ----
  /** The report without its token; `options.user` (names, SSN, contact details) sealed apart. */
  saveReport(report: ReportRecord): void {
    const { user, ...options } = report.options;
    const data = JSON.stringify({ ...report, asset_report_token: '', options });
    const sealedUser = user === undefined ? null : this.sealer.seal(JSON.stringify(user));
    const existing = this.sql('SELECT 1 FROM reports WHERE asset_report_id = ?').get(report.asset_report_id);
    if (existing) {
      // Updates never carry a new user: keep the sealed one unless the record still holds it.
      this.sql('UPDATE reports SET data = ?, sealed_user = coalesce(?, sealed_user) WHERE asset_report_id = ?').run(
        data,
        sealedUser,
        report.asset_report_id,
      );
      return;
    }
    if (!report.asset_report_token) throw new Error('a new report needs its token');
    this.sql(
      'INSERT INTO reports (asset_report_id, asset_report_token_hash, data, sealed_user) VALUES (?, ?, ?, ?)',
    ).run(report.asset_report_id, tokenHash(report.asset_report_token), data, sealedUser);
  }

  private reportFromRow(row: { data: string; sealed_user: string | null } | undefined): ReportRecord | null {
    if (!row) return null;
    const record = JSON.parse(row.data) as ReportRecord;
    const user = row.sealed_user === null ? null : this.sealer.open(row.sealed_user);
    if (user !== null) record.options = { ...record.options, user: JSON.parse(user) as unknown };
    return record;
  }

  reportByToken(token: string): ReportRecord | null {
    const row = this.sql('SELECT data, sealed_user FROM reports WHERE asset_report_token_hash = ?').get(
      tokenHash(token),
    ) as { data: string; sealed_user: string | null } | undefined;
    const record = this.reportFromRow(row);
    return record ? { ...record, asset_report_token: token } : null;
  }

  reportById(id: string): ReportRecord | null {
    const row = this.sql('SELECT data, sealed_user FROM reports WHERE asset_report_id = ?').get(id) as
      { data: string; sealed_user: string | null } | undefined;
    return this.reportFromRow(row);
  }

  reportsAwaitingWebhook(): ReportRecord[] {
    const rows = this.sql('SELECT asset_report_id FROM reports').all() as { asset_report_id: string }[];
    return rows
      .map((r) => this.reportById(r.asset_report_id))
      .filter((r): r is ReportRecord => r !== null && !r.webhook_sent && !r.removed);
  }

  // ---- audit copies ----
  insertAuditCopy(copy: Omit<AuditCopyRecord, 'removed'>): void {
    this.sql(
      'INSERT INTO audit_copies (audit_copy_token_hash, asset_report_id, auditor_id, created_at) VALUES (?, ?, ?, ?)',
    ).run(tokenHash(copy.audit_copy_token), copy.asset_report_id, copy.auditor_id, copy.created_at);
  }

  auditCopy(token: string): AuditCopyRecord | null {
    const row = this.sql(
      'SELECT asset_report_id, auditor_id, created_at, removed FROM audit_copies WHERE audit_copy_token_hash = ?',
    ).get(tokenHash(token)) as
      (Omit<AuditCopyRecord, 'removed' | 'audit_copy_token'> & { removed: number }) | undefined;
    return row ? { ...row, audit_copy_token: token, removed: row.removed === 1 } : null;
  }

  removeAuditCopy(token: string): void {
    this.sql('UPDATE audit_copies SET removed = 1 WHERE audit_copy_token_hash = ?').run(tokenHash(token));
  }

  removeAuditCopiesOf(reportId: string): void {
    this.sql('UPDATE audit_copies SET removed = 1 WHERE asset_report_id = ?').run(reportId);
  }
}

function withoutToken(item: ItemRecord): Omit<ItemRecord, 'access_token'> {
  const { access_token: _t, ...rest } = item;
  return rest;
}
