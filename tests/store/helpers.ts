import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll } from 'vitest';
import { openAssetDeskStore, type AssetDeskStore } from '../../electron/db';
import { createValueCipher } from '../../electron/db/cipher';
import { openPostgresEngine } from '../../electron/db/postgres/engine';
import { migratePostgres } from '../../electron/db/postgres/migrations';
import { postgresValues, toPostgresPlaceholders } from '../../electron/db/sql';
import { openTeamStore } from '../../electron/db/team-store';
import type { PipelineQuery } from '../../electron/db/repositories/loans';
import { postgresCluster } from '../helpers/postgres';
import { addApplicant, applicantInput } from '../helpers/applicant';
import { FAKE_ACCESS_TOKEN } from '../helpers/fake-tokens';

/** Which engine the store tests run on: the `store-postgres` vitest project sets `ASSETDESK_STORE_ENGINE=postgres`. */
export const onPostgres = process.env.ASSETDESK_STORE_ENGINE === 'postgres';

/**
 * A store in a fresh temp folder (SQLite) or an empty, migrated database of the run's PostgreSQL cluster, with a
 * settable clock; `open()` opens the same history again, `raw` runs SQL on it over a connection of its own
 * (so a check proves what the database itself enforces), `cleanup()` closes everything and deletes it
 * (on PostgreSQL: hands the database back to be emptied for the next test).
 */
