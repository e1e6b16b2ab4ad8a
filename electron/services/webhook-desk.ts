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
}

/**
 * Our side of Plaid's webhooks: the loopback receiver while the setting is on, the URL Plaid should
 * call, and the routing of each verified webhook to the current session.
 */
export function createWebhookDesk(deps: WebhookDeskDeps) {
  let receiver: WebhookReceiver | null = null;

  return {
    async start(): Promise<void> {
      if (receiver || !deps.enabled()) return;
      receiver = await startWebhookReceiver({
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
        onWebhook: async (webhook: PlaidWebhook) => {
          const session = await deps.requireSession();
          // Plaid names its environment; an emulator webhook says 'sandbox' like Plaid's Sandbox does.
          if (webhook.webhook_type === 'ASSETS') await session.lifecycle.handleWebhook(webhook);
          else await session.items.handleWebhook(webhook);
        },
      });
    },

    async stop(): Promise<void> {
      const running = receiver;
      receiver = null;
      await running?.close();
    },

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
      return /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?(\/|$)/.test(session.gateway.basePath)
        ? receiver.url
        : null;
    },

    /** Resolves once every webhook being handled has finished. */
    idle: async (): Promise<void> => {
      await receiver?.idle();
    },
  };
}

export type WebhookDesk = ReturnType<typeof createWebhookDesk>;
