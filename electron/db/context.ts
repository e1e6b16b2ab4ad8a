import { randomUUID } from 'node:crypto';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { ValueCipher } from './cipher';
import type { SqlEngine, SqlStatement } from './sql';

/** What every repository shares: one SQL engine (SQLite or PostgreSQL), one cipher, one clock. */
export interface StoreContext {
  sql: SqlEngine;
  cipher: ValueCipher;
  logger?: Logger;
  now(): string;
  newId(): string;
  /** A statement of the engine (prepared once per SQL text and reused). */
  statement(sql: string): SqlStatement;
  /** One transaction; nested calls become savepoints. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * A SELECT list naming `names` of `table` (prefixed with `alias.` when given). Columns this desk may not read
   * (a processor's on the team database: tokens, SSNs) are answered as NULL without touching them, since the
   * server refuses a statement that so much as names them.
   */
  columns(table: string, names: readonly string[], alias?: string): string;
  /** Whether this desk may read `table.column` (false for a processor's desk and the secret columns). */
  readable(table: string, column: string): boolean;
  /**
   * Inside a transaction, before reading a row to change it: on the team database another desk changing the same
   * row waits until this transaction ends (and then reads what it wrote), so neither change is lost. SQLite needs
   * nothing: its one connection already runs this desk's transactions one at a time.
   */
  lockRow(table: string, id: string): Promise<void>;
}

export function createStoreContext(
  sql: SqlEngine,
  cipher: ValueCipher,
  clock: () => Date,
  logger?: Logger,
  hidden: ReadonlySet<string> = new Set(),
): StoreContext {
  const ctx: StoreContext = {
    sql,
    cipher,
    now: () => clock().toISOString(),
    newId: () => randomUUID(),
    statement: (text) => sql.statement(text),
    transaction: (fn) => sql.transaction(fn),
    columns: (table, names, alias) =>
      names
        .map((name) => (hidden.has(`${table}.${name}`) ? `NULL AS ${name}` : alias ? `${alias}.${name}` : name))
        .join(', '),
    readable: (table, column) => !hidden.has(`${table}.${column}`),
    async lockRow(table, id) {
      if (sql.dialect === 'postgres')
        await sql.statement(`SELECT 1 FROM ${table} WHERE id = ? FOR NO KEY UPDATE`).get(id);
    },
  };
  if (logger) ctx.logger = logger;
  return ctx;
}

export function notFound(what: string): AppError {
  return new AppError({
    code: ErrorCodes.notFound,
    message: `That ${what} no longer exists in AssetDesk. Refresh the list and try again.`,
    retryable: false,
  });
}

export function conflict(message: string): AppError {
  return new AppError({ code: ErrorCodes.conflict, message, retryable: false });
}

/** `%token%` for LIKE … ESCAPE '\', lower-cased like the search columns. */
export function likePattern(token: string): string {
  return `%${token.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** ISO date `YYYY-MM-DD` of the day after, for an inclusive `to` date on ISO timestamps. */
export function dayAfter(date: string): string {
  const d = new Date(`${date}T00:00:00.000Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
