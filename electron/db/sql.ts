import { AsyncLocalStorage } from 'node:async_hooks';
import type Database from 'better-sqlite3';
import { storageFailure } from './storage-errors';

/**
 * The one way repositories talk to a database, whichever engine holds the history: the local SQLite
 * file (better-sqlite3, synchronous underneath) or the team's PostgreSQL server (`pg`). Everything is
 * asynchronous so both fit; SQL is written once with `?` (positional) or `@name` (named) parameters,
 * and the few engine-specific spellings branch on `dialect`.
 */
export type SqlDialect = 'sqlite' | 'postgres';

/** Positional values, or one object of named values (`@name`). */
export type SqlParams = unknown[];

export interface SqlStatement {
  get(...params: SqlParams): Promise<unknown>;
  all(...params: SqlParams): Promise<unknown[]>;
  run(...params: SqlParams): Promise<{ changes: number }>;
  /** The same statement answering only its first column's values. */
  pluck(): SqlStatement;
}

export interface SqlEngine {
  readonly dialect: SqlDialect;
  /** Prepared (and cached) per SQL text. */
  statement(sql: string): SqlStatement;
  /**
   * Runs `fn` in one transaction; statements `fn` makes (however deep) join it, nested calls become
   * savepoints, and it rolls back if `fn` throws. Statements from outside wait until it ends.
   */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
  /** Whether the caller is inside a transaction of this engine. */
  inTransaction(): boolean;
  close(): Promise<void>;
}

/**
 * better-sqlite3 under the async interface. One connection, so a transaction holds it: statements
 * from outside the transaction wait for it to end (else their writes would join it), statements from
 * inside (found by async context) run at once.
 */
export function sqliteEngine(db: Database.Database): SqlEngine & { readonly db: Database.Database } {
  const context = new AsyncLocalStorage<object>();
  const cache = new Map<string, Database.Statement>();
  const plucked = new Map<string, Database.Statement>();
  let open: { owner: object; done: Promise<void> } | null = null;
  let savepoints = 0;

  const insideOwn = () => open !== null && context.getStore() === open.owner;
  async function turn(): Promise<void> {
    while (open !== null && context.getStore() !== open.owner) await open.done;
  }
  const prepared = (sql: string, pluck: boolean): Database.Statement => {
    const map = pluck ? plucked : cache;
    let stmt = map.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (pluck) stmt.pluck();
      map.set(sql, stmt);
    }
    return stmt;
  };
  // A disk that fills up, turns read-only or goes away while the app runs: told as such, not as an internal error.
  const onDisk = <T>(work: () => T): T => {
    try {
      return work();
    } catch (error) {
      throw storageFailure(error, db.name) ?? error;
    }
  };
  const makeStatement = (sql: string, pluck: boolean): SqlStatement => ({
    async get(...params) {
      if (open) await turn();
      return onDisk(() => prepared(sql, pluck).get(...params));
    },
    async all(...params) {
      if (open) await turn();
      return onDisk(() => prepared(sql, pluck).all(...params));
    },
    async run(...params) {
      if (open) await turn();
      const info = onDisk(() => prepared(sql, pluck).run(...params));
      return { changes: info.changes };
    },
    pluck: () => makeStatement(sql, true),
  });

  return {
    dialect: 'sqlite',
    db,
    statement: (sql) => makeStatement(sql, false),
    inTransaction: insideOwn,
    async transaction(fn) {
      if (insideOwn()) {
        const name = `sp_${++savepoints}`;
        onDisk(() => db.exec(`SAVEPOINT ${name}`));
        try {
          const result = await fn();
          onDisk(() => db.exec(`RELEASE ${name}`));
          return result;
        } catch (err) {
          db.exec(`ROLLBACK TO ${name}`);
          db.exec(`RELEASE ${name}`);
          throw err;
        }
      }
      await turn();
      const owner = {};
      let finish!: () => void;
      open = { owner, done: new Promise<void>((resolve) => (finish = resolve)) };
      try {
        onDisk(() => db.exec('BEGIN IMMEDIATE'));
        const result = await context.run(owner, fn);
        onDisk(() => db.exec('COMMIT'));
        return result;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      } finally {
        open = null;
        finish();
      }
    },
    async close() {
      if (open) await turn();
      if (db.open) db.close();
    },
  };
}

/**
 * `?` and `@name` placeholders → PostgreSQL's `$1…$n`, outside quoted strings and identifiers.
 * Returns the SQL and, for named parameters, the order their values are read in.
 */
export function toPostgresPlaceholders(sql: string): { text: string; names: string[] | null } {
  let text = '';
  let positional = 0;
  const names: string[] = [];
  const index = new Map<string, number>();
  for (let i = 0; i < sql.length; i += 1) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      const end = sql.indexOf(c, i + 1);
      const stop = end === -1 ? sql.length : end;
      text += sql.slice(i, stop + 1);
      i = stop;
    } else if (c === '?') {
      positional += 1;
      text += `$${positional}`;
    } else if (c === '@' && /[A-Za-z_]/.test(sql[i + 1] ?? '')) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(sql.slice(i + 1))![0];
      let n = index.get(name);
      if (n === undefined) {
        names.push(name);
        n = names.length;
        index.set(name, n);
      }
      text += `$${n}`;
      i += name.length;
    } else {
      text += c;
    }
  }
  if (positional > 0 && names.length > 0) throw new Error('SQL mixes ? and @name parameters');
  return { text, names: names.length > 0 ? names : null };
}

/** The values for a statement's placeholders, from positional arguments or one named object. */
export function postgresValues(names: string[] | null, params: SqlParams): unknown[] {
  const flat = params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params;
  if (!names) return flat;
  const named = (flat[0] ?? {}) as Record<string, unknown>;
  return names.map((name) => {
    if (!(name in named)) throw new Error(`SQL parameter @${name} has no value`);
    return named[name];
  });
}
