import type { Logger } from '../log/logger';
import type { ClientRegistry } from './clients';
import type { FaultState } from './faults';
import type { EmulatorStore } from './store';
import type { WebhookKey, WebhookSender } from './webhooks';

/**
 * The Plaid endpoints' behaviour, independent of HTTP: each method takes the validated request
 * body and returns the response body without request_id, or throws a PlaidApiError.
 */
export type Body = Record<string, unknown>;

export interface ApiContext {
  store: EmulatorStore;
  faults: FaultState;
  webhooks: WebhookSender;
  webhookKey: WebhookKey;
  clock: () => Date;
  logger: Logger;
  clients: ClientRegistry;
  baseUrl: () => string;
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
export const obj = (v: unknown): Body => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Body) : {});
