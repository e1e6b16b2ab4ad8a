import { toJSONSchema, type z } from 'zod';
import { ErrorCodes } from '../../shared/errors';
import {
  channelNames,
  contract,
  eventNames,
  events,
  methodName,
  type ContractHandlers,
  type EventPayload,
} from '../../shared/ipc/contract';
import { createWindowEventSink, isTrustedSender, registerIpcHandlers } from '../../electron/main/ipc';
import { buildWindowApi } from '../../electron/preload/window-api';
import { createIpcDispatcher } from '../../electron/services/ipc-dispatcher';
import { createMemoryLogger } from '../../electron/log/logger';

const APP_ORIGIN = 'app://assetdesk';

/** Handlers that record calls: validation must stop bad payloads before any of them runs. */
function recordingHandlers() {
  const calls: string[] = [];
  const handlers = Object.fromEntries(
    channelNames.map((c) => [
      c,
      async () => {
        calls.push(c);
        throw new Error('service must not run');
      },
    ]),
  ) as unknown as ContractHandlers;
  return { handlers, calls };
}

/** A payload that breaks the channel's schema on a named field (or an unexpected key). */
function malformedPayloads(channel: (typeof channelNames)[number]): { payload: unknown; fields: string[] }[] {
  const schema = contract[channel].request as unknown as z.ZodObject;
  const keys = Object.keys(schema.shape ?? {});
  const required = keys.filter((k) => !schema.shape[k]!.safeParse(undefined).success);
  // An unexpected key is named unless a required field is missing first (then that one is named).
  const out: { payload: unknown; fields: string[] }[] = [
    { payload: { unexpectedField: true }, fields: ['unexpectedField', ...required] },
  ];
  if (keys[0])
    out.push({ payload: { [keys[0]]: Symbol.for('not-serialisable-value') }, fields: [keys[0], ...required] });
  return out;
}

describe('IPC contract validation', () => {
  it.each(channelNames)('%s: a malformed payload gets a typed validation error naming the field', async (channel) => {
    const { handlers, calls } = recordingHandlers();
    const dispatcher = createIpcDispatcher(handlers, createMemoryLogger());
    for (const { payload, fields } of malformedPayloads(channel)) {
      const envelope = await dispatcher.dispatch(channel, payload);
      expect(envelope.ok).toBe(false);
      if (envelope.ok) continue;
      expect(envelope.error.code).toBe(ErrorCodes.validation);
      expect(envelope.error.retryable).toBe(false);
      expect(fields).toContain(envelope.error.field);
      // The field travels in `field`; the message is for the officer and never starts with an internal name.
      expect(envelope.error.message.startsWith(`${envelope.error.field}:`)).toBe(false);
    }
    const notAnObject = await dispatcher.dispatch(channel, 'DROP TABLE applicants');
    expect(notAnObject.ok).toBe(false);
    expect(calls).toEqual([]);
  });

  it('report progress carries the report summary; one report is read by id whatever its status', () => {
    const summary = {
      id: 'r1',
      loanId: 'l1',
      applicantId: 'a1',
      applicantName: 'Maria Lopez',
      loanNumber: 'LN-1',
      environment: 'emulator',
      status: 'pending',
      kind: 'create',
      parentId: null,
      plaidReportId: null,
      daysRequested: 61,
      createdAt: '2026-11-02T12:00:00.000Z',
      readyAt: null,
      failure: null,
      institutions: ['First Platypus Bank'],
      totalBalance: null,
      accountCount: null,
      earliestHistoryDate: null,
      findingCounts: null,
    };
    const progress = { reportId: 'r1', loanId: 'l1', applicantId: 'a1', status: 'pending', elapsedMs: 0 };
    expect(events['report:progress'].safeParse({ ...progress, summary }).success).toBe(true);
    expect(events['report:progress'].safeParse(progress).success).toBe(false);
    expect(contract['reports:summary'].request.safeParse({ reportId: 'r1' }).success).toBe(true);
    expect(contract['reports:summary'].response.safeParse(summary).success).toBe(true);
  });

  it('rejects channels outside the contract without crashing', async () => {
    const { handlers } = recordingHandlers();
    const envelope = await createIpcDispatcher(handlers, createMemoryLogger()).dispatch('fs:readFile', {
      path: '/etc/passwd',
    });
    expect(envelope).toMatchObject({ ok: false, error: { code: ErrorCodes.unknownChannel } });
  });

  it('turns an unexpected service crash into the one error shape without leaking internals', async () => {
    const logger = createMemoryLogger();
    const handlers = {
      'settings:get': async () => {
        throw new TypeError('cannot read x of undefined at /home/secret');
      },
    } as unknown as ContractHandlers;
    const envelope = await createIpcDispatcher(handlers, logger).dispatch('settings:get', {});
    expect(envelope.ok).toBe(false);
    if (!envelope.ok) {
      expect(envelope.error.code).toBe(ErrorCodes.internal);
      expect(envelope.error.message).not.toContain('/home/secret');
    }
  });

  it('refuses an answer outside the response schema', async () => {
    const handlers = { 'settings:get': async () => ({ secret: 'x' }) } as unknown as ContractHandlers;
    const envelope = await createIpcDispatcher(handlers, createMemoryLogger()).dispatch('settings:get', {});
    expect(envelope).toMatchObject({ ok: false, error: { code: ErrorCodes.internal } });
  });
});

