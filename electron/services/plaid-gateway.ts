import { Configuration, PlaidApi, PlaidEnvironments } from 'plaid';
import type { AxiosResponse, RawAxiosRequestConfig } from 'axios';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { PlaidEnvironment } from '../../shared/domain';
import type { Logger } from '../log/logger';
import {
  ANSWER_UNREADABLE,
  certainlyNotActedOn,
  notSentWhileStopping,
  outcomeOpen,
  outcomeUnknown,
  outcomeUnknownWhileStopping,
  toAppError,
} from './plaid-errors';
import type { Stopping } from './stopping';

export { certainlyNotActedOn, decodePlaidErrorBody, toAppError, type PlaidErrorBody } from './plaid-errors';

/**
 * The one place AssetDesk talks to Plaid. Every call goes through `call` (JSON) or `pdf` (bytes):
 * one error type out, bounded retries with exponential backoff + full jitter for what may succeed
 * later, never for the officer's own mistakes, and logs that carry the endpoint, status, error_code
 * and request_id only — never a body, a header, a token or the secret.
 */

export interface PlaidGatewayOptions {
  environment: PlaidEnvironment;
  /** Emulator URL, or a test-only override; defaults to Plaid's host for the environment. */
  basePath?: string;
  clientId: string;
  secret: string;
  logger: Logger;
  /** Attempts per call including the first (default 5). */
  maxAttempts?: number;
  /** First backoff in ms (default 500); doubles each attempt, capped at maxDelayMs (default 8 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Axios timeout per attempt (default 30 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** AssetDesk stopping: calls end as Stopping says (none is made or waited for past it). */
  stopping?: Stopping;
}

/**
 * Calls that make something at Plaid (and may bill for it): repeating one Plaid acted on makes a second
 * report, audit copy or Item. They are retried only when Plaid certainly did not act on the first.
 */
export const NOT_SAFE_TO_REPEAT: ReadonlySet<string> = new Set([
  '/asset_report/create',
  '/asset_report/refresh',
  '/asset_report/filter',
  '/asset_report/audit_copy/create',
  '/item/public_token/exchange',
  // A repeat after Plaid acted would present the already-invalidated token: the new one would be lost.
  '/item/access_token/invalidate',
]);

export type PlaidCall<T> = (plaid: PlaidApi, options: RawAxiosRequestConfig) => Promise<AxiosResponse<T>>;

export interface PlaidGateway {
  readonly environment: PlaidEnvironment;
  readonly basePath: string;
  /** Runs one SDK call (with retries) and returns its body. `endpoint` is for logs, e.g. '/asset_report/get'. */
  call<T>(endpoint: string, send: PlaidCall<T>, options?: { retry?: boolean }): Promise<T>;
  /** Same for the PDF endpoints: the SDK call receives `responseType: 'arraybuffer'` options to pass on. */
  pdf(endpoint: string, send: PlaidCall<ArrayBuffer | Buffer>): Promise<Buffer>;
  /** Removes an Asset Report at Plaid; a report Plaid no longer knows counts as removed. */
  removeReport(reportToken: string): Promise<void>;
  /** Removes an Item (bank connection) at Plaid; one Plaid no longer knows counts as removed. */
  removeItem(accessToken: string): Promise<void>;
  /** Revokes an audit copy at Plaid; one Plaid no longer knows counts as revoked. */
  removeAuditCopy(auditCopyToken: string): Promise<void>;
  /**
   * Runs work that makes something at Plaid and saves Plaid's answer: should AssetDesk begin to stop meanwhile, it
   * is given the grace period to finish (Stopping.save).
   */
  save<T>(work: () => Promise<T>): Promise<T>;
  /** Whether AssetDesk has begun to stop (its calls are then refused or cut). */
  readonly stopping: boolean;
}

/**
 * Plaid's answers that mean "this token names nothing any more" (removed before, revoked with its
 * report, or never in this environment): for a removal that is exactly the state we want.
 */
export const ALREADY_GONE_AT_PLAID: ReadonlySet<string> = new Set([
  'INVALID_ASSET_REPORT_TOKEN',
  'INVALID_AUDIT_COPY_TOKEN',
  'INVALID_ACCESS_TOKEN',
  'ITEM_NOT_FOUND',
]);

export function isAlreadyGoneAtPlaid(error: unknown): boolean {
  return error instanceof AppError && ALREADY_GONE_AT_PLAID.has(error.code);
}

