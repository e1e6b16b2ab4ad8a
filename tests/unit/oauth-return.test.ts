import type { Settings } from '../../shared/domain';
import type { EventName, EventPayload, EventSink } from '../../shared/ipc/contract';
import { createOAuthReturn } from '../../electron/main/environment-policy';

/** The main process's side of the OAuth return: which URI counts, pop-ups closed, the page told. */
function setup(environment: 'emulator' | 'sandbox' | 'production') {
  const sent: Array<{ event: EventName; payload: unknown }> = [];
  const sink: EventSink = {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      sent.push({ event, payload });
    },
  };
  let closed = 0;
  const refused: string[] = [];
  let uris: Settings['oauthRedirectUri'] = { sandbox: 'https://desk.example/oauth', production: null };
  const env = { current: environment };
  const oauth = createOAuthReturn({
    environment: () => env.current,
    settings: async () => ({ oauthRedirectUri: uris }),
    closeLinkPopups: () => (closed += 1),
    events: sink,
    onRefused: (reason) => refused.push(reason),
  });
  return {
    oauth,
    sent,
    env,
    refused,
    closed: () => closed,
    setUris: (next: Settings['oauthRedirectUri']) => (uris = next),
  };
}

test('the registered URI of the active environment only, read again when settings change', async () => {
  const t = setup('sandbox');
  expect(t.oauth.redirectUri()).toBeNull(); // nothing read yet
  await t.oauth.refresh();
  expect(t.oauth.redirectUri()).toBe('https://desk.example/oauth');
  t.env.current = 'production';
  expect(t.oauth.redirectUri()).toBeNull();
  t.setUris({ sandbox: null, production: 'https://desk.example/live' });
  await t.oauth.refresh();
  expect(t.oauth.redirectUri()).toBe('https://desk.example/live');
  t.env.current = 'emulator';
  expect(t.oauth.redirectUri()).toBeNull();
});

test('a return closes the pop-ups and sends the page the full address', () => {
  const t = setup('sandbox');
  t.oauth.returned('https://desk.example/oauth?oauth_state_id=abc-1');
  expect(t.closed()).toBe(1);
  expect(t.sent).toEqual([
    {
      event: 'link:oauthReturned',
      payload: { receivedRedirectUri: 'https://desk.example/oauth?oauth_state_id=abc-1' },
    },
  ]);
});

test('an address the contract refuses is not sent (the pop-ups still close)', () => {
  const t = setup('sandbox');
  t.oauth.returned('javascript:alert(1)?oauth_state_id=1');
  t.oauth.returned('https://desk.example/oauth');
  expect(t.sent).toEqual([]);
  expect(t.refused).toHaveLength(2);
  expect(t.closed()).toBe(2);
});