/**
 * Where a request's schema lets a value through unbounded (a string or list of any length, a number with no top)
 * or an object with keys it does not know, as JSON Schema paths. Strings limited by an anchored pattern of bounded
 * repeats count as bounded.
 */
function unboundedRequestFields(): string[] {
  const found: string[] = [];
  const boundedPattern = (pattern: string) => /^\^[^*+]*\$$/.test(pattern) || /\{\d+(,\d+)?\}\$$/.test(pattern);
  const walk = (schema: Record<string, unknown> | undefined, path: string): void => {
    if (!schema) return;
    for (const key of ['anyOf', 'oneOf', 'allOf'])
      (schema[key] as Record<string, unknown>[] | undefined)?.forEach((s, i) => walk(s, `${path}|${i}`));
    const type = schema.type;
    if (type === 'string' && schema.maxLength === undefined && !schema.enum && schema.const === undefined)
      if (!boundedPattern(String(schema.pattern ?? ''))) found.push(`${path}: a string of any length`);
    if ((type === 'number' || type === 'integer') && schema.maximum === undefined)
      if (schema.exclusiveMaximum === undefined) found.push(`${path}: a number with no maximum`);
    if (type === 'array') {
      if (schema.maxItems === undefined) found.push(`${path}: a list of any length`);
      walk(schema.items as Record<string, unknown>, `${path}[]`);
    }
    if (type === 'object') {
      if (schema.additionalProperties !== false) found.push(`${path}: an object that drops unknown keys`);
      for (const [key, value] of Object.entries((schema.properties ?? {}) as Record<string, Record<string, unknown>>))
        walk(value, `${path}.${key}`);
    }
  };
  for (const channel of channelNames) {
    const schema = toJSONSchema(contract[channel].request, { io: 'input', unrepresentable: 'any' });
    walk(schema as Record<string, unknown>, channel);
  }
  return found;
}

