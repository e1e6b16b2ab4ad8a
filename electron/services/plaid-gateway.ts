import { Configuration, PlaidApi, PlaidEnvironments } from 'plaid';
import type { AxiosResponse, RawAxiosRequestConfig } from 'axios';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { PlaidEnvironment } from '../../shared/domain';
import type { Logger } from '../log/logger';
import { OUTCOME_UNKNOWN, RETRYABLE_ERROR_CODES, RETRYABLE_ERROR_TYPES, officerMessage } from './plaid-messages';

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

  async function run<T>(
    endpoint: string,
    send: PlaidCall<T>,
    requestOptions: RawAxiosRequestConfig,
    retry: boolean,
  ): Promise<AxiosResponse<T>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await send(plaid, requestOptions);
        log.debug('plaid call ok', { endpoint, status: response.status, requestId: requestIdOf(response), attempt });
        return response;
      } catch (raw) {
        const status = (raw as { response?: { status?: number } }).response?.status;
        const unsafe = NOT_SAFE_TO_REPEAT.has(endpoint);
        const notActedOn = certainlyNotActedOn(raw);
        // A call that makes something, failing in a way that leaves Plaid's outcome open, must not be repeated.
        const error = unsafe && !notActedOn && outcomeOpen(raw) ? outcomeUnknown(endpoint, raw) : toAppError(raw);
        const willRetry = retry && error.retryable && attempt < maxAttempts && (!unsafe || notActedOn);
        log.warn('plaid call failed', {
          endpoint,
          status,
          errorCode: error.code,
          requestId: error.requestId,
          attempt,
          willRetry,
        });
        if (!willRetry) throw error;
        // Full jitter: a random wait up to the exponential ceiling spreads retries from parallel reports.
        const ceiling = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
        const retryAfter = retryAfterMs(raw);
        await sleep(Math.max(retryAfter ?? 0, Math.floor(random() * ceiling)));
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
  };
  return gateway;
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

/** Plaid's error object as it arrives in an error body or an ERROR webhook. */
export interface PlaidErrorBody {
  error_type?: string;
  error_code?: string;
  error_message?: string | null;
  display_message?: string | null;
  request_id?: string;
  causes?: Array<PlaidErrorBody & { item_id?: string }>;
}

/** Error bodies of PDF calls arrive as bytes; JSON calls as objects; proxies may send text. */
export function decodePlaidErrorBody(data: unknown): PlaidErrorBody | undefined {
  let value = data;
  if (value instanceof ArrayBuffer) value = Buffer.from(value);
  if (ArrayBuffer.isView(value)) value = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('utf8');
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const body = value as PlaidErrorBody;
  return typeof body.error_code === 'string' ? body : undefined;
}

/**
 * True when Plaid certainly did not act on the request: it answered "slow down" or "down for maintenance",
 * or the connection was refused before a byte of the request was sent.
 */
export function certainlyNotActedOn(raw: unknown): boolean {
  const e = raw as { code?: string; response?: { status?: number; data?: unknown } };
  if (e.response) {
    const body = decodePlaidErrorBody(e.response.data);
    return (
      e.response.status === 429 ||
      body?.error_type === 'RATE_LIMIT_EXCEEDED' ||
      body?.error_code === 'PLANNED_MAINTENANCE'
    );
  }
  return e.code === 'ECONNREFUSED';
}

/** A failure after which Plaid may or may not have done what was asked (5xx, timeout, connection lost). */
function outcomeOpen(raw: unknown): boolean {
  if (raw instanceof AppError) return false;
  const e = raw as { response?: { status?: number } };
  if (e.response) return (e.response.status ?? 0) >= 500;
  return toAppError(raw).code === ErrorCodes.network;
}

