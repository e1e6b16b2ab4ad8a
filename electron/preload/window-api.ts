import { CHANNEL_NAMES, EVENT_NAMES, methodName } from '../../shared/ipc/channels';
import type { Envelope, EventName, WindowApi } from '../../shared/ipc/contract';

export type Invoke = (channel: string, payload: unknown) => Promise<Envelope<unknown>>;
export type Subscribe = (event: string, listener: (payload: unknown) => void) => () => void;

/**
 * Builds exactly the contract's functions on top of a transport. Nothing else is exposed:
 * no ipcRenderer, no event objects, no way to name an arbitrary channel.
 */
export function buildWindowApi(invoke: Invoke, subscribe: Subscribe): WindowApi {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNEL_NAMES) {
    api[methodName(channel)] = (request: unknown) => invoke(channel, request ?? {});
  }
  api.on = (event: EventName, listener: (payload: unknown) => void) => {
    if (!(EVENT_NAMES as readonly string[]).includes(event)) throw new Error(`Unknown event ${String(event)}`);
    if (typeof listener !== 'function') throw new Error('listener must be a function');
    return subscribe(event, (payload) => listener(payload));
  };
  return Object.freeze(api) as unknown as WindowApi;
}
