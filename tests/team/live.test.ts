import { randomBytes } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../electron/log/logger';
import type { TeamConnectionState } from '../../electron/services/team/connectivity';
import {
  openChangeFeed,
  parseChange,
  reconnectDelay,
  type ChangeFeed,
  type FeedEvent,
  type TeamChange,
} from '../../electron/services/team/live';
import { createTestDatabase } from '../helpers/postgres';

/** Waits for `check` with a generous limit; the failure names what never happened. */
async function until<T>(check: () => T | undefined | null | false, what: string, limitMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() - started > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A port nothing listens on: bound once by us, then freed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP relay to the server that can go silent for the connections it carries (a cable pulled, a
 * server hung): nothing is closed, nothing answers. New connections still get through.
 */
async function silenceableRelay(target: { host: string; port: number }) {
  const pairs: { client: Socket; server: Socket }[] = [];
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    client.pipe(upstream);
    upstream.pipe(client);
    pairs.push({ client, server: upstream });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    silence() {
      for (const pair of pairs.splice(0)) {
        pair.client.unpipe(pair.server);
        pair.server.unpipe(pair.client);
        pair.client.pause();
        pair.server.pause();
        closeLater.push(pair.client, pair.server);
      }
    },
    async close() {
      for (const socket of [...closeLater, ...pairs.flatMap((p) => [p.client, p.server])]) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
const closeLater: Socket[] = [];

/** A feed whose every batch and state is kept, on its own application name so tests can find its backend. */
async function recordedFeed(
  config: pg.ClientConfig,
  extra: { reconnect?: { initialMs: number; maxMs: number }; keepaliveMs?: number; keepaliveTimeoutMs?: number } = {},
) {
  const appName = `live-test-${randomBytes(4).toString('hex')}`;
  const batches: { at: number; events: FeedEvent[] }[] = [];
  const states: TeamConnectionState[] = [];
  const logger = createMemoryLogger();
  const feed = await openChangeFeed({
    clientConfig: { ...config, application_name: appName },
    logger,
    onChange: (events) => batches.push({ at: Date.now(), events }),
    onState: (state) => states.push(state),
    reconnect: extra.reconnect ?? { initialMs: 100, maxMs: 1_000 },
    ...(extra.keepaliveMs ? { keepaliveMs: extra.keepaliveMs } : {}),
    ...(extra.keepaliveTimeoutMs ? { keepaliveTimeoutMs: extra.keepaliveTimeoutMs } : {}),
  });
  const changes = () => batches.flatMap((b) => b.events.filter((e): e is TeamChange => e.kind === 'change'));
  return { feed, appName, batches, states, logger, changes };
}

describe('the team change feed (LISTEN/NOTIFY)', async () => {
  const db = await createTestDatabase();
  const admin = new pg.Client(db.clientConfig());
  const feeds: ChangeFeed[] = [];

  beforeAll(async () => {
    await admin.connect();
    // The schema's contract, in miniature: every row change notifies table, op, id and loan.
    await admin.query(`
      CREATE TABLE notes (id text PRIMARY KEY, loan_id text, body text NOT NULL);
      CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE r record;
      BEGIN
        IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
        PERFORM pg_notify('assetdesk_changes',
          json_build_object('table', TG_TABLE_NAME, 'op', lower(TG_OP), 'id', r.id, 'loan_id', r.loan_id)::text);
        RETURN NULL;
      END $$;
      CREATE TRIGGER notes_changes AFTER INSERT OR UPDATE OR DELETE ON notes
        FOR EACH ROW EXECUTE FUNCTION notify_change();
    `);
  });
  afterAll(async () => {
    await Promise.all(feeds.map((f) => f.close()));
    await admin.end();
  });

  it("tells the other desk about a change within a second, in the schema's terms", async () => {
    const r = await recordedFeed(db.clientConfig());
    feeds.push(r.feed);
    expect(r.states.at(-1)?.status).toBe('online');
    const sent = Date.now();
    await admin.query(`INSERT INTO notes VALUES ('n-1', 'loan-1', 'first')`);
    const batch = await until(
      () => r.batches.find((b) => b.events.some((e) => e.kind === 'change' && e.id === 'n-1')),
      'the insert to reach onChange',
    );
    expect(batch.events).toEqual([{ kind: 'change', table: 'notes', op: 'insert', id: 'n-1', loanId: 'loan-1' }]);
    expect(batch.at - sent).toBeLessThan(1_000);
    // The first connection is not a reconnect: nothing to reload.
    expect(r.batches.some((b) => b.events.some((e) => e.kind === 'resync'))).toBe(false);
  });

  it('delivers a 500-row transaction as a few batches, each row once, folded to what happened', async () => {
    const r = await recordedFeed(db.clientConfig());
    feeds.push(r.feed);
    await admin.query('BEGIN');
    await admin.query(`INSERT INTO notes SELECT 'b-' || g, 'loan-2', 'burst' FROM generate_series(1, 500) g`);
    await admin.query(`UPDATE notes SET body = 'burst, edited' WHERE id LIKE 'b-%'`);
    await admin.query(`DELETE FROM notes WHERE id = 'b-7'`);
    await admin.query('COMMIT');
    await until(() => r.changes().length >= 500, 'all 500 rows to be announced');
    // A last marker, sent after the burst, proves nothing more of the burst is on the way.
    await admin.query(`INSERT INTO notes VALUES ('after-burst', NULL, 'x')`);
    await until(() => r.changes().some((c) => c.id === 'after-burst'), 'the marker after the burst');
    const burst = r.changes().filter((c) => c.id.startsWith('b-'));
    expect(burst).toHaveLength(500);
    expect(new Set(burst.map((c) => c.id)).size).toBe(500);
    // 1,001 notifications (insert, update, one delete) reach the screens as one change per row.
    expect(burst.find((c) => c.id === 'b-7')?.op).toBe('delete');
    expect(burst.filter((c) => c.id !== 'b-7').every((c) => c.op === 'insert' && c.loanId === 'loan-2')).toBe(true);
    const burstBatches = r.batches.filter((b) => b.events.some((e) => e.kind === 'change' && e.id.startsWith('b-')));
    expect(burstBatches.length).toBeLessThanOrEqual(3);
  });

  it('drops malformed payloads with a log line and keeps listening', async () => {
    const r = await recordedFeed(db.clientConfig());
    feeds.push(r.feed);
    for (const payload of [
      'not json',
      '{"table":"notes"}',
      '{"table":"notes","op":"upsert","id":"x","loan_id":null}',
      '{"table":"notes","op":"insert","id":"","loan_id":null}',
      '{"table":"notes","op":"update","id":42,"loan_id":null}',
    ]) {
      await admin.query(`SELECT pg_notify('assetdesk_changes', $1)`, [payload]);
    }
    await admin.query(`SELECT pg_notify('assetdesk_changes', $1)`, [
      JSON.stringify({ table: 'notes', op: 'update', id: 'good', loan_id: null, extra: 'ignored' }),
    ]);
    // Another channel is not ours, whatever it carries.
    await admin.query(
      `SELECT pg_notify('someone_else', '{"table":"notes","op":"insert","id":"theirs","loan_id":null}')`,
    );
    await until(() => r.changes().some((c) => c.id === 'good'), 'the well-formed change');
    expect(r.changes()).toEqual([{ kind: 'change', table: 'notes', op: 'update', id: 'good', loanId: null }]);
    const dropped = r.logger.lines.filter((l) => l.includes('dropped a malformed change notification'));
    expect(dropped).toHaveLength(5);
  });

  it('goes offline when the server ends its session, reconnects, and asks screens to reload', async () => {
    const r = await recordedFeed(db.clientConfig());
    feeds.push(r.feed);
    const { rows } = await admin.query<{ ok: boolean }>(
      'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = $1',
      [r.appName],
    );
    expect(rows).toEqual([{ ok: true }]);
    const offline = await until(
      () => r.states.find((s): s is Extract<TeamConnectionState, { status: 'offline' }> => s.status === 'offline'),
      'the feed to report offline',
    );
    expect(offline.reason).toMatch(/ended the connection|cut|lost/);
    expect(offline.retryAt!.getTime()).toBeGreaterThanOrEqual(offline.since.getTime());
    await until(() => r.states.at(-1)?.status === 'online' && r.states.length >= 3, 'the feed to come back online');
    const order = r.states.map((s) => s.status);
    expect(order.slice(0, 4)).toEqual(['online', 'offline', 'reconnecting', 'online']);
    await until(() => r.batches.some((b) => b.events[0]?.kind === 'resync'), 'a resync after the reconnect');
    // And it listens again on the new session.
    await admin.query(`INSERT INTO notes VALUES ('after-reconnect', 'loan-3', 'x')`);
    await until(() => r.changes().some((c) => c.id === 'after-reconnect'), 'a change after the reconnect');
  });

  it('notices a server that stops answering (keepalive), reconnects and asks for a reload', async () => {
    const relay = await silenceableRelay({ host: db.host, port: db.port });
    try {
      const r = await recordedFeed(
        { ...db.clientConfig(), port: relay.port },
        { keepaliveMs: 200, keepaliveTimeoutMs: 500 },
      );
      feeds.push(r.feed);
      expect(r.feed.state().status).toBe('online');
      relay.silence();
      const offline = await until(
        () => r.states.find((s): s is Extract<TeamConnectionState, { status: 'offline' }> => s.status === 'offline'),
        'the keepalive to notice the silent server',
      );
      expect(offline.reason).toMatch(/did not answer in time/);
      await until(() => r.batches.some((b) => b.events[0]?.kind === 'resync'), 'a resync on a fresh connection');
      expect(r.feed.state().status).toBe('online');
      await admin.query(`INSERT INTO notes VALUES ('after-silence', NULL, 'x')`);
      await until(() => r.changes().some((c) => c.id === 'after-silence'), 'a change on the new connection');
      // The server, which never saw the old session close, ends it once it has been quiet too long.
      const sessions = async () =>
        (
          await admin.query<{ n: number }>(
            'SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1',
            [r.appName],
          )
        ).rows[0]!.n;
      const started = Date.now();
      while ((await sessions()) > 1 && Date.now() - started < 15_000) await new Promise((res) => setTimeout(res, 50));
      expect(await sessions()).toBe(1);
      await r.feed.close();
    } finally {
      await relay.close();
    }
  });

  it('starts offline when the server is away, with the reason and the next retry', async () => {
    const r = await recordedFeed(
      { ...db.clientConfig(), port: await closedPort() },
      { reconnect: { initialMs: 5_000, maxMs: 5_000 } },
    );
    feeds.push(r.feed);
    const state = r.feed.state();
    expect(state.status).toBe('offline');
    if (state.status !== 'offline') return;
    expect(state.reason).toMatch(/refused/);
    expect(state.retryAt!.getTime()).toBeGreaterThan(state.since.getTime());
    expect(await r.feed.check()).toBe(false);
    await r.feed.close();
  });

  it('keeps trying while the server stays away, backing off, with one "offline since"', async () => {
    const r = await recordedFeed(
      { ...db.clientConfig(), port: await closedPort() },
      { reconnect: { initialMs: 40, maxMs: 160 } },
    );
    feeds.push(r.feed);
    await until(() => r.states.filter((s) => s.status === 'offline').length >= 4, 'four failed attempts');
    await r.feed.close();
    const offline = r.states.filter(
      (s): s is Extract<TeamConnectionState, { status: 'offline' }> => s.status === 'offline',
    );
    expect(r.states.slice(0, 4).map((s) => s.status)).toEqual(['offline', 'reconnecting', 'offline', 'reconnecting']);
    expect(new Set(r.states.map((s) => s.since.getTime())).size).toBe(1);
    expect(offline.every((s) => /refused/.test(s.reason) && s.retryAt !== null)).toBe(true);
    expect(r.batches).toEqual([]);
  });

  it('close() ends its session and delivers nothing more', async () => {
    const r = await recordedFeed(db.clientConfig());
    expect(await r.feed.check()).toBe(true);
    await r.feed.close();
    const sessions = async () =>
      (await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [r.appName]))
        .rows[0].n as number;
    const started = Date.now();
    while ((await sessions()) > 0 && Date.now() - started < 10_000) await new Promise((res) => setTimeout(res, 50));
    expect(await sessions()).toBe(0);
    await admin.query(`INSERT INTO notes VALUES ('after-close', NULL, 'x')`);
    // A live feed sees this marker; the closed one must not have any callback after close.
    const witness = await recordedFeed(db.clientConfig());
    feeds.push(witness.feed);
    await admin.query(`INSERT INTO notes VALUES ('after-close-2', NULL, 'x')`);
    await until(() => witness.changes().some((c) => c.id === 'after-close-2'), 'the witness to see the marker');
    expect(r.changes()).toEqual([]);
    expect(await r.feed.check()).toBe(false);
  });
});

describe('change feed pieces', () => {
  it('backs off exponentially up to the cap, with jitter in the upper half', () => {
    const policy = { initialMs: 500, maxMs: 30_000 };
    expect(reconnectDelay(0, policy, () => 0)).toBe(250);
    expect(reconnectDelay(0, policy, () => 1)).toBe(500);
    expect(reconnectDelay(3, policy, () => 1)).toBe(4_000);
    expect(reconnectDelay(20, policy, () => 1)).toBe(30_000);
    expect(reconnectDelay(20, policy, () => 0)).toBe(15_000);
  });

  it("parses the schema's payload and refuses anything else", () => {
    expect(parseChange('{"table":"reports","op":"delete","id":"r1","loan_id":"l1"}')).toEqual({
      change: { kind: 'change', table: 'reports', op: 'delete', id: 'r1', loanId: 'l1' },
    });
    expect(parseChange(undefined)).toHaveProperty('error');
    expect(parseChange('[]')).toHaveProperty('error');
    expect(parseChange('{"table":"reports","op":"delete","id":"r1"}')).toHaveProperty('error');
  });
});
