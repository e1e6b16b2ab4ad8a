import { MESSAGE_SOURCE, S } from './state';
import type { EventMetadata, ParentMessage, PlaidErrorLike } from './types';

/** Talking to the page that created Link (link-initialize.js) and to the emulator. */
export function postToParent(message: ParentMessage): void {
  if (S.mode !== 'link' || !S.parentOrigin || window.parent === window) return;
  window.parent.postMessage({ ...message, source: MESSAGE_SOURCE }, S.parentOrigin);
}

const unreachable: PlaidErrorLike = {
  error_type: 'API_ERROR',
  error_code: 'INTERNAL_SERVER_ERROR',
  error_message: 'could not reach the Plaid emulator',
  display_message: 'We could not reach the server. Check your connection and try again.',
};

function toPlaidError(data: Record<string, unknown> | null, status: number): PlaidErrorLike {
  if (data && typeof data.error_code === 'string') return data as unknown as PlaidErrorLike;
  return {
    error_type: 'API_ERROR',
    error_code: 'INTERNAL_SERVER_ERROR',
    error_message: `an unexpected error occurred (HTTP ${status})`,
    display_message: null,
    request_id: typeof data?.request_id === 'string' ? data.request_id : null,
  };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    return text ? (JSON.parse(text) as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** POST /link/ui/_api/<path>: the answer, or a Plaid-shaped error thrown. */
export async function api<T>(path: string, body: Record<string, unknown>): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`/link/ui/_api/${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    throw unreachable;
  }
  const text = await response.text();
  const data = parseJson(text);
  if (typeof data?.request_id === 'string') S.requestId = data.request_id;
  if (!response.ok) throw toPlaidError(data, response.status);
  return data as T;
}

/** Errors thrown by api() are Plaid-shaped; anything else (a bug) becomes an internal error. */
export function asPlaidError(error: unknown): PlaidErrorLike {
  if (typeof error === 'object' && error !== null && 'error_code' in error) return error as PlaidErrorLike;
  return { ...unreachable, error_message: String(error), display_message: null };
}

export function sessionBody(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { link_token: S.linkToken, link_session_id: S.session?.link_session_id ?? null, ...extra };
}

function eventMetadata(extra: EventMetadata): EventMetadata {
  return {
    account_number_mask: null,
    error_type: null,
    error_code: null,
    error_message: null,
    exit_status: null,
    institution_id: S.institution?.institution_id ?? null,
    institution_name: S.institution?.name ?? null,
    institution_search_query: null,
    is_update_mode: S.session?.update_mode ? 'yes' : 'no',
    match_reason: null,
    mfa_type: null,
    routing_number: null,
    view_name: null,
    selection: null,
    timestamp: new Date().toISOString(),
    link_session_id: S.session?.link_session_id ?? null,
    request_id: S.requestId,
    ...extra,
  };
}

/** Records a Link event: live to the parent (which holds all but OPEN until the end) and to /link/token/get. */
export function emit(eventName: string, extra: EventMetadata = {}): void {
  const metadata = eventMetadata(extra);
  postToParent({ type: 'event', eventName, metadata });
  if (S.session) {
    api('event', sessionBody({ event_name: eventName, metadata })).catch(() => {
      // Event history is best-effort, like Plaid's; the flow itself must not stop.
    });
  }
}

export function errorForCallback(error: PlaidErrorLike | null): PlaidErrorLike | null {
  if (!error) return null;
  return {
    error_type: error.error_type,
    error_code: error.error_code,
    error_message: error.error_message,
    display_message: error.display_message ?? null,
  };
}
