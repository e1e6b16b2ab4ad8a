import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { ValueCipher } from './cipher';

/** What every repository shares: one connection, one cipher, one clock, one statement cache. */
export interface StoreContext {
  db: Database.Database;
  cipher: ValueCipher;
  logger?: Logger;
  now(): string;
  newId(): string;
  /** Prepared once per SQL text and reused (statements are cheap to keep, costly to re-prepare). */
  statement(sql: string): Database.Statement;
}

export function createStoreContext(
  db: Database.Database,
  cipher: ValueCipher,
  clock: () => Date,
  logger?: Logger,
): StoreContext {
  const cache = new Map<string, Database.Statement>();
  const ctx: StoreContext = {
    db,
    cipher,
    now: () => clock().toISOString(),
    newId: () => randomUUID(),
    statement(sql) {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = db.prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
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
