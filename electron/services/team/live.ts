import pg from 'pg';
import { z } from 'zod';
import type { Logger } from '../../log/logger';
import { describeConnectivityError, isSignInRefused, type TeamConnectionState } from './connectivity';

/**
 * Live updates between desks: one dedicated connection LISTENs on the channel the team schema's
 * triggers notify, and screens are told what changed, a burst at a time. No polling of the data:
 * the only queries on this connection are LISTEN and a cheap keepalive.
 */

export const CHANGE_CHANNEL = 'assetdesk_changes';

/** What the schema's triggers send (`pg_notify('assetdesk_changes', json)`). Extra fields are ignored. */
const ChangePayload = z.object({
  table: z.string().min(1).max(63),
  op: z.enum(['insert', 'update', 'delete']),
  id: z.string().min(1).max(200),
  loan_id: z.string().min(1).max(200).nullable(),
});

export type TeamChange = {
  kind: 'change';
  table: string;
  op: 'insert' | 'update' | 'delete';
  id: string;
  loanId: string | null;
};
/** Changes were missed while the feed was disconnected (NOTIFY keeps nothing): reload what's on screen. */
export type TeamResync = { kind: 'resync' };
export type FeedEvent = TeamChange | TeamResync;

export interface ReconnectPolicy {
  initialMs: number;
  maxMs: number;
}

export interface ChangeFeedOptions {
  /** A `pg` config for the team database (TLS verified); the feed uses one connection of its own. */
  clientConfig: pg.ClientConfig;
  logger: Logger;
  /** One call per burst: deduplicated by table and id, a resync first when there was one. */
  onChange: (events: FeedEvent[]) => void;
  onState: (state: TeamConnectionState) => void;
  /** How long a burst gathers before it is delivered (default 50 ms: about a frame or three). */
  coalesceMs?: number;
  /** Keepalive period on the listening connection (default 10 s); a dead server shows within one period plus `keepaliveTimeoutMs`. */
  keepaliveMs?: number;
  keepaliveTimeoutMs?: number;
  /**
   * The server ends the listening session after this long without a query (default 3 × keepaliveMs):
   * a frozen desk would otherwise keep an idle LISTEN open that holds back the server's notification queue.
   */
  sessionTimeoutMs?: number;
  reconnect?: Partial<ReconnectPolicy>;
  clock?: () => Date;
  /** For the jitter; default Math.random. */
  random?: () => number;
}

export interface ChangeFeed {
  state(): TeamConnectionState;
  /** Asks the server now (the keepalive, early); false, and a reconnect under way, when it is not there. */
  check(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * A dedicated session's client (the change feed's, the poll leases'): TCP keepalive, a bounded connect, and
 * `onLost` for an error or a close — an 'error' without a listener would crash the process.
 */
export function sessionClient(config: pg.ClientConfig, applicationName: string, onLost: (err: Error) => void) {
  const client = new pg.Client({
    application_name: applicationName,
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
    ...config,
  });
  client.on('error', onLost);
  client.on('end', () => onLost(Object.assign(new Error('Connection terminated'), { code: 'ECONNRESET' })));
  return client;
}

/** Ends a dedicated session: a polite goodbye when the server answers, a cut socket when it doesn't within `graceMs`. */
export async function endSession(client: pg.Client, graceMs = 1_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        client.connection.stream.destroy();
        resolve();
      }, graceMs);
    }),
  ]);
  clearTimeout(timer);
}

export const DEFAULT_RECONNECT: ReconnectPolicy = { initialMs: 500, maxMs: 30_000 };

/**
 * Capped exponential backoff with jitter: attempt n waits between half and all of min(max, initial·2ⁿ),
 * so desks that lost the server together don't all come back in the same millisecond.
 */
export function reconnectDelay(attempt: number, policy: ReconnectPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxMs, policy.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + (cap / 2) * random());
}

/** Parses one notification payload; null (with the reason) when it is not the schema's contract. */
export function parseChange(payload: string | undefined): { change: TeamChange } | { error: string } {
  let json: unknown;
  try {
    json = JSON.parse(payload ?? '');
  } catch {
    return { error: 'not JSON' };
  }
  const parsed = ChangePayload.safeParse(json);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const { table, op, id, loan_id } = parsed.data;
  return { change: { kind: 'change', table, op, id, loanId: loan_id } };
}

/** Folds a later change to the same row into an earlier one: a row inserted then updated is still new; a delete wins. */
function merge(earlier: TeamChange, later: TeamChange): TeamChange {
  if (later.op === 'delete' || earlier.op === 'delete') return { ...later, op: 'delete' };
  return { ...later, op: earlier.op === 'insert' ? 'insert' : later.op };
}

/**
 * Opens the feed and waits for its first connection attempt. A server that is away at start is not an
 * error: the feed reports offline and keeps trying, and the first connection after that sends a resync.
 */
