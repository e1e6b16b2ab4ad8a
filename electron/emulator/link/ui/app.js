/*
 * The emulated Plaid Link UI. Three ways in:
 *   /link/ui/index.html?token=…&parent_origin=…   Link inside the overlay iframe made by link-initialize.js
 *   /hosted-link/<id>                             Hosted Link as a full page (results go to /link/token/get)
 *   /link/ui/index.html?oauth=1&…                 the OAuth bank's consent page (served from the bank's own origin)
 *   /link/ui/index.html?oauth_return=1&…          where the bank sends the pop-up back when there is no redirect_uri
 * Plain JavaScript with no inline scripts or handlers: the pages run under `script-src 'self'`.
 */
(function () {
  'use strict';

  var MESSAGE_SOURCE = 'assetdesk-plaid-emulator';
  var SANDBOX_USERNAME = 'user_good';
  var SANDBOX_PASSWORD = 'pass_good';

  var params = new URLSearchParams(window.location.search);
  var hostedMatch = /^\/hosted-link\/([^/]+)\/?$/.exec(window.location.pathname);

  var S = {
    mode:
      params.get('oauth') === '1'
        ? 'oauth'
        : params.get('oauth_return') === '1'
          ? 'oauth-return'
          : hostedMatch
            ? 'hosted'
            : 'link',
    receivedRedirectUri: params.get('received_redirect_uri') || '',
    embedded: params.get('embedded') === '1',
    linkToken: params.get('token') || '',
    parentOrigin: params.get('parent_origin') || null,
    hostedLinkId: hostedMatch ? decodeURIComponent(hostedMatch[1]) : null,
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
  };

  var card = document.querySelector('.card');
  var viewRoot = document.getElementById('view');
  var backButton = document.querySelector('[data-action="back"]');
  var closeButton = document.querySelector('[data-action="close"]');
  var confirmBox = document.querySelector('.confirm');

  // ---------------------------------------------------------------------------------------------------------
  // Small DOM helper: h('p', {class: 'muted'}, ['text', child]).

  function h(tag, attributes, children) {
    var element = document.createElement(tag);
    if (attributes) {
      Object.keys(attributes).forEach(function (name) {
        var value = attributes[name];
        if (value === null || value === undefined || value === false) return;
        if (name === 'text') element.textContent = value;
        else if (name === 'onClick') element.addEventListener('click', value);
        else if (name === 'onSubmit') element.addEventListener('submit', value);
        else if (name === 'onInput') element.addEventListener('input', value);
        else if (name === 'onChange') element.addEventListener('change', value);
        else if (value === true) element.setAttribute(name, '');
        else element.setAttribute(name, String(value));
      });
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      element.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return element;
  }

  /** A padlock drawn as SVG: emoji fonts are not installed everywhere Link runs. */
  function lockIcon() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('fill', 'none');
    svg.setAttribute('stroke', 'currentColor');
    svg.setAttribute('stroke-width', '2');
    var body = document.createElementNS(ns, 'rect');
    body.setAttribute('x', '5');
    body.setAttribute('y', '11');
    body.setAttribute('width', '14');
    body.setAttribute('height', '10');
    body.setAttribute('rx', '2');
    var shackle = document.createElementNS(ns, 'path');
    shackle.setAttribute('d', 'M8 11V7a4 4 0 0 1 8 0v4');
    svg.appendChild(body);
    svg.appendChild(shackle);
    return svg;
  }

  function clientName() {
    var name = S.session && S.session.client_name;
    // Plaid shows "This Application" for names longer than 30 characters.
    if (!name || name.length > 30) return 'This Application';
    return name;
  }

  function institutionName() {
    return S.institution ? S.institution.name : 'your bank';
  }

  function randomId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return b.toString(16).padStart(2, '0');
      })
      .join('');
  }

  // ---------------------------------------------------------------------------------------------------------
  // Talking to the parent page (link-initialize.js) and to the emulator.

  function postToParent(message) {
    if (S.mode !== 'link' || !S.parentOrigin || window.parent === window) return;
    message.source = MESSAGE_SOURCE;
    window.parent.postMessage(message, S.parentOrigin);
  }

  function toPlaidError(data, status) {
    if (data && typeof data.error_code === 'string') return data;
    return {
      error_type: 'API_ERROR',
      error_code: 'INTERNAL_SERVER_ERROR',
      error_message: 'an unexpected error occurred (HTTP ' + status + ')',
      display_message: null,
      request_id: data && data.request_id,
    };
  }

  function api(path, body) {
    return fetch('/link/ui/_api/' + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    }).then(
      function (response) {
        return response.text().then(function (text) {
          var data = null;
          try {
            data = text ? JSON.parse(text) : null;
          } catch {
            data = null;
          }
          if (data && data.request_id) S.requestId = data.request_id;
          if (!response.ok) throw toPlaidError(data, response.status);
          return data;
        });
      },
      function () {
        throw {
          error_type: 'API_ERROR',
          error_code: 'INTERNAL_SERVER_ERROR',
          error_message: 'could not reach the Plaid emulator',
          display_message: 'We could not reach the server. Check your connection and try again.',
        };
      },
    );
  }

  function sessionBody(extra) {
    var body = { link_token: S.linkToken, link_session_id: S.session ? S.session.link_session_id : null };
    Object.keys(extra || {}).forEach(function (key) {
      body[key] = extra[key];
    });
    return body;
  }

  function eventMetadata(extra) {
    var metadata = {
      account_number_mask: null,
      error_type: null,
      error_code: null,
      error_message: null,
      exit_status: null,
      institution_id: S.institution ? S.institution.institution_id : null,
      institution_name: S.institution ? S.institution.name : null,
      institution_search_query: null,
      is_update_mode: S.session && S.session.update_mode ? 'yes' : 'no',
      match_reason: null,
      mfa_type: null,
      routing_number: null,
      view_name: null,
      selection: null,
      timestamp: new Date().toISOString(),
      link_session_id: S.session ? S.session.link_session_id : null,
      request_id: S.requestId,
    };
    Object.keys(extra || {}).forEach(function (key) {
      metadata[key] = extra[key];
    });
    return metadata;
  }

  /** Records a Link event: live to the parent (which holds all but OPEN until the end) and to /link/token/get. */
  function emit(eventName, extra) {
    var metadata = eventMetadata(extra);
    postToParent({ type: 'event', eventName: eventName, metadata: metadata });
    if (S.session) {
      api('event', sessionBody({ event_name: eventName, metadata: metadata })).catch(function () {
        // Event history is best-effort, like Plaid's; the flow itself must not stop.
      });
    }
  }

  function errorForCallback(error) {
    if (!error) return null;
    return {
      error_type: error.error_type,
      error_code: error.error_code,
      error_message: error.error_message,
      display_message: error.display_message === undefined ? null : error.display_message,
    };
  }

  // ---------------------------------------------------------------------------------------------------------
  // Views. Each render replaces the card body and moves focus to the view's first field or its heading.

  var EXIT_STATUS = {
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

  function transition(viewName, render, options) {
    S.view = viewName;
    viewRoot.textContent = '';
    viewRoot.setAttribute('data-view', viewName);
    render(viewRoot);
    var back = options && options.back;
    backButton.hidden = !back;
    backButton.onclick = back || null;
    if (!(options && options.silent)) {
      var extra = { view_name: viewName };
      if (options && options.mfaType) extra.mfa_type = options.mfaType;
      emit('TRANSITION_VIEW', extra);
    }
    var focusTarget = viewRoot.querySelector('[data-autofocus]') || viewRoot.querySelector('h1');
    if (focusTarget) focusTarget.focus();
  }

  function heading(text) {
    return h('h1', { id: 'view-title', tabindex: '-1', text: text });
  }

  function showConsent() {
    transition('CONSENT', function (root) {
      root.appendChild(
        h('div', { 'data-testid': 'link-view-consent', class: 'view' }, [
          h('div', { class: 'icon-badge', 'aria-hidden': 'true' }, [lockIcon()]),
          heading(clientName() + ' uses Plaid to connect your bank'),
          h('ul', { class: 'points' }, [
            h('li', null, [
              h('span', { class: 'point-icon', 'aria-hidden': 'true', text: '\u2713' }),
              h('span', null, [
                h('strong', { text: 'Secure' }),
                h('span', { class: 'muted', text: 'Your information is encrypted from end to end.' }),
              ]),
            ]),
            h('li', null, [
              h('span', { class: 'point-icon', 'aria-hidden': 'true', text: '\u2713' }),
              h('span', null, [
                h('strong', { text: 'Private' }),
                h('span', {
                  class: 'muted',
                  text: 'Your bank login is never shared with ' + clientName() + '.',
                }),
              ]),
            ]),
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
            onClick: showInstitutions,
          }),
        ]),
      );
    });
  }

  function showReconnect() {
    transition('CONSENT', function (root) {
      root.appendChild(
        h('div', { 'data-testid': 'link-view-reconnect', class: 'view' }, [
          h('div', { class: 'icon-badge', 'aria-hidden': 'true', text: '\u21BB' }),
          heading('Reconnect ' + institutionName()),
          h('p', {
            class: 'muted',
            text:
              'Your connection to ' +
              institutionName() +
              ' needs to be refreshed. Log in again so ' +
              clientName() +
              ' can keep verifying your accounts.',
          }),
          h('div', { class: 'spacer' }),
          h('button', {
            type: 'button',
            class: 'button primary',
            'data-testid': 'reconnect-continue',
            'data-autofocus': true,
            text: 'Continue',
            onClick: function () {
              showCredentials(null);
            },
          }),
        ]),
      );
    });
  }

  function statusBadge(status) {
    if (status === 'DOWN') return h('span', { class: 'status down', text: 'Unavailable' });
    if (status === 'DEGRADED') return h('span', { class: 'status degraded', text: 'May be slow' });
    return null;
  }

  function showInstitutions() {
    var list;
    var notice;
    var searchTimer = null;
    var searchSerial = 0;

    function load(query) {
      var serial = (searchSerial += 1);
      list.setAttribute('aria-busy', 'true');
      api('institutions', { link_token: S.linkToken, query: query })
        .then(function (data) {
          if (serial !== searchSerial) return;
          renderList(data.institutions || [], query);
        })
        .catch(function (error) {
          if (serial !== searchSerial) return;
          showError(error);
        });
    }

    function renderList(institutions, query) {
      list.removeAttribute('aria-busy');
      list.textContent = '';
      if (institutions.length === 0) {
        list.appendChild(
          h('li', {
            class: 'muted',
            'data-testid': 'institutions-empty',
            text: 'No banks match \u201C' + query + '\u201D.',
          }),
        );
        return;
      }
      institutions.forEach(function (institution) {
        list.appendChild(
          h('li', null, [
            h(
              'button',
              {
                type: 'button',
                class: 'institution',
                'data-testid': 'institution-' + institution.institution_id,
                'data-status': institution.status,
                onClick: function () {
                  chooseInstitution(institution);
                },
              },
              [
                h('span', { class: 'institution-logo', 'aria-hidden': 'true', text: institution.name.charAt(0) }),
                h('span', { class: 'institution-name', text: institution.name }),
                statusBadge(institution.status),
              ],
            ),
          ]),
        );
      });
    }

    function chooseInstitution(institution) {
      if (institution.status === 'DOWN') {
        S.institution = institution;
        emit('SELECT_DOWN_INSTITUTION', { view_name: 'SELECT_INSTITUTION' });
        notice.hidden = false;
        notice.textContent =
          institution.name + ' is not available right now. Please try again later or choose another bank.';
        return;
      }
      S.institution = institution;
      emit(institution.status === 'DEGRADED' ? 'SELECT_DEGRADED_INSTITUTION' : 'SELECT_INSTITUTION', {
        view_name: 'SELECT_INSTITUTION',
      });
      if (institution.oauth) showOAuth();
      else showCredentials(null);
    }

    transition(
      'SELECT_INSTITUTION',
      function (root) {
        notice = h('div', { class: 'notice error', role: 'alert', 'data-testid': 'institution-notice', hidden: true });
        list = h('ul', { class: 'institutions', 'data-testid': 'institutions', 'aria-label': 'Banks' });
        var search = h('input', {
          id: 'institution-search',
          type: 'search',
          autocomplete: 'off',
          placeholder: 'Search',
          'data-testid': 'institution-search',
          'data-autofocus': true,
          onInput: function (event) {
            var query = event.target.value.trim();
            S.institutionsQuery = query;
            clearTimeout(searchTimer);
            searchTimer = setTimeout(function () {
              if (query)
                emit('SEARCH_INSTITUTION', { institution_search_query: query, view_name: 'SELECT_INSTITUTION' });
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

  function showCredentials(notice) {
    var updateMode = Boolean(S.session && S.session.update_mode);
    transition(
      'CREDENTIAL',
      function (root) {
        var form = h('form', { 'data-testid': 'credentials-form', novalidate: true }, [
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
          h('p', { class: 'notice error', role: 'alert', 'data-testid': 'credentials-notice', hidden: true }),
          h('div', { class: 'hint', 'data-testid': 'credentials-hint' }, [
            'Sandbox: ',
            h('code', { text: SANDBOX_USERNAME }),
            ' / ',
            h('code', { text: SANDBOX_PASSWORD }),
          ]),
          h('div', { class: 'spacer' }),
          h('button', { type: 'submit', class: 'button primary', 'data-testid': 'credentials-submit', text: 'Submit' }),
        ]);
        form.elements.username.value = S.username;
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          var username = form.elements.username.value.trim();
          var password = form.elements.password.value;
          var inlineNotice = form.querySelector('[data-testid="credentials-notice"]');
          if (!username || !password) {
            inlineNotice.hidden = false;
            inlineNotice.textContent = 'Enter your username and password.';
            (username ? form.elements.password : form.elements.username).focus();
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
            heading('Log in to ' + institutionName()),
            h('p', {
              class: 'muted',
              text: 'Enter the username and password you use for online banking at ' + institutionName() + '.',
            }),
            notice ? h('p', { class: 'notice warn', role: 'status', text: notice }) : null,
            S.institution && S.institution.status === 'DEGRADED'
              ? h('p', {
                  class: 'notice warn',
                  role: 'status',
                  'data-testid': 'degraded-notice',
                  text: institutionName() + ' is having connection problems right now. Connecting may be slow or fail.',
                })
              : null,
            form,
          ]),
        );
      },
      { back: updateMode ? null : showInstitutions },
    );
  }

  function showLoading(text) {
    transition('LOADING', function (root) {
      root.appendChild(
        h('div', { 'data-testid': 'link-view-loading', class: 'view center', role: 'status' }, [
          h('div', { class: 'spinner', 'aria-hidden': 'true' }),
          heading(text),
          h('p', { class: 'muted', text: 'This usually takes a few seconds.' }),
        ]),
      );
    });
  }

  function credentialsRequest(mfaCode) {
    var body = sessionBody({
      institution_id: S.institution ? S.institution.institution_id : null,
      username: S.username,
      password: S.password,
    });
    if (mfaCode) body.mfa_code = mfaCode;
    return body;
  }

  function submitCredentials(mfaCode) {
    showLoading('Connecting to ' + institutionName());
    api('credentials', credentialsRequest(mfaCode))
      .then(function (result) {
        if (result.status === 'mfa_required') {
          showMfa(result);
          return;
        }
        S.accounts = result.accounts || [];
        S.lastError = null;
        if (S.session && S.session.update_mode) {
          // Update mode repairs the login; the accounts shared before stay shared.
          complete(
            S.accounts.map(function (account) {
              return account.id;
            }),
          );
          return;
        }
        showAccounts();
      })
      .catch(showError);
  }

  function showMfa(challenge) {
    transition(
      'MFA',
      function (root) {
        var form = h('form', { 'data-testid': 'mfa-form', novalidate: true }, [
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
          h('p', { class: 'notice error', role: 'alert', 'data-testid': 'mfa-notice', hidden: true }),
          h('div', { class: 'hint' }, ['Sandbox: ', h('code', { text: '1234' })]),
          h('div', { class: 'spacer' }),
          h('button', { type: 'submit', class: 'button primary', 'data-testid': 'mfa-submit', text: 'Submit' }),
        ]);
        form.addEventListener('submit', function (event) {
          event.preventDefault();
          var code = form.elements.code.value.trim();
          if (!code) {
            var notice = form.querySelector('[data-testid="mfa-notice"]');
            notice.hidden = false;
            notice.textContent = 'Enter the code we sent to your device.';
            form.elements.code.focus();
            return;
          }
          emit('SUBMIT_MFA', { view_name: 'MFA', mfa_type: challenge.mfa_type || 'device' });
          submitCredentials(code);
        });
        root.appendChild(
          h('div', { 'data-testid': 'link-view-mfa', class: 'view' }, [
            heading('Enter your verification code'),
            h('p', {
              class: 'muted',
              text: challenge.prompt || 'We sent a code to your device. Enter it below to continue.',
            }),
            form,
          ]),
        );
      },
      { mfaType: challenge.mfa_type || 'device' },
    );
  }

  function describeAccount(account) {
    var parts = [account.subtype || account.type];
    if (account.mask) parts.push('\u2022\u2022\u2022\u2022 ' + account.mask);
    return parts.join(' \u00B7 ');
  }

  function showAccounts() {
    transition('SELECT_ACCOUNT', function (root) {
      var continueButton = h('button', {
        type: 'submit',
        class: 'button primary',
        'data-testid': 'accounts-continue',
        text: 'Continue',
      });
      var list = h(
        'ul',
        { class: 'accounts' },
        S.accounts.map(function (account, index) {
          var id = 'account-' + index;
          return h('li', null, [
            h('label', { class: 'account', for: id }, [
              h('input', {
                id: id,
                type: 'checkbox',
                value: account.id,
                checked: true,
                'data-testid': 'account-checkbox-' + account.id,
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
      var fieldset = h('fieldset', { class: 'plain' }, [
        h('legend', { class: 'sr-only', text: 'Accounts to share' }),
        list,
      ]);
      var form = h('form', { 'data-testid': 'accounts-form' }, [
        fieldset,
        h('div', { class: 'spacer' }),
        h('div', { class: 'sticky-actions' }, [continueButton]),
      ]);
      function selectedIds() {
        return Array.prototype.filter
          .call(form.querySelectorAll('input[type="checkbox"]'), function (box) {
            return box.checked;
          })
          .map(function (box) {
            return box.value;
          });
      }
      form.addEventListener('change', function () {
        continueButton.disabled = selectedIds().length === 0;
      });
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var ids = selectedIds();
        if (ids.length === 0) return;
        complete(ids);
      });
      root.appendChild(
        h('div', { 'data-testid': 'link-view-select-account', class: 'view' }, [
          heading('Choose the accounts to share'),
          h('p', {
            class: 'muted',
            text: clientName() + ' will see balances and transactions of the accounts you select.',
          }),
          form,
        ]),
      );
    });
  }

  function complete(accountIds) {
    showLoading('Finishing up');
    api(
      'complete',
      sessionBody({
        institution_id: S.institution ? S.institution.institution_id : null,
        username: S.username,
        password: S.password,
        account_ids: accountIds,
      }),
    )
      .then(function (result) {
        showConnected(result);
      })
      .catch(showError);
  }

  function successMetadata(result) {
    var metadata = result.metadata || {};
    return {
      institution:
        metadata.institution ||
        (S.institution ? { name: S.institution.name, institution_id: S.institution.institution_id } : null),
      accounts: (metadata.accounts || []).map(function (account) {
        return {
          id: account.id,
          name: account.name,
          mask: account.mask === undefined ? null : account.mask,
          type: account.type,
          subtype: account.subtype === undefined ? null : account.subtype,
          verification_status: account.verification_status === undefined ? null : account.verification_status,
          class_type: account.class_type === undefined ? null : account.class_type,
        };
      }),
      link_session_id: metadata.link_session_id || (S.session ? S.session.link_session_id : null),
      transfer_status: metadata.transfer_status === undefined ? null : metadata.transfer_status,
    };
  }

  function showConnected(result) {
    var metadata = successMetadata(result);
    function finish() {
      if (S.finished) return;
      S.finished = true;
      emit('HANDOFF', { view_name: 'CONNECTED' });
      if (S.mode === 'hosted') showHostedDone(true);
      else postToParent({ type: 'success', public_token: result.public_token, metadata: metadata });
    }
    transition('CONNECTED', function (root) {
      root.appendChild(
        h('div', { 'data-testid': 'link-view-connected', class: 'view center' }, [
          h('div', { class: 'icon-badge ok', 'aria-hidden': 'true', text: '\u2713', style: null }),
          heading('Connected'),
          h('p', {
            class: 'muted',
            text:
              S.session && S.session.update_mode
                ? 'Your connection to ' + institutionName() + ' is working again.'
                : 'Your ' + institutionName() + ' account is now linked to ' + clientName() + '.',
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
    S.completeResult = result;
    S.finishConnected = finish;
  }

  function errorText(error) {
    if (error.display_message) return error.display_message;
    // Plaid sends no display message for an expired link; the applicant needs to know what to do next.
    if (error.error_code === 'INVALID_LINK_TOKEN') {
      return 'This link has expired or was already used. Ask ' + clientName() + ' for a new one.';
    }
    return error.error_message || 'An unexpected error occurred. Please try again.';
  }

  function showError(error) {
    S.lastError = error;
    var fatal =
      error.error_code === 'INVALID_LINK_TOKEN' ||
      error.error_type === 'INVALID_REQUEST' ||
      (error.error_type === 'INVALID_INPUT' && error.error_code !== 'INVALID_CREDENTIALS');
    emit('ERROR', {
      view_name: 'ERROR',
      error_type: error.error_type,
      error_code: error.error_code,
      error_message: error.error_message,
    });
    transition('ERROR', function (root) {
      root.appendChild(
        h('div', { 'data-testid': 'link-view-error', class: 'view center', role: 'alert' }, [
          h('div', { class: 'icon-badge error', 'aria-hidden': 'true', text: '!' }),
          heading(fatal ? 'Something went wrong' : 'We couldn\u2019t connect'),
          h('p', {
            'data-testid': 'error-message',
            text: errorText(error),
          }),
          h('p', { class: 'muted small', 'data-testid': 'error-code', text: 'Error code: ' + error.error_code }),
          h('div', { class: 'spacer' }),
          fatal
            ? null
            : h('button', {
                type: 'button',
                class: 'button primary',
                'data-testid': 'error-retry',
                'data-autofocus': true,
                text: 'Try again',
                onClick: function () {
                  showCredentials(null);
                },
              }),
          h('button', {
            type: 'button',
            class: fatal ? 'button primary' : 'button secondary',
            'data-testid': 'error-exit',
            'data-autofocus': fatal,
            text: 'Exit',
            onClick: function () {
              finishExit();
            },
          }),
        ]),
      );
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // OAuth: the bank's consent page opens in a pop-up, as Plaid's desktop flow does, and messages back here.

  function showOAuth() {
    var notice;
    transition(
      'OAUTH',
      function (root) {
        notice = h('p', { class: 'notice warn', role: 'status', 'data-testid': 'oauth-notice', hidden: true });
        root.appendChild(
          h('div', { 'data-testid': 'link-view-oauth', class: 'view' }, [
            h('div', { class: 'icon-badge', 'aria-hidden': 'true', text: '\u2197' }),
            heading('Log in at ' + institutionName()),
            h('p', {
              class: 'muted',
              text:
                'You\u2019ll continue in a new window on ' +
                institutionName() +
                '\u2019s site to allow access, then come back here.',
            }),
            notice,
            h('div', { class: 'spacer' }),
            h('button', {
              type: 'button',
              class: 'button primary',
              'data-testid': 'oauth-continue',
              'data-autofocus': true,
              text: 'Continue to ' + institutionName(),
              onClick: function () {
                openOAuthPopup(notice);
              },
            }),
          ]),
        );
      },
      { back: showInstitutions },
    );
  }

  function openOAuthPopup(notice) {
    // Opened now, while the click still counts as the user's gesture; the bank's address follows.
    var popup = window.open('', 'plaid-emulator-oauth', 'popup=yes,width=480,height=680');
    if (!popup) {
      notice.hidden = false;
      notice.textContent = 'Your browser blocked the bank\u2019s window. Allow pop-ups for this page and try again.';
      emit('FAIL_OAUTH', { view_name: 'OAUTH' });
      return;
    }
    S.oauthPopup = popup;
    api('oauth_start', sessionBody({ institution_id: S.institution.institution_id }))
      .then(function (started) {
        S.oauthState = started.oauth_state_id;
        popup.location.href = started.authorize_url;
        emit('OPEN_OAUTH', { view_name: 'OAUTH' });
      })
      .catch(function (error) {
        S.oauthPopup = null;
        popup.close();
        showError(error);
      });
    var watcher = setInterval(function () {
      if (S.oauthPopup !== popup) {
        clearInterval(watcher);
        return;
      }
      if (popup.closed) {
        clearInterval(watcher);
        S.oauthPopup = null;
        emit('CLOSE_OAUTH', { view_name: 'OAUTH' });
        notice.hidden = false;
        notice.textContent = 'The ' + institutionName() + ' window was closed before you allowed access.';
      }
    }, 400);
  }

  /** The bank answered: Link asks the emulator what it was (the message itself carries no verdict). */
  function onOAuthResult() {
    var popup = S.oauthPopup;
    S.oauthPopup = null;
    if (popup && !popup.closed) popup.close();
    api('oauth_status', { link_token: S.linkToken, oauth_state_id: S.oauthState })
      .then(continueAfterOAuth)
      .catch(showError);
  }

  function continueAfterOAuth(status) {
    if (status.status !== 'approved') {
      emit('FAIL_OAUTH', { view_name: 'OAUTH' });
      showError({
        error_type: 'OAUTH_ERROR',
        error_code: 'OAUTH_USER_REVOKED',
        error_message: 'the user did not grant access at the institution',
        display_message: 'You didn\u2019t allow access at ' + institutionName() + '. Try again to share your accounts.',
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
  function renderOAuthReturnPage() {
    if (window.opener) {
      window.opener.postMessage(
        { source: MESSAGE_SOURCE, type: 'oauth_result', oauth_state_id: params.get('oauth_state_id') },
        window.location.origin,
      );
    }
    window.close();
  }

  function renderOAuthBankPage() {
    document.body.classList.add('oauth');
    document.title = (params.get('institution_name') || 'Bank') + ' \u2014 Allow access?';
    card.hidden = false;
    closeButton.hidden = true;
    var bank = params.get('institution_name') || 'Platypus OAuth Bank';
    var app = params.get('client_name') || 'This Application';
    function answer(approved) {
      // The bank records the answer on its own site, then sends the customer back (redirect_uri or Link).
      fetch('/oauth/decision', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ oauth_state_id: params.get('oauth_state_id'), approved: approved }),
      })
        .then(function (response) {
          return response.json();
        })
        .then(function (result) {
          if (result && typeof result.redirect === 'string') window.location.assign(result.redirect);
        });
    }
    viewRoot.appendChild(
      h('div', { 'data-testid': 'oauth-bank', class: 'view' }, [
        h('div', { class: 'icon-badge', 'aria-hidden': 'true', text: bank.charAt(0) }),
        heading(bank + ' \u2014 Allow access?'),
        h('p', {
          class: 'muted',
          text:
            app +
            ' is asking, through Plaid, to see your account balances, transactions and account holder details at ' +
            bank +
            '.',
        }),
        h('p', { class: 'hint', text: 'Sandbox bank: any answer works; no login is needed.' }),
        h('div', { class: 'spacer' }),
        h('button', {
          type: 'button',
          class: 'button primary',
          'data-testid': 'oauth-allow',
          text: 'Allow',
          onClick: function () {
            answer(true);
          },
        }),
        h('button', {
          type: 'button',
          class: 'button secondary',
          'data-testid': 'oauth-deny',
          text: 'Deny',
          onClick: function () {
            answer(false);
          },
        }),
      ]),
    );
    viewRoot.querySelector('h1').focus();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Exit: × or Esc asks first; the parent's exit({force: true}) does not.

  function openConfirm() {
    if (S.finished || confirmBox.hidden === false) return;
    confirmBox.hidden = false;
    confirmBox.querySelector('[data-action="cancel-exit"]').focus();
  }

  function closeConfirm() {
    confirmBox.hidden = true;
    var focusTarget = viewRoot.querySelector('[data-autofocus]') || viewRoot.querySelector('h1');
    if (focusTarget) focusTarget.focus();
  }

  function finishExit() {
    if (S.finished) return;
    if (S.view === 'CONNECTED' && S.finishConnected) {
      // Closing Link after the Item was made still hands it off, as Plaid's exit() does.
      S.finishConnected();
      return;
    }
    S.finished = true;
    confirmBox.hidden = true;
    var status = S.sessionError ? null : EXIT_STATUS[S.view] || 'requires_credentials';
    var error = errorForCallback(S.lastError || S.sessionError);
    emit('EXIT', { view_name: 'EXIT', exit_status: status });
    var metadata = {
      institution: S.institution ? { name: S.institution.name, institution_id: S.institution.institution_id } : null,
      status: status,
      link_session_id: S.session ? S.session.link_session_id : null,
      request_id: S.requestId,
    };
    var recorded = S.session
      ? api('exit', sessionBody({ error: error, status: status })).catch(function () {
          return null;
        })
      : Promise.resolve(null);
    recorded.then(function () {
      if (S.mode === 'hosted') showHostedDone(false);
      else postToParent({ type: 'exit', error: error, metadata: metadata });
    });
  }

  function safeRedirectUri(uri) {
    if (!uri) return null;
    try {
      var parsed = new URL(uri);
      if (/^(javascript|data|vbscript|file|blob):$/i.test(parsed.protocol)) return null;
      return parsed.href;
    } catch {
      return null;
    }
  }

  function showHostedDone(success) {
    closeButton.hidden = true;
    var redirect = safeRedirectUri(S.session && S.session.completion_redirect_uri);
    transition(
      success ? 'CONNECTED' : 'EXIT',
      function (root) {
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
                ? 'Your accounts are connected. ' + clientName() + ' has been notified.'
                : 'You exited without connecting an account. Ask ' +
                  clientName() +
                  ' for a new link if you want to try again.',
            }),
            redirect
              ? h('a', {
                  class: 'button secondary',
                  href: redirect,
                  'data-testid': 'hosted-return',
                  text: 'Return to ' + clientName(),
                })
              : null,
          ]),
        );
      },
      { silent: true },
    );
    if (redirect) {
      // Plaid sends the browser to completion_redirect_uri on success and on exit; the link stays as a fallback.
      setTimeout(function () {
        window.location.assign(redirect);
      }, 1500);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Keyboard: Esc asks to exit; Tab stays inside the dialog.

  document.addEventListener('keydown', function (event) {
    if (S.mode === 'oauth' || !S.opened) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      if (!confirmBox.hidden) closeConfirm();
      else if (!S.finished) openConfirm();
      return;
    }
    if (event.key === 'Tab') {
      var scope = confirmBox.hidden ? card : confirmBox;
      var focusable = Array.prototype.filter.call(
        scope.querySelectorAll('button, input, a[href], [tabindex="0"]'),
        function (element) {
          return (
            !element.disabled &&
            element.offsetParent !== null &&
            !(confirmBox.hidden === false && !confirmBox.contains(element))
          );
        },
      );
      if (focusable.length === 0) return;
      var first = focusable[0];
      var last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });

  closeButton.addEventListener('click', openConfirm);
  confirmBox.querySelector('[data-action="confirm-exit"]').addEventListener('click', finishExit);
  confirmBox.querySelector('[data-action="cancel-exit"]').addEventListener('click', closeConfirm);

  window.addEventListener('message', function (event) {
    var message = event.data;
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

  // ---------------------------------------------------------------------------------------------------------
  // Start-up.

  function open() {
    if (S.opened) return;
    S.opened = true;
    card.hidden = false;
    emit('OPEN', { view_name: null });
    if (S.sessionError) {
      showError(S.sessionError);
      return;
    }
    if (S.session.oauth_resume) {
      // Re-initialised after the bank redirected to redirect_uri: the same session carries on.
      S.institution = S.session.oauth_resume.institution;
      continueAfterOAuth(S.session.oauth_resume);
    } else if (S.session.update_mode && S.session.institution) {
      S.institution = S.session.institution;
      showReconnect();
    } else {
      showConsent();
    }
  }

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

  api('session', {
    link_token: S.mode === 'hosted' ? '' : S.linkToken,
    hosted_link_id: S.hostedLinkId || undefined,
    received_redirect_uri: S.receivedRedirectUri || undefined,
  })
    .then(function (session) {
      S.session = session;
      if (session.link_token) S.linkToken = session.link_token;
    })
    .catch(function (error) {
      S.sessionError = error;
    })
    .then(function () {
      if (S.mode === 'hosted') open();
      else postToParent({ type: 'ready', link_session_id: S.session ? S.session.link_session_id : null });
    });
})();
