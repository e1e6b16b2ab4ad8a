import type { PlaidEnvironment } from '../../shared/domain';
import type { EnvironmentSession } from './environment-session';
import type { Logger } from '../log/logger';
import {
  startWebhookReceiver,
  type PlaidWebhook,
  type PlaidWebhookKey,
  type WebhookReceiver,
} from './webhook-receiver';

export interface WebhookDeskDeps {
  logger: Logger;
  clock: () => Date;
  /** The officer's webhook setting. */
  enabled(): boolean;
  publicUrl(): string | null;
  /** The current session, if one is open (only it may hand our URL to Plaid). */
  session(): EnvironmentSession | null;
  requireSession(): Promise<EnvironmentSession>;
  /** The receiver's port kept from an earlier run (only kept while a public URL is configured). */
  savedPort(): number | null;
  savePort(port: number | null): Promise<void>;
}

/** Plaid's name for the environment whose webhooks a session accepts (the emulator speaks as Sandbox). */
export const plaidWebhookEnvironment = (environment: PlaidEnvironment): 'sandbox' | 'production' =>
  environment === 'production' ? 'production' : 'sandbox';

/**
 * Our side of Plaid's webhooks: the loopback receiver while the setting is on, the URL Plaid should
 * call, and the routing of each verified webhook to the current session.
 */
export function createWebhookDesk(deps: WebhookDeskDeps) {
  let receiver: WebhookReceiver | null = null;

  return {
    /**
     * Starts the receiver when webhooks are on. With a public URL configured, the officer's tunnel or
     * port forward points at our port, so the port is kept across restarts (a free one if it is taken).
     */
    async start(): Promise<void> {
      if (!deps.enabled()) return;
      if (!receiver) receiver = await startOn(deps, deps.publicUrl() ? deps.savedPort() : null);
      if (deps.publicUrl() && deps.savedPort() !== receiver.port) await deps.savePort(receiver.port);
    },

    async stop(): Promise<void> {
      const running = receiver;
      receiver = null;
      await running?.close();
    },

    /** Where the officer's public URL must forward to (null while the receiver is off). */
    localUrl: (): string | null => receiver?.url ?? null,

    /**
     * The URL Plaid should send webhooks to: the configured public URL, else our loopback receiver —
     * but only when Plaid itself is on this machine (emulator, or a test pointing elsewhere at it).
     */
    url(): string | null {
      if (!deps.enabled()) return null;
      const publicUrl = deps.publicUrl();
      if (publicUrl) return publicUrl;
      const session = deps.session();
      if (!receiver || !session) return null;
      return isOnThisMachine(session.gateway.basePath) ? receiver.url : null;
    },

    /** Resolves once every webhook being handled has finished. */
    idle: async (): Promise<void> => {
      await receiver?.idle();
    },
  };
}

/** Plaid's base path names a loopback host: the emulator, or a test's stand-in for Plaid. */
const isOnThisMachine = (basePath: string): boolean =>
  /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(basePath);

/** Starts on the kept port when there is one; if another program took it, on a free port instead. */
async function startOn(deps: WebhookDeskDeps, port: number | null): Promise<WebhookReceiver> {
  if (port !== null) {
    try {
      return await startReceiver(deps, port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      deps.logger.warn('webhook port taken; using another (update your port forward)', { port });
    }
  }
  return startReceiver(deps, 0);
}

/** A receiver that checks each webhook against the current session's environment and hands it to that session. */
function startReceiver(deps: WebhookDeskDeps, port: number): Promise<WebhookReceiver> {
  return startWebhookReceiver({
    port,
    logger: deps.logger,
    clock: deps.clock,
    // Besides the receiver itself, only the officer's public URL may name this host.
    allowedHosts: () => {
      const publicUrl = deps.publicUrl();
      return publicUrl ? [new URL(publicUrl).host] : [];
    },
    fetchKey: async (kid) => {
      const session = await deps.requireSession();
      const got = await session.gateway.call('/webhook_verification_key/get', (p) =>
        p.webhookVerificationKeyGet({ key_id: kid }),
      );
      return got.key as unknown as PlaidWebhookKey;
    },
    acceptedEnvironments: () => {
      const session = deps.session();
      return session ? [plaidWebhookEnvironment(session.environment)] : [];
    },
    onWebhook: async (webhook: PlaidWebhook) => {
      const session = await deps.requireSession();
      if (webhook.webhook_type === 'ASSETS') await session.lifecycle.handleWebhook(webhook);
      else await session.items.handleWebhook(webhook);
    },
  });
}

export type WebhookDesk = ReturnType<typeof createWebhookDesk>;
