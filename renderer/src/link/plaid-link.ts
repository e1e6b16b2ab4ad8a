import { AppError } from '../../../shared/errors';

/** The parts of Plaid Link's browser API we use; the emulator's Link script offers the same. */
export interface PlaidLinkError {
  error_type: string;
  error_code: string;
  error_message: string;
  display_message: string | null;
}
export interface PlaidInstitution {
  institution_id: string;
  name: string;
}
export interface PlaidLinkAccount {
  id: string;
  name: string;
  mask: string | null;
  type: string;
  subtype: string | null;
}
export interface PlaidLinkSuccessMetadata {
  institution: PlaidInstitution | null;
  accounts: PlaidLinkAccount[];
  link_session_id: string;
}
export interface PlaidLinkExitMetadata {
  institution: PlaidInstitution | null;
  status: string | null;
  link_session_id: string;
  request_id?: string;
}
export interface PlaidLinkOptions {
  token: string;
  /** Set only when re-creating Link after an OAuth bank sent the applicant to our redirect URI. */
  receivedRedirectUri?: string;
  onSuccess(publicToken: string, metadata: PlaidLinkSuccessMetadata): void;
  onExit?(error: PlaidLinkError | null, metadata: PlaidLinkExitMetadata): void;
  onEvent?(eventName: string, metadata: Record<string, unknown>): void;
  onLoad?(): void;
}
export interface PlaidLinkHandler {
  open(): void;
  exit(options?: { force?: boolean }): void;
  destroy(): void;
}
export interface PlaidLinkFactory {
  create(options: PlaidLinkOptions): PlaidLinkHandler;
}

declare global {
  interface Window {
    Plaid?: PlaidLinkFactory;
  }
}

const loads = new Map<string, Promise<PlaidLinkFactory>>();

/**
 * Loads Link's script once per URL: Plaid's CDN in Sandbox/Production, the emulator's otherwise.
 * The main process picks the URL (link:createToken → scriptUrl), so there is one code path here.
 */
export function loadPlaidLink(scriptUrl: string): Promise<PlaidLinkFactory> {
  const pending = loads.get(scriptUrl);
  if (pending) return pending;
  const promise = new Promise<PlaidLinkFactory>((resolve, reject) => {
    const existing = [...document.querySelectorAll<HTMLScriptElement>('script[data-plaid-link]')].find(
      (s) => s.src === scriptUrl,
    );
    const current = document.querySelector<HTMLScriptElement>('script[data-plaid-link][data-loaded]');
    if (existing && existing === current && window.Plaid) {
      resolve(window.Plaid);
      return;
    }
    const script = existing ?? document.createElement('script');
    script.addEventListener('load', () => {
      for (const other of document.querySelectorAll('script[data-plaid-link][data-loaded]'))
        other.removeAttribute('data-loaded');
      script.setAttribute('data-loaded', '');
      if (window.Plaid) resolve(window.Plaid);
      else {
        loads.delete(scriptUrl);
        reject(linkUnavailable());
      }
    });
    script.addEventListener('error', () => {
      loads.delete(scriptUrl);
      script.remove();
      reject(linkUnavailable());
    });
    if (!existing) {
      script.src = scriptUrl;
      script.async = true;
      script.setAttribute('data-plaid-link', '');
      document.head.appendChild(script);
    }
  });
  loads.set(scriptUrl, promise);
  return promise;
}

/** Link's script could not load: the screens offer Hosted Link instead of a dead button. */
export const LINK_SCRIPT_UNAVAILABLE = 'LINK_SCRIPT_UNAVAILABLE';

function linkUnavailable(): AppError {
  return new AppError({
    code: LINK_SCRIPT_UNAVAILABLE,
    message: 'The bank connection screen could not be loaded. Check the internet connection, then try again.',
    retryable: true,
  });
}

/** Plaid's metadata carries more than the contract accepts; keep exactly what the main process needs. */
export function toLinkMetadata(metadata: PlaidLinkSuccessMetadata) {
  if (!metadata.institution) return null;
  return {
    institution: { institution_id: metadata.institution.institution_id, name: metadata.institution.name },
    accounts: metadata.accounts.map((a) => ({
      id: a.id,
      name: a.name,
      mask: a.mask ?? null,
      type: a.type,
      subtype: a.subtype ?? null,
    })),
    link_session_id: metadata.link_session_id ?? '',
  };
}

/**
 * Back from an OAuth bank at the officer's redirect URI: Plaid carries the session on in a Link
 * re-created with the same token and the full address the bank returned to, opened at once.
 */
export function reopenAfterOAuth(
  Plaid: PlaidLinkFactory,
  options: PlaidLinkOptions,
  receivedRedirectUri: string,
): PlaidLinkHandler {
  const handler = Plaid.create({ ...options, receivedRedirectUri });
  handler.open();
  return handler;
}
