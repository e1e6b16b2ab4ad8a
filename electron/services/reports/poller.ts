import type { Logger } from '../../log/logger';

/**
 * Polling for reports Plaid is still generating: exponential backoff between polls, and a per-report
 * call window that every /asset_report/get passes through (webhook-triggered fetches included).
 */

export interface PollIntervals {
  /** First wait after create (ms). */
  initialMs: number;
  factor: number;
  maxMs: number;
  /** The time polls are measured and waited in (default: the app's clock and real timers); tests pass their own. */
  time?: PollerTime;
}

/** A clock and a way to wait on it: what the poller and its call window run on. */
export interface PollerTime {
  now(): number;
  /** Resolves after `ms` on this clock, or as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

function realTime(clock: () => Date): PollerTime {
  return {
    now: () => clock().getTime(),
    sleep: (ms, signal) =>
      new Promise((resolve) => {
        if (signal.aborted) return resolve();
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          signal.removeEventListener('abort', done);
          resolve();
        }
        signal.addEventListener('abort', done);
      }),
  };
}

export const DEFAULT_POLL_INTERVALS: PollIntervals = { initialMs: 2_000, factor: 1.5, maxMs: 30_000 };
/** Plaid's production limit on /asset_report/get per report. */
export const GETS_PER_MINUTE_PER_REPORT = 15;

/** `handed-over`: another desk of the team now polls the report, so this desk stops. */
export type FetchOutcome = 'ready' | 'not-ready' | 'failed' | 'handed-over';

/**
 * A per-report sliding window: at most `limit` calls in any `windowMs`. Enforced on the real call
 * times (webhook-triggered fetches and retries included), not just by the backoff arithmetic.
 */
export class CallWindow {
  private readonly calls = new Map<string, number[]>();
  constructor(
    private readonly limit = GETS_PER_MINUTE_PER_REPORT,
    private readonly windowMs = 60_000,
  ) {}

  /** Milliseconds to wait before the next call for `key` may be made (0 = now). */
  waitBefore(key: string, now: number): number {
    // A clock set back leaves calls "in the future": they count as made now, so no wait outlasts the window.
    const recent = (this.calls.get(key) ?? []).map((t) => Math.min(t, now)).filter((t) => t > now - this.windowMs);
    this.calls.set(key, recent);
    if (recent.length < this.limit) return 0;
    return recent[recent.length - this.limit]! + this.windowMs - now;
  }

  record(key: string, now: number): void {
    const list = this.calls.get(key) ?? [];
    list.push(now);
    this.calls.set(key, list);
  }

  /** Largest number of calls for `key` inside any window — for tests. */
  maxInAnyWindow(key: string): number {
    const list = this.calls.get(key) ?? [];
    let max = 0;
    for (let i = 0; i < list.length; i++) {
      let n = 0;
      for (let j = i; j < list.length && list[j]! < list[i]! + this.windowMs; j++) n++;
      max = Math.max(max, n);
    }
    return max;
  }

  forget(key: string): void {
    this.calls.delete(key);
  }
}

export interface ReportPollerDeps {
  intervals?: Partial<PollIntervals>;
  clock: () => Date;
  log: Logger;
  /** One fetch attempt; the poller keeps going while it answers 'not-ready'. */
  fetch: (reportId: string) => Promise<FetchOutcome>;
}

export function createReportPoller(deps: ReportPollerDeps) {
  const intervals: PollIntervals = { ...DEFAULT_POLL_INTERVALS, ...deps.intervals };
  const time = intervals.time ?? realTime(deps.clock);
  const window = new CallWindow();
  const polling = new Map<string, Promise<void>>();
  const stopController = new AbortController();
  const stopped = () => stopController.signal.aborted;

  /** Waits `ms`, or less when the poller stops (so shutdown never waits out a backoff). */
  const sleep = (ms: number): Promise<void> => time.sleep(ms, stopController.signal);

  return {
    window,
    stopped,

    /** Waits until the window allows one more /asset_report/get for the report and records it; false once stopped. */
    async takeTurn(reportId: string): Promise<boolean> {
      const now = () => time.now();
      for (let wait = window.waitBefore(reportId, now()); wait > 0; wait = window.waitBefore(reportId, now())) {
        await sleep(wait);
        if (stopped()) return false;
      }
      window.record(reportId, now());
      return true;
    },

    start(reportId: string): void {
      if (polling.has(reportId) || stopped()) return;
      const loop = (async () => {
        let delay = intervals.initialMs;
        for (;;) {
          await sleep(delay);
          if (stopped()) return;
          let outcome: FetchOutcome;
          try {
            outcome = await deps.fetch(reportId);
          } catch (error) {
            deps.log.warn('report poll failed', { reportId, error });
            outcome = 'not-ready';
          }
          if (outcome !== 'not-ready') return;
          delay = Math.min(delay * intervals.factor, intervals.maxMs);
        }
      })().finally(() => polling.delete(reportId));
      polling.set(reportId, loop);
    },

    inFlight: (): Promise<void>[] => [...polling.values()],

    stop(): void {
      stopController.abort();
    },
  };
}

export type ReportPoller = ReturnType<typeof createReportPoller>;
