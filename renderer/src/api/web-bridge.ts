import { decodeWire, decodeWireBytes, encodeWire, WIRE_CONTENT_TYPE } from '../../../shared/ipc/codec';
import {
  channelNames,
  eventNames,
  methodName,
  type Envelope,
  type EventName,
  type WindowApi,
} from '../../../shared/ipc/contract';

/**
 * Development/test transport: the same window API over loopback HTTP to the real main-process
 * services (`npm run web`). Compiled only into the web build (see __WEB_BRIDGE__ in vite.config.ts).
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

export function createWebBridgeWindowApi(): WindowApi {
  const token = bridgeToken();
  const api: Record<string, unknown> = {};
  for (const channel of channelNames) {
    api[methodName(channel)] = async (request: unknown): Promise<Envelope<unknown>> => {
      try {
        const response = await fetch(`/__bridge/invoke/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-bridge-token': token },
          body: encodeWire(request ?? {}),
        });
        // Binary wire: a report view arrives as the main process's bytes, read in place (see encodeWireParts).
        if (response.headers.get('content-type') !== WIRE_CONTENT_TYPE) throw new Error('not a bridge answer');
        return decodeWireBytes(await response.arrayBuffer()) as Envelope<unknown>;
      } catch {
        return {
          ok: false,
          error: {
            code: 'NETWORK_ERROR',
            message: 'The AssetDesk service is not reachable. Is `npm run web` still running?',
            retryable: true,
          },
        };
      }
    };
  }

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