describe('IPC request size limits', () => {
  it('every request field is bounded and every request object refuses keys it does not know', () => {
    expect(unboundedRequestFields()).toEqual([]);
  });

  it('says which limit a request broke', () => {
    const filter = contract['reports:filter'].request.safeParse({
      reportId: 'r1',
      accountIdsToExclude: Array.from({ length: 101 }, (_, i) => `acc-${i}`),
    });
    expect(filter.error?.issues[0]?.message).toBe('Leave out at most 100 accounts at a time');
    const webhook = contract['settings:update'].request.safeParse({
      webhook: { enabled: true, publicUrl: `https://x.example/${'a'.repeat(2048)}` },
    });
    expect(webhook.error?.issues[0]?.message).toBe('the public webhook URL is at most 2048 characters');
    const extra = contract['link:complete'].request.safeParse({
      applicantId: 'a1',
      publicToken: 'public-token',
      metadata: {
        institution: { institution_id: 'ins_1', name: 'Bank' },
        accounts: [{ id: 'acc-1', name: 'Checking', mask: null, type: 'depository', subtype: null, balance: 1 }],
        link_session_id: 's',
      },
    });
    expect(extra.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', path: ['metadata', 'accounts', 0] });
  });
});

describe('OAuth redirect URI setting', () => {
  const parse = (environment: string, uri: string) =>
    contract['settings:update'].request.safeParse({ oauthRedirectUri: { environment, uri } });

  it('takes https everywhere and http://localhost in Sandbox only', () => {
    expect(parse('production', 'https://desk.example.com/oauth').success).toBe(true);
    expect(parse('sandbox', 'https://desk.example.com/oauth').success).toBe(true);
    expect(parse('sandbox', 'http://localhost:3000/oauth').success).toBe(true);
  });

  it.each([
    ['production', 'http://evil.example/cb', 'the redirect URI must be an https address'],
    ['production', 'http://localhost:3000/oauth', 'the redirect URI must be an https address'],
    [
      'sandbox',
      'http://desk.example.com/oauth',
      'the redirect URI must be https (Sandbox also allows http://localhost)',
    ],
    [
      'sandbox',
      'http://localhost.evil.example/cb',
      'the redirect URI must be https (Sandbox also allows http://localhost)',
    ],
    [
      'sandbox',
      'http://localhost@evil.example/cb',
      'the redirect URI must be https (Sandbox also allows http://localhost)',
    ],
  ])('%s refuses %s, naming the field', (environment, uri, message) => {
    expect(parse(environment, uri).error?.issues).toEqual([
      expect.objectContaining({ path: ['oauthRedirectUri', 'uri'], message }),
    ]);
  });
});

describe('IPC sender checks', () => {
  it('accepts only our app origin in the top frame', () => {
    expect(isTrustedSender({ url: 'app://assetdesk/index.html', isMainFrame: true }, [APP_ORIGIN])).toBe(true);
    expect(isTrustedSender({ url: 'app://assetdesk/index.html', isMainFrame: false }, [APP_ORIGIN])).toBe(false);
    expect(
      isTrustedSender({ url: 'https://cdn.plaid.com/link/v2/stable/link.html', isMainFrame: true }, [APP_ORIGIN]),
    ).toBe(false);
    expect(isTrustedSender({ url: 'app://assetdesk.evil/index.html', isMainFrame: true }, [APP_ORIGIN])).toBe(false);
    expect(isTrustedSender({ url: 'file:///index.html', isMainFrame: true }, [APP_ORIGIN])).toBe(false);
    expect(isTrustedSender({ url: 'not a url', isMainFrame: true }, [APP_ORIGIN])).toBe(false);
    expect(isTrustedSender(null, [APP_ORIGIN])).toBe(false);
  });

  it.each(channelNames)(
    '%s: a message from a foreign origin or a subframe is rejected before validation',
    async (channel) => {
      const registered = new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>();
      const ipcMain = {
        handle: (name: string, fn: (event: unknown, payload: unknown) => Promise<unknown>) =>
          void registered.set(name, fn),
      };
      const dispatched: string[] = [];
      registerIpcHandlers(
        ipcMain as never,
        {
          dispatch: async (c) => {
            dispatched.push(c);
            return { ok: true, value: null };
          },
        },
        {
          allowedOrigins: [APP_ORIGIN],
          logger: createMemoryLogger(),
        },
      );
      expect([...registered.keys()].sort()).toEqual([...channelNames].sort());
      const handler = registered.get(channel)!;
      // A top frame has no parent; a subframe of our own page has one.
      const mainFrame = { url: 'app://assetdesk/index.html', parent: null };
      const subFrame = { url: 'app://assetdesk/index.html', parent: mainFrame };
      const foreign = { url: 'https://evil.example/', parent: null };
      const subframeAnswer = await handler({ senderFrame: subFrame, sender: { mainFrame } }, {});
      const foreignAnswer = await handler({ senderFrame: foreign, sender: { mainFrame: foreign } }, {});
      expect(subframeAnswer).toMatchObject({ ok: false, error: { code: ErrorCodes.forbiddenSender } });
      expect(foreignAnswer).toMatchObject({ ok: false, error: { code: ErrorCodes.forbiddenSender } });
      expect(dispatched).toEqual([]);
      await handler({ senderFrame: mainFrame, sender: { mainFrame } }, {});
      expect(dispatched).toEqual([channel]);
    },
  );
});

describe('events to the windows', () => {
  /** Web contents as the sink sees them: a top-frame address, and what it was sent. */
  const contents = (url: string, destroyed = false) => {
    const sent: [string, unknown][] = [];
    return {
      sent,
      isDestroyed: () => destroyed,
      getURL: () => url,
      send: (event: string, payload: unknown) => void sent.push([event, payload]),
    };
  };
  const progress: EventPayload<'report:progress'> = {
    reportId: 'r1',
    loanId: 'l1',
    applicantId: 'a1',
    status: 'ready',
    elapsedMs: 1,
    summary: {
      id: 'r1',
      loanId: 'l1',
      applicantId: 'a1',
      applicantName: 'Alice Other',
      loanNumber: 'LN-A-0001',
      environment: 'emulator',
      status: 'ready',
      kind: 'create',
      parentId: null,
      plaidReportId: null,
      daysRequested: 61,
      createdAt: '2026-11-02T12:00:00.000Z',
      readyAt: null,
      failure: null,
      institutions: ['First Platypus Bank'],
      totalBalance: 62589,
      accountCount: 2,
      earliestHistoryDate: null,
      findingCounts: null,
    },
  };

  it('go only to windows whose top frame is our page: never a Link or bank pop-up, nor a window navigated away', () => {
    const page = contents('app://assetdesk/index.html');
    const bank = contents('https://oauth.some-bank.example/consent');
    const link = contents('https://cdn.plaid.com/link/v2/stable/link.html');
    const lookalike = contents('app://assetdesk.evil/index.html');
    const closed = contents('app://assetdesk/index.html', true);
    const sink = createWindowEventSink(() => [page, bank, link, lookalike, closed] as never, {
      allowedOrigins: [APP_ORIGIN],
      logger: createMemoryLogger(),
    });
    sink.emit('report:progress', progress);
    sink.emit('link:oauthReturned', { receivedRedirectUri: 'https://desk.example/oauth?oauth_state_id=abc' });
    expect(page.sent.map(([event]) => event)).toEqual(['report:progress', 'link:oauthReturned']);
    for (const other of [bank, link, lookalike, closed]) expect(other.sent).toEqual([]);
  });

  it('send a payload only as its event schema parses it; one that fails is logged without its content', () => {
    const page = contents('app://assetdesk/index.html');
    const logger = createMemoryLogger();
    const sink = createWindowEventSink(() => [page] as never, { allowedOrigins: [APP_ORIGIN], logger });
    // A field the contract does not name is not sent on.
    sink.emit('report:progress', { ...progress, accessToken: 'access-sandbox-secret' } as never);
    expect(page.sent).toEqual([['report:progress', progress]]);
    sink.emit('report:progress', { ...progress, summary: { applicantName: 'Alice Other' } } as never);
    sink.emit('link:oauthReturned', { receivedRedirectUri: 'https://desk.example/oauth?code=Alice-Other' });
    expect(page.sent).toHaveLength(1);
    const logged = logger.lines.join('\n');
    expect(logged).toMatch(/report:progress/);
    expect(logged).toMatch(/link:oauthReturned/);
    expect(logged).not.toMatch(/Alice|desk\.example|62589/);
  });
});

describe('preload window API', () => {
  it('the name list the preload uses is exactly the contract', () => {
    expect([...channelNames].sort()).toEqual(Object.keys(contract).sort());
  });

  it('exposes exactly the contract functions and on(), forwarding payloads only', async () => {
    const invoked: [string, unknown][] = [];
    const api = buildWindowApi(
      async (channel, payload) => {
        invoked.push([channel, payload]);
        return { ok: true, value: 1 };
      },
      (_event, listener) => {
        listener({ reportId: 'r1' });
        return () => undefined;
      },
    );
    expect(Object.keys(api).sort()).toEqual([...channelNames.map((c) => methodName(c)), 'on'].sort());
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.values(api).every((v) => typeof v === 'function')).toBe(true);
    await (api as unknown as Record<string, (r: unknown) => Promise<unknown>>).reportsGet!({ reportId: 'x' });
    expect(invoked).toEqual([['reports:get', { reportId: 'x' }]]);
    const received: unknown[] = [];
    api.on('report:progress', (payload) => received.push(payload));
    expect(received).toEqual([{ reportId: 'r1' }]);
    expect(() => api.on('ipc:raw' as never, () => undefined)).toThrow();
    expect(eventNames.length).toBeGreaterThan(0);
  });
});
