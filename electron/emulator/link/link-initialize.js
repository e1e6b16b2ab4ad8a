/*
 * AssetDesk's Plaid Sandbox emulator: a stand-in for https://cdn.plaid.com/link/v2/stable/link-initialize.js.
 * Same contract as Plaid's script (window.Plaid.create(config) -> {open, exit, destroy, submit}), so the app
 * runs one Link code path against real Plaid and the emulator; only the script's origin differs.
 * Plain browser JavaScript on purpose: the emulator serves this file as is, with no build step.
 */
(function () {
  'use strict';

  if (window.Plaid && window.Plaid.__assetDeskEmulator) return;

  var currentScript = document.currentScript;
  if (!currentScript || !currentScript.src) {
    throw new Error('link-initialize.js must be loaded with a <script src> tag');
  }
  // The Link UI lives on the emulator's origin, which is wherever this script came from.
  var EMULATOR_ORIGIN = new URL(currentScript.src, window.location.href).origin;
  var MESSAGE_SOURCE = 'assetdesk-plaid-emulator';
  var OVERLAY_Z_INDEX = '2147483647';

  function noop() {}

  function isFunction(value) {
    return typeof value === 'function';
  }

  function safeCall(callback, args) {
    try {
      callback.apply(null, args);
    } catch (error) {
      // A throwing app callback must not break Link's own state; surface it like Plaid's script does.
      setTimeout(function () {
        throw error;
      });
    }
  }

  function createHandler(config, container) {
    if (!config || typeof config !== 'object') throw new Error('Plaid.create requires a config object');
    if (!config.token || typeof config.token !== 'string') {
      throw new Error('Plaid.create requires a `token` (link_token)');
    }
    var onSuccess = isFunction(config.onSuccess) ? config.onSuccess : noop;
    var onExit = isFunction(config.onExit) ? config.onExit : noop;
    var onEvent = isFunction(config.onEvent) ? config.onEvent : noop;
    var onLoad = isFunction(config.onLoad) ? config.onLoad : noop;

    var state = {
      loaded: false,
      openQueued: false,
      isOpen: false,
      destroyed: false,
      linkSessionId: null,
      // Plaid delivers every event but OPEN at the end, around onSuccess/onExit.
      pendingEvents: [],
    };

    var query = new URLSearchParams();
    query.set('token', config.token);
    query.set('parent_origin', window.location.origin);
    if (config.receivedRedirectUri) query.set('received_redirect_uri', String(config.receivedRedirectUri));
    if (container) query.set('embedded', '1');

    var iframe = document.createElement('iframe');
    iframe.src = EMULATOR_ORIGIN + '/link/ui/index.html?' + query.toString();
    iframe.title = 'Plaid Link';
    iframe.id = 'plaid-link-iframe-' + Math.random().toString(36).slice(2, 10);
    iframe.setAttribute('allow', 'clipboard-write');
    iframe.setAttribute('data-plaid-emulator', 'link');
    iframe.style.border = '0';
    if (container) {
      iframe.style.width = '100%';
      iframe.style.height = '100%';
      container.appendChild(iframe);
    } else {
      iframe.style.position = 'fixed';
      iframe.style.top = '0';
      iframe.style.left = '0';
      iframe.style.width = '100%';
      iframe.style.height = '100%';
      iframe.style.zIndex = OVERLAY_Z_INDEX;
      iframe.style.background = 'transparent';
      iframe.style.colorScheme = 'normal';
      iframe.style.display = 'none';
      (document.body || document.documentElement).appendChild(iframe);
    }

    var previousOverflow = null;
    var previousFocus = null;

    function post(message) {
      if (state.destroyed || !iframe.contentWindow) return;
      message.source = MESSAGE_SOURCE;
      iframe.contentWindow.postMessage(message, EMULATOR_ORIGIN);
    }

    function show() {
      if (container) return;
      previousFocus = document.activeElement;
      previousOverflow = document.documentElement.style.overflow;
      document.documentElement.style.overflow = 'hidden';
      iframe.style.display = 'block';
      iframe.focus();
    }

    function hide() {
      state.isOpen = false;
      if (container) return;
      iframe.style.display = 'none';
      if (previousOverflow !== null) document.documentElement.style.overflow = previousOverflow;
      previousOverflow = null;
      if (previousFocus && isFunction(previousFocus.focus)) previousFocus.focus();
      previousFocus = null;
    }

    function flushEvents() {
      var events = state.pendingEvents;
      state.pendingEvents = [];
      for (var i = 0; i < events.length; i += 1) safeCall(onEvent, [events[i].eventName, events[i].metadata]);
    }

    function doOpen() {
      state.openQueued = false;
      state.isOpen = true;
      show();
      post({ type: 'open' });
    }

    function onMessage(event) {
      // Only the Link frame we created, on the emulator's origin, may talk to this handler.
      if (event.origin !== EMULATOR_ORIGIN || event.source !== iframe.contentWindow) return;
      var message = event.data;
      if (!message || message.source !== MESSAGE_SOURCE) return;
      switch (message.type) {
        case 'ready':
          if (state.loaded) return;
          state.loaded = true;
          state.linkSessionId = message.link_session_id || null;
          safeCall(onLoad, []);
          if (state.openQueued) doOpen();
          return;
        case 'event':
          if (message.eventName === 'OPEN') safeCall(onEvent, [message.eventName, message.metadata]);
          else state.pendingEvents.push({ eventName: message.eventName, metadata: message.metadata });
          return;
        case 'success':
          hide();
          flushEvents();
          safeCall(onSuccess, [message.public_token, message.metadata]);
          return;
        case 'exit':
          hide();
          flushEvents();
          safeCall(onExit, [message.error || null, message.metadata]);
          return;
        default:
      }
    }
    window.addEventListener('message', onMessage);

    return {
      open: function () {
        if (state.destroyed) return;
        if (!state.loaded) {
          state.openQueued = true;
          return;
        }
        doOpen();
      },
      exit: function (options, callback) {
        if (state.destroyed) return;
        var force = Boolean(options && options.force);
        if (!state.isOpen && !state.openQueued) {
          if (isFunction(callback)) callback();
          return;
        }
        if (!state.loaded) {
          state.openQueued = false;
          safeCall(onExit, [
            null,
            { institution: null, status: null, link_session_id: state.linkSessionId, request_id: null },
          ]);
          if (isFunction(callback)) callback();
          return;
        }
        post({ type: 'exit', force: force });
        if (isFunction(callback)) callback();
      },
      destroy: function () {
        if (state.destroyed) return;
        if (state.isOpen) hide();
        state.destroyed = true;
        window.removeEventListener('message', onMessage);
        if (iframe.parentNode) iframe.parentNode.removeChild(iframe);
      },
      // Layer only in Plaid's script; Assets flows never call it.
      submit: noop,
    };
  }

  window.Plaid = {
    __assetDeskEmulator: true,
    version: 'emulator',
    create: function (config) {
      return createHandler(config, null);
    },
    createEmbedded: function (config, domElement) {
      if (!domElement) throw new Error('Plaid.createEmbedded requires a DOM element');
      var handler = createHandler(config, domElement);
      handler.open();
      return { destroy: handler.destroy };
    },
  };
})();
