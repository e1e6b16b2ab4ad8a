import type { Page } from 'playwright';
import {
  BRIDGE_SOCKET_PATH,
  decodeBridgeCall,
  encodeBridgeAnswer,
  type BridgeCall,
} from '../../../shared/ipc/bridge-socket';

/** What a rule does with one call: pass it on to the services, or answer it as a lost connection would. */
export type CallVerdict = 'pass' | 'fail';

/** The page's calls to the bridge, seen (and steered) between the page and the services. */
export interface BridgeCalls {
  /** Every call the page made, in order. */
  readonly calls: BridgeCall[];
  /** From now on, each call goes through `rule` (null: every call passes). A rule may hold a call by awaiting. */
  steer(rule: ((call: BridgeCall) => CallVerdict | Promise<CallVerdict>) | null): void;
}

/** The answer the page's client gives a call whose connection was lost (the test's "fail"). */
const LOST = {
  ok: false,
  error: {
    code: 'NETWORK_ERROR',
    message: 'The AssetDesk service is not reachable. Is `npm run web` still running?',
    retryable: true,
  },
} as const;

/**
 * Stands between the page and the bridge's socket (Playwright's WebSocket routing): every call is recorded,
 * and passed on or failed by the current rule; answers come back untouched. Call before the page loads: only
 * sockets opened after it are seen.
 */
export async function watchBridgeCalls(page: Page): Promise<BridgeCalls> {
  const calls: BridgeCall[] = [];
  let rule: ((call: BridgeCall) => CallVerdict | Promise<CallVerdict>) | null = null;
  await page.routeWebSocket(
    (url) => url.pathname === BRIDGE_SOCKET_PATH,
    (socket) => {
      const services = socket.connectToServer();
      socket.onMessage(async (message) => {
        let call: BridgeCall;
        try {
          call = decodeBridgeCall(typeof message === 'string' ? message : message.toString('utf8'));
        } catch {
          return services.send(message); // not a call: the bridge itself answers it
        }
        calls.push(call);
        const verdict = rule ? await rule(call) : 'pass';
        if (verdict === 'fail') socket.send(Buffer.concat(encodeBridgeAnswer(call.id, LOST)));
        else services.send(message);
      });
      services.onMessage((message) => socket.send(message));
    },
  );
  return {
    calls,
    steer: (next) => void (rule = next),
  };
}

/** The part of the report a `reports:view` call asks for (its first screen or the whole view), or null. */
export function viewPart(call: BridgeCall): 'whole' | 'firstScreen' | null {
  if (call.channel !== 'reports:view') return null;
  return (call.request as { part?: 'whole' | 'firstScreen' }).part ?? 'whole';
}