export function plaidBasePath(environment: PlaidEnvironment, override?: string): string {
  if (override) return override.replace(/\/+$/, '');
  if (environment === 'production') return PlaidEnvironments.production!;
  if (environment === 'sandbox') return PlaidEnvironments.sandbox!;
  throw new AppError({
    code: ErrorCodes.internal,
    message: 'The built-in emulator is not running. Restart AssetDesk.',
    retryable: true,
  });
}

export function createPlaidGateway(options: PlaidGatewayOptions): PlaidGateway {
  const basePath = plaidBasePath(options.environment, options.basePath);
  const plaid = new PlaidApi(
    new Configuration({
      basePath,
      baseOptions: {
        timeout: options.timeoutMs ?? 30_000,
        headers: { 'PLAID-CLIENT-ID': options.clientId, 'PLAID-SECRET': options.secret },
      },
    }),
  );
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelay = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 8_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const random = options.random ?? Math.random;
  const log = options.logger.child({ component: 'plaid', environment: options.environment });
  const stopping = options.stopping;

  /**
   * Once stopping, nothing new leaves: no retry, and no first attempt either, except saving work's own calls while
   * its grace lasts (an exchange's account look-up, say).
   */
  const refused = (attempt: number): boolean =>
    stopping?.begun === true && (attempt > 1 || !stopping.saving || stopping.graceLeftMs() === 0);

  async function run<T>(
    endpoint: string,
    send: PlaidCall<T>,
    requestOptions: RawAxiosRequestConfig,
    retry: boolean,
  ): Promise<AxiosResponse<T>> {
    const unsafe = NOT_SAFE_TO_REPEAT.has(endpoint);
    for (let attempt = 1; ; attempt++) {
      if (refused(attempt)) {
        log.info('plaid call not sent: AssetDesk is stopping', { endpoint, attempt });
        throw notSentWhileStopping();
      }
      // A request that makes something, or saving work's, may finish within the grace; any other is cut at once.
      const cut = cutOnStop(stopping, unsafe || stopping?.saving === true);
      try {
        const response = await send(withSignal(plaid, cut.signal), requestOptions);
        // Axios hands back text it could not parse as JSON: an answer cut without a sign, or a proxy's page.
        if (requestOptions.responseType !== 'arraybuffer' && !isObject(response.data)) throw unreadable(response);
        log.debug('plaid call ok', { endpoint, status: response.status, requestId: requestIdOf(response), attempt });
        return response;
      } catch (raw) {
        if (cut.byStopping()) {
          log.warn('plaid call cut: AssetDesk is stopping', { endpoint, attempt, unsafe });
          throw unsafe ? outcomeUnknownWhileStopping(endpoint, stopping!.graceMs) : notSentWhileStopping();
        }
        const status = (raw as { response?: { status?: number } }).response?.status;
        const notActedOn = certainlyNotActedOn(raw);
        // A call that makes something, failing in a way that leaves Plaid's outcome open, must not be repeated.
        const error = unsafe && !notActedOn && outcomeOpen(raw) ? outcomeUnknown(endpoint, raw) : toAppError(raw);
        const willRetry = retry && error.retryable && attempt < maxAttempts && (!unsafe || notActedOn);
        const fields = { endpoint, status, errorCode: error.code, requestId: error.requestId, attempt, willRetry };
        // "Not ready yet" is Plaid's expected answer while a report is being made: a poll, not a failure.
        if (error.code === 'PRODUCT_NOT_READY') log.debug('plaid: report not ready yet', fields);
        else log.warn('plaid call failed', fields);
        if (!willRetry) throw error;
        // Full jitter: a random wait up to the exponential ceiling spreads retries from parallel reports.
        const ceiling = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
        const retryAfter = retryAfterMs(raw);
        // Stopping ends the wait at once (the next attempt is then refused).
        await untilStopping(stopping, sleep(Math.max(retryAfter ?? 0, Math.floor(random() * ceiling))));
      } finally {
        cut.done();
      }
    }
  }

  const calls: Pick<PlaidGateway, 'call'> = {
    call: async (endpoint, request, callOptions) => (await run(endpoint, request, {}, callOptions?.retry ?? true)).data,
  };
  const gateway: PlaidGateway = {
    environment: options.environment,
    basePath,
    call: calls.call,
    async pdf(endpoint, send) {
      const response = await run(endpoint, send, { responseType: 'arraybuffer' }, true);
      const data = response.data;
      const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
      if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') {
        throw new AppError({
          code: 'INVALID_PDF',
          message:
            'Plaid sent something that is not a PDF for this report. Try again in a minute; the report JSON is unaffected.',
          retryable: true,
          ...(requestIdOf(response) ? { requestId: requestIdOf(response)! } : {}),
        });
      }
      return bytes;
    },
    ...removals(calls),
    save: (work) => (stopping ? stopping.save(work) : work()),
    get stopping() {
      return stopping?.begun === true;
    },
  };
  return gateway;
}

