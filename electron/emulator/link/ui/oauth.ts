import { api, asPlaidError, emit, sessionBody } from './client';
import { h, heading } from './dom';
import {
  clientName,
  institutionName,
  MESSAGE_SOURCE,
  page,
  params,
  S,
  SANDBOX_PASSWORD,
  SANDBOX_USERNAME,
} from './state';
import type { OAuthStatus } from './types';
import { showError, showInstitutions, submitCredentials, transition } from './views';

/**
 * OAuth banks: the bank's consent page opens in a pop-up on the bank's own origin, as Plaid's desktop flow does.
 * The bank sends the pop-up back to Link's return page (which hands the state to this Link) or, when the link
 * token has a redirect_uri, to the app, which re-creates Link with receivedRedirectUri (see app.ts).
 */
export function showOAuth(): void {
  const notice = h('p', { class: 'notice warn', role: 'status', 'data-testid': 'oauth-notice', hidden: true });
  let authorizeUrl: string | null = null;
  const button = h('button', {
    type: 'button',
    class: 'button primary',
    'data-testid': 'oauth-continue',
    'data-autofocus': true,
    disabled: true,
    text: 'Preparing\u2026',
    onClick: () => {
      if (authorizeUrl) openOAuthPopup(notice, authorizeUrl);
    },
  });
  transition(
    'OAUTH',
    (root) => {
      root.appendChild(
        h('div', { 'data-testid': 'link-view-oauth', class: 'view' }, [
          h('div', { class: 'icon-badge', 'aria-hidden': 'true', text: '\u2197' }),
          heading(`Log in at ${institutionName()}`),
          h('p', {
            class: 'muted',
            text: `You\u2019ll continue in a new window on ${institutionName()}\u2019s site to allow access, then come back here.`,
          }),
          notice,
          h('div', { class: 'spacer' }),
          button,
        ]),
      );
    },
    { back: showInstitutions },
  );
  // The bank's address is known before the click, so the click opens it directly: an app that only
  // lets Link open https pages (AssetDesk's own pop-up policy) refuses a blank window filled in later.
  const institutionId = S.institution?.institution_id ?? null;
  api<{ oauth_state_id: string; authorize_url: string }>('oauth_start', sessionBody({ institution_id: institutionId }))
    .then((started) => {
      S.oauthState = started.oauth_state_id;
      authorizeUrl = started.authorize_url;
      button.disabled = false;
      button.textContent = `Continue to ${institutionName()}`;
    })
    .catch((error: unknown) => showError(asPlaidError(error)));
}

function openOAuthPopup(notice: HTMLElement, authorizeUrl: string): void {
  const popup = window.open(authorizeUrl, 'plaid-emulator-oauth', 'popup=yes,width=480,height=680');
  if (!popup) {
    notice.hidden = false;
    notice.textContent = 'Your browser blocked the bank\u2019s window. Allow pop-ups for this page and try again.';
    emit('FAIL_OAUTH', { view_name: 'OAUTH' });
    return;
  }
  S.oauthPopup = popup;
  emit('OPEN_OAUTH', { view_name: 'OAUTH' });
  const watcher = setInterval(() => {
    if (S.oauthPopup !== popup) {
      clearInterval(watcher);
      return;
    }
    if (popup.closed) {
      clearInterval(watcher);
      S.oauthPopup = null;
      emit('CLOSE_OAUTH', { view_name: 'OAUTH' });
      notice.hidden = false;
      notice.textContent = `The ${institutionName()} window was closed before you allowed access.`;
    }
  }, 400);
}

/** The bank answered: Link asks the emulator what it was (the message itself carries no verdict). */
export function onOAuthResult(): void {
  const popup = S.oauthPopup;
  S.oauthPopup = null;
  if (popup && !popup.closed) popup.close();
  api<OAuthStatus>('oauth_status', { link_token: S.linkToken, oauth_state_id: S.oauthState })
    .then(continueAfterOAuth)
    .catch((error: unknown) => showError(asPlaidError(error)));
}

export function continueAfterOAuth(status: OAuthStatus): void {
  if (status.status !== 'approved') {
    emit('FAIL_OAUTH', { view_name: 'OAUTH' });
    showError({
      error_type: 'OAUTH_ERROR',
      error_code: 'OAUTH_USER_REVOKED',
      error_message: 'the user did not grant access at the institution',
      display_message: `You didn\u2019t allow access at ${institutionName()}. Try again to share your accounts.`,
    });
    return;
  }
  emit('CLOSE_OAUTH', { view_name: 'OAUTH' });
  // The Sandbox OAuth bank has no credentials of its own; its Items carry user_good's data.
  S.username = SANDBOX_USERNAME;
  S.password = SANDBOX_PASSWORD;
  submitCredentials(null);
}

/** Back from the bank on Link's own origin (no redirect_uri): hand the state to the Link that opened us. */
export function renderOAuthReturnPage(): void {
  const opener = window.opener as Window | null;
  opener?.postMessage(
    { source: MESSAGE_SOURCE, type: 'oauth_result', oauth_state_id: params.get('oauth_state_id') },
    window.location.origin,
  );
  window.close();
}

/** The bank's consent page, on the bank's origin. */
export function renderOAuthBankPage(): void {
  document.body.classList.add('oauth');
  document.title = `${params.get('institution_name') ?? 'Bank'} \u2014 Allow access?`;
  page.card.hidden = false;
  page.closeButton.hidden = true;
  const bank = params.get('institution_name') ?? 'Platypus OAuth Bank';
  const app = params.get('client_name') || clientName();
  const answer = async (approved: boolean) => {
    // The bank records the answer on its own site, then sends the customer back (redirect_uri or Link).
    const response = await fetch('/oauth/decision', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ oauth_state_id: params.get('oauth_state_id'), approved }),
    });
    const result = (await response.json()) as { redirect?: unknown };
    if (typeof result.redirect === 'string') window.location.assign(result.redirect);
  };
  page.viewRoot.appendChild(
    h('div', { 'data-testid': 'oauth-bank', class: 'view' }, [
      h('div', { class: 'icon-badge', 'aria-hidden': 'true', text: bank.charAt(0) }),
      heading(`${bank} \u2014 Allow access?`),
      h('p', {
        class: 'muted',
        text: `${app} is asking, through Plaid, to see your account balances, transactions and account holder details at ${bank}.`,
      }),
      h('p', { class: 'hint', text: 'Sandbox bank: any answer works; no login is needed.' }),
      h('div', { class: 'spacer' }),
      h('button', {
        type: 'button',
        class: 'button primary',
        'data-testid': 'oauth-allow',
        text: 'Allow',
        onClick: () => void answer(true),
      }),
      h('button', {
        type: 'button',
        class: 'button secondary',
        'data-testid': 'oauth-deny',
        text: 'Deny',
        onClick: () => void answer(false),
      }),
    ]),
  );
  page.viewRoot.querySelector('h1')?.focus();
}
