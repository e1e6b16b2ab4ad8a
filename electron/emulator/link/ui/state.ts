import { required } from './dom';
import type { InstitutionChoice, LinkAccount, LinkSession, PlaidErrorLike, ViewName } from './types';

/**
 * The Link page's state and elements. Four ways in:
 *   /link/ui/index.html?token=…&parent_origin=…   Link inside the overlay iframe made by link-initialize.js
 *   /hosted-link/<id>                             Hosted Link as a full page (results go to /link/token/get)
 *   /link/ui/index.html?oauth=1&…                 the OAuth bank's consent page (served from the bank's own origin)
 *   /link/ui/index.html?oauth_return=1&…          where the bank sends the pop-up back when there is no redirect_uri
 */
export const MESSAGE_SOURCE = 'assetdesk-plaid-emulator';
export const SANDBOX_USERNAME = 'user_good';
export const SANDBOX_PASSWORD = 'pass_good';

export type Mode = 'link' | 'hosted' | 'oauth' | 'oauth-return';

export const params = new URLSearchParams(window.location.search);
const hostedMatch = /^\/hosted-link\/([^/]+)\/?$/.exec(window.location.pathname);

function modeOf(): Mode {
  if (params.get('oauth') === '1') return 'oauth';
  if (params.get('oauth_return') === '1') return 'oauth-return';
  return hostedMatch ? 'hosted' : 'link';
}

export interface LinkState {
  mode: Mode;
  embedded: boolean;
  linkToken: string;
  parentOrigin: string | null;
  hostedLinkId: string | null;
  receivedRedirectUri: string;
  session: LinkSession | null;
  sessionError: PlaidErrorLike | null;
  opened: boolean;
  finished: boolean;
  view: ViewName | null;
  institution: InstitutionChoice | null;
  institutionsQuery: string;
  username: string;
  password: string;
  accounts: LinkAccount[];
  lastError: PlaidErrorLike | null;
  requestId: string | null;
  oauthPopup: Window | null;
  oauthState: string | null;
  /** Hands the connected Item off (also what exit() does once the Item exists). */
  finishConnected: (() => void) | null;
}

export const S: LinkState = {
  mode: modeOf(),
  embedded: params.get('embedded') === '1',
  linkToken: params.get('token') ?? '',
  parentOrigin: params.get('parent_origin'),
  hostedLinkId: hostedMatch?.[1] ? decodeURIComponent(hostedMatch[1]) : null,
  receivedRedirectUri: params.get('received_redirect_uri') ?? '',
  session: null,
  sessionError: null,
  opened: false,
  finished: false,
  view: null,
  institution: null,
  institutionsQuery: '',
  username: '',
  password: '',
  accounts: [],
  lastError: null,
  requestId: null,
  oauthPopup: null,
  oauthState: null,
  finishConnected: null,
};

export const page = {
  card: required<HTMLElement>(document, '.card'),
  viewRoot: required<HTMLElement>(document, '#view'),
  backButton: required<HTMLButtonElement>(document, '[data-action="back"]'),
  closeButton: required<HTMLButtonElement>(document, '[data-action="close"]'),
  confirmBox: required<HTMLElement>(document, '.confirm'),
};

export function clientName(): string {
  const name = S.session?.client_name;
  // Plaid shows "This Application" for names longer than 30 characters.
  if (!name || name.length > 30) return 'This Application';
  return name;
}

export function institutionName(): string {
  return S.institution ? S.institution.name : 'your bank';
}