export async function openChangeFeed(options: ChangeFeedOptions): Promise<ChangeFeed> {
  const log = options.logger.child({ component: 'team-live' });
  const clock = options.clock ?? (() => new Date());
  const random = options.random ?? Math.random;
  const policy: ReconnectPolicy = { ...DEFAULT_RECONNECT, ...options.reconnect };
  const coalesceMs = options.coalesceMs ?? 50;
  const keepaliveMs = options.keepaliveMs ?? 10_000;
  const keepaliveTimeoutMs = options.keepaliveTimeoutMs ?? 5_000;
  const sessionTimeoutMs = Math.round(options.sessionTimeoutMs ?? 3 * keepaliveMs);

  let state: TeamConnectionState = { status: 'offline', since: clock(), reason: 'not connected yet', retryAt: null };
  let client: pg.Client | null = null;
  let generation = 0;
  let attempt = 0;
  let closed = false;
  let everConnected = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let keepaliveTimer: NodeJS.Timeout | null = null;
  let flushTimer: NodeJS.Timeout | null = null;
  let pendingResync = false;
  const pending = new Map<string, TeamChange>();

  function report(next: TeamConnectionState): void {
    state = next;
    try {
      options.onState(next);
    } catch (err) {
      log.error('the connection state listener failed', { err });
    }
  }

  function flush(): void {
    flushTimer = null;
    if (closed) return;
    const events: FeedEvent[] = pendingResync ? [{ kind: 'resync' }] : [];
    events.push(...pending.values());
    pendingResync = false;
    pending.clear();
    if (events.length === 0) return;
    try {
      options.onChange(events);
    } catch (err) {
      log.error('a change listener failed', { err });
    }
  }

  function enqueue(event: FeedEvent): void {
    if (event.kind === 'resync') pendingResync = true;
    else {
      const key = `${event.table}\u0000${event.id}`;
      const earlier = pending.get(key);
      // Re-inserting moves the row to the end: events keep the order of their last change.
      pending.delete(key);
      pending.set(key, earlier ? merge(earlier, event) : event);
    }
    flushTimer ??= setTimeout(flush, coalesceMs);
  }

  function onNotification(message: pg.Notification): void {
    if (message.channel !== CHANGE_CHANNEL) return;
    const parsed = parseChange(message.payload);
    if ('error' in parsed) {
      // The payload is the schema's own JSON (ids, table names), never a secret; its length is enough.
      log.warn('dropped a malformed change notification', {
        reason: parsed.error,
        bytes: message.payload?.length ?? 0,
      });
      return;
    }
    enqueue(parsed.change);
  }

  function stopKeepalive(): void {
    if (keepaliveTimer) clearInterval(keepaliveTimer);
    keepaliveTimer = null;
  }

  /** The connection of `gen` is gone (or must go): drop it and schedule the next attempt. */
  function lost(gen: number, err: unknown): void {
    if (gen !== generation || closed) return;
    generation += 1;
    stopKeepalive();
    const old = client;
    client = null;
    if (old) {
      old.removeAllListeners('notification');
      // Destroying the socket never waits on a server that no longer answers.
      old.connection.stream.destroy();
    }
    scheduleRetry(describeConnectivityError(err), err);
  }

  function scheduleRetry(reason: string, err: unknown): void {
    const delay = reconnectDelay(attempt, policy, random);
    attempt += 1;
    const retryAt = new Date(clock().getTime() + delay);
    const since = state.status === 'online' ? clock() : state.since;
    log.warn('team change feed offline', {
      reason,
      code: (err as { code?: unknown } | null)?.code,
      retryInMs: delay,
    });
    // Still tried again (a password the DBA reset by mistake can be put back), but said as what it is.
    const refused = isSignInRefused(err) ? { signInRefused: true } : {};
    report({ status: 'offline', since, reason, retryAt, ...refused });
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (closed) return;
      report({ status: 'reconnecting', since, reason, ...refused });
      void connect();
    }, delay);
  }

  // One ping at a time per connection: a second query queued behind a hung one proves nothing more.
  const pings = new WeakMap<pg.Client, Promise<boolean>>();
  function keepalive(gen: number, target: pg.Client): Promise<boolean> {
    let ping = pings.get(target);
    if (!ping) {
      ping = pingOnce(gen, target).finally(() => pings.delete(target));
      pings.set(target, ping);
    }
    return ping;
  }

  async function pingOnce(gen: number, target: pg.Client): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        target.query('SELECT 1'),
        new Promise((_resolve, reject) => {
          timer = setTimeout(
            () => reject(Object.assign(new Error('keepalive timeout'), { code: 'ETIMEDOUT' })),
            keepaliveTimeoutMs,
          );
        }),
      ]);
      return gen === generation;
    } catch (err) {
      lost(gen, err);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  async function connect(): Promise<void> {
    const gen = ++generation;
    const next = sessionClient(options.clientConfig, 'assetdesk-live', (err) => lost(gen, err));
    next.on('notification', onNotification);
    client = next;
    try {
      await next.connect();
      await next.query(`SET idle_session_timeout = ${sessionTimeoutMs}`);
      await next.query(`LISTEN ${CHANGE_CHANNEL}`);
    } catch (err) {
      if (gen === generation && !closed) lost(gen, err);
      else next.connection.stream.destroy();
      return;
    }
    if (gen !== generation || closed) {
      next.connection.stream.destroy();
      return;
    }
    attempt = 0;
    keepaliveTimer = setInterval(() => void keepalive(gen, next), keepaliveMs);
    keepaliveTimer.unref();
    log.info('team change feed online', { resync: everConnected || generation > 1 });
    // Anything sent while we were away is gone; LISTEN is in place now, so a reload misses nothing.
    if (everConnected || gen > 1) enqueue({ kind: 'resync' });
    everConnected = true;
    report({ status: 'online', since: clock() });
  }

  await connect();

  return {
    state: () => state,
    async check() {
      const target = client;
      if (closed || !target || state.status !== 'online') return false;
      return keepalive(generation, target);
    },
    async close() {
      if (closed) return;
      closed = true;
      generation += 1;
      stopKeepalive();
      if (retryTimer) clearTimeout(retryTimer);
      if (flushTimer) clearTimeout(flushTimer);
      const last = client;
      client = null;
      if (!last) return;
      last.removeAllListeners('notification');
      await endSession(last);
    },
  };
}