function outcomeUnknown(endpoint: string, raw: unknown): AppError {
  const cause = toAppError(raw);
  const what: Record<string, string> = {
    '/asset_report/create':
      'AssetDesk did not hear back from Plaid, so it cannot tell whether Plaid started this report. It did not send the request again, so you are not billed twice. If the report does not appear, create it again.',
    '/asset_report/refresh':
      'AssetDesk did not hear back from Plaid, so it cannot tell whether Plaid started this refresh. It did not send it again, so you are not billed twice. If no refreshed report appears, refresh again.',
    '/asset_report/filter':
      'AssetDesk did not hear back from Plaid, so it cannot tell whether the filtered report was made. It did not send it again. If it does not appear, filter again.',
    '/asset_report/audit_copy/create':
      'AssetDesk did not hear back from Plaid, so it cannot tell whether the audit copy was made. It did not send it again. Check the audit copies of this report, then share again if needed.',
    '/item/public_token/exchange':
      "AssetDesk did not hear back from Plaid while saving the applicant's bank, so it cannot tell whether the bank was connected. Check the applicant's banks; link again only if it is missing.",
  };
  return new AppError(
    {
      code: OUTCOME_UNKNOWN,
      message: what[endpoint] ?? 'AssetDesk did not hear back from Plaid and did not repeat the request.',
      retryable: false,
      ...(cause.requestId ? { requestId: cause.requestId } : {}),
    },
    { cause: new Error(`${endpoint}: ${cause.code}`) },
  );
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNABORTED',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_NETWORK',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/** Any failure of a Plaid call (Axios error, decoded body, network failure) as one AppError. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const e = error as {
    code?: string;
    message?: string;
    response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
  };
  const response = e.response;
  if (response) {
    const status = response.status ?? 0;
    const body = decodePlaidErrorBody(response.data);
    const headerRequestId =
      typeof response.headers?.['plaid-request-id'] === 'string'
        ? (response.headers['plaid-request-id'] as string)
        : undefined;
    const requestId = body?.request_id ?? headerRequestId;
    // Without a Plaid body (a proxy's answer) the status stands in: 429 is Plaid's generic rate-limit code.
    const code =
      body?.error_code ?? (status === 429 ? 'RATE_LIMIT' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : `HTTP_${status}`);
    const errorType = body?.error_type ?? (status === 429 ? 'RATE_LIMIT_EXCEEDED' : undefined);
    const retryable =
      status === 429 ||
      status >= 500 ||
      RETRYABLE_ERROR_CODES.has(code) ||
      (errorType !== undefined && RETRYABLE_ERROR_TYPES.has(errorType));
    const message = officerMessage(
      { ...body, error_code: code, ...(errorType ? { error_type: errorType } : {}) },
      () =>
        status >= 500
          ? 'Plaid had a problem answering. Try again in a few minutes.'
          : `Plaid refused the request (${code}${nonEmpty(body?.error_message) ? `: ${body!.error_message}` : ''}). If this keeps happening, contact support with the request ID.`,
    );
    return new AppError(
      { code, message, retryable, ...(requestId ? { requestId } : {}) },
      { cause: sanitizedCause(status, body) },
    );
  }
  const networkCode = typeof e.code === 'string' ? e.code : undefined;
  if ((networkCode && NETWORK_CODES.has(networkCode)) || /timeout|socket hang up|network/i.test(e.message ?? '')) {
    const timedOut = networkCode === 'ECONNABORTED' || networkCode === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '');
    return new AppError({
      code: ErrorCodes.network,
      message: timedOut
        ? 'Plaid did not answer in time. Check the internet connection and try again.'
        : 'AssetDesk could not reach Plaid. Check the internet connection (and any proxy or firewall), then try again.',
      retryable: true,
    });
  }
  return new AppError({
    code: ErrorCodes.internal,
    message:
      'Something went wrong while talking to Plaid. Try again; if it keeps happening, send the log file to support.',
    retryable: false,
  });
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

// The Axios error holds the request config (with the secret header): keep only what helps debugging.
function sanitizedCause(status: number, body: PlaidErrorBody | undefined): Error {
  return new Error(`Plaid HTTP ${status} ${body?.error_type ?? ''}/${body?.error_code ?? ''}`);
}
