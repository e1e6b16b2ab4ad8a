import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeProtectedHeader, importJWK, jwtVerify, type JWK } from 'jose';
import type { Logger } from '../log/logger';

/**
 * Receives Plaid webhooks on 127.0.0.1 and accepts only those carrying a valid `Plaid-Verification`
 * JWT: ES256, signed by the key Plaid publishes for its `kid`, `iat` at most 5 minutes old (and at most
 * 2 minutes ahead: a desktop's clock often lags Plaid's), and a
 * `request_body_sha256` equal to the SHA-256 of the RAW body bytes (re-serialised JSON would hash
 * differently). A verified webhook is accepted once: its (iat, body hash) is remembered for the
 * verification window, so a captured request replayed within 5 minutes is refused. Unknown `kid`s are
 * remembered too, and key look-ups at Plaid are rate-limited, so forged requests cannot make us call
 * Plaid once each. The Host header must name this receiver (or the configured public URL).
 * Everything else gets 401 (421 for a wrong Host) and a log line without the body.
 */

/** Plaid's webhook verification key as `/webhook_verification_key/get` returns it. */
export interface PlaidWebhookKey extends JWK {
  kid?: string;
  created_at?: number;
  expired_at?: number | null;
}

export interface PlaidWebhook {
  webhook_type: string;
  webhook_code: string;
  [field: string]: unknown;
}

export interface WebhookReceiverOptions {
  /** Fetches Plaid's key for a `kid` (through the gateway: `/webhook_verification_key/get`). */
  fetchKey(kid: string): Promise<PlaidWebhookKey>;
  /** Called with each verified webhook; failures are logged, Plaid still gets its 200. */
  onWebhook(webhook: PlaidWebhook): Promise<void>;
  logger: Logger;
  port?: number;
  clock?: () => Date;
  maxBodyBytes?: number;
  /** Extra Host values to accept besides 127.0.0.1/localhost:PORT (the host of a configured public URL). */
  allowedHosts?: () => readonly string[];
  /**
   * Plaid's environment names this receiver accepts (`environment` field): a verified webhook sent
   * from another environment is refused with 400 and never handled.
   */
  acceptedEnvironments?: () => readonly string[];
  /** Key look-up limits (tests tighten them). */
  keyFetchLimit?: KeyFetchLimit;
}

export interface KeyFetchLimit {
  /** At most this many look-ups at Plaid per window. */
  maxFetches: number;
  windowMs: number;
  /** How long a kid Plaid said it does not know stays refused without asking again. */
  unknownKidTtlMs: number;
}

const DEFAULT_KEY_FETCH_LIMIT: KeyFetchLimit = { maxFetches: 10, windowMs: 60_000, unknownKidTtlMs: 15 * 60_000 };
// Bounds on what a flood can make us remember.
const MAX_REMEMBERED = 10_000;

