import { AppError, ErrorCodes } from '../../shared/errors';
import { OUTCOME_UNKNOWN, RETRYABLE_ERROR_CODES, RETRYABLE_ERROR_TYPES, officerMessage } from './plaid-messages';

/**
 * Plaid's errors as AssetDesk reads them: the error body decoded, whether Plaid certainly did not act
 * (so a call that creates something may be sent again), and one AppError with the officer's message
 * and nothing secret in its cause.
 */

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

/** The request never left this computer: the connection was refused, or Plaid's address could not be looked up. */
const NEVER_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True when Plaid certainly did not act on the request: it answered "slow down" or "down for maintenance",
 * or the request never left this computer (the connection was refused, or Plaid's address could not be looked up).
 */
export function certainlyNotActedOn(raw: unknown): boolean {
  const e = raw as { code?: string; response?: { status?: number; data?: unknown } };
  if (e.response) {
    const status = e.response.status ?? 0;
    // A refusal whose details were lost on the way is still a refusal.
    if (answerCut(raw)) return status >= 400 && status < 500;
    const body = decodePlaidErrorBody(e.response.data);
    return (
      e.response.status === 429 ||
      body?.error_type === 'RATE_LIMIT_EXCEEDED' ||
      body?.error_code === 'PLANNED_MAINTENANCE'
    );
  }
  return typeof e.code === 'string' && NEVER_SENT_CODES.has(e.code);
}

/** A failure after which Plaid may or may not have done what was asked (5xx, timeout, connection lost). */
export function outcomeOpen(raw: unknown): boolean {
  if (raw instanceof AppError) return false;
  const e = raw as { response?: { status?: number } };
  if (e.response) {
    const status = e.response.status ?? 0;
    return status >= 500 || (answerCut(raw) && status < 400);
  }
  return toAppError(raw).code === ErrorCodes.network;
}

/**
 * Plaid's answer began (its status line arrived) but its body could not be read to the end: the connection dropped
 * halfway, or what arrived is not the JSON Plaid sends (the gateway reports that as ANSWER_UNREADABLE). The status
 * still tells whether Plaid acted: a success did, a 4xx refused, a 5xx may have.
 */
export function answerCut(raw: unknown): boolean {
  const e = raw as { code?: string; message?: string; response?: { data?: unknown } };
  if (!e.response || e.response.data !== undefined) return false;
  return e.code === ANSWER_UNREADABLE || /aborted/i.test(e.message ?? '');
}

/** The gateway's code for a success answer whose body is not what Plaid sends (cut without a sign, a proxy's page). */
export const ANSWER_UNREADABLE = 'ANSWER_UNREADABLE';

/**
 * After a call that makes something (create, refresh, filter) failed: true when Plaid certainly made nothing.
 * The gateway answers OUTCOME_UNKNOWN whenever Plaid may have acted (a 5xx, a timeout, a lost connection) and
 * repeats such a call only when Plaid certainly did not act; any other code is Plaid's refusal (a 4xx such as
 * RATE_LIMIT_EXCEEDED after the retries, INVALID_REQUEST or INVALID_ACCESS_TOKEN), a request that never left this
 * computer, or AssetDesk's own refusal before calling Plaid. An internal error is not known to be either, so it
 * counts as possibly made.
 */
export function certainlyNothingMade(error: AppError): boolean {
  return error.code !== OUTCOME_UNKNOWN && error.code !== ErrorCodes.internal;
}

/**
 * What happened to a request whose outcome is open, in the officer's words: Plaid answered with a server error
 * (which does not say whether it acted), or no answer came (a timeout, a connection lost after sending).
 */
function whatHappened(raw: unknown): string {
  const e = raw as { code?: string; message?: string; response?: { status?: number; data?: unknown } };
  if (answerCut(raw)) return 'The connection to Plaid broke while Plaid was answering';
  if (e.response) {
    const body = decodePlaidErrorBody(e.response.data);
    return body
      ? `Plaid answered with a server error (${body.error_code})`
      : `The answer was a server error (HTTP ${e.response.status ?? 0}) without Plaid's details`;
  }
  if (timedOut(e)) return 'Plaid did not answer in time';
  return 'The connection to Plaid broke before Plaid answered';
}

export function outcomeUnknown(endpoint: string, raw: unknown): AppError {
  const cause = toAppError(raw);
  return outcomeUnknownBecause(endpoint, whatHappened(raw), cause.requestId, cause.code);
}

/**
 * A request sent to Plaid just before AssetDesk stopped (a crash, a power cut, the app killed), whose answer never
 * reached the history: Plaid may have acted on it, so it is not sent again.
 */
export function outcomeUnknownAfterStop(endpoint: string): AppError {
  return outcomeUnknownBecause(endpoint, "AssetDesk stopped before Plaid's answer was saved", undefined, 'STOPPED');
}

/**
 * A request that makes something, sent before AssetDesk began to quit, that Plaid had not answered when the grace
 * for it ran out: AssetDesk stopped waiting, and Plaid may have acted on it.
 */
export function outcomeUnknownWhileStopping(endpoint: string, graceMs: number): AppError {
  return outcomeUnknownBecause(
    endpoint,
    `AssetDesk was quitting and Plaid did not answer within ${Math.round(graceMs / 1000)} seconds`,
    undefined,
    'STOPPING',
  );
}

/** A Plaid call AssetDesk did not send because it is quitting (or restarting): Plaid certainly did nothing. */
export function notSentWhileStopping(): AppError {
  return new AppError({
    code: ErrorCodes.stopping,
    message: 'AssetDesk is quitting, so this was not sent to Plaid. Do it again once AssetDesk is open again.',
    retryable: true,
  });
}

function outcomeUnknownBecause(
  endpoint: string,
  happened: string,
  requestId: string | undefined,
  causeCode: string,
): AppError {
  // Plaid gives a made thing's token only in its answer: one it may have made without answering can never be opened
  // here, so the next step is always to ask again.
  const what: Record<string, string> = {
    '/asset_report/create': `${happened}, so AssetDesk cannot tell whether Plaid started this report. AssetDesk did not send the request again, so you are not billed twice for it. To get a report you can open, create it again.`,
    '/asset_report/refresh': `${happened}, so AssetDesk cannot tell whether Plaid started this refresh. AssetDesk did not send the request again, so you are not billed twice for it. To get a refreshed report you can open, refresh again.`,
    '/asset_report/filter': `${happened}, so AssetDesk cannot tell whether Plaid made the filtered report. AssetDesk did not send the request again. To get a filtered report you can open, filter again.`,
    '/asset_report/audit_copy/create': `${happened}, so AssetDesk cannot tell whether Plaid made the audit copy. AssetDesk did not send the request again. A copy Plaid may have made never reached AssetDesk and cannot be given to an auditor: share the report again.`,
    '/item/public_token/exchange': `${happened} while saving the applicant's bank, so AssetDesk cannot tell whether Plaid connected it. Nothing was saved here and the request was not sent twice. Check the applicant's banks: if this bank is not listed, ask the applicant to link it again (it will not be refused as a duplicate).`,
  };
  return new AppError(
    {
      code: OUTCOME_UNKNOWN,
      message:
        what[endpoint] ??
        `${happened}, so AssetDesk cannot tell whether Plaid did what was asked. AssetDesk did not send the request again.`,
      retryable: false,
      ...(requestId ? { requestId } : {}),
    },
    { cause: new Error(`${endpoint}: ${causeCode}`) },
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
  // Not Plaid's refusal: its answer was lost on the way. Asking again (when that is safe) is the remedy.
  if (answerCut(error))
    return new AppError({
      code: ErrorCodes.network,
      message:
        'The connection to Plaid broke while Plaid was answering. Check the internet connection (and any proxy or firewall), then try again.',
      retryable: true,
    });
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
    return new AppError({
      code: ErrorCodes.network,
      message: timedOut(e)
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

/** No answer came within the time allowed (Axios' own timeout, or the socket's). */
function timedOut(e: { code?: string; message?: string }): boolean {
  const networkCode = e.code;
  return networkCode === 'ECONNABORTED' || networkCode === 'ETIMEDOUT' || /timeout/i.test(e.message ?? '');
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

// The Axios error holds the request config (with the secret header): keep only what helps debugging.
function sanitizedCause(status: number, body: PlaidErrorBody | undefined): Error {
  return new Error(`Plaid HTTP ${status} ${body?.error_type ?? ''}/${body?.error_code ?? ''}`);
}
