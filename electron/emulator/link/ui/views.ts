import { api, asPlaidError, emit, errorForCallback, postToParent, sessionBody } from './client';
import { h, heading, lockIcon } from './dom';
import { showOAuth } from './oauth';
import { clientName, institutionName, page, S, SANDBOX_PASSWORD, SANDBOX_USERNAME } from './state';
import type {
  CompleteResult,
  CredentialsResult,
  EventMetadata,
  InstitutionChoice,
  LinkAccount,
  PlaidErrorLike,
  SuccessMetadata,
  ViewName,
} from './types';

/** Views. Each render replaces the card body and moves focus to the view's first field or its heading. */
const EXIT_STATUS: Partial<Record<ViewName, string>> = {
  CONSENT: 'institution_not_found',
  SELECT_INSTITUTION: 'institution_not_found',
  CREDENTIAL: 'requires_credentials',
  MFA: 'requires_code',
  LOADING: 'requires_credentials',
  SELECT_ACCOUNT: 'requires_account_selection',
  OAUTH: 'requires_oauth',
  ERROR: 'requires_credentials',
  CONNECTED: 'requires_account_selection',
};

export interface TransitionOptions {
  back?: (() => void) | null;
  /** No TRANSITION_VIEW event (Hosted Link's last page). */
  silent?: boolean;
  mfaType?: string;
}

export function focusView(): void {
  const target =
    page.viewRoot.querySelector<HTMLElement>('[data-autofocus]') ?? page.viewRoot.querySelector<HTMLElement>('h1');
  target?.focus();
}

export function transition(viewName: ViewName, render: (root: HTMLElement) => void, options: TransitionOptions = {}) {
  S.view = viewName;
  page.viewRoot.textContent = '';
  page.viewRoot.setAttribute('data-view', viewName);
  render(page.viewRoot);
  const back = options.back ?? null;
  page.backButton.hidden = !back;
  page.backButton.onclick = back;
  if (!options.silent) {
    const extra: EventMetadata = { view_name: viewName };
    if (options.mfaType) extra.mfa_type = options.mfaType;
    emit('TRANSITION_VIEW', extra);
  }
  focusView();
}

const fail = (error: unknown) => showError(asPlaidError(error));

export function showConsent(): void {
  const point = (title: string, text: string) =>
    h('li', null, [
      h('span', { class: 'point-icon', 'aria-hidden': 'true', text: '\u2713' }),
      h('span', null, [h('strong', { text: title }), h('span', { class: 'muted', text })]),
    ]);
  transition('CONSENT', (root) => {
    root.appendChild(
      h('div', { 'data-testid': 'link-view-consent', class: 'view' }, [
        h('div', { class: 'icon-badge', 'aria-hidden': 'true' }, [lockIcon()]),
        heading(`${clientName()} uses Plaid to connect your bank`),
        h('ul', { class: 'points' }, [
          point('Secure', 'Your information is encrypted from end to end.'),
          point('Private', `Your bank login is never shared with ${clientName()}.`),
        ]),
        h('div', { class: 'spacer' }),
        h('p', {
          class: 'muted small',
          text: 'This is a test environment (Plaid Sandbox emulator). No real bank data is used.',
        }),
        h('button', {
          type: 'button',
          class: 'button primary',
          'data-testid': 'consent-continue',
          'data-autofocus': true,
          text: 'Continue',
          onClick: () => showInstitutions(),
        }),
      ]),
    );
  });
}

export function showReconnect(): void {
  transition('CONSENT', (root) => {
    root.appendChild(
      h('div', { 'data-testid': 'link-view-reconnect', class: 'view' }, [
        h('div', { class: 'icon-badge', 'aria-hidden': 'true', text: '\u21BB' }),
        heading(`Reconnect ${institutionName()}`),
        h('p', {
          class: 'muted',
          text: `Your connection to ${institutionName()} needs to be refreshed. Log in again so ${clientName()} can keep verifying your accounts.`,
        }),
        h('div', { class: 'spacer' }),
        h('button', {
          type: 'button',
          class: 'button primary',
          'data-testid': 'reconnect-continue',
          'data-autofocus': true,
          text: 'Continue',
          onClick: () => showCredentials(null),
        }),
      ]),
    );
  });
}

function statusBadge(status: InstitutionChoice['status']): HTMLElement | null {
  if (status === 'DOWN') return h('span', { class: 'status down', text: 'Unavailable' });
  if (status === 'DEGRADED') return h('span', { class: 'status degraded', text: 'May be slow' });
  return null;
}

