import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { postgresValues, toPostgresPlaceholders, type SqlEngine, type SqlParams, type SqlStatement } from '../sql';
import { teamConnectionError, teamConnectionSettings, type TeamDatabaseTarget } from './connection';

export interface PostgresEngineOptions {
  /** `postgres://user:password@host:port/database[?sslmode=verify-full|verify-ca|require|disable]`. */
  url: string;
  /** PEM of the office certificate authority that signed the server's certificate. */
  caPem?: string;
  /** Connections kept open to the server (default 5). */
  poolSize?: number;
  /** How long to wait for the server to answer a new connection (default 10 s). */
  connectionTimeoutMs?: number;
  /** Isolation level of `transaction()` (default read committed, like PostgreSQL itself). */
  isolation?: 'read committed' | 'repeatable read' | 'serializable';
  /** Tries of a transaction that lost a serialization conflict or a deadlock (default 3). */
  transactionAttempts?: number;
  /** Shown in `pg_stat_activity`, so the office can tell desks apart. */
  applicationName?: string;
  /** Told about errors of idle connections (the server restarting); the pool replaces them itself. */
  onIdleError?: (err: Error) => void;
}

export interface PostgresEngine extends SqlEngine {
  readonly dialect: 'postgres';
  /** Where the engine connects, without the password. */
  readonly target: TeamDatabaseTarget;
  /** The underlying pool, for what the SqlEngine interface doesn't cover (LISTEN, advisory locks). */
  readonly pool: pg.Pool;
  /** Checks the server answers (opens a connection if none is idle); throws the officer's message if not. */
  ping(): Promise<void>;
  /**
   * A connection of its own, outside the pool, with the same sign-in and TLS rules: for what must hold one
   * session for long (LISTEN for other desks' changes, session advisory locks). The caller listens for its
   * 'error' event (the server going away) and ends it.
   */
  openDedicatedConnection(): Promise<pg.Client>;
}

const MAX_CACHED_TRANSLATIONS = 1000;

/** SQLSTATEs after which the same transaction, run again from the start, can succeed. */
const RETRYABLE_TRANSACTION_STATES = new Set(['40001', '40P01']);

/**
 * Values as the SQLite engine gives them, so repository code is the same on both engines: 64-bit integers
 * (count(*), identities) and numerics (sum, avg) as JS numbers, booleans as 1/0. Private to this engine's
 * pool: pg's global parsers stay untouched for anyone else in the process.
 */
function sqliteLikeTypes(): pg.CustomTypesConfig {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));
  types.setTypeParser(pg.types.builtins.NUMERIC, (value: string) => Number(value));
  types.setTypeParser(pg.types.builtins.BOOL, (value: string) => (value === 't' ? 1 : 0));
  return types;
}

interface Transaction {
  client: pg.PoolClient;
  savepoints: number;
  /** Set once committed or rolled back: a statement started inside but finishing later goes to the pool. */
  ended: boolean;
  /**
   * The statement last sent on `client`: a body that starts several at once (Promise.all) has them sent one after
   * the other, as a connection takes them (node-postgres's own queue for that is deprecated and goes in pg 9).
   */
  turn: Promise<unknown>;
}

/** Sends `text` (or `config`) on the transaction's connection once the statement before it has finished. */
function inTurn(open: Transaction, config: string | pg.QueryConfig): Promise<pg.QueryResult> {
  const sent = open.turn.then(() => open.client.query(config as pg.QueryConfig));
  open.turn = sent.catch(() => undefined);
  return sent;
}

/**
 * The team's PostgreSQL under the `SqlEngine` interface (see ../sql.ts), on a `pg.Pool`.
 *
 * Transactions: the body runs with one pooled connection held in async context, so every statement it makes
 * (however deep) joins it; statements from elsewhere use other connections and do not wait. A body that
 * loses a serialization conflict or deadlock is run again from the start (up to `transactionAttempts`), so
 * a transaction body must be pure database work: no Plaid calls, files or other effects it can't repeat.
 */
