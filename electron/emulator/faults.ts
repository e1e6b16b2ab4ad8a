import { credentialError, PlaidErrors, type PlaidApiError, type RateLimitCode } from './errors';

/**
 * Fault injection for tests (all off by default). Programmatic through `RunningEmulator.faults`, and over HTTP:
 *   POST /emulator/_control/fail_next    {endpoint, status: 500|503|429, count?}  next `count` (default 1) responses fail
 *   POST /emulator/_control/cut_next     {endpoint, count?}                       next `count` calls act, then their answer is cut
 *   POST /emulator/_control/latency      {endpoint, ms}                           delay every response of `endpoint` ('*' = all)
 *   POST /emulator/_control/answer_delay {endpoint, ms}                           `endpoint` acts at once, answers `ms` later
 *   POST /emulator/_control/fail_report  {asset_report_id?}                       next created report (or that one) fails generation
 *   POST /emulator/_control/ready_after  {ms}                                     report readiness delay for new reports
 *   POST /emulator/_control/rate_limits  {enabled}                                Plaid's production rate limits on/off
 *   POST /emulator/_control/fail_item    {item_id, error_code?}                  that Item fails during report generation
 *   POST /emulator/_control/fast_gap     {ms}                                     FAST report ready this long before FULL
 *   POST /emulator/_control/entitlements {client_id?, assets?, insights?, fast_assets?}  products/add-ons on or off
 *   POST /emulator/_control/clock        {advance_ms}                             moves the emulator's clock forward
 *   POST /emulator/_control/reset        {}                                       back to defaults (not the clock)
 * (ready_after also takes an asset_report_id: that report's readiness, counted from now.)
 * Control requests need the emulator's client_id/secret like any Plaid call.
 * Forced failures use Plaid's bodies: 500 API_ERROR/INTERNAL_SERVER_ERROR, 503 API_ERROR/PLANNED_MAINTENANCE,
 * 429 RATE_LIMIT_EXCEEDED/RATE_LIMIT; a failed report answers ASSET_REPORT_ERROR/ASSET_REPORT_GENERATION_FAILED
 * and sends the ASSETS ERROR webhook.
 */
export type ForcedStatus = 500 | 503 | 429;

export interface EmulatorFaults {
  /** The next `count` (default 1) responses of `endpoint` (e.g. '/asset_report/get') fail with `status`. */
  failNext(endpoint: string, status: ForcedStatus, count?: number): void;
  /**
   * The next `count` (default 1) calls of `endpoint` do their work (a report is made, removed …), then the connection
   * drops halfway through the 200 answer: the client has Plaid's status line and headers, and half the body.
   */
  cutNext(endpoint: string, count?: number): void;
  /**
   * Calls of `endpoint` do their work at once and answer `ms` later (latency delays the work too): a report made,
   * its webhook sent, a bank removed … before the caller hears back. 0 removes it.
   */
  delayAnswer(endpoint: string, ms: number): void;
  /** Adds `ms` of latency to every response of `endpoint` ('*' = every endpoint); 0 removes it. */
  addLatency(endpoint: string, ms: number): void;
  /** The next report created (or the given report, if still generating) fails with ASSET_REPORT_GENERATION_FAILED. */
  failReportGeneration(assetReportId?: string): void;
  /** Readiness delay for reports created from now on. */
  setReadyAfterMs(ms: number): void;
  /** Plaid's production rate limits (15 /asset_report/get per minute per report, …). */
  setProductionRateLimits(enabled: boolean): void;
  /** The Item fails with `errorCode` (default INSTITUTION_NOT_RESPONDING) whenever a report including it is generated. */
  failItemDuringGeneration(itemId: string, errorCode?: string): void;
  /** With Fast Assets, the FAST report is ready this long before the FULL one. */
  setFastReportGapMs(ms: number): void;
  /** Clears every fault, restores the start-up readiness delay and rate-limit setting. */
  reset(): void;
}