export function showInstitutions(): void {
  const notice = h('div', { class: 'notice error', role: 'alert', 'data-testid': 'institution-notice', hidden: true });
  const list = h('ul', { class: 'institutions', 'data-testid': 'institutions', 'aria-label': 'Banks' });
  let searchTimer: ReturnType<typeof setTimeout> | undefined;
  let searchSerial = 0;

  function load(query: string): void {
    const serial = (searchSerial += 1);
    list.setAttribute('aria-busy', 'true');
    api<{ institutions?: InstitutionChoice[] }>('institutions', { link_token: S.linkToken, query })
      .then((data) => {
        if (serial === searchSerial) renderList(data.institutions ?? [], query);
      })
      .catch((error: unknown) => {
        if (serial === searchSerial) fail(error);
      });
  }

  function renderList(institutions: InstitutionChoice[], query: string): void {
    list.removeAttribute('aria-busy');
    list.textContent = '';
    if (institutions.length === 0) {
      list.appendChild(
        h('li', { class: 'muted', 'data-testid': 'institutions-empty', text: `No banks match \u201C${query}\u201D.` }),
      );
      return;
    }
    for (const institution of institutions) {
      list.appendChild(
        h('li', null, [
          h(
            'button',
            {
              type: 'button',
              class: 'institution',
              'data-testid': `institution-${institution.institution_id}`,
              'data-status': institution.status,
              onClick: () => chooseInstitution(institution),
            },
            [
              h('span', { class: 'institution-logo', 'aria-hidden': 'true', text: institution.name.charAt(0) }),
              h('span', { class: 'institution-name', text: institution.name }),
              statusBadge(institution.status),
            ],
          ),
        ]),
      );
    }
  }

  function chooseInstitution(institution: InstitutionChoice): void {
    S.institution = institution;
    if (institution.status === 'DOWN') {
      emit('SELECT_DOWN_INSTITUTION', { view_name: 'SELECT_INSTITUTION' });
      notice.hidden = false;
      notice.textContent = `${institution.name} is not available right now. Please try again later or choose another bank.`;
      return;
    }
    emit(institution.status === 'DEGRADED' ? 'SELECT_DEGRADED_INSTITUTION' : 'SELECT_INSTITUTION', {
      view_name: 'SELECT_INSTITUTION',
    });
    if (institution.oauth) showOAuth();
    else showCredentials(null);
  }

  transition(
    'SELECT_INSTITUTION',
    (root) => {
      const search = h('input', {
        id: 'institution-search',
        type: 'search',
        autocomplete: 'off',
        placeholder: 'Search',
        'data-testid': 'institution-search',
        'data-autofocus': true,
        onInput: (event) => {
          const query = (event.target as HTMLInputElement).value.trim();
          S.institutionsQuery = query;
          clearTimeout(searchTimer);
          searchTimer = setTimeout(() => {
            if (query) emit('SEARCH_INSTITUTION', { institution_search_query: query, view_name: 'SELECT_INSTITUTION' });
            load(query);
          }, 200);
        },
      });
      root.appendChild(
        h('div', { 'data-testid': 'link-view-select-institution', class: 'view' }, [
          heading('Select your bank'),
          h('label', { for: 'institution-search', text: 'Search for your bank' }),
          search,
          notice,
          list,
        ]),
      );
    },
    { back: showConsent },
  );
  load('');
}

/** A form field by name (the forms here are built with these fields). */
function field(form: HTMLFormElement, name: string): HTMLInputElement {
  return form.elements.namedItem(name) as HTMLInputElement;
}

