import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../log/logger';
import type { SqlEngine } from '../../db/sql';
import { describeConnectivityError, isConnectivityError } from './connectivity';
import { DEFAULT_RECONNECT, endSession, reconnectDelay, sessionClient, type ReconnectPolicy } from './live';

/**
 * One poller per pending report across the team: the desk that holds a report's PostgreSQL session
 * advisory lock polls Plaid for it and handles its webhook. The locks live on one dedicated
 * coordination connection, so when a desk closes, crashes or is killed, its session ends, the server
 * releases every lock it held, and another desk's takeover loop claims them.
 */

/**
 * Advisory lock keys share one 64-bit space per database with every other user of advisory locks,
 * so the key is the first 8 bytes of SHA-256 over a purpose name and the id: the name keeps report
 * polling apart from loan creation (and anything else), and the hash spreads arbitrary ids over 64
 * bits (a collision would only make one desk poll two reports, never two desks one). Signed, as
 * PostgreSQL's bigint is; returned as a decimal string because the value outgrows a JS number.
 */
export function advisoryKey(purpose: string, id: string): string {
  const digest = createHash('sha256').update(purpose).update('\u0000').update(id).digest();
  return digest.readBigInt64BE(0).toString();
}

export const REPORT_POLL_PURPOSE = 'assetdesk.report-poll';
export const LOAN_REPORT_PURPOSE = 'assetdesk.loan-report-create';
export const AUDIT_COPY_PURPOSE = 'assetdesk.audit-copy-create';

export const reportPollKey = (reportId: string) => advisoryKey(REPORT_POLL_PURPOSE, reportId);
export const loanLockKey = (loanId: string) => advisoryKey(LOAN_REPORT_PURPOSE, loanId);
export const auditCopyKey = (reportId: string, auditorId: string) =>
  advisoryKey(AUDIT_COPY_PURPOSE, `${reportId}\u0000${auditorId}`);

export interface TurnOptions {
  /** How long a desk waits for another desk's turn to end (default 30 s). */
  waitMs?: number;
  /** How often it asks meanwhile (default 200 ms). */
  pollMs?: number;
  /** The error thrown when the wait runs out or the server cannot be asked. */
  busy: () => Promise<Error>;
}

export interface PollCoordinator {
  /** True when this desk now holds (or already held) the report's lease; false when another desk does or the server is away. */
  tryClaim(reportId: string): Promise<boolean>;
  /** Lets the report go (it is ready, failed or removed): another desk may claim it from now on. */
  release(reportId: string): Promise<void>;
  held(): string[];
  /**
   * Asks the server whether this desk's session still holds the report's lease: call it before each
   * Plaid call, so a desk that slept or lost its network (and whose lease another desk has since
   * taken) finds out before polling, not after. False when it doesn't, or can't tell.
   */
  confirm(reportId: string): Promise<boolean>;
  /**
   * Runs `run` holding `key` across the team: a session advisory lock on the coordination connection, so a desk
   * that closes or crashes mid-way frees it at once. Callers on this desk queue; another desk's wait up to
   * `waitMs`. `waited` is true when someone held the turn first (what they made may now exist).
   */
  turn<T>(key: string, run: (waited: boolean) => Promise<T>, options: TurnOptions): Promise<T>;
  /**
   * Holds `key` SHARED on the coordination connection: any number of desks share it, and another desk's `turn` of
   * the same key (exclusive) is refused while one does. Null when a desk has the turn now or the server is away.
   * A desk that closes or crashes frees its holds with its session.
   */
  share(key: string): Promise<SharedHold | null>;
  /** Called with every report whose lease was lost at once when the coordination connection died; returns the unsubscribe. */
  onLost(listener: (reportIds: string[]) => void): () => void;
  /**
   * Called each time the coordination connection is back after it died (every lease and shared hold went with the
   * old session): what is still under way at this desk takes its holds again. Returns the unsubscribe.
   */
  onReconnected(listener: () => void): () => void;
  close(): Promise<void>;
}

