import { api, asPlaidError, emit, postToParent } from './client';
import { onOAuthResult, continueAfterOAuth, renderOAuthBankPage, renderOAuthReturnPage } from './oauth';
import { MESSAGE_SOURCE, page, S } from './state';
import type { LinkSession } from './types';
import { closeConfirm, finishExit, openConfirm, showConsent, showError, showReconnect } from './views';

/**
 * The emulated Plaid Link UI: entry point (bundled to app.js by the build, and by the emulator when it runs
 * from source). No inline scripts or handlers: the pages run under `script-src 'self'`.
 */

// Keyboard: Esc asks to exit; Tab stays inside the dialog.
document.addEventListener('keydown', (event) => {
  if (S.mode === 'oauth' || !S.opened) return;
  const { card, confirmBox } = page;
  if (event.key === 'Escape') {
    event.preventDefault();
    if (!confirmBox.hidden) closeConfirm();
    else if (!S.finished) openConfirm();
    return;
  }
  if (event.key !== 'Tab') return;
  const scope = confirmBox.hidden ? card : confirmBox;
  const focusable = [...scope.querySelectorAll<HTMLElement>('button, input, a[href], [tabindex="0"]')].filter(
    (element) =>
      !(element as HTMLButtonElement).disabled &&
      element.offsetParent !== null &&
      !(!confirmBox.hidden && !confirmBox.contains(element)),
  );
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
});

page.closeButton.addEventListener('click', openConfirm);
page.confirmBox.querySelector('[data-action="confirm-exit"]')?.addEventListener('click', finishExit);
page.confirmBox.querySelector('[data-action="cancel-exit"]')?.addEventListener('click', closeConfirm);

interface IncomingMessage {
  source?: unknown;
  type?: unknown;
  force?: unknown;
  oauth_state_id?: unknown;
}

window.addEventListener('message', (event: MessageEvent<IncomingMessage | null>) => {
  const message = event.data;
  if (!message || message.source !== MESSAGE_SOURCE) return;
  if (message.type === 'oauth_result') {
    // Only our own pop-up, back on our own origin, carrying the state we were given.
    if (event.origin !== window.location.origin || !S.oauthPopup || event.source !== S.oauthPopup) return;
    if (message.oauth_state_id !== S.oauthState) return;
    onOAuthResult();
    return;
  }
  // Everything else comes from the page that created Link, and only from it.
  if (S.mode !== 'link' || event.source !== window.parent || event.origin !== S.parentOrigin) return;
  if (message.type === 'open') open();
  else if (message.type === 'exit') {
    if (!S.opened || S.finished) return;
    if (message.force) finishExit();
    else openConfirm();
  }
});

function open(): void {
  if (S.opened) return;
  S.opened = true;
  page.card.hidden = false;
  emit('OPEN', { view_name: null });
  if (S.sessionError || !S.session) {
    showError(S.sessionError ?? asPlaidError(new Error('Link session did not start')));
    return;
  }
  const session = S.session;
  if (session.oauth_resume) {
    // Re-initialised after the bank redirected to redirect_uri: the same session carries on.
    S.institution = session.oauth_resume.institution;
    continueAfterOAuth(session.oauth_resume);
  } else if (session.update_mode && session.institution) {
    S.institution = session.institution;
    showReconnect();
  } else {
    showConsent();
  }
}

function start(): void {
  if (S.mode === 'oauth') {
    renderOAuthBankPage();
    return;
  }
  if (S.mode === 'oauth-return') {
    renderOAuthReturnPage();
    return;
  }
  if (S.mode === 'hosted') document.body.classList.add('hosted');
  if (S.embedded) document.body.classList.add('embedded');
  api<LinkSession>('session', {
    link_token: S.mode === 'hosted' ? '' : S.linkToken,
    hosted_link_id: S.hostedLinkId ?? undefined,
    received_redirect_uri: S.receivedRedirectUri || undefined,
  })
    .then((session) => {
      S.session = session;
      if (session.link_token) S.linkToken = session.link_token;
    })
    .catch((error: unknown) => {
      S.sessionError = asPlaidError(error);
    })
    .then(() => {
      if (S.mode === 'hosted') open();
      else postToParent({ type: 'ready', link_session_id: S.session?.link_session_id ?? null });
    });
}

start();