export function showCredentials(notice: string | null): void {
  const updateMode = Boolean(S.session?.update_mode);
  transition(
    'CREDENTIAL',
    (root) => {
      const inlineNotice = h('p', {
        class: 'notice error',
        role: 'alert',
        'data-testid': 'credentials-notice',
        hidden: true,
      });
      const form = h('form', { 'data-testid': 'credentials-form', novalidate: true }, [
        h('label', { for: 'username', text: 'Username' }),
        h('input', {
          id: 'username',
          name: 'username',
          type: 'text',
          autocomplete: 'username',
          autocapitalize: 'none',
          spellcheck: 'false',
          'data-testid': 'credentials-username',
          'data-autofocus': true,
          required: true,
        }),
        h('label', { for: 'password', text: 'Password' }),
        h('input', {
          id: 'password',
          name: 'password',
          type: 'password',
          autocomplete: 'current-password',
          'data-testid': 'credentials-password',
          required: true,
        }),
        inlineNotice,
        h('div', { class: 'hint', 'data-testid': 'credentials-hint' }, [
          'Sandbox: ',
          h('code', { text: SANDBOX_USERNAME }),
          ' / ',
          h('code', { text: SANDBOX_PASSWORD }),
        ]),
        h('div', { class: 'spacer' }),
        h('button', { type: 'submit', class: 'button primary', 'data-testid': 'credentials-submit', text: 'Submit' }),
      ]);
      field(form, 'username').value = S.username;
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const username = field(form, 'username').value.trim();
        const password = field(form, 'password').value;
        if (!username || !password) {
          inlineNotice.hidden = false;
          inlineNotice.textContent = 'Enter your username and password.';
          field(form, username ? 'password' : 'username').focus();
          return;
        }
        S.username = username;
        S.password = password;
        emit('SUBMIT_CREDENTIALS', { view_name: 'CREDENTIAL' });
        submitCredentials(null);
      });
      root.appendChild(
        h('div', { 'data-testid': 'link-view-credentials', class: 'view' }, [
          h('div', { class: 'icon-badge', 'aria-hidden': 'true', text: institutionName().charAt(0) }),
          heading(`Log in to ${institutionName()}`),
          h('p', {
            class: 'muted',
            text: `Enter the username and password you use for online banking at ${institutionName()}.`,
          }),
          notice ? h('p', { class: 'notice warn', role: 'status', text: notice }) : null,
          S.institution?.status === 'DEGRADED'
            ? h('p', {
                class: 'notice warn',
                role: 'status',
                'data-testid': 'degraded-notice',
                text: `${institutionName()} is having connection problems right now. Connecting may be slow or fail.`,
              })
            : null,
          form,
        ]),
      );
    },
    { back: updateMode ? null : showInstitutions },
  );
}

export function showLoading(text: string): void {
  transition('LOADING', (root) => {
    root.appendChild(
      h('div', { 'data-testid': 'link-view-loading', class: 'view center', role: 'status' }, [
        h('div', { class: 'spinner', 'aria-hidden': 'true' }),
        heading(text),
        h('p', { class: 'muted', text: 'This usually takes a few seconds.' }),
      ]),
    );
  });
}

function credentialsRequest(mfaCode: string | null): Record<string, unknown> {
  return sessionBody({
    institution_id: S.institution?.institution_id ?? null,
    username: S.username,
    password: S.password,
    ...(mfaCode ? { mfa_code: mfaCode } : {}),
  });
}

export function submitCredentials(mfaCode: string | null): void {
  showLoading(`Connecting to ${institutionName()}`);
  api<CredentialsResult>('credentials', credentialsRequest(mfaCode))
    .then((result) => {
      if (result.status === 'mfa_required') {
        showMfa(result);
        return;
      }
      S.accounts = result.accounts ?? [];
      S.lastError = null;
      // Update mode repairs the login; the accounts shared before stay shared.
      if (S.session?.update_mode) complete(S.accounts.map((account) => account.id));
      else showAccounts();
    })
    .catch(fail);
}

function showMfa(challenge: { mfa_type?: string; prompt?: string }): void {
  const mfaType = challenge.mfa_type ?? 'device';
  transition(
    'MFA',
    (root) => {
      const notice = h('p', { class: 'notice error', role: 'alert', 'data-testid': 'mfa-notice', hidden: true });
      const form = h('form', { 'data-testid': 'mfa-form', novalidate: true }, [
        h('label', { for: 'mfa-code', text: 'Verification code' }),
        h('input', {
          id: 'mfa-code',
          name: 'code',
          type: 'text',
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          'data-testid': 'mfa-code',
          'data-autofocus': true,
          required: true,
        }),
        notice,
        h('div', { class: 'hint' }, ['Sandbox: ', h('code', { text: '1234' })]),
        h('div', { class: 'spacer' }),
        h('button', { type: 'submit', class: 'button primary', 'data-testid': 'mfa-submit', text: 'Submit' }),
      ]);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        const code = field(form, 'code').value.trim();
        if (!code) {
          notice.hidden = false;
          notice.textContent = 'Enter the code we sent to your device.';
          field(form, 'code').focus();
          return;
        }
        emit('SUBMIT_MFA', { view_name: 'MFA', mfa_type: mfaType });
        submitCredentials(code);
      });
      root.appendChild(
        h('div', { 'data-testid': 'link-view-mfa', class: 'view' }, [
          heading('Enter your verification code'),
          h('p', {
            class: 'muted',
            text: challenge.prompt ?? 'We sent a code to your device. Enter it below to continue.',
          }),
          form,
        ]),
      );
    },
    { mfaType },
  );
}