export interface SharedHold {
  /** Lets this hold go (once; a hold lost with its session is already gone). */
  release(): Promise<void>;
}

export interface PollCoordinatorOptions {
  clientConfig: pg.ClientConfig;
  logger: Logger;
  reconnect?: Partial<ReconnectPolicy>;
  /** Keepalive on the coordination connection (default 10 s): a dead server drops every lease within about this. */
  keepaliveMs?: number;
  keepaliveTimeoutMs?: number;
  /**
   * The server ends this desk's session after this long without a query (default 3 × keepaliveMs), so a
   * desk that froze or lost its network (a laptop put to sleep) frees its leases even though its socket
   * looks open to the server; the keepalive keeps a live desk's session busy well inside it.
   */
  sessionTimeoutMs?: number;
  random?: () => number;
}

/**
 * Opens the coordination connection (waiting for the first attempt; a server that is away just means
 * nothing can be claimed until it is back).
 */
export async function openPollCoordinator(options: PollCoordinatorOptions): Promise<PollCoordinator> {
  const log = options.logger.child({ component: 'team-poll-lease' });
  const policy: ReconnectPolicy = { ...DEFAULT_RECONNECT, ...options.reconnect };
  const keepaliveMs = options.keepaliveMs ?? 10_000;
  const keepaliveTimeoutMs = options.keepaliveTimeoutMs ?? 5_000;
  const sessionTimeoutMs = Math.round(options.sessionTimeoutMs ?? 3 * keepaliveMs);
  const listeners = new Set<(reportIds: string[]) => void>();
  const reconnectedListeners = new Set<() => void>();
  let connectedOnce = false;
  // report id → its key; the server counts one lock per key, so a shared key is unlocked only when both go.
  const leases = new Map<string, string>();
  let client: pg.Client | null = null;
  let ready = false;
  let generation = 0;
  let attempt = 0;
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let keepaliveTimer: NodeJS.Timeout | null = null;
  // node-postgres wants one query at a time per client (queueing is deprecated): claims, releases and pings take turns.
  let turn: Promise<unknown> = Promise.resolve();
  function inTurn<T>(run: () => Promise<T>): Promise<T> {
    const result = turn.then(run, run);
    turn = result.catch(() => undefined);
    return result;
  }
  let pinging = false;

  function lost(gen: number, err: unknown): void {
    if (gen !== generation || closed) return;
    generation += 1;
    ready = false;
    if (keepaliveTimer) clearInterval(keepaliveTimer);
    keepaliveTimer = null;
    const old = client;
    client = null;
    old?.connection.stream.destroy();
    const gone = [...leases.keys()];
    leases.clear();
    const delay = reconnectDelay(attempt, policy, options.random);
    attempt += 1;
    log.warn('poll coordination connection lost', {
      reason: describeConnectivityError(err),
      leasesLost: gone.length,
      retryInMs: delay,
    });
    if (gone.length > 0) {
      for (const listener of listeners) {
        try {
          listener(gone);
        } catch (error) {
          log.error('a lease-lost listener failed', { err: error });
        }
      }
    }
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (!closed) void connect();
    }, delay);
  }

  async function connect(): Promise<void> {
    const gen = ++generation;
    const next = sessionClient(options.clientConfig, 'assetdesk-poll-lease', (err) => lost(gen, err));
    client = next;
    try {
      await next.connect();
      await next.query(`SET idle_session_timeout = ${sessionTimeoutMs}`);
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
    ready = true;
    keepaliveTimer = setInterval(() => {
      if (pinging) return;
      pinging = true;
      let timer: NodeJS.Timeout | undefined;
      void Promise.race([
        inTurn(() => next.query('SELECT 1')),
        new Promise((_resolve, reject) => {
          timer = setTimeout(
            () => reject(Object.assign(new Error('keepalive timeout'), { code: 'ETIMEDOUT' })),
            keepaliveTimeoutMs,
          );
        }),
      ])
        .catch((err: unknown) => lost(gen, err))
        .finally(() => {
          pinging = false;
          clearTimeout(timer);
        });
    }, keepaliveMs);
    keepaliveTimer.unref();
    log.info('poll coordination connected');
    if (connectedOnce)
      for (const listener of reconnectedListeners) {
        try {
          listener();
        } catch (error) {
          log.error('a reconnection listener failed', { err: error });
        }
      }
    connectedOnce = true;
  }

  await connect();

  // Two claims of one report at once would lock it twice in this session (and one release would not free it).
  const claiming = new Map<string, Promise<boolean>>();

  async function claim(reportId: string): Promise<boolean> {
    const target = client;
    if (closed || !ready || !target) return false;
    const gen = generation;
    const key = reportPollKey(reportId);
    // Session locks are re-entrant: a key this session holds already (a hash collision) is ours without asking.
    if ([...leases.values()].includes(key)) {
      leases.set(reportId, key);
      return true;
    }
    try {
      const { rows } = await inTurn(() =>
        target.query<{ claimed: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS claimed', [key]),
      );
      // A lock won on a session that has since died was released with it.
      if (gen !== generation) return false;
      const claimed = rows[0]?.claimed === true;
      if (claimed) {
        leases.set(reportId, key);
        log.debug('claimed report polling', { reportId });
      }
      return claimed;
    } catch (err) {
      log.warn('could not claim report polling', { reportId, reason: describeConnectivityError(err) });
      return false;
    }
  }

  // Turns this desk is taking or holds, by key: a second caller here waits for the first (session locks are re-entrant).
  const turns = new Map<string, Promise<unknown>>();

  async function takeTurn<T>(
    key: string,
    queued: Promise<unknown> | undefined,
    run: (waited: boolean) => Promise<T>,
    options: TurnOptions,
  ): Promise<T> {
    if (queued) await queued.catch(() => undefined);
    let waited = queued !== undefined;
    const deadline = Date.now() + (options.waitMs ?? 30_000);
    for (;;) {
      const target = client;
      if (closed || !ready || !target) throw await options.busy();
      const gen = generation;
      let held: boolean;
      try {
        const { rows } = await inTurn(() =>
          target.query<{ held: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS held', [key]),
        );
        held = rows[0]?.held === true && gen === generation;
      } catch (err) {
        log.warn('could not take a turn', { reason: describeConnectivityError(err) });
        throw await options.busy();
      }
      if (held) break;
      waited = true;
      if (Date.now() >= deadline) throw await options.busy();
      await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
    }
    const gen = generation;
    try {
      return await run(waited);
    } finally {
      const target = client;
      // A session that died meanwhile took the lock with it.
      if (gen === generation && ready && target)
        await inTurn(() => target.query('SELECT pg_advisory_unlock($1::bigint)', [key])).catch((err: unknown) =>
          log.warn('could not end a turn', { reason: describeConnectivityError(err) }),
        );
    }
  }

  async function share(key: string): Promise<SharedHold | null> {
    const target = client;
    if (closed || !ready || !target) return null;
    const gen = generation;
    try {
      const { rows } = await inTurn(() =>
        target.query<{ held: boolean }>('SELECT pg_try_advisory_lock_shared($1::bigint) AS held', [key]),
      );
      if (rows[0]?.held !== true || gen !== generation) return null;
    } catch (err) {
      log.warn('could not take a shared hold', { reason: describeConnectivityError(err) });
      return null;
    }
    let released = false;
    return {
      async release() {
        if (released) return;
        released = true;
        // Shared holds are counted per session: each one is let go once, and one lost with its session not at all.
        if (gen !== generation || !ready || client !== target) return;
        await inTurn(() => target.query('SELECT pg_advisory_unlock_shared($1::bigint)', [key])).catch((err: unknown) =>
          log.warn('could not let a shared hold go', { reason: describeConnectivityError(err) }),
        );
      },
    };
  }

  return {
    share,
    turn(key, run, options) {
      const mine = takeTurn(key, turns.get(key), run, options);
      turns.set(key, mine);
      void mine.then(
        () => turns.get(key) === mine && turns.delete(key),
        () => turns.get(key) === mine && turns.delete(key),
      );
      return mine;
    },
    tryClaim(reportId) {
      if (leases.has(reportId)) return Promise.resolve(true);
      let inFlight = claiming.get(reportId);
      if (!inFlight) {
        inFlight = claim(reportId).finally(() => claiming.delete(reportId));
        claiming.set(reportId, inFlight);
      }
      return inFlight;
    },
    async release(reportId) {
      const key = leases.get(reportId);
      if (key === undefined) return;
      leases.delete(reportId);
      const target = client;
      if (!ready || !target || [...leases.values()].includes(key)) return;
      try {
        await inTurn(() => target.query('SELECT pg_advisory_unlock($1::bigint)', [key]));
      } catch (err) {
        // The session is going anyway, and the server frees its locks when it does.
        log.warn('could not release report polling', { reportId, reason: describeConnectivityError(err) });
      }
    },
    held: () => [...leases.keys()],
    async confirm(reportId) {
      const key = leases.get(reportId);
      const target = client;
      if (key === undefined || !ready || !target) return false;
      const gen = generation;
      try {
        // pg_locks shows a bigint advisory key as two 32-bit halves (classid high, objid low), objsubid 1.
        const { rows } = await inTurn(() =>
          target.query<{ held: boolean }>(
            `SELECT EXISTS (
               SELECT 1 FROM pg_locks
                WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 1
                  AND classid = (($1::bigint >> 32) & 4294967295)::oid
                  AND objid = ($1::bigint & 4294967295)::oid) AS held`,
            [key],
          ),
        );
        return gen === generation && rows[0]?.held === true && leases.get(reportId) === key;
      } catch (err) {
        if (isConnectivityError(err)) lost(gen, err);
        return false;
      }
    },
    onLost(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onReconnected(listener) {
      reconnectedListeners.add(listener);
      return () => reconnectedListeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      generation += 1;
      if (retryTimer) clearTimeout(retryTimer);
      if (keepaliveTimer) clearInterval(keepaliveTimer);
      leases.clear();
      const last = client;
      client = null;
      if (!last) return;
      // Ending the session releases every lease at once, for the other desks to take over.
      await endSession(last);
    },
  };
}

/** A client that can run a transaction: a `pg.Client`, or a `pg.Pool` (one of its clients is taken for the call). */
export type TransactionTarget = pg.ClientBase | pg.Pool;

/**
 * Runs `create` in a READ COMMITTED transaction holding the loan's transaction advisory lock, so two
 * desks creating a report for the same loan at once take turns: the second waits, then (each statement
 * reading the latest commits) sees the first one's pending report and can return it instead of making
 * another. The lock goes with the transaction. `client` must not already be in a transaction.
 */
export async function withLoanLock<T>(
  target: TransactionTarget,
  loanId: string,
  create: (client: pg.ClientBase) => Promise<T>,
): Promise<T> {
  const pooled = target instanceof pg.Pool ? await target.connect() : null;
  const client = pooled ?? (target as pg.ClientBase);
  let failure: unknown = null;
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    try {
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [loanLockKey(loanId)]);
      const result = await create(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      failure = err;
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  } finally {
    // A pooled client whose connection failed goes back marked broken, so the pool drops it.
    pooled?.release(isConnectivityError(failure) ? (failure as Error) : undefined);
  }
}

/**
 * The same per-loan lock inside a transaction of the store's engine: call it first thing in
 * `engine.transaction(...)`, then look for a pending report and create one only if there is none.
 * On SQLite it does nothing: one desk owns the file, and its write transactions already take turns.
 */
export async function lockLoanForReportCreation(engine: SqlEngine, loanId: string): Promise<void> {
  if (engine.dialect !== 'postgres') return;
  if (!engine.inTransaction()) throw new Error('lockLoanForReportCreation must run inside engine.transaction');
  await engine.statement('SELECT pg_advisory_xact_lock(?::bigint)').get(loanLockKey(loanId));
}

/**
 * The member whose desk holds `key` now (another desk's session), or null: to name who is making something
 * this desk waited for. Reads pg_locks, which shows a bigint key as two 32-bit halves. `otherMembers` leaves out
 * this member's own sessions (a key held shared by this desk too).
 */
export async function lockHolder(
  engine: SqlEngine,
  key: string,
  options: { otherMembers?: boolean } = {},
): Promise<string | null> {
  if (engine.dialect !== 'postgres') return null;
  const row = (await engine
    .statement(
      `SELECT coalesce(m.name, a.usename::text) AS name
         FROM pg_locks l
         JOIN pg_stat_activity a ON a.pid = l.pid
         LEFT JOIN team_members m ON m.db_role = a.usename::text
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.database = (
                SELECT oid FROM pg_database WHERE datname = current_database())
          AND l.classid = ((?::bigint >> 32) & 4294967295)::oid
          AND l.objid = (?::bigint & 4294967295)::oid${options.otherMembers ? ' AND a.usename <> session_user' : ''}
        ORDER BY name
        LIMIT 1`,
    )
    .get(key, key)) as { name: string | null } | undefined;
  return row?.name ?? null;
}

export interface UnclaimedWatchOptions {
  /** Ids of the reports still waiting on Plaid (pending in the team database). */
  list: () => Promise<string[]>;
  coordinator: PollCoordinator;
  /**
   * How often to look for reports nobody polls (default 1 s): the takeover time once the server has
   * freed a lease (at once for a desk that quit or was killed, after the holder's session timeout for
   * one that froze or lost its network). Each look costs one list query plus one try-lock per pending
   * report this desk doesn't hold (no row locks, no writes), from every desk: N desks × M pending
   * reports small queries per interval. Shorter = quicker takeover, more of them; a lease is never
   * shared however short.
   */
  intervalMs?: number;
  /** This desk now polls `reportId` (start its poller). */
  onClaimed: (reportId: string) => void | Promise<void>;
  logger: Logger;
}

export interface UnclaimedWatch {
  /** Looks once now (also what each interval does); resolves when the look is done. */
  sweep(): Promise<string[]>;
  stop(): Promise<void>;
}

/**
 * The takeover loop: every interval, tries to claim each pending report this desk doesn't hold. Locks
 * held by a live desk just answer false; a lock freed by a dead session is won by the first desk to ask.
 */
export function watchUnclaimed(options: UnclaimedWatchOptions): UnclaimedWatch {
  const log = options.logger.child({ component: 'team-poll-takeover' });
  const intervalMs = options.intervalMs ?? 1_000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<string[]> | null = null;
  // Said once when the listing starts failing (the server away), and once when it works again, not every look.
  let failing = false;

  async function look(): Promise<string[]> {
    const claimed: string[] = [];
    let pending: string[];
    try {
      pending = await options.list();
    } catch (err) {
      if (!failing) log.warn('could not list pending reports for takeover', { reason: describeConnectivityError(err) });
      failing = true;
      return claimed;
    }
    if (failing) log.info('listing pending reports for takeover again');
    failing = false;
    const mine = new Set(options.coordinator.held());
    for (const reportId of pending) {
      if (stopped) break;
      if (mine.has(reportId)) continue;
      if (!(await options.coordinator.tryClaim(reportId))) continue;
      claimed.push(reportId);
      log.info('took over report polling', { reportId });
      try {
        await options.onClaimed(reportId);
      } catch (err) {
        log.error('starting the poller for a claimed report failed', { reportId, err });
      }
    }
    return claimed;
  }

  function sweep(): Promise<string[]> {
    // One look at a time: a slow server must not stack sweeps up.
    running ??= look().finally(() => (running = null));
    return running;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      void sweep().finally(schedule);
    }, intervalMs);
  }

  void sweep().finally(schedule);

  return {
    sweep,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
