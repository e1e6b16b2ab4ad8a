import { PlaidErrors, type PlaidApiError } from './errors';

/**
 * Fault injection for tests (all off by default). Programmatic through `RunningEmulator.faults`, and over HTTP:
 *   POST /emulator/_control/fail_next    {endpoint, status: 500|503|429, count?}  next `count` (default 1) responses fail
 *   POST /emulator/_control/latency      {endpoint, ms}                           delay every response of `endpoint` ('*' = all)
 *   POST /emulator/_control/fail_report  {asset_report_id?}                       next created report (or that one) fails generation
 *   POST /emulator/_control/ready_after  {ms}                                     report readiness delay for new reports
 *   POST /emulator/_control/rate_limits  {enabled}                                Plaid's production rate limits on/off
 *   POST /emulator/_control/reset        {}                                       back to defaults
 * Control requests need the emulator's client_id/secret like any Plaid call.
 * Forced failures use Plaid's bodies: 500 API_ERROR/INTERNAL_SERVER_ERROR, 503 API_ERROR/PLANNED_MAINTENANCE,
 * 429 RATE_LIMIT_EXCEEDED/RATE_LIMIT; a failed report answers ASSET_REPORT_ERROR/ASSET_REPORT_GENERATION_FAILED
 * and sends the ASSETS ERROR webhook.
 */
export type ForcedStatus = 500 | 503 | 429;

export interface EmulatorFaults {
  /** The next `count` (default 1) responses of `endpoint` (e.g. '/asset_report/get') fail with `status`. */
  failNext(endpoint: string, status: ForcedStatus, count?: number): void;
  /** Adds `ms` of latency to every response of `endpoint` ('*' = every endpoint); 0 removes it. */
  addLatency(endpoint: string, ms: number): void;
  /** The next report created (or the given report, if still generating) fails with ASSET_REPORT_GENERATION_FAILED. */
  failReportGeneration(assetReportId?: string): void;
  /** Readiness delay for reports created from now on. */
  setReadyAfterMs(ms: number): void;
  /** Plaid's production rate limits (15 /asset_report/get per minute per report, …). */
  setProductionRateLimits(enabled: boolean): void;
  /** Clears every fault, restores the start-up readiness delay and rate-limit setting. */
  reset(): void;
}

export class FaultState implements EmulatorFaults {
  private forced = new Map<string, { status: ForcedStatus; remaining: number }[]>();
  private latency = new Map<string, number>();
  failNextReport = false;
  failingReportIds = new Set<string>();
  readyAfterMs: number;
  productionRateLimits: boolean;

  constructor(private readonly defaults: { readyAfterMs: number; productionRateLimits: boolean }) {
    this.readyAfterMs = defaults.readyAfterMs;
    this.productionRateLimits = defaults.productionRateLimits;
  }

  failNext(endpoint: string, status: ForcedStatus, count = 1): void {
    if (![500, 503, 429].includes(status)) throw new Error(`unsupported forced status ${status}`);
    const queue = this.forced.get(endpoint) ?? [];
    queue.push({ status, remaining: Math.max(1, Math.floor(count)) });
    this.forced.set(endpoint, queue);
  }

  addLatency(endpoint: string, ms: number): void {
    if (ms > 0) this.latency.set(endpoint, ms);
    else this.latency.delete(endpoint);
  }

  failReportGeneration(assetReportId?: string): void {
    if (assetReportId) this.failingReportIds.add(assetReportId);
    else this.failNextReport = true;
  }

  setReadyAfterMs(ms: number): void {
    this.readyAfterMs = Math.max(0, ms);
  }

  setProductionRateLimits(enabled: boolean): void {
    this.productionRateLimits = enabled;
  }

  reset(): void {
    this.forced.clear();
    this.latency.clear();
    this.failNextReport = false;
    this.failingReportIds.clear();
    this.readyAfterMs = this.defaults.readyAfterMs;
    this.productionRateLimits = this.defaults.productionRateLimits;
  }

  latencyFor(endpoint: string): number {
    return (this.latency.get(endpoint) ?? 0) + (this.latency.get('*') ?? 0);
  }

  /** The forced error for this response, if any (consumes one). */
  takeForcedError(endpoint: string): PlaidApiError | null {
    const queue = this.forced.get(endpoint);
    const head = queue?.[0];
    if (!queue || !head) return null;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    return head.status === 500
      ? PlaidErrors.internal()
      : head.status === 503
        ? PlaidErrors.plannedMaintenance()
        : PlaidErrors.rateLimit();
  }

  /** Whether a newly created report should fail (consumes the "next report" switch). */
  takeReportFailure(): boolean {
    const fail = this.failNextReport;
    this.failNextReport = false;
    return fail;
  }
}

/** Sliding one-minute windows for Plaid's production limits. */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();

  /** Records a hit; false when `limit` hits already happened within the last minute. */
  allow(key: string, limit: number, nowMs: number): boolean {
    const recent = (this.hits.get(key) ?? []).filter((t) => nowMs - t < 60_000);
    if (recent.length >= limit) {
      this.hits.set(key, recent);
      return false;
    }
    recent.push(nowMs);
    this.hits.set(key, recent);
    return true;
  }
}

/** Production limits (ASSETS-API.md §4): per report for get/pdf/refresh, per Item for item calls, per client otherwise. */
export const PRODUCTION_LIMITS: Record<string, { perMinute: number; scope: 'report' | 'item' | 'client' }> = {
  '/asset_report/get': { perMinute: 15, scope: 'report' },
  '/asset_report/pdf/get': { perMinute: 15, scope: 'report' },
  '/asset_report/refresh': { perMinute: 5, scope: 'report' },
  '/asset_report/create': { perMinute: 50, scope: 'client' },
  '/item/get': { perMinute: 40, scope: 'item' },
  '/item/remove': { perMinute: 100, scope: 'item' },
  '/institutions/get_by_id': { perMinute: 400, scope: 'client' },
};