export interface WebhookReceiver {
  /** The URL to hand Plaid as `webhook` (http://127.0.0.1:PORT/plaid/webhook). */
  readonly url: string;
  readonly port: number;
  /** Resolves when every webhook received so far has been handled (tests, shutdown). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export type VerificationResult = { ok: true } | { ok: false; reason: string };

const MAX_AGE_SECONDS = 5 * 60;
/** How far ahead of our clock an `iat` may be: desktop clocks drift, Plaid's do not. */
export const CLOCK_SKEW_SECONDS = 2 * 60;
export const WEBHOOK_PATH = '/plaid/webhook';

/** Plaid's keys by kid, with unknown kids remembered and look-ups at Plaid rate-limited. */
function createKeyCache(
  fetchKey: (kid: string) => Promise<PlaidWebhookKey>,
  clock: () => Date,
  limit: KeyFetchLimit,
): (kid: string, refresh: boolean) => Promise<PlaidWebhookKey> {
  const keys = new Map<string, PlaidWebhookKey>();
  const unknownKids = new Map<string, number>(); // kid → refused until (ms)
  const fetchTimes: number[] = [];
  return async (kid, refresh) => {
    const cached = keys.get(kid);
    if (cached && !refresh) return cached;
    const now = clock().getTime();
    const refusedUntil = unknownKids.get(kid);
    if (refusedUntil !== undefined && refusedUntil > now) throw new Error('kid recently unknown to Plaid');
    while (fetchTimes.length > 0 && fetchTimes[0]! <= now - limit.windowMs) fetchTimes.shift();
    if (fetchTimes.length >= limit.maxFetches) throw new Error('key look-up limit reached');
    fetchTimes.push(now);
    try {
      const key = await fetchKey(kid);
      keys.set(kid, key);
      unknownKids.delete(kid);
      return key;
    } catch (error) {
      if (unknownKids.size >= MAX_REMEMBERED) unknownKids.delete(unknownKids.keys().next().value!);
      unknownKids.set(kid, now + limit.unknownKidTtlMs);
      throw error;
    }
  };
}

/** True the first time a verified (iat, body) pair is seen within the verification window. */
function createReplayGuard(clock: () => Date): (iat: number, bodySha256: string) => boolean {
  const accepted = new Map<string, number>(); // `${iat}:${sha256}` → forget after (ms)
  return (iat, bodySha256) => {
    const now = clock().getTime();
    for (const [id, forgetAt] of accepted) {
      if (forgetAt > now) break; // insertion order ≈ expiry order
      accepted.delete(id);
    }
    const id = `${iat}:${bodySha256}`;
    if (accepted.has(id)) return false;
    if (accepted.size >= MAX_REMEMBERED) accepted.delete(accepted.keys().next().value!);
    // Kept until the JWT itself is too old to verify (plus a minute of clock skew).
    accepted.set(id, Math.max(now, (iat + MAX_AGE_SECONDS + 60) * 1000));
    return true;
  };
}

type Claims = { request_body_sha256?: unknown; iat?: unknown };

/** The JWT's signature and age against Plaid's key: its claims, or why it is refused. */
async function verifiedClaims(
  header: string,
  key: PlaidWebhookKey,
  clock: () => Date,
): Promise<{ ok: true; claims: Claims } | { ok: false; reason: string }> {
  try {
    const publicKey = await importJWK({ kty: key.kty, crv: key.crv, x: key.x, y: key.y }, 'ES256');
    const verified = await jwtVerify(header, publicKey, {
      algorithms: ['ES256'],
      requiredClaims: ['iat'],
      currentDate: clock(),
    });
    const claims = verified.payload as Claims;
    // Age checked here rather than by jose, whose tolerance would stretch the 5 minutes too.
    const age = clock().getTime() / 1000 - Number(claims.iat);
    if (!Number.isFinite(age) || age > MAX_AGE_SECONDS) return { ok: false, reason: 'stale or invalid iat (too old)' };
    if (age < -CLOCK_SKEW_SECONDS) return { ok: false, reason: 'stale or invalid iat (too far in the future)' };
    return { ok: true, claims };
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_JWT_EXPIRED' || code === 'ERR_JWT_CLAIM_VALIDATION_FAILED')
      return { ok: false, reason: `stale or invalid iat (${code})` };
    return { ok: false, reason: `signature check failed (${code ?? 'unknown'})` };
  }
}

/** Verifies one webhook; exported so it can be used with any HTTP front end. */
export function createWebhookVerifier(
  fetchKey: (kid: string) => Promise<PlaidWebhookKey>,
  clock: () => Date = () => new Date(),
  limit: KeyFetchLimit = DEFAULT_KEY_FETCH_LIMIT,
) {
  const keyFor = createKeyCache(fetchKey, clock, limit);
  const firstDelivery = createReplayGuard(clock);

  /** Plaid's current key for a kid; a retired one is looked up once more in case it rotated. */
  const currentKey = async (
    kid: string,
  ): Promise<{ ok: true; key: PlaidWebhookKey } | { ok: false; reason: string }> => {
    let key: PlaidWebhookKey;
    try {
      key = await keyFor(kid, false);
    } catch (error) {
      return { ok: false, reason: `no key for kid ${kid.slice(0, 40)} (${(error as Error).message.slice(0, 80)})` };
    }
    const nowSeconds = Math.floor(clock().getTime() / 1000);
    const expired = (k: PlaidWebhookKey) => typeof k.expired_at === 'number' && k.expired_at <= nowSeconds;
    if (!expired(key)) return { ok: true, key };
    try {
      key = await keyFor(kid, true);
    } catch {
      return { ok: false, reason: 'key lookup failed' };
    }
    return expired(key) ? { ok: false, reason: 'key has expired' } : { ok: true, key };
  };

  return async function verify(header: string | undefined, rawBody: Buffer): Promise<VerificationResult> {
    if (!header) return { ok: false, reason: 'missing Plaid-Verification header' };
    let protectedHeader;
    try {
      protectedHeader = decodeProtectedHeader(header);
    } catch {
      return { ok: false, reason: 'Plaid-Verification is not a JWT' };
    }
    if (protectedHeader.alg !== 'ES256')
      return { ok: false, reason: `algorithm ${String(protectedHeader.alg)} is not ES256` };
    const kid = protectedHeader.kid;
    if (!kid) return { ok: false, reason: 'JWT has no kid' };
    const key = await currentKey(kid);
    if (!key.ok) return key;
    const verified = await verifiedClaims(header, key.key, clock);
    if (!verified.ok) return verified;
    const payload = verified.claims;
    if (typeof payload.request_body_sha256 !== 'string' || !/^[0-9a-f]{64}$/i.test(payload.request_body_sha256)) {
      return { ok: false, reason: 'JWT has no request_body_sha256' };
    }
    const expected = Buffer.from(payload.request_body_sha256.toLowerCase(), 'hex');
    const actual = createHash('sha256').update(rawBody).digest();
    if (!timingSafeEqual(expected, actual))
      return { ok: false, reason: 'body does not match its signature (tampered)' };
    if (!firstDelivery(Number(payload.iat), actual.toString('hex')))
      return { ok: false, reason: 'replayed: this exact webhook was already accepted' };
    return { ok: true };
  };
}

export async function startWebhookReceiver(options: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const log = options.logger.child({ component: 'webhook-receiver' });
  const verify = createWebhookVerifier(options.fetchKey, options.clock, options.keyFetchLimit);
  const ownHosts: string[] = [];
  const maxBody = options.maxBodyBytes ?? 1024 * 1024;
  const inFlight = new Set<Promise<void>>();

  const server: Server = createServer((req, res) => {
    void handleRequest({ options, log, verify, maxBody, inFlight, ownHosts }, req, res).catch((error: unknown) => {
      log.error('webhook handling failed', { error });
      if (!res.headersSent) reply(res, 500, 'error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${WEBHOOK_PATH}`;
  ownHosts.push(`127.0.0.1:${port}`, `localhost:${port}`);
  log.info('webhook receiver listening', { url });

  return {
    url,
    port,
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async close() {
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

interface ReceiverState {
  options: WebhookReceiverOptions;
  log: Logger;
  verify: ReturnType<typeof createWebhookVerifier>;
  maxBody: number;
  inFlight: Set<Promise<void>>;
  /** 127.0.0.1:PORT and localhost:PORT once listening. */
  ownHosts: readonly string[];
}

/** One request: right path and Host, a verified body, then the 200 before the (slower) handling. */
async function handleRequest(state: ReceiverState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { options, log, verify, maxBody, inFlight, ownHosts } = state;
  if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== WEBHOOK_PATH) {
    reply(res, 404, 'not found');
    return;
  }
  const host = (req.headers.host ?? '').toLowerCase();
  if (!ownHosts.includes(host) && !(options.allowedHosts?.() ?? []).some((h) => h.toLowerCase() === host)) {
    // DNS rebinding or a misrouted request: not addressed to this receiver.
    log.warn('webhook rejected', { reason: 'unexpected Host header', host: host.slice(0, 80) });
    reply(res, 421, 'misdirected');
    return;
  }
  const body = await readBody(req, maxBody);
  if (!body) {
    reply(res, 413, 'too large');
    return;
  }
  const header = req.headers['plaid-verification'];
  const result = await verify(Array.isArray(header) ? header[0] : header, body);
  if (!result.ok) {
    log.warn('webhook rejected', { reason: result.reason, bytes: body.length, remote: req.socket.remoteAddress });
    reply(res, 401, 'rejected');
    return;
  }
  let webhook: PlaidWebhook;
  try {
    webhook = JSON.parse(body.toString('utf8')) as PlaidWebhook;
  } catch {
    log.warn('webhook rejected', { reason: 'verified body is not JSON', bytes: body.length });
    reply(res, 400, 'bad json');
    return;
  }
  const accepted = options.acceptedEnvironments?.();
  if (accepted && typeof webhook.environment === 'string' && !accepted.includes(webhook.environment)) {
    // Signed by Plaid, but for another environment's Items (e.g. Production keys' webhook URL reused in Sandbox).
    log.warn('webhook rejected', { reason: 'another environment', environment: webhook.environment.slice(0, 20) });
    reply(res, 400, 'wrong environment');
    return;
  }
  log.info('webhook accepted', {
    type: webhook.webhook_type,
    code: webhook.webhook_code,
    assetReportId: webhook.asset_report_id,
    itemId: webhook.item_id,
  });
  reply(res, 200, 'ok');
  // Handled after the 200: Plaid wants an answer within 10 s, report downloads can take longer.
  const work = options
    .onWebhook(webhook)
    .catch((error: unknown) =>
      log.error('webhook handler failed', { type: webhook.webhook_type, code: webhook.webhook_code, error }),
    )
    .finally(() => inFlight.delete(work));
  inFlight.add(work);
}

function reply(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(text);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
