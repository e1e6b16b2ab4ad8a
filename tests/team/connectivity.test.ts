import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { createMemoryLogger } from '../../electron/log/logger';
import {
  createConnectivity,
  describeConnectivityError,
  isConnectivityError,
  TEAM_OFFLINE,
  type TeamConnectionState,
} from '../../electron/services/team/connectivity';
import { openChangeFeed, type ChangeFeed } from '../../electron/services/team/live';
import { createTestDatabase } from '../helpers/postgres';

async function until<T>(check: () => T | undefined | null | false, what: string, limitMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function failureOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
}

describe('classifying real pg failures', async () => {
  const db = await createTestDatabase();
  const admin = new pg.Client(db.clientConfig());
  beforeAll(() => admin.connect());
  afterAll(() => admin.end());

  it('a refused connection is offline', async () => {
    const client = new pg.Client({ ...db.clientConfig(), port: await closedPort() });
    const err = await failureOf(() => client.connect());
    expect(isConnectivityError(err)).toBe(true);
    expect(describeConnectivityError(err)).toMatch(/refused/);
  });

  it('a session the server ends (57P01 admin shutdown) is offline, and so is using the dead client afterwards', async () => {
    const appName = `conn-test-${randomBytes(4).toString('hex')}`;
    const client = new pg.Client({ ...db.clientConfig(), application_name: appName });
    client.on('error', () => undefined);
    await client.connect();
    const sleeping = failureOf(() => client.query('SELECT pg_sleep(30)'));
    // Terminate it mid-query, once the server shows it running.
    const started = Date.now();
    let terminated = 0;
    while (terminated === 0 && Date.now() - started < 10_000) {
      const { rowCount } = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND state = 'active'`,
        [appName],
      );
      terminated = rowCount ?? 0;
    }
    expect(terminated).toBe(1);
    const err = await sleeping;
    expect((err as { code?: string }).code).toBe('57P01');
    expect(isConnectivityError(err)).toBe(true);
    expect(describeConnectivityError(err)).toMatch(/ended the connection/);
    const after = await failureOf(() => client.query('SELECT 1'));
    expect(isConnectivityError(after)).toBe(true);
  });

  it('faults of the query itself are not connectivity', async () => {
    await admin.query('CREATE TABLE IF NOT EXISTS unique_things (id int PRIMARY KEY)');
    await admin.query('INSERT INTO unique_things VALUES (1) ON CONFLICT DO NOTHING');
    const syntax = await failureOf(() => admin.query('SELEKT 1'));
    const duplicate = await failureOf(() => admin.query('INSERT INTO unique_things VALUES (1)'));
    const denied = await failureOf(() => admin.query('SELECT 1/0'));
    for (const err of [syntax, duplicate, denied, new Error('boom'), null, 'text', { code: 42 }]) {
      expect(isConnectivityError(err)).toBe(false);
    }
  });

  it('the other connectivity shapes: 08xxx, timeouts, resets, node-postgres messages, nested causes', () => {
    const shapes = [
      { code: '08006', message: 'connection failure' },
      { code: '08001', message: 'unable to connect' },
      { code: '57P03', message: 'the database system is starting up' },
      { code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' },
      { code: 'ECONNRESET', message: 'read ECONNRESET' },
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout'),
      new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })], 'connect failed'),
      new Error('query failed', { cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }) }),
    ];
    for (const err of shapes) expect(isConnectivityError(err), JSON.stringify(err)).toBe(true);
    expect(describeConnectivityError({ code: 'ETIMEDOUT' })).toMatch(/did not answer in time/);
    expect(describeConnectivityError(shapes[7])).toMatch(/refused/);
  });
});

describe('the offline state machine', () => {
  const at = (iso: string) => new Date(iso);
  function machine(probe?: () => Promise<boolean>) {
    let now = at('2026-11-30T14:05:00Z');
    const changes: TeamConnectionState[] = [];
    const connectivity = createConnectivity({
      logger: createMemoryLogger(),
      clock: () => now,
      formatTime: (d) => d.toISOString().slice(11, 16),
      ...(probe ? { probe } : {}),
    });
    connectivity.onChange((s) => changes.push(s));
    return { connectivity, changes, setNow: (iso: string) => (now = at(iso)) };
  }

  it('follows the feed: offline keeps the moment the server was last there through retries', () => {
    const { connectivity, changes, setNow } = machine();
    expect(connectivity.current().status).toBe('online');
    connectivity.assertOnline('create the report');
    setNow('2026-11-30T14:07:00Z');
    const retryAt = at('2026-11-30T14:07:01Z');
    connectivity.follow({ status: 'offline', since: at('2026-11-30T14:07:00Z'), reason: 'cut', retryAt });
    connectivity.follow({ status: 'reconnecting', since: at('2026-11-30T14:07:01Z'), reason: 'cut' });
    connectivity.follow({
      status: 'offline',
      since: at('2026-11-30T14:07:02Z'),
      reason: 'refused',
      retryAt: at('2026-11-30T14:07:04Z'),
    });
    expect(changes.map((c) => c.status)).toEqual(['offline', 'reconnecting', 'offline']);
    expect(changes.every((c) => c.since.toISOString() === '2026-11-30T14:07:00.000Z')).toBe(true);
    let thrown: unknown;
    try {
      connectivity.assertOnline('create the report');
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe(TEAM_OFFLINE);
    expect((thrown as AppError).retryable).toBe(true);
    expect((thrown as AppError).message).toBe(
      "The team database is not reachable, so AssetDesk can't create the report now. What's on screen is from 14:07; AssetDesk reconnects by itself.",
    );
    connectivity.follow({ status: 'online', since: at('2026-11-30T14:08:00Z') });
    expect(connectivity.current().status).toBe('online');
    connectivity.assertOnline('create the report');
  });

  it('guard: a connectivity failure becomes TEAM_OFFLINE, anything else passes through and leaves it online', async () => {
    const { connectivity } = machine();
    const constraint = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(connectivity.guard('save the loan', () => Promise.reject(constraint))).rejects.toBe(constraint);
    expect(connectivity.current().status).toBe('online');
    expect(await connectivity.guard('save the loan', () => Promise.resolve(7))).toBe(7);
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    const err = await failureOf(() => connectivity.guard('save the loan', () => Promise.reject(reset)));
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe(TEAM_OFFLINE);
    expect((err as AppError).cause).toBe(reset);
    const state = connectivity.current();
    expect(state.status === 'offline' && state.reason).toMatch(/cut/);
    // Nothing that needs the server runs while offline.
    let ran = false;
    await expect(
      connectivity.guard('export the PDF', async () => {
        ran = true;
      }),
    ).rejects.toMatchObject({ code: TEAM_OFFLINE });
    expect(ran).toBe(false);
  });

  it('a failed query while the feed is fine asks the server again, and comes back online when it answers', async () => {
    let asked = 0;
    const { connectivity, changes } = machine(() => {
      asked += 1;
      return Promise.resolve(true);
    });
    expect(connectivity.noteFailure({ code: 'ECONNRESET' })).toBe(true);
    await until(() => connectivity.current().status === 'online', 'the probe to bring it back');
    expect(asked).toBe(1);
    expect(changes.map((c) => c.status)).toEqual(['offline', 'online']);
  });
});

describe('the offline state fed by the real change feed', async () => {
  const db = await createTestDatabase();
  const admin = new pg.Client(db.clientConfig());
  let feed: ChangeFeed | null = null;
  beforeAll(() => admin.connect());
  afterAll(async () => {
    await feed?.close();
    await admin.end();
  });

  it('goes offline when the feed loses the server and online again when it is back', async () => {
    const appName = `conn-feed-${randomBytes(4).toString('hex')}`;
    const connectivity = createConnectivity({ logger: createMemoryLogger() });
    const seen: string[] = [];
    connectivity.onChange((s) => seen.push(s.status));
    feed = await openChangeFeed({
      clientConfig: { ...db.clientConfig(), application_name: appName },
      logger: createMemoryLogger(),
      onChange: () => undefined,
      onState: (s) => connectivity.follow(s),
      reconnect: { initialMs: 300, maxMs: 300 },
    });
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [appName]);
    await until(() => seen.includes('offline'), 'offline');
    expect(() => connectivity.assertOnline('refresh the report')).toThrow(/AssetDesk can't refresh the report now/);
    await until(() => connectivity.current().status === 'online', 'online again');
    expect(seen).toEqual(['offline', 'reconnecting', 'online']);
  });
});