export async function openPostgresEngine(options: PostgresEngineOptions): Promise<PostgresEngine> {
  const { target, password, ssl } = teamConnectionSettings(options.url, options.caPem);
  const clientConfig: pg.ClientConfig = {
    host: target.host,
    port: target.port,
    database: target.database,
    user: target.user,
    ...(password !== undefined ? { password } : {}),
    ssl,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 10_000,
    application_name: options.applicationName ?? 'AssetDesk',
    types: sqliteLikeTypes(),
  };
  const pool = new pg.Pool({ ...clientConfig, max: options.poolSize ?? 5, idleTimeoutMillis: 30_000 });
  // Without a listener an idle connection dropped by the server would crash the main process.
  pool.on('error', (err) => options.onIdleError?.(err));

  const context = new AsyncLocalStorage<Transaction>();
  const translations = new Map<string, { text: string; names: string[] | null }>();
  const attempts = Math.max(1, options.transactionAttempts ?? 3);
  const begin = options.isolation ? `BEGIN ISOLATION LEVEL ${options.isolation.toUpperCase()}` : 'BEGIN';

  const fail = (err: unknown): never => {
    throw teamConnectionError(err, target) ?? err;
  };
  const translated = (sql: string) => {
    let t = translations.get(sql);
    if (!t) {
      t = toPostgresPlaceholders(sql);
      // Searches build their SQL per number of words: bounded in practice, capped in case it isn't.
      if (translations.size >= MAX_CACHED_TRANSLATIONS) translations.clear();
      translations.set(sql, t);
    }
    return t;
  };
  async function query(sql: string, params: SqlParams, rowMode?: 'array'): Promise<pg.QueryResult> {
    const { text, names } = translated(sql);
    const config: pg.QueryArrayConfig | pg.QueryConfig = {
      text,
      values: postgresValues(names, params),
      ...(rowMode ? { rowMode } : {}),
    };
    const open = context.getStore();
    try {
      return await (open && !open.ended
        ? inTurn(open, config as pg.QueryConfig)
        : pool.query(config as pg.QueryConfig));
    } catch (err) {
      return fail(err);
    }
  }
  const makeStatement = (sql: string, pluck: boolean): SqlStatement => ({
    async get(...params) {
      const { rows } = await query(sql, params, pluck ? 'array' : undefined);
      const row = rows[0] as unknown;
      return pluck ? (row as unknown[] | undefined)?.[0] : row;
    },
    async all(...params) {
      const { rows } = await query(sql, params, pluck ? 'array' : undefined);
      return pluck ? (rows as unknown[][]).map((row) => row[0]) : rows;
    },
    async run(...params) {
      const result = await query(sql, params);
      return { changes: result.rowCount ?? 0 };
    },
    pluck: () => makeStatement(sql, true),
  });

  async function savepoint<T>(open: Transaction, fn: () => Promise<T>): Promise<T> {
    const name = `sp_${++open.savepoints}`;
    await inTurn(open, `SAVEPOINT ${name}`);
    try {
      const result = await fn();
      await inTurn(open, `RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (err) {
      // A dead connection can't roll back; the outer transaction reports the failure.
      await inTurn(open, `ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
      throw err;
    }
  }

  async function once<T>(fn: () => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      return fail(err);
    }
    let broken: Error | undefined;
    const open: Transaction = { client, savepoints: 0, ended: false, turn: Promise.resolve() };
    try {
      await client.query(begin);
      const result = await context.run(open, fn);
      open.ended = true;
      await open.turn;
      await client.query('COMMIT');
      return result;
    } catch (err) {
      open.ended = true;
      await open.turn;
      await client.query('ROLLBACK').catch((rollbackErr: Error) => (broken = rollbackErr));
      return fail(err);
    } finally {
      // A connection whose rollback failed is in an unknown state: closed rather than reused.
      client.release(broken);
    }
  }

  return {
    dialect: 'postgres',
    target,
    pool,
    statement: (sql) => makeStatement(sql, false),
    inTransaction: () => context.getStore()?.ended === false,
    async transaction<T>(fn: () => Promise<T>): Promise<T> {
      const open = context.getStore();
      if (open && !open.ended) return savepoint(open, fn);
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await once(fn);
        } catch (err) {
          const state = (err as { code?: unknown }).code;
          if (attempt >= attempts || typeof state !== 'string' || !RETRYABLE_TRANSACTION_STATES.has(state)) throw err;
          // A short random pause so the desks that collided don't collide again in step.
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
        }
      }
    },
    async ping() {
      await query('SELECT 1', []);
    },
    async openDedicatedConnection() {
      const client = new pg.Client(clientConfig);
      try {
        await client.connect();
      } catch (err) {
        await client.end().catch(() => undefined);
        return fail(err);
      }
      return client;
    },
    async close() {
      await pool.end();
    },
  };
}
