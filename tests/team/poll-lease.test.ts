import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postgresValues,
  sqliteEngine,
  toPostgresPlaceholders,
  type SqlEngine,
  type SqlStatement,
} from '../../electron/db/sql';
import { createMemoryLogger } from '../../electron/log/logger';
import {
  advisoryKey,
  loanLockKey,
  lockLoanForReportCreation,
  openPollCoordinator,
  reportPollKey,
  watchUnclaimed,
  withLoanLock,
  type PollCoordinator,
  type UnclaimedWatch,
} from '../../electron/services/team/poll-lease';
import { createTestDatabase } from '../helpers/postgres';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const POLL_LEASE = join(REPO, 'electron/services/team/poll-lease.ts');

async function until<T>(check: () => T | undefined | null | false, what: string, limitMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('one poller per report (session advisory locks)', async () => {
  const db = await createTestDatabase();
  const admin = new pg.Client(db.clientConfig());
  const open: PollCoordinator[] = [];
  const watches: UnclaimedWatch[] = [];
  const children: ChildProcess[] = [];
  const temp = mkdtempSync(join(tmpdir(), 'assetdesk-lease-'));

  async function desk(name = `desk-${randomBytes(4).toString('hex')}`) {
    const logger = createMemoryLogger();
    const coordinator = await openPollCoordinator({
      clientConfig: { ...db.clientConfig(), application_name: name },
      logger,
      reconnect: { initialMs: 100, maxMs: 500 },
    });
    open.push(coordinator);
    const lost: string[][] = [];
    coordinator.onLost((ids) => lost.push(ids));
    return { coordinator, name, logger, lost };
  }

  const terminate = (appName: string) =>
    admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [appName]);

  beforeAll(async () => {
    await admin.connect();
  });
  afterAll(async () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
    await Promise.all(watches.map((w) => w.stop()));
    await Promise.all(open.map((c) => c.close()));
    await admin.end();
    rmSync(temp, { recursive: true, force: true });
  });

  it('lets exactly one of two desks claim a report, and the other after a release', async () => {
    const a = await desk();
    const b = await desk();
    const [claimedA, claimedB] = await Promise.all([a.coordinator.tryClaim('rep-1'), b.coordinator.tryClaim('rep-1')]);
    expect([claimedA, claimedB].filter(Boolean)).toHaveLength(1);
    const [holder, other] = claimedA ? [a, b] : [b, a];
    expect(holder.coordinator.held()).toEqual(['rep-1']);
    expect(other.coordinator.held()).toEqual([]);
    // Asking again is idempotent for the holder and still no for the other.
    expect(await holder.coordinator.tryClaim('rep-1')).toBe(true);
    expect(await other.coordinator.tryClaim('rep-1')).toBe(false);
    expect(await holder.coordinator.confirm('rep-1')).toBe(true);
    expect(await other.coordinator.confirm('rep-1')).toBe(false);
    await holder.coordinator.release('rep-1');
    expect(await holder.coordinator.confirm('rep-1')).toBe(false);
    expect(holder.coordinator.held()).toEqual([]);
    expect(await other.coordinator.tryClaim('rep-1')).toBe(true);
  });

  it('confirms a lease whatever the sign of its 64-bit key', async () => {
    const a = await desk();
    const ids = Array.from({ length: 40 }, (_, i) => `sign-${i}`);
    const negative = ids.find((id) => BigInt(reportPollKey(id)) < 0n)!;
    const positive = ids.find((id) => BigInt(reportPollKey(id)) > 0n)!;
    for (const id of [negative, positive]) {
      expect(await a.coordinator.tryClaim(id)).toBe(true);
      expect(await a.coordinator.confirm(id)).toBe(true);
    }
  });

  it('claims each of many reports on exactly one desk when both desks watch', async () => {
    const a = await desk();
    const b = await desk();
    const pending = Array.from({ length: 12 }, (_, i) => `many-${i}`);
    const claimedBy = new Map<string, string[]>();
    const note = (who: string) => (id: string) => void claimedBy.set(id, [...(claimedBy.get(id) ?? []), who]);
    const list = () => Promise.resolve(pending);
    const logger = createMemoryLogger();
    const wa = watchUnclaimed({ list, coordinator: a.coordinator, intervalMs: 100, onClaimed: note('a'), logger });
    const wb = watchUnclaimed({ list, coordinator: b.coordinator, intervalMs: 100, onClaimed: note('b'), logger });
    watches.push(wa, wb);
    await until(() => claimedBy.size === pending.length, 'every report to be claimed');
    // A few more sweeps on both sides: nobody claims what is held.
    await wa.sweep();
    await wb.sweep();
    await wa.sweep();
    await wa.stop();
    await wb.stop();
    expect([...claimedBy.values()].every((who) => who.length === 1)).toBe(true);
    expect([...a.coordinator.held(), ...b.coordinator.held()].sort()).toEqual([...pending].sort());
  });

  it('hands polling over when the holding session is terminated: onLost for all, then the other desk claims', async () => {
    const a = await desk();
    const b = await desk();
    expect(await a.coordinator.tryClaim('rep-t1')).toBe(true);
    expect(await a.coordinator.tryClaim('rep-t2')).toBe(true);
    const claimedByB: string[] = [];
    const watch = watchUnclaimed({
      list: () => Promise.resolve(['rep-t1', 'rep-t2']),
      coordinator: b.coordinator,
      intervalMs: 200,
      onClaimed: (id) => void claimedByB.push(id),
      logger: createMemoryLogger(),
    });
    watches.push(watch);
    await watch.sweep();
    expect(claimedByB).toEqual([]);
    expect(await a.coordinator.confirm('rep-t1')).toBe(true);
    await terminate(a.name);
    // Before it has even heard of the loss, A's confirm fails: it must not poll what it no longer holds.
    expect(await a.coordinator.confirm('rep-t1')).toBe(false);
    const lost = await until(() => a.lost[0], 'desk A to learn it lost its leases');
    expect([...lost].sort()).toEqual(['rep-t1', 'rep-t2']);
    expect(a.coordinator.held()).toEqual([]);
    await until(() => claimedByB.length === 2, 'desk B to take both reports over');
    expect([...b.coordinator.held()].sort()).toEqual(['rep-t1', 'rep-t2']);
    // A reconnects by itself and can claim again, but not what B now holds.
    await until(
      () => a.logger.lines.filter((l) => l.includes('poll coordination connected')).length >= 2,
      'A to reconnect',
    );
    expect(await a.coordinator.tryClaim('rep-t1')).toBe(false);
    expect(await a.coordinator.tryClaim('rep-t3')).toBe(true);
  });

  /** Another desk in its own process (its own process group, so a signal reaches npx, tsx and node at once). */
  async function holderDesk(reportId: string, options: { keepaliveMs?: number; sessionTimeoutMs?: number } = {}) {
    const script = join(temp, 'holder.mts');
    writeFileSync(
      script,
      `import { openPollCoordinator } from ${JSON.stringify(POLL_LEASE)};
import { createLogger } from ${JSON.stringify(join(REPO, 'electron/log/logger.ts'))};
const coordinator = await openPollCoordinator({
  ...JSON.parse(process.env.LEASE_TEST_OPTIONS ?? '{}'),
  logger: createLogger({ sinks: [] }),
});
const claimed = await coordinator.tryClaim(process.env.LEASE_TEST_REPORT ?? '');
process.stdout.write(claimed ? 'claimed\\n' : 'refused\\n');
setInterval(() => undefined, 60_000);
`,
    );
    const child = spawn('npx', ['tsx', script], {
      cwd: REPO,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        LEASE_TEST_OPTIONS: JSON.stringify({
          clientConfig: { ...db.clientConfig(), application_name: `lease-child-${randomBytes(4).toString('hex')}` },
          ...options,
        }),
        LEASE_TEST_REPORT: reportId,
      },
    });
    children.push(child);
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    await until(() => out.includes('claimed') || child.exitCode !== null, 'the child desk to claim', 60_000);
    expect(out.trim(), err).toBe('claimed');
    return {
      signal: (signal: NodeJS.Signals) => process.kill(-child.pid!, signal),
      exited,
      child,
    };
  }

  /** Desk B, watching `reportId`, which the other desk holds: B cannot claim it yet. */
  async function watchingDesk(reportId: string) {
    const b = await desk();
    expect(await b.coordinator.tryClaim(reportId)).toBe(false);
    const claimed: string[] = [];
    const watch = watchUnclaimed({
      list: () => Promise.resolve([reportId]),
      coordinator: b.coordinator,
      intervalMs: 250,
      onClaimed: (id) => void claimed.push(id),
      logger: createMemoryLogger(),
    });
    watches.push(watch);
    await watch.sweep();
    expect(claimed).toEqual([]);
    return { b, claimed };
  }

  it('hands polling over when the holding desk is killed (SIGKILL of a child process)', async () => {
    const holder = await holderDesk('rep-killed');
    const { b, claimed } = await watchingDesk('rep-killed');
    holder.signal('SIGKILL');
    await holder.exited;
    expect(holder.child.signalCode).toBe('SIGKILL');
    // The dead process's socket closes, the server ends its session and frees the lock for B's next sweep.
    await until(() => claimed.length === 1, 'desk B to take the killed desk’s report over');
    expect(b.coordinator.held()).toEqual(['rep-killed']);
  });

  it('hands polling over when the holding desk freezes with its socket open (a laptop put to sleep)', async () => {
    const holder = await holderDesk('rep-asleep', { keepaliveMs: 300, sessionTimeoutMs: 1_500 });
    const { b, claimed } = await watchingDesk('rep-asleep');
    // SIGSTOP: the process is alive and its connection open, but it says nothing more.
    holder.signal('SIGSTOP');
    await until(() => claimed.length === 1, 'the server to end the silent session and desk B to take over');
    expect(b.coordinator.held()).toEqual(['rep-asleep']);
    holder.signal('SIGKILL');
    await holder.exited;
  });

  it("gives a turn to one desk at a time, queues this desk's own callers, and frees it when the holder dies", async () => {
    const a = await desk();
    const b = await desk();
    const key = advisoryKey('assetdesk.audit-copy-create', 'rep-turn\u0000fannie_mae');
    const busy = () => Promise.resolve(new Error('busy'));
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    const first = a.coordinator.turn(
      key,
      async (waited) => {
        order.push(`a1 waited=${waited}`);
        await holding;
      },
      { busy },
    );
    await until(() => order.length === 1, 'desk A to hold the turn');
    const second = a.coordinator.turn(key, async (waited) => void order.push(`a2 waited=${waited}`), { busy });
    // Another desk gives up after its wait, saying so.
    await expect(
      b.coordinator.turn(key, async () => order.push('b'), { busy, waitMs: 300, pollMs: 50 }),
    ).rejects.toThrow('busy');
    const third = b.coordinator.turn(key, async (waited) => void order.push(`b waited=${waited}`), {
      busy,
      pollMs: 50,
    });
    // Desk B's queries take turns on its connection: a claim queued behind its first try ends once that try found
    // the turn held. Released before, desk A could be done first and B would rightly not have waited.
    await b.coordinator.tryClaim('rep-probe');
    await b.coordinator.release('rep-probe');
    release();
    await Promise.all([first, second, third]);
    expect(order[0]).toBe('a1 waited=false');
    expect(order.slice(1).sort()).toEqual(['a2 waited=true', 'b waited=true']);

    // A desk that dies holding the turn (closed, crashed, killed) frees it with its session.
    let stuck!: () => void;
    void a.coordinator
      .turn(key, () => new Promise<void>((resolve) => (stuck = resolve)), { busy })
      .catch(() => undefined);
    await until(() => stuck, 'desk A to hold the turn again');
    await terminate(a.name);
    const after = await b.coordinator.turn(key, async (waited) => waited, { busy, pollMs: 50, waitMs: 10_000 });
    expect(typeof after).toBe('boolean');
    stuck();
  });

  it('refuses to claim while the server is away, without throwing', async () => {
    const logger = createMemoryLogger();
    const coordinator = await openPollCoordinator({
      clientConfig: { ...db.clientConfig(), port: 1 },
      logger,
      reconnect: { initialMs: 10_000, maxMs: 10_000 },
    });
    open.push(coordinator);
    expect(await coordinator.tryClaim('rep-offline')).toBe(false);
    expect(coordinator.held()).toEqual([]);
    await coordinator.close();
  });
});

