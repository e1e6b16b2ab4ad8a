import { createServer, type Server, type Socket } from 'node:net';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, ErrorCodes } from '../../shared/errors';
import { TeamDatabaseErrorCodes, teamConnectionSettings } from '../../electron/db/postgres/connection';
import { openPostgresEngine, type PostgresEngine } from '../../electron/db/postgres/engine';
import { freePort } from '../helpers/postgres-cluster';
import { createTestDatabase } from '../helpers/postgres';

/** Resolves with the rejection of `promise` (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** A CA that signed nothing the test server uses. */
function otherCaPem(): string {
  const dir = mkdtempSync(join(tmpdir(), 'assetdesk-other-ca-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=Some other CA'].concat([
        '-keyout',
        join(dir, 'ca.key'),
        '-out',
        join(dir, 'ca.crt'),
      ]),
      { stdio: 'pipe' },
    );
    return readFileSync(join(dir, 'ca.crt'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the PostgreSQL engine', async () => {
  const db = await createTestDatabase();
  let engine: PostgresEngine;

  beforeAll(async () => {
    engine = await openPostgresEngine({ url: db.url, caPem: db.caPem, connectionTimeoutMs: 3000 });
    await engine
      .statement(
        `CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, amount DOUBLE PRECISION, data BYTEA,
      at TEXT COLLATE "C", flag INTEGER)`,
      )
      .run();
  });
  afterAll(async () => {
    await engine?.close();
  });

  it('connects over verified TLS and says so', async () => {
    expect(engine.dialect).toBe('postgres');
    expect(engine.target).toEqual({
      host: db.host,
      port: db.port,
      database: db.name,
      user: db.superuser,
      sslMode: 'verify-full',
    });
    expect(JSON.stringify(engine.target)).not.toContain(db.password);
    expect(await engine.statement('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()').pluck().get()).toBe(1);
  });

  it('translates positional, named and repeated placeholders, leaving quoted ? and @ alone', async () => {
    await engine.statement('DELETE FROM t').run();
    await engine.statement('INSERT INTO t (id, name, amount) VALUES (?, ?, ?)').run(1, 'Ann', 10.5);
    await engine.statement('INSERT INTO t (id, name, amount) VALUES (@id, @name, @amount)').run({
      id: 2,
      name: 'Bob',
      amount: 2,
    });
    await engine.statement('INSERT INTO t (id, name, amount) VALUES (?, ?, ?)').run([3, 'who?', 1]);
    expect(
      await engine
        .statement("SELECT name, 'is it?' AS q, 'me@x.com' AS mail, \"name\" = 'who?' AS weird FROM t WHERE id = ?")
        .get(3),
    ).toEqual({ name: 'who?', q: 'is it?', mail: 'me@x.com', weird: 1 });
    expect(
      await engine
        .statement('SELECT id FROM t WHERE amount >= @low AND (id = @pick OR name = @who OR id = @pick) ORDER BY id')
        .pluck()
        .all({ low: 1, pick: 2, who: 'Ann' }),
    ).toEqual([1, 2]);
    await expect(engine.statement('SELECT @missing').get({})).rejects.toThrow(/@missing has no value/);
  });

  it('answers like SQLite: numbers for counts, 1/0 for truth, Buffers for bytes, undefined for no row', async () => {
    await engine.statement('DELETE FROM t').run();
    const bytes = Buffer.from([0, 1, 2, 255]);
    await engine
      .statement('INSERT INTO t (id, data, at, flag) VALUES (?, ?, ?, ?)')
      .run(7, bytes, '2026-01-02T03:04:05.000Z', 1);
    const row = (await engine.statement('SELECT id, data, at, flag FROM t').get()) as Record<string, unknown>;
    expect(row).toEqual({ id: 7, data: bytes, at: '2026-01-02T03:04:05.000Z', flag: 1 });
    expect(Buffer.isBuffer(row.data)).toBe(true);
    expect(await engine.statement('SELECT count(*) FROM t').pluck().get()).toBe(1);
    expect(await engine.statement('SELECT sum(id) AS s, avg(id) AS a, 1 = 1 AS yes, 1 = 2 AS no FROM t').get()).toEqual(
      {
        s: 7,
        a: 7,
        yes: 1,
        no: 0,
      },
    );
    expect(await engine.statement('SELECT id FROM t WHERE id = ?').get(999)).toBeUndefined();
    expect(await engine.statement('SELECT id FROM t WHERE id = ?').pluck().get(999)).toBeUndefined();
    // pg's own global parsers are untouched: others in the process still get int8 as a string.
    const client = new pg.Client(db.clientConfig());
    await client.connect();
    try {
      expect((await client.query('SELECT count(*) AS n FROM t')).rows[0]).toEqual({ n: '1' });
    } finally {
      await client.end();
    }
  });

  it('sorts ISO timestamps and text byte by byte, as SQLite does', async () => {
    await engine.statement('DELETE FROM t').run();
    const values = ['2026-01-02T10:00:00.000Z', '2026-01-02T09:00:00.000Z', 'b', 'B', 'a', 'É'];
    for (const [i, at] of values.entries()) await engine.statement('INSERT INTO t (id, at) VALUES (?, ?)').run(i, at);
    const sorted = await engine.statement('SELECT at FROM t ORDER BY at').pluck().all();
    expect(sorted).toEqual([...values].sort());
  });

  it('reports changes and runs statements without parameters', async () => {
    await engine.statement('DELETE FROM t').run();
    await engine.statement('INSERT INTO t (id) VALUES (1), (2), (3)').run();
    expect(await engine.statement('UPDATE t SET name = ? WHERE id > ?').run('x', 1)).toEqual({ changes: 2 });
    expect(await engine.statement('DELETE FROM t WHERE id = ?').run(42)).toEqual({ changes: 0 });
  });

  it('commits a transaction, rolls a nested one back to its savepoint, and everything inside joins it', async () => {
    await engine.statement('DELETE FROM t').run();
    const insert = (id: number) => engine.statement('INSERT INTO t (id) VALUES (?)').run(id);
    const deepInsert = async (id: number) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      await insert(id);
    };
    expect(engine.inTransaction()).toBe(false);
    const result = await engine.transaction(async () => {
      expect(engine.inTransaction()).toBe(true);
      await insert(1);
      await expect(
        engine.transaction(async () => {
          await deepInsert(2);
          throw new Error('inner failed');
        }),
      ).rejects.toThrow('inner failed');
      await engine.transaction(() => deepInsert(3));
      const pid = await engine.statement('SELECT pg_backend_pid()').pluck().get();
      const again = await Promise.resolve().then(() => engine.statement('SELECT pg_backend_pid()').pluck().get());
      expect(again).toBe(pid);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await engine.statement('SELECT id FROM t ORDER BY id').pluck().all()).toEqual([1, 3]);

    await expect(
      engine.transaction(async () => {
        await insert(4);
        throw new Error('outer failed');
      }),
    ).rejects.toThrow('outer failed');
    expect(await engine.statement('SELECT id FROM t ORDER BY id').pluck().all()).toEqual([1, 3]);
  });

  it('sends statements a transaction body starts together to its connection one after the other', async () => {
    await engine.statement('DELETE FROM t').run();
    // node-postgres queues a query sent while its connection is busy (deprecated; pg 9 removes the queue): count those.
    let queued = 0;
    const watch = (client: pg.PoolClient) => {
      const send = client.query.bind(client) as (...args: unknown[]) => unknown;
      (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
        if ((client as unknown as { _queryQueue: unknown[] })._queryQueue.length > 0) queued += 1;
        return send(...args);
      };
    };
    engine.pool.once('acquire', watch);
    const ids = [11, 12, 13, 14, 15, 16];
    const answers = await engine.transaction(() =>
      Promise.all(
        ids.map(async (id) => {
          await engine.statement('INSERT INTO t (id) VALUES (?)').run(id);
          return engine.statement('SELECT id FROM t WHERE id = ?').pluck().get(id);
        }),
      ),
    );
    expect(answers).toEqual(ids);
    expect(queued).toBe(0);
    expect(await engine.statement('SELECT id FROM t ORDER BY id').pluck().all()).toEqual(ids);
  });

  it('keeps statements outside a transaction out of it: they neither see nor join its writes', async () => {
    await engine.statement('DELETE FROM t').run();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inserted!: () => void;
    const didInsert = new Promise<void>((resolve) => (inserted = resolve));
    const tx = engine.transaction(async () => {
      await engine.statement('INSERT INTO t (id) VALUES (10)').run();
      inserted();
      await held;
      throw new Error('changed my mind');
    });
    await didInsert;
    // Outside: a different connection, so the uncommitted row is invisible and this write is its own.
    expect(engine.inTransaction()).toBe(false);
    expect(await engine.statement('SELECT count(*) FROM t').pluck().get()).toBe(0);
    await engine.statement('INSERT INTO t (id) VALUES (11)').run();
    release();
    await expect(tx).rejects.toThrow('changed my mind');
    expect(await engine.statement('SELECT id FROM t ORDER BY id').pluck().all()).toEqual([11]);

    // Work started inside a transaction but finishing after it ended is on its own, not on a returned connection.
    let late!: Promise<boolean>;
    await engine.transaction(async () => {
      late = new Promise((resolve) => setTimeout(resolve, 20)).then(async () => {
        const inside = engine.inTransaction();
        await engine.statement('INSERT INTO t (id) VALUES (12)').run();
        return inside;
      });
    });
    expect(await late).toBe(false);
    expect(await engine.statement('SELECT id FROM t ORDER BY id').pluck().all()).toEqual([11, 12]);
  });

  it('runs a transaction again after a serialization failure, and gives up after the last attempt', async () => {
    const strict = await openPostgresEngine({
      url: db.url,
      caPem: db.caPem,
      isolation: 'serializable',
      transactionAttempts: 3,
    });
    try {
      await strict.statement('DELETE FROM t').run();
      await strict.statement('INSERT INTO t (id, amount) VALUES (1, 0)').run();
      // Two desks read the balance, both wait until the other has read, then both write: one must lose.
      let arrivals = 0;
      let bothRead!: () => void;
      const barrier = new Promise<void>((resolve) => (bothRead = resolve));
      const runs: number[] = [];
      const add = (who: number) =>
        strict.transaction(async () => {
          runs.push(who);
          const amount = (await strict.statement('SELECT amount FROM t WHERE id = 1').pluck().get()) as number;
          if (++arrivals === 2) bothRead();
          await barrier;
          await strict.statement('UPDATE t SET amount = ? WHERE id = 1').run(amount + 1);
        });
      await Promise.all([add(1), add(2)]);
      expect(await strict.statement('SELECT amount FROM t WHERE id = 1').pluck().get()).toBe(2);
      expect(runs.length).toBe(3);

      let tries = 0;
      const conflict = Object.assign(new Error('could not serialize access'), { code: '40001' });
      await expect(
        strict.transaction(async () => {
          tries += 1;
          throw conflict;
        }),
      ).rejects.toBe(conflict);
      expect(tries).toBe(3);
      // A real deadlock: each desk holds one row and wants the other's; PostgreSQL aborts one, which runs again.
      const plain = await openPostgresEngine({ url: db.url, caPem: db.caPem, transactionAttempts: 2 });
      try {
        await plain.statement('DELETE FROM t').run();
        await plain.statement('INSERT INTO t (id, amount) VALUES (1, 0), (2, 0)').run();
        let holding = 0;
        let bothHold!: () => void;
        const held = new Promise<void>((resolve) => (bothHold = resolve));
        let deadlockRuns = 0;
        const cross = (first: number, second: number) =>
          plain.transaction(async () => {
            deadlockRuns += 1;
            await plain.statement('UPDATE t SET amount = amount + 1 WHERE id = ?').run(first);
            if (++holding === 2) bothHold();
            await held;
            await plain.statement('UPDATE t SET amount = amount + 1 WHERE id = ?').run(second);
          });
        await Promise.all([cross(1, 2), cross(2, 1)]);
        expect(deadlockRuns).toBe(3);
        expect(await plain.statement('SELECT amount FROM t ORDER BY id').pluck().all()).toEqual([2, 2]);
      } finally {
        await plain.close();
      }

      let plainTries = 0;
      await expect(
        strict.transaction(async () => {
          plainTries += 1;
          throw new Error('not a conflict');
        }),
      ).rejects.toThrow('not a conflict');
      expect(plainTries).toBe(1);
    } finally {
      await strict.close();
    }
  });
});

describe('reaching the team database', async () => {
  const db = await createTestDatabase();
  /** `caPem: null` trusts Node's public roots only. */
  const withUrl = (url: string, caPem: string | null = db.caPem, timeout = 3000) =>
    openPostgresEngine({ url, ...(caPem !== null ? { caPem } : {}), connectionTimeoutMs: timeout });
  const urlWith = (parts: { password?: string; port?: number; host?: string; query?: string }) =>
    `postgres://${db.superuser}:${encodeURIComponent(parts.password ?? db.password)}@${parts.host ?? db.host}:${
      parts.port ?? db.port
    }/${db.name}${parts.query ?? ''}`;

  async function failure(url: string, caPem: string | null = db.caPem, timeout?: number): Promise<AppError> {
    const engine = await withUrl(url, caPem, timeout);
    try {
      return await rejection(engine.ping());
    } finally {
      await engine.close();
    }
  }

  it('verifies the certificate and host name by default, and says so when the CA is not the office one', async () => {
    const ok = await withUrl(urlWith({ host: 'localhost' }));
    await ok.ping();
    await ok.close();

    const err = await failure(db.url, otherCaPem());
    expect(err.code).toBe(TeamDatabaseErrorCodes.tls);
    expect(err.message).toContain('not signed by the office CA');
    expect(err.retryable).toBe(false);
    const noCa = await failure(db.url, null);
    expect(noCa.code).toBe(TeamDatabaseErrorCodes.tls);
  });

  it('relaxes TLS only when the address says so explicitly', async () => {
    const required = await withUrl(urlWith({ query: '?sslmode=require' }), otherCaPem());
    expect(await required.statement('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()').pluck().get()).toBe(1);
    await required.close();
    expect(() => teamConnectionSettings(urlWith({ query: '?sslmode=prefer' }))).toThrow(
      /sslmode=prefer is not supported/,
    );
    const settings = (query: string) => teamConnectionSettings(urlWith({ query }), 'PEM');
    expect(settings('').ssl).toMatchObject({ ca: 'PEM', rejectUnauthorized: true });
    expect(settings('?sslmode=verify-ca').ssl).toMatchObject({ ca: 'PEM', rejectUnauthorized: true });
    expect(settings('?sslmode=require').ssl).toEqual({ rejectUnauthorized: false });
    expect(settings('?sslmode=disable').ssl).toBe(false);
    // verify-full checks the name from the address; verify-ca doesn't check names at all.
    const cert = { subject: { CN: 'db.office.example' }, subjectaltname: 'DNS:db.office.example' };
    const full = teamConnectionSettings('postgres://u@db.office.example/x', 'PEM').ssl as {
      checkServerIdentity: (h: string, c: unknown) => Error | undefined;
    };
    expect(full.checkServerIdentity('ignored', cert)).toBeUndefined();
    const wrongHost = teamConnectionSettings('postgres://u@other.example/x', 'PEM').ssl as typeof full;
    expect(wrongHost.checkServerIdentity('db.office.example', cert)).toBeInstanceOf(Error);
    const caOnly = teamConnectionSettings('postgres://u@other.example/x?sslmode=verify-ca', 'PEM').ssl as typeof full;
    expect(caOnly.checkServerIdentity('other.example', cert)).toBeUndefined();
  });

  it('turns a wrong password into a sign-in message, without the password in it', async () => {
    const err = await failure(urlWith({ password: 'not-the-password' }));
    expect(err.code).toBe(TeamDatabaseErrorCodes.auth);
    expect(err.message).toContain(`refused your sign-in as "${db.superuser}"`);
    expect(err.message).not.toContain('not-the-password');
  });

  it('turns a closed port into an unreachable message at once', async () => {
    const port = await freePort();
    const started = Date.now();
    const err = await failure(urlWith({ port }));
    expect(err.code).toBe(TeamDatabaseErrorCodes.unreachable);
    expect(err.message).toContain(`can't reach the team database at ${db.host}:${port}`);
    expect(err.retryable).toBe(true);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('gives up on a server that never answers after the connection timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const err = await failure(urlWith({ port }), db.caPem, 500);
      expect(err.code).toBe(TeamDatabaseErrorCodes.unreachable);
      expect(err.message).toContain('no answer in time');
      expect(Date.now() - started).toBeLessThan(2500);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses a server that offers no TLS instead of signing in in clear', async () => {
    const sockets: Socket[] = [];
    // Answers PostgreSQL's "shall we use TLS?" request with "N", as a server without TLS does.
    const plain: Server = createServer((socket) => {
      sockets.push(socket);
      socket.once('data', () => socket.write('N'));
    });
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const err = await failure(urlWith({ port: (plain.address() as { port: number }).port }));
      expect(err.code).toBe(TeamDatabaseErrorCodes.tls);
      expect(err.message).toContain('does not offer an encrypted (TLS) connection');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('says the server went away when it drops a running statement, and reconnects afterwards', async () => {
    const idleErrors: Error[] = [];
    const engine = await openPostgresEngine({
      url: db.url,
      caPem: db.caPem,
      applicationName: 'AssetDesk engine test',
      onIdleError: (err) => idleErrors.push(err),
    });
    const admin = new pg.Client(db.clientConfig());
    await admin.connect();
    try {
      // Its rejection is taken at once: the server's FATAL can reach the engine before the admin's query returns.
      const running = rejection(engine.statement('SELECT pg_sleep(10)').run());
      await expect
        .poll(async () => {
          const { rows } = await admin.query(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(10)' AND state = 'active'",
          );
          return (rows[0] as { n: number }).n;
        })
        .toBe(1);
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'AssetDesk engine test'",
      );
      const err = await running;
      expect(err.code).toBe(TeamDatabaseErrorCodes.unreachable);
      expect(err.retryable).toBe(true);

      // An idle connection the server closes is replaced, not fatal.
      await engine.ping();
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'AssetDesk engine test'",
      );
      await expect.poll(() => idleErrors.length).toBeGreaterThan(0);
      expect(await engine.statement('SELECT 41 + 1').pluck().get()).toBe(42);
    } finally {
      await admin.end();
      await engine.close();
    }
  });

  it('turns failures inside a transaction into the same messages', async () => {
    const port = await freePort();
    const engine = await withUrl(urlWith({ port }));
    try {
      const err = await rejection(engine.transaction(async () => 1));
      expect(err.code).toBe(TeamDatabaseErrorCodes.unreachable);
      const dedicated = await rejection(engine.openDedicatedConnection());
      expect(dedicated.code).toBe(TeamDatabaseErrorCodes.unreachable);
    } finally {
      await engine.close();
    }
  });

  it('refuses an address that is not a postgres:// URL', () => {
    expect(() => teamConnectionSettings('mysql://x@y/z')).toThrow(AppError);
    expect(() => teamConnectionSettings('postgres://db.office.example/x')).toThrow(/no user name/);
    try {
      teamConnectionSettings('not a url');
    } catch (err) {
      expect((err as AppError).code).toBe(ErrorCodes.validation);
    }
  });
});
