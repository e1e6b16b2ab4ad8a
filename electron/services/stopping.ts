import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * How long a request that makes something at Plaid (a report, an audit copy, an Item), already on its way when
 * AssetDesk stops, may take to answer so that what Plaid made is saved. Past it AssetDesk quits anyway, and what was
 * left open is settled at the next start (a report: outcome unknown, never sent twice).
 */
export const SAVING_GRACE_MS = 10_000;

/**
 * AssetDesk stopping (quitting, or restarting for a restore), shared by every Plaid gateway of the run. Once it has
 * begun no new Plaid call or retry starts, a wait between retries ends at once and reads in flight (polls, report
 * downloads) are abandoned: they are repeated at the next start. Work that saves what Plaid makes (`saving`) gets
 * the grace period to finish, its own calls included; then its gateway cuts it too.
 */
export class Stopping {
  private controller = new AbortController();
  private deadline = Number.POSITIVE_INFINITY;
  private readonly inSaving = new AsyncLocalStorage<boolean>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(
    readonly graceMs = SAVING_GRACE_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Aborts when stopping begins. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get begun(): boolean {
    return this.controller.signal.aborted;
  }

  /** Whether the caller runs inside saving work (see `saving`). */
  get saving(): boolean {
    return this.inSaving.getStore() === true;
  }

  /** Milliseconds left before saving work is cut (0 once stopping has begun and the grace is over). */
  graceLeftMs(): number {
    return Math.max(0, this.deadline - this.now());
  }

  /**
   * Runs work that makes something at Plaid and saves Plaid's answer (its ids, its token): when stopping begins it
   * is given the grace period to finish, and `begin` waits for it.
   */
  save<T>(work: () => Promise<T>): Promise<T> {
    // Work begun once stopping has begun is not saving anything yet: its calls are refused like any other.
    const run = this.inSaving.run(!this.begun, work);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return run;
  }

  /** Begins stopping; resolves once the saving work has finished, or its grace is over. */
  async begin(): Promise<void> {
    if (!this.begun) {
      this.deadline = this.now() + this.graceMs;
      this.controller.abort();
    }
    let timer: NodeJS.Timeout | undefined;
    // A little past the grace: work cut at the deadline still writes down what it must (or nothing).
    const graceOver = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.graceLeftMs() + 1_000)));
    await Promise.race([Promise.all([...this.running]), graceOver]);
    clearTimeout(timer);
  }

  /** A new run (after a restart) starts with nothing stopping. */
  reset(): void {
    if (!this.begun) return;
    this.controller = new AbortController();
    this.deadline = Number.POSITIVE_INFINITY;
  }
}

/** How long quitting waits for the services to stop: the saving grace, then a little for closing stores. */
export const QUIT_DEADLINE_MS = SAVING_GRACE_MS + 5_000;

export type StopOutcome = { outcome: 'stopped' } | { outcome: 'failed'; error: unknown } | { outcome: 'timed-out' };

/**
 * Runs `stop` for at most `deadlineMs`. Quitting goes ahead either way: a store or a team connection that never
 * closes must not keep AssetDesk open, and whatever was left half-done is settled at the next start.
 */
export async function stopWithin(stop: () => Promise<void>, deadlineMs = QUIT_DEADLINE_MS): Promise<StopOutcome> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<StopOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ outcome: 'timed-out' }), deadlineMs);
  });
  const stopped = stop().then(
    (): StopOutcome => ({ outcome: 'stopped' }),
    (error: unknown): StopOutcome => ({ outcome: 'failed', error }),
  );
  try {
    return await Promise.race([stopped, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
