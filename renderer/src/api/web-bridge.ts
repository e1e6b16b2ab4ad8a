import { BRIDGE_SOCKET_PATH, decodeBridgeAnswer, encodeBridgeCall } from '../../../shared/ipc/bridge-socket';
import { decodeWire } from '../../../shared/ipc/codec';
import {
  channelNames,
  eventNames,
  methodName,
  type Envelope,
  type EventName,
  type WindowApi,
} from '../../../shared/ipc/contract';

/**
 * Development/test transport: the same window API over a loopback WebSocket to the real main-process
 * services (`npm run web`); pushed events come as server-sent events. Compiled only into the web build
 * (see __WEB_BRIDGE__ in vite.config.ts).
 */
const TOKEN_KEY = 'assetdesk.bridgeToken';

function bridgeToken(): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/** What a call answers when the bridge cannot be reached (or its socket closed before the answer came). */
const NOT_REACHABLE: Envelope<never> = {
  ok: false,
  error: {
    code: 'NETWORK_ERROR',
    message: 'The AssetDesk service is not reachable. Is `npm run web` still running?',
    retryable: true,
  },
};

/**
 * The page's calls over one WebSocket (see shared/ipc/bridge-socket), opened at the first call and again after
 * it closes. Each call is answered once: by its answer, or NOT_REACHABLE when its socket closes first. Each
 * answered call leaves a User Timing measure, `bridge <channel>` (call to answer), for the tests and benches.
 */
function socketCaller(token: string): (channel: string, request: unknown) => Promise<Envelope<unknown>> {
  const address = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_SOCKET_PATH}?token=${encodeURIComponent(token)}`;
  let open: { socket: WebSocket; waiting: Map<number, (envelope: Envelope<unknown>) => void> } | null = null;
  let nextId = 0;
  const connect = () => {
    const socket = new WebSocket(address);
    socket.binaryType = 'arraybuffer';
    const connection = { socket, waiting: new Map<number, (envelope: Envelope<unknown>) => void>() };
    socket.addEventListener('message', (event) => {
      let answer: ReturnType<typeof decodeBridgeAnswer>;
      try {
        answer = decodeBridgeAnswer(event.data as ArrayBuffer);
      } catch {
        socket.close(); // an answer that cannot be paired with its call: its calls are answered as lost
        return;
      }
      const resolve = connection.waiting.get(answer.id);
      connection.waiting.delete(answer.id);
      resolve?.(answer.envelope);
    });
    socket.addEventListener('close', () => {
      if (open === connection) open = null;
      for (const resolve of connection.waiting.values()) resolve(NOT_REACHABLE);
      connection.waiting.clear();
    });
    return connection;
  };
  return (channel, request) => {
    open ??= connect();
    const { socket, waiting } = open;
    const id = (nextId = (nextId + 1) % 0x100000000);
    const start = performance.now();
    const answered = new Promise<Envelope<unknown>>((resolve) => waiting.set(id, resolve)).then((envelope) => {
      performance.measure(`bridge ${channel}`, { start });
      return envelope;
    });
    let text: string;
    try {
      text = encodeBridgeCall({ id, channel, request: request ?? {} });
    } catch {
      waiting.get(id)?.(NOT_REACHABLE); // a request the wire cannot carry never leaves the page
      waiting.delete(id);
      return answered;
    }
    if (socket.readyState === WebSocket.OPEN) socket.send(text);
    else if (socket.readyState === WebSocket.CONNECTING)
      socket.addEventListener('open', () => socket.send(text), { once: true });
    return answered;
  };
}

export function createWebBridgeWindowApi(): WindowApi {
  const token = bridgeToken();
  const call = socketCaller(token);
  const api: Record<string, unknown> = {};
  for (const channel of channelNames) api[methodName(channel)] = (request: unknown) => call(channel, request);

  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSource | null = null;
  const ensureSource = () => {
    if (source) return;
    source = new EventSource(`/__bridge/events?token=${encodeURIComponent(token)}`);
    for (const name of eventNames) {
      source.addEventListener(name, (event) => {
        const payload = decodeWire((event as MessageEvent<string>).data);
        for (const listener of listeners.get(name) ?? []) listener(payload);
      });
    }
  };
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    ensureSource();
    const set = listeners.get(event) ?? new Set();
    set.add(listener);
    listeners.set(event, set);
    return () => set.delete(listener);
  };
  return api as unknown as WindowApi;
}