export class FaultState implements EmulatorFaults {
  private forced = new Map<string, { status: ForcedStatus; remaining: number }[]>();
  private latency = new Map<string, number>();
  private cuts = new Map<string, number>();
  private answerDelays = new Map<string, number>();
  failNextReport = false;
  failingReportIds = new Set<string>();
  /** Items that fail during generation, with the error they fail with. */
  failingItems = new Map<string, PlaidApiError>();
  readyAfterMs: number;
  productionRateLimits: boolean;
  fastReportGapMs: number;

  constructor(
    private readonly defaults: { readyAfterMs: number; productionRateLimits: boolean; fastReportGapMs: number },
  ) {
    this.readyAfterMs = defaults.readyAfterMs;
    this.productionRateLimits = defaults.productionRateLimits;
    this.fastReportGapMs = defaults.fastReportGapMs;
  }

  failItemDuringGeneration(itemId: string, errorCode = 'INSTITUTION_NOT_RESPONDING'): void {
    this.failingItems.set(itemId, credentialError(errorCode));
  }

  setFastReportGapMs(ms: number): void {
    this.fastReportGapMs = Math.max(0, ms);
  }

  failNext(endpoint: string, status: ForcedStatus, count = 1): void {
    if (![500, 503, 429].includes(status)) throw new Error(`unsupported forced status ${status}`);
    const queue = this.forced.get(endpoint) ?? [];
    queue.push({ status, remaining: Math.max(1, Math.floor(count)) });
    this.forced.set(endpoint, queue);
  }

  cutNext(endpoint: string, count = 1): void {
    this.cuts.set(endpoint, (this.cuts.get(endpoint) ?? 0) + Math.max(1, Math.floor(count)));
  }

  /** Whether this call's answer is to be cut (consumes one). */
  takeCut(endpoint: string): boolean {
    const left = this.cuts.get(endpoint) ?? 0;
    if (left <= 0) return false;
    if (left === 1) this.cuts.delete(endpoint);
    else this.cuts.set(endpoint, left - 1);
    return true;
  }

  delayAnswer(endpoint: string, ms: number): void {
    if (ms > 0) this.answerDelays.set(endpoint, ms);
    else this.answerDelays.delete(endpoint);
  }

  answerDelayFor(endpoint: string): number {
    return this.answerDelays.get(endpoint) ?? 0;
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
    this.cuts.clear();
    this.answerDelays.clear();
    this.failNextReport = false;
    this.failingReportIds.clear();
    this.failingItems.clear();
    this.fastReportGapMs = this.defaults.fastReportGapMs;
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

  /** Whether another hit fits: fewer than `limit` within the last minute. */
  hasRoom(key: string, limit: number, nowMs: number): boolean {
    const recent = (this.hits.get(key) ?? []).filter((t) => nowMs - t < 60_000);
    this.hits.set(key, recent);
    return recent.length < limit;
  }

  record(key: string, nowMs: number): void {
    const recent = this.hits.get(key) ?? [];
    recent.push(nowMs);
    this.hits.set(key, recent);
  }
}

/**
 * Plaid's production limits: several windows may apply to one call (per report or Item, and per client), each
 * answering RATE_LIMIT_EXCEEDED with the documented code for that endpoint (the generic RATE_LIMIT where none is
 * documented, which is every Assets endpoint).
 */
export interface RateRule {
  perMinute: number;
  scope: 'report' | 'item' | 'client';
  code: RateLimitCode;
}

const rule = (perMinute: number, scope: RateRule['scope'], code: RateLimitCode = 'RATE_LIMIT'): RateRule => ({
  perMinute,
  scope,
  code,
});

export const PRODUCTION_LIMITS: Record<string, RateRule[]> = {
  '/asset_report/create': [rule(5, 'item'), rule(50, 'client')],
  '/asset_report/get': [rule(15, 'report'), rule(1000, 'client')],
  '/asset_report/pdf/get': [rule(15, 'report'), rule(50, 'client')],
  '/asset_report/refresh': [rule(5, 'report'), rule(50, 'client')],
  '/item/get': [rule(40, 'item', 'ITEM_GET_LIMIT')],
  '/item/remove': [rule(100, 'item'), rule(500, 'client')],
  '/institutions/get_by_id': [rule(400, 'client', 'INSTITUTIONS_GET_BY_ID_LIMIT')],
};