function describeAccount(account: LinkAccount): string {
  const parts = [account.subtype || account.type];
  if (account.mask) parts.push(`\u2022\u2022\u2022\u2022 ${account.mask}`);
  return parts.join(' \u00B7 ');
}

function showAccounts(): void {
  transition('SELECT_ACCOUNT', (root) => {
    const continueButton = h('button', {
      type: 'submit',
      class: 'button primary',
      'data-testid': 'accounts-continue',
      text: 'Continue',
    });
    const list = h(
      'ul',
      { class: 'accounts' },
      S.accounts.map((account, index) => {
        const id = `account-${index}`;
        return h('li', null, [
          h('label', { class: 'account', for: id }, [
            h('input', {
              id,
              type: 'checkbox',
              value: account.id,
              checked: true,
              'data-testid': `account-checkbox-${account.id}`,
              'data-autofocus': index === 0,
            }),
            h('span', { class: 'account-text' }, [
              h('span', { class: 'account-name', text: account.name }),
              h('span', { class: 'muted small', text: describeAccount(account) }),
            ]),
          ]),
        ]);
      }),
    );
    const form = h('form', { 'data-testid': 'accounts-form' }, [
      h('fieldset', { class: 'plain' }, [h('legend', { class: 'sr-only', text: 'Accounts to share' }), list]),
      h('div', { class: 'spacer' }),
      h('div', { class: 'sticky-actions' }, [continueButton]),
    ]);
    const selectedIds = () =>
      [...form.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')]
        .filter((box) => box.checked)
        .map((box) => box.value);
    form.addEventListener('change', () => {
      continueButton.disabled = selectedIds().length === 0;
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const ids = selectedIds();
      if (ids.length > 0) complete(ids);
    });
    root.appendChild(
      h('div', { 'data-testid': 'link-view-select-account', class: 'view' }, [
        heading('Choose the accounts to share'),
        h('p', {
          class: 'muted',
          text: `${clientName()} will see balances and transactions of the accounts you select.`,
        }),
        form,
      ]),
    );
  });
}

function complete(accountIds: string[]): void {
  showLoading('Finishing up');
  api<CompleteResult>(
    'complete',
    sessionBody({
      institution_id: S.institution?.institution_id ?? null,
      username: S.username,
      password: S.password,
      account_ids: accountIds,
    }),
  )
    .then(showConnected)
    .catch(fail);
}

function successMetadata(result: CompleteResult): SuccessMetadata {
  const metadata = result.metadata ?? {};
  return {
    institution:
      metadata.institution ??
      (S.institution ? { name: S.institution.name, institution_id: S.institution.institution_id } : null),
    accounts: (metadata.accounts ?? []).map((account) => ({
      id: account.id,
      name: account.name,
      mask: account.mask ?? null,
      type: account.type,
      subtype: account.subtype ?? null,
      verification_status: account.verification_status ?? null,
      class_type: account.class_type ?? null,
    })),
    link_session_id: metadata.link_session_id || (S.session?.link_session_id ?? null),
    transfer_status: metadata.transfer_status ?? null,
  };
}

function showConnected(result: CompleteResult): void {
  const metadata = successMetadata(result);
  const finish = () => {
    if (S.finished) return;
    S.finished = true;
    emit('HANDOFF', { view_name: 'CONNECTED' });
    if (S.mode === 'hosted') showHostedDone(true);
    else postToParent({ type: 'success', public_token: result.public_token, metadata });
  };
  transition('CONNECTED', (root) => {
    root.appendChild(
      h('div', { 'data-testid': 'link-view-connected', class: 'view center' }, [
        h('div', { class: 'icon-badge ok', 'aria-hidden': 'true', text: '\u2713' }),
        heading('Connected'),
        h('p', {
          class: 'muted',
          text: S.session?.update_mode
            ? `Your connection to ${institutionName()} is working again.`
            : `Your ${institutionName()} account is now linked to ${clientName()}.`,
        }),
        h('div', { class: 'spacer' }),
        h('button', {
          type: 'button',
          class: 'button primary',
          'data-testid': 'connected-continue',
          'data-autofocus': true,
          text: 'Continue',
          onClick: finish,
        }),
      ]),
    );
  });
  S.finishConnected = finish;
}

function errorText(error: PlaidErrorLike): string {
  if (error.display_message) return error.display_message;
  // Plaid sends no display message for an expired link; the applicant needs to know what to do next.
  if (error.error_code === 'INVALID_LINK_TOKEN')
    return `This link has expired or was already used. Ask ${clientName()} for a new one.`;
  return error.error_message || 'An unexpected error occurred. Please try again.';
}

export function showError(error: PlaidErrorLike): void {
  S.lastError = error;
  const fatal =
    error.error_code === 'INVALID_LINK_TOKEN' ||
    error.error_type === 'INVALID_REQUEST' ||
    (error.error_type === 'INVALID_INPUT' && error.error_code !== 'INVALID_CREDENTIALS');
  emit('ERROR', {
    view_name: 'ERROR',
    error_type: error.error_type,
    error_code: error.error_code,
    error_message: error.error_message,
  });
  transition('ERROR', (root) => {
    root.appendChild(
      h('div', { 'data-testid': 'link-view-error', class: 'view center', role: 'alert' }, [
        h('div', { class: 'icon-badge error', 'aria-hidden': 'true', text: '!' }),
        heading(fatal ? 'Something went wrong' : 'We couldn\u2019t connect'),
        h('p', { 'data-testid': 'error-message', text: errorText(error) }),
        h('p', { class: 'muted small', 'data-testid': 'error-code', text: `Error code: ${error.error_code}` }),
        h('div', { class: 'spacer' }),
        fatal
          ? null
          : h('button', {
              type: 'button',
              class: 'button primary',
              'data-testid': 'error-retry',
              'data-autofocus': true,
              text: 'Try again',
              onClick: () => showCredentials(null),
            }),
        h('button', {
          type: 'button',
          class: fatal ? 'button primary' : 'button secondary',
          'data-testid': 'error-exit',
          'data-autofocus': fatal,
          text: 'Exit',
          onClick: () => finishExit(),
        }),
      ]),
    );
  });
}

// ---- Exit: × or Esc asks first; the parent's exit({force: true}) does not. ----

export function openConfirm(): void {
  if (S.finished || !page.confirmBox.hidden) return;
  page.confirmBox.hidden = false;
  page.confirmBox.querySelector<HTMLElement>('[data-action="cancel-exit"]')?.focus();
}

export function closeConfirm(): void {
  page.confirmBox.hidden = true;
  focusView();
}

export function finishExit(): void {
  if (S.finished) return;
  if (S.view === 'CONNECTED' && S.finishConnected) {
    // Closing Link after the Item was made still hands it off, as Plaid's exit() does.
    S.finishConnected();
    return;
  }
  S.finished = true;
  page.confirmBox.hidden = true;
  const status = S.sessionError ? null : ((S.view && EXIT_STATUS[S.view]) ?? 'requires_credentials');
  const error = errorForCallback(S.lastError ?? S.sessionError);
  emit('EXIT', { view_name: 'EXIT', exit_status: status });
  const metadata = {
    institution: S.institution ? { name: S.institution.name, institution_id: S.institution.institution_id } : null,
    status,
    link_session_id: S.session?.link_session_id ?? null,
    request_id: S.requestId,
  };
  const recorded = S.session ? api('exit', sessionBody({ error, status })).catch(() => null) : Promise.resolve(null);
  void recorded.then(() => {
    if (S.mode === 'hosted') showHostedDone(false);
    else postToParent({ type: 'exit', error, metadata });
  });
}

function safeRedirectUri(uri: string | null | undefined): string | null {
  if (!uri) return null;
  try {
    const parsed = new URL(uri);
    if (/^(javascript|data|vbscript|file|blob):$/i.test(parsed.protocol)) return null;
    return parsed.href;
  } catch {
    return null;
  }
}

function showHostedDone(success: boolean): void {
  page.closeButton.hidden = true;
  const redirect = safeRedirectUri(S.session?.completion_redirect_uri);
  transition(
    success ? 'CONNECTED' : 'EXIT',
    (root) => {
      root.appendChild(
        h('div', { 'data-testid': 'hosted-done', class: 'view center', role: 'status' }, [
          h('div', {
            class: success ? 'icon-badge ok' : 'icon-badge',
            'aria-hidden': 'true',
            text: success ? '\u2713' : '\u2715',
          }),
          heading(success ? 'You\u2019re all set \u2014 you can close this window' : 'You can close this window'),
          h('p', {
            class: 'muted',
            text: success
              ? `Your accounts are connected. ${clientName()} has been notified.`
              : `You exited without connecting an account. Ask ${clientName()} for a new link if you want to try again.`,
          }),
          redirect
            ? h('a', {
                class: 'button secondary',
                href: redirect,
                'data-testid': 'hosted-return',
                text: `Return to ${clientName()}`,
              })
            : null,
        ]),
      );
    },
    { silent: true },
  );
  if (redirect) {
    // Plaid sends the browser to completion_redirect_uri on success and on exit; the link stays as a fallback.
    setTimeout(() => window.location.assign(redirect), 1500);
  }
}