describe('one report per loan when two desks create at once (transaction advisory lock)', async () => {
  const db = await createTestDatabase();
  const setup = new pg.Client(db.clientConfig());

  beforeAll(async () => {
    await setup.connect();
    await setup.query(`CREATE TABLE reports (id text PRIMARY KEY, loan_id text NOT NULL, status text NOT NULL)`);
  });
  afterAll(async () => {
    await setup.end();
  });

  /**
   * Two creators that each look for a pending report, then wait for the other to have looked too (or
   * give up waiting after a while), then insert. Without the lock both look before either inserts.
   */
  function creators(loanId: string) {
    let looked = 0;
    const bothLooked = async () => {
      looked += 1;
      const started = Date.now();
      while (looked < 2 && Date.now() - started < 1_500) await new Promise((resolve) => setTimeout(resolve, 10));
    };
    return (desk: string) => async (client: pg.ClientBase) => {
      const existing = await client.query<{ id: string }>(
        `SELECT id FROM reports WHERE loan_id = $1 AND status = 'pending'`,
        [loanId],
      );
      await bothLooked();
      if (existing.rows[0]) return { id: existing.rows[0].id, created: false };
      const id = `${desk}-${loanId}`;
      await client.query(`INSERT INTO reports VALUES ($1, $2, 'pending')`, [id, loanId]);
      return { id, created: true };
    };
  }

  const reportsFor = async (loanId: string) =>
    (await setup.query<{ id: string }>('SELECT id FROM reports WHERE loan_id = $1', [loanId])).rows.map((r) => r.id);

  it('without the lock, the race really makes two reports (the test can see the bug)', async () => {
    const a = new pg.Client(db.clientConfig());
    const b = new pg.Client(db.clientConfig());
    await Promise.all([a.connect(), b.connect()]);
    try {
      const create = creators('loan-unlocked');
      const plain = async (client: pg.Client, fn: (c: pg.ClientBase) => Promise<unknown>) => {
        await client.query('BEGIN');
        await fn(client);
        await client.query('COMMIT');
      };
      await Promise.all([plain(a, create('a')), plain(b, create('b'))]);
      expect(await reportsFor('loan-unlocked')).toHaveLength(2);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('with withLoanLock, the second desk waits and finds the first one’s report', async () => {
    const a = new pg.Client(db.clientConfig());
    const pool = new pg.Pool({ ...db.clientConfig(), max: 2 });
    await a.connect();
    try {
      const create = creators('loan-1');
      const results = await Promise.all([
        withLoanLock(a, 'loan-1', create('a')),
        withLoanLock(pool, 'loan-1', create('b')),
      ]);
      expect(await reportsFor('loan-1')).toHaveLength(1);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0]!.id).toBe(results[1]!.id);
      // Another loan is not held up by this one's lock.
      const other = await withLoanLock(pool, 'loan-2', creators('loan-2')('b'));
      expect(other.created).toBe(true);
    } finally {
      await a.end();
      await pool.end();
    }
  });

  it('lockLoanForReportCreation does the same inside a transaction of the store engine', async () => {
    const [a, b] = [await pgEngine(db.clientConfig()), await pgEngine(db.clientConfig())];
    try {
      const create = creators('loan-engine');
      const inEngine = (engine: SqlEngine & { client: pg.Client }, desk: string) =>
        engine.transaction(async () => {
          await lockLoanForReportCreation(engine, 'loan-engine');
          return create(desk)(engine.client);
        });
      const results = await Promise.all([inEngine(a, 'a'), inEngine(b, 'b')]);
      expect(await reportsFor('loan-engine')).toHaveLength(1);
      expect(results[0].id).toBe(results[1].id);
      await expect(lockLoanForReportCreation(a, 'loan-engine')).rejects.toThrow(/inside engine.transaction/);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    // On the local SQLite store it is a no-op: one desk, and write transactions already take turns.
    const dir = mkdtempSync(join(tmpdir(), 'assetdesk-lock-'));
    const sqlite = sqliteEngine(new Database(join(dir, 'history.db')));
    try {
      await sqlite.transaction(() => lockLoanForReportCreation(sqlite, 'loan-engine'));
    } finally {
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rolls back and frees the lock when creating fails', async () => {
    const client = new pg.Client(db.clientConfig());
    await client.connect();
    try {
      await expect(
        withLoanLock(client, 'loan-3', async (c) => {
          await c.query(`INSERT INTO reports VALUES ('doomed', 'loan-3', 'pending')`);
          throw new Error('Plaid said no');
        }),
      ).rejects.toThrow('Plaid said no');
      expect(await reportsFor('loan-3')).toEqual([]);
      const { rows } = await setup.query<{ free: boolean }>('SELECT pg_try_advisory_xact_lock($1::bigint) AS free', [
        loanLockKey('loan-3'),
      ]);
      expect(rows[0]?.free).toBe(true);
    } finally {
      await client.end();
    }
  });
});

/**
 * Just enough of a PostgreSQL SqlEngine for this file (the real one belongs to the store): one client,
 * SQL translated by the shared placeholder rules, one transaction at a time.
 */
async function pgEngine(config: pg.ClientConfig): Promise<SqlEngine & { client: pg.Client }> {
  const client = new pg.Client(config);
  await client.connect();
  let inside = false;
  const statement = (sql: string, pluck = false): SqlStatement => {
    const { text, names } = toPostgresPlaceholders(sql);
    const rows = async (params: unknown[]) => {
      const result = await client.query(text, postgresValues(names, params));
      return pluck ? result.rows.map((r: Record<string, unknown>) => Object.values(r)[0]) : result.rows;
    };
    return {
      get: async (...params) => (await rows(params))[0],
      all: (...params) => rows(params),
      run: async (...params) => ({ changes: (await client.query(text, postgresValues(names, params))).rowCount ?? 0 }),
      pluck: () => statement(sql, true),
    };
  };
  return {
    dialect: 'postgres',
    client,
    statement,
    inTransaction: () => inside,
    async transaction(fn) {
      await client.query('BEGIN');
      inside = true;
      try {
        const result = await fn();
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      } finally {
        inside = false;
      }
    },
    close: () => client.end(),
  };
}

describe('advisory lock keys', () => {
  it('are stable signed 64-bit values, apart per purpose', () => {
    const key = reportPollKey('rep-1');
    expect(key).toBe(reportPollKey('rep-1'));
    expect(key).toBe(advisoryKey('assetdesk.report-poll', 'rep-1'));
    expect(key).not.toBe(loanLockKey('rep-1'));
    expect(key).not.toBe(reportPollKey('rep-2'));
    const value = BigInt(key);
    expect(value >= -(2n ** 63n) && value < 2n ** 63n).toBe(true);
  });
});