/**
 * The abort signal of one attempt: when stopping begins it aborts at once, or (`patient`) when the grace is over.
 * `byStopping` tells an attempt cut this way from one that failed by itself.
 */
function cutOnStop(stopping: Stopping | undefined, patient: boolean) {
  const controller = new AbortController();
  const stopSignal = stopping?.signal;
  let timer: NodeJS.Timeout | undefined;
  let cutHere = false;
  const cut = () => {
    cutHere = true;
    controller.abort();
  };
  const onStop = () => {
    if (patient) timer = setTimeout(cut, stopping!.graceLeftMs());
    else cut();
  };
  if (stopSignal?.aborted) onStop();
  else stopSignal?.addEventListener('abort', onStop, { once: true });
  return {
    signal: controller.signal,
    byStopping: () => cutHere,
    done: () => {
      stopSignal?.removeEventListener('abort', onStop);
      clearTimeout(timer);
    },
  };
}

/** The Plaid client with every request carrying `signal` (each SDK method takes its request, then axios options). */
function withSignal(plaid: PlaidApi, signal: AbortSignal): PlaidApi {
  return new Proxy(plaid, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (request: unknown, options?: RawAxiosRequestConfig) =>
        (value as (r: unknown, o: RawAxiosRequestConfig) => unknown).call(target, request, { ...options, signal });
    },
  });
}

/** Waits for `wait`, or less once stopping begins. */
async function untilStopping(stopping: Stopping | undefined, wait: Promise<void>): Promise<void> {
  const signal = stopping?.signal;
  if (!signal) return wait;
  if (signal.aborted) return;
  let onStop: (() => void) | undefined;
  const stopped = new Promise<void>((resolve) => {
    onStop = () => resolve();
    signal.addEventListener('abort', onStop);
  });
  await Promise.race([wait, stopped]);
  signal.removeEventListener('abort', onStop!);
}

/** Plaid-side removals, each done once whatever Plaid answers for a token it no longer knows. */
function removals(
  gateway: Pick<PlaidGateway, 'call'>,
): Pick<PlaidGateway, 'removeReport' | 'removeItem' | 'removeAuditCopy'> {
  return {
    removeReport: (reportToken) =>
      removal(() =>
        gateway.call('/asset_report/remove', (p) => p.assetReportRemove({ asset_report_token: reportToken })),
      ),
    removeItem: (accessToken) =>
      removal(() => gateway.call('/item/remove', (p) => p.itemRemove({ access_token: accessToken }))),
    removeAuditCopy: (auditCopyToken) =>
      removal(() =>
        gateway.call('/asset_report/audit_copy/remove', (p) =>
          p.assetReportAuditCopyRemove({ audit_copy_token: auditCopyToken }),
        ),
      ),
  };
}

async function removal(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (error) {
    if (!isAlreadyGoneAtPlaid(error)) throw error;
  }
}

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A success answer whose body is not Plaid's JSON, in the shape the error rules read (see answerCut). */
function unreadable(response: AxiosResponse<unknown>): Error {
  return Object.assign(new Error('the answer is not the JSON Plaid sends'), {
    code: ANSWER_UNREADABLE,
    response: { status: response.status, headers: response.headers, data: undefined },
  });
}

function requestIdOf(response: AxiosResponse<unknown>): string | undefined {
  const header = response.headers?.['plaid-request-id'];
  if (typeof header === 'string') return header;
  const body = response.data as { request_id?: unknown } | undefined;
  return body && typeof body === 'object' && !Buffer.isBuffer(body) && typeof body.request_id === 'string'
    ? body.request_id
    : undefined;
}

function retryAfterMs(raw: unknown): number | undefined {
  const header = (raw as { response?: { headers?: Record<string, unknown> } }).response?.headers?.['retry-after'];
  const seconds = typeof header === 'string' ? Number(header) : undefined;
  return seconds !== undefined && Number.isFinite(seconds) ? Math.min(seconds * 1000, 30_000) : undefined;
}