export async function tempStore(options: { dataKey?: Buffer; start?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'assetdesk-store-'));
  const file = join(dir, 'user-data', 'assetdesk.sqlite');
  const dataKey = options.dataKey ?? randomBytes(32);
  let now = new Date(options.start ?? '2026-11-02T12:00:00.000Z');
  const clock = () => new Date(now);
  const stores: AssetDeskStore[] = [];
  const database = onPostgres ? await takePostgresDatabase() : null;
  const open = async (): Promise<AssetDeskStore> => {
    const store = database
      ? await openTeamStore({ url: database.url, caPem: database.caPem, cipher: createValueCipher(dataKey), clock })
      : await openAssetDeskStore({ file, dataKey, clock });
    stores.push(store);
    return store;
  };
  const store = await open();
  const raw = database ? postgresRaw(database.clientConfig) : sqliteRaw(file);
  return {
    dir,
    /** The SQLite file (only on SQLite; tests about the file itself skip on PostgreSQL). */
    file,
    dataKey,
    store,
    open,
    raw,
    /**
     * Everything the database holds as bytes: the SQLite file and its WAL, or every row of every table of the
     * PostgreSQL database (what a dump would hold), for tests that grep for anything left unencrypted.
     */
    async stored(): Promise<Buffer> {
      if (!database) {
        const wal = `${file}-wal`;
        return Buffer.concat([readFileSync(file), existsSync(wal) ? readFileSync(wal) : Buffer.alloc(0)]);
      }
      const tables = (await raw.all(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
      )) as { table_name: string }[];
      const parts: Buffer[] = [];
      for (const { table_name: table } of tables) {
        for (const row of await raw.all(`SELECT * FROM "${table}"`)) {
          for (const value of Object.values(row)) {
            if (value === null) continue;
            parts.push(Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8'), Buffer.from('\n'));
          }
        }
      }
      return Buffer.concat(parts);
    },
    /** The store's clock now. */
    now: () => new Date(now),
    setNow(iso: string) {
      now = new Date(iso);
    },
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    async cleanup() {
      // A test may have closed a store itself; closing again is not what is tested here.
      for (const s of stores) await s.close().catch(() => undefined);
      await raw.close();
      database?.release();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** SQL on the store's database outside the repositories, with `?` or `@name` placeholders on both engines. */
export interface RawSql {
  all(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /** The first column of the first row. */
  value(sql: string, ...params: unknown[]): Promise<unknown>;
  run(sql: string, ...params: unknown[]): Promise<void>;
  close(): Promise<void>;
}

function sqliteRaw(file: string): RawSql {
  let db: Database.Database | null = null;
  const conn = () => (db ??= new Database(file));
  // Async like the PostgreSQL side, so a refusal is a rejected promise on both engines.
  return {
    all: async (sql, ...params) =>
      Promise.resolve(
        conn()
          .prepare(sql)
          .all(...params) as Record<string, unknown>[],
      ),
    value: async (sql, ...params) =>
      Promise.resolve(
        conn()
          .prepare(sql)
          .pluck()
          .get(...params),
      ),
    run: async (sql, ...params) => {
      await Promise.resolve(
        conn()
          .prepare(sql)
          .run(...params),
      );
    },
    close: async () => {
      db?.close();
      db = null;
      await Promise.resolve();
    },
  };
}

function postgresRaw(clientConfig: pg.ClientConfig): RawSql {
  let client: Promise<pg.Client> | null = null;
  const conn = () =>
    (client ??= (async () => {
      // Counts as numbers, like the SQLite side, so one assertion fits both.
      const types = new pg.TypeOverrides();
      types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));
      const c = new pg.Client({ ...clientConfig, types });
      await c.connect();
      return c;
    })());
  const query = async (sql: string, params: unknown[]) => {
    const { text, names } = toPostgresPlaceholders(sql);
    return (await conn()).query(text, postgresValues(names, params));
  };
  return {
    all: async (sql, ...params) => (await query(sql, params)).rows as Record<string, unknown>[],
    value: async (sql, ...params) => {
      const row = (await query(sql, params)).rows[0] as Record<string, unknown> | undefined;
      return row ? Object.values(row)[0] : undefined;
    },
    run: async (sql, ...params) => {
      await query(sql, params);
    },
    close: async () => {
      if (client) await (await client).end();
      client = null;
    },
  };
}

function adminConfig(database: string): pg.ClientConfig {
  const cluster = postgresCluster();
  return {
    host: cluster.host,
    port: cluster.port,
    user: cluster.superuser,
    password: cluster.password,
    database,
    ssl: { ca: cluster.caPem, rejectUnauthorized: true },
  };
}

function databaseUrl(database: string): string {
  const c = postgresCluster();
  return `postgres://${c.superuser}:${encodeURIComponent(c.password)}@${c.host}:${c.port}/${database}`;
}

async function asAdmin(database: string, sql: string): Promise<void> {
  const admin = new pg.Client(adminConfig(database));
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

interface TestDatabase {
  url: string;
  caPem: string;
  clientConfig: pg.ClientConfig;
}

/**
 * Creating a database costs ≈300 ms here and migrating it more, emptying one ≈30 ms: a test file's
 * databases are made and migrated once, and emptied (every table but `schema_migrations`) when taken again.
 */
const idle: { name: string; database: TestDatabase }[] = [];
const made: string[] = [];

if (onPostgres) {
  afterAll(async () => {
    for (const name of made.splice(0)) await asAdmin('postgres', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    idle.length = 0;
  });
}

async function takePostgresDatabase(): Promise<TestDatabase & { release(): void }> {
  let taken = idle.pop();
  if (taken) {
    // As the superuser with triggers off (replica role): the activity log refuses TRUNCATE from anyone else.
    await asAdmin(
      taken.name,
      `SET session_replication_role = replica;
       DO $$ BEGIN
         EXECUTE (SELECT 'TRUNCATE TABLE ' || string_agg(quote_ident(tablename), ', ') || ' RESTART IDENTITY CASCADE'
                  FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations');
       END $$;`,
    );
  } else {
    const name = `assetdesk_store_${randomBytes(6).toString('hex')}`;
    await asAdmin('postgres', `CREATE DATABASE ${name}`);
    made.push(name);
    const engine = await openPostgresEngine({ url: databaseUrl(name), caPem: postgresCluster().caPem, poolSize: 1 });
    try {
      await migratePostgres(engine);
    } finally {
      await engine.close();
    }
    taken = {
      name,
      database: { url: databaseUrl(name), caPem: postgresCluster().caPem, clientConfig: adminConfig(name) },
    };
  }
  const { name, database } = taken;
  return { ...database, release: () => void idle.push({ name, database }) };
}

export { applicantInput } from '../helpers/applicant';

export {
  FAKE_ACCESS_TOKEN as ACCESS_TOKEN,
  FAKE_REPORT_TOKEN as REPORT_TOKEN,
  FAKE_AUDIT_COPY_TOKEN as AUDIT_TOKEN,
} from '../helpers/fake-tokens';
export const SSN = '512-44-8123';

/** The pipeline as the app lists it: Sandbox, Fannie Mae's document-age rule, the helpers' start day. */
export async function pipeline(store: AssetDeskStore, query: Partial<PipelineQuery> = {}) {
  return store.loans.pipeline({
    environment: 'sandbox',
    documentAgeRule: 'fannie_4_months',
    today: '2026-11-02',
    ...query,
  });
}

/** A one-borrower loan with one Sandbox bank (First Platypus), the usual start of a report test. */
export async function borrowerWithBank(
  store: AssetDeskStore,
  accounts: Parameters<AssetDeskStore['items']['add']>[0]['accounts'] = [],
) {
  const applicant = await addApplicant(store, applicantInput());
  const item = await store.items.add({
    applicantId: applicant.id,
    environment: 'sandbox',
    plaidItemId: `item-${applicant.id}`,
    accessToken: FAKE_ACCESS_TOKEN,
    institutionId: 'ins_109508',
    institutionName: 'First Platypus Bank',
    accounts,
  });
  return { applicant, item };
}
