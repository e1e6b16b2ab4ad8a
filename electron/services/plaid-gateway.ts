import { Configuration, PlaidApi, PlaidEnvironments } from 'plaid';
import type { AxiosResponse, RawAxiosRequestConfig } from 'axios';
import { AppError, ErrorCodes } from '../../shared/errors';
import type { PlaidEnvironment } from '../../shared/domain';
import type { Logger } from '../log/logger';

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

export type PlaidCall<T> = (plaid: PlaidApi, options: RawAxiosRequestConfig) => Promise<AxiosResponse<T>>;

export interface PlaidGateway {
  readonly environment: PlaidEnvironment;
  readonly basePath: string;
  /** Runs one SDK call (with retries) and returns its body. `endpoint` is for logs, e.g. '/asset_report/get'. */
  call<T>(endpoint: string, send: PlaidCall<T>, options?: { retry?: boolean }): Promise<T>;
  /** Same for the PDF endpoints: the SDK call receives `responseType: 'arraybuffer'` options to pass on. */
  pdf(endpoint: string, send: PlaidCall<ArrayBuffer | Buffer>): Promise<Buffer>;
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
        const error = toAppError(raw);
        const status = (raw as { response?: { status?: number } }).response?.status;
        const willRetry = retry && error.retryable && attempt < maxAttempts;
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

  return {
    environment: options.environment,
    basePath,
    async call(endpoint, send, callOptions) {
      const response = await run(endpoint, send, {}, callOptions?.retry ?? true);
      return response.data;
    },
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
  };
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

/** Messages the officer can act on, for the codes AssetDesk meets most (Plaid's display_message wins). */
const OFFICER_MESSAGES: Record<string, string> = {
  INVALID_API_KEYS:
    'Plaid rejected the client ID or secret for this environment. Check them in the Plaid Dashboard (Team Settings → Keys) and save them again in Settings.',
  UNAUTHORIZED_ENVIRONMENT:
    'These Plaid keys are not enabled for this environment. Ask your Plaid administrator to enable it, or switch environment in Settings.',
  ITEM_LOGIN_REQUIRED:
    'The applicant\'s bank needs them to sign in again. Use "Re-link" on the bank to send them through Plaid Link, then try again.',
  PRODUCT_NOT_READY:
    'Plaid is still generating this report. AssetDesk keeps checking; it usually takes under a minute.',
  ASSET_REPORT_GENERATION_FAILED:
    'Plaid could not generate this Asset Report. Try again with fewer days requested; if it fails again, contact Plaid support with the request ID.',
  DATA_UNAVAILABLE:
    "Plaid could not pull data from one of the applicant's banks. Check the banks' status (a bank may need the applicant to re-link), then create the report again.",
  PRODUCT_NOT_ENABLED: 'A linked bank was not connected with the Assets product. Remove it and link it again.',
  RATE_LIMIT_EXCEEDED: 'Plaid is limiting how often AssetDesk may call it. Wait a minute and try again.',
  INSTITUTION_DOWN: "The applicant's bank is not responding to Plaid right now. Try again later.",
  INSTITUTION_NOT_RESPONDING: "The applicant's bank is not responding to Plaid right now. Try again later.",
  INVALID_CREDENTIALS:
    'The bank rejected the username or password the applicant entered. Ask them to link again with the right credentials.',
  INVALID_ACCESS_TOKEN:
    'Plaid no longer recognises this bank connection (it may have been removed, or belongs to another environment). Link the bank again.',
  ITEM_NOT_FOUND: 'Plaid no longer has this bank connection. Link the bank again.',
  INVALID_PUBLIC_TOKEN: 'The Plaid Link session expired before it could be saved. Link the bank again.',
  INVALID_LINK_TOKEN: 'The Plaid Link session expired. Start linking again.',
  INVALID_ASSET_REPORT_TOKEN:
    'Plaid no longer has this Asset Report (it was removed or belongs to another environment).',
  INVALID_AUDIT_COPY_TOKEN: 'Plaid no longer has this audit copy (it was revoked or its report was removed).',
  INVALID_PARENT:
    'This report is not complete at Plaid (or was removed), so it cannot be refreshed, filtered or shared. Create a new report.',
  INSIGHTS_NOT_ENABLED: 'Your Plaid account is not enabled for Asset Report insights. Ask Plaid to enable them.',
  DATA_QUALITY_CHECK_FAILED: "Plaid found problems in the bank's data. Try again in a day or two.",
  INTERNAL_SERVER_ERROR: 'Plaid had an internal problem. AssetDesk retried; try again in a few minutes.',
  PLANNED_MAINTENANCE: 'Plaid is down for planned maintenance. Try again later.',
  INVALID_INSTITUTION: 'Plaid does not know this bank in the current environment.',
  INVALID_WEBHOOK_VERIFICATION_KEY_ID: 'A webhook was signed with a key Plaid does not recognise for this environment.',
};

const RETRYABLE_CODES = new Set([
  'INTERNAL_SERVER_ERROR',
  'PLANNED_MAINTENANCE',
  'RATE_LIMIT_EXCEEDED',
  'INSTITUTION_DOWN',
  'INSTITUTION_NOT_RESPONDING',
  'PRODUCT_NOT_READY',
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
    const code =
      body?.error_code ??
      (status === 429 ? 'RATE_LIMIT_EXCEEDED' : status >= 500 ? 'INTERNAL_SERVER_ERROR' : `HTTP_${status}`);
    const retryable = status === 429 || status >= 500 || RETRYABLE_CODES.has(code);
    const message =
      nonEmpty(body?.display_message) ??
      OFFICER_MESSAGES[code] ??
      (status >= 500
        ? 'Plaid had a problem answering. Try again in a few minutes.'
        : `Plaid refused the request (${code}${nonEmpty(body?.error_message) ? `: ${body!.error_message}` : ''}). If this keeps happening, contact support with the request ID.`);
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
