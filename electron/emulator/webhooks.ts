import { createHash } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { Logger } from '../log/logger';
import { newUuid } from './ids';
import type { EmulatorStore } from './store';

/**
 * Plaid-style webhook delivery: the body is JSON.stringify(payload, null, 2), signed in the `Plaid-Verification`
 * header by an ES256 JWT (kid, iat, request_body_sha256) whose public key /webhook_verification_key/get serves.
 * The signing key is sealed in the store: `kid` stays the same across restarts that use the same storage key.
 */
export interface WebhookKey {
  kid: string;
  created_at: number;
  privateJwk: JWK;
  publicJwk: JWK;
}

const KEY_META = 'webhook_signing_key';

export async function loadOrCreateWebhookKey(store: EmulatorStore, now: Date): Promise<WebhookKey> {
  const saved = store.getSealedMeta(KEY_META);
  if (saved) return JSON.parse(saved) as WebhookKey;
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const key: WebhookKey = {
    kid: newUuid(),
    created_at: Math.floor(now.getTime() / 1000),
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
  };
  store.setSealedMeta(KEY_META, JSON.stringify(key));
  return key;
}

/** The JWK object of /webhook_verification_key/get. */
export function publishedKey(key: WebhookKey): Record<string, unknown> {
  return {
    alg: 'ES256',
    crv: 'P-256',
    kid: key.kid,
    kty: 'EC',
    use: 'sig',
    x: key.publicJwk.x,
    y: key.publicJwk.y,
    created_at: key.created_at,
    expired_at: null,
  };
}

export interface WebhookSenderOptions {
  key: WebhookKey;
  logger: Logger;
  clock: () => Date;
  /** Waits between attempts after a non-2xx answer or a connection failure; bounded so nothing hangs. */
  retryDelaysMs?: number[];
  timeoutMs?: number;
}

export class WebhookSender {
  private readonly retryDelays: number[];
  private readonly timeoutMs: number;
  private readonly pending = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private signingKey: Awaited<ReturnType<typeof importJWK>> | null = null;

  constructor(private readonly options: WebhookSenderOptions) {
    this.retryDelays = options.retryDelaysMs ?? [200, 800, 3200];
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Fire and forget; failures are logged, never thrown. */
  send(url: string, payload: Record<string, unknown>): void {
    const delivery = this.deliver(url, payload).catch((error: unknown) => {
      this.options.logger.warn('webhook delivery failed', {
        webhook_type: payload.webhook_type,
        webhook_code: payload.webhook_code,
        error,
      });
    });
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  /** Resolves when every delivery started so far has finished (tests). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async close(): Promise<void> {
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.pending]);
  }

  async sign(body: string): Promise<string> {
    this.signingKey ??= await importJWK(this.options.key.privateJwk, 'ES256');
    const request_body_sha256 = createHash('sha256').update(body, 'utf8').digest('hex');
    return new SignJWT({ request_body_sha256 })
      .setProtectedHeader({ alg: 'ES256', kid: this.options.key.kid, typ: 'JWT' })
      .setIssuedAt(Math.floor(this.options.clock().getTime() / 1000))
      .sign(this.signingKey);
  }

  private async deliver(url: string, payload: Record<string, unknown>): Promise<void> {
    const body = JSON.stringify(payload, null, 2);
    for (let attempt = 0; attempt <= this.retryDelays.length; attempt += 1) {
      if (this.abort.signal.aborted) return;
      const outcome = await this.attempt(url, body);
      if (outcome === 'delivered') return;
      const delay = this.retryDelays[attempt];
      if (delay === undefined) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, delay);
        this.timers.add(timer);
        this.abort.signal.addEventListener('abort', () => resolve(), { once: true });
      });
    }
    if (!this.abort.signal.aborted) {
      this.options.logger.warn('webhook gave up after retries', {
        webhook_type: payload.webhook_type,
        webhook_code: payload.webhook_code,
      });
    }
  }

  private async attempt(url: string, body: string): Promise<'delivered' | 'failed'> {
    try {
      const signature = await this.sign(body);
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Plaid-Verification': signature,
          'User-Agent': 'Plaid Verifier',
        },
        body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.timeoutMs)]),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.ok ? 'delivered' : 'failed';
    } catch {
      return 'failed';
    }
  }
}
