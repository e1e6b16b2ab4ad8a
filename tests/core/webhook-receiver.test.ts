import { createHash, randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createMemoryLogger } from '../../electron/log/logger';
import {
  startWebhookReceiver,
  type PlaidWebhook,
  type PlaidWebhookKey,
  type WebhookReceiver,
} from '../../electron/services/webhook-receiver';

// Plaid's signing key (what /webhook_verification_key/get publishes) and an attacker's key.
let plaidKey: { privateKey: CryptoKey; publicJwk: PlaidWebhookKey; kid: string };
let attackerKey: CryptoKey;
let receiver: WebhookReceiver;
const received: PlaidWebhook[] = [];
const keyFetches: string[] = [];
const logger = createMemoryLogger();

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  plaidKey = {
    privateKey: pair.privateKey,
    kid,
    publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig', created_at: 1, expired_at: null },
  };
  attackerKey = (await generateKeyPair('ES256')).privateKey;
  receiver = await startWebhookReceiver({
    logger,
    fetchKey: async (k) => {
      keyFetches.push(k);
      if (k !== plaidKey.kid) throw new Error('INVALID_WEBHOOK_VERIFICATION_KEY_ID');
      return plaidKey.publicJwk;
    },
    onWebhook: async (w) => void received.push(w),
  });
});
afterAll(() => receiver.close());

function body(code = 'PRODUCT_READY'): Buffer {
  // Plaid sends 2-space indented JSON; the hash is over these exact bytes.
  return Buffer.from(
    JSON.stringify(
      { webhook_type: 'ASSETS', webhook_code: code, asset_report_id: randomUUID(), environment: 'sandbox' },
      null,
      2,
    ),
  );
}

async function sign(
  raw: Buffer,
  opts: { key?: CryptoKey; kid?: string; iat?: number; alg?: string; hashOf?: Buffer } = {},
): Promise<string> {
  const hash = createHash('sha256')
    .update(opts.hashOf ?? raw)
    .digest('hex');
  return new SignJWT({ request_body_sha256: hash })
    .setProtectedHeader({ alg: opts.alg ?? 'ES256', kid: opts.kid ?? plaidKey.kid, typ: 'JWT' })
    .setIssuedAt(opts.iat ?? Math.floor(Date.now() / 1000))
    .sign(opts.key ?? plaidKey.privateKey);
}

async function post(raw: Buffer, jwt?: string): Promise<number> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (jwt) headers['Plaid-Verification'] = jwt;
  const res = await fetch(receiver.url, { method: 'POST', headers, body: new Uint8Array(raw) });
  await res.text();
  return res.status;
}

test('a correctly signed webhook is accepted and dispatched with its exact body', async () => {
  const raw = body();
  expect(await post(raw, await sign(raw))).toBe(200);
  await receiver.idle();
  expect(received.at(-1)).toEqual(JSON.parse(raw.toString()));
});

test('the verification key is fetched once per kid and then cached', async () => {
  for (let i = 0; i < 3; i++) {
    const raw = body();
    expect(await post(raw, await sign(raw))).toBe(200);
  }
  expect(keyFetches).toEqual([plaidKey.kid]);
});

test('forged, stale, tampered and wrong-key webhooks are each rejected with 401 and logged', async () => {
  const count = received.length;
  const raw = body();

  // wrong signature: signed by a key that is not Plaid's, under Plaid's kid
  expect(await post(raw, await sign(raw, { key: attackerKey }))).toBe(401);
  // wrong key: a kid Plaid does not know
  expect(await post(raw, await sign(raw, { key: attackerKey, kid: randomUUID() }))).toBe(401);
  // stale: iat six minutes ago
  expect(await post(raw, await sign(raw, { iat: Math.floor(Date.now() / 1000) - 6 * 60 }))).toBe(401);
  // tampered: signature over the original body, a different body delivered
  const tampered = Buffer.from(raw.toString().replace('PRODUCT_READY', 'ERROR'));
  expect(await post(tampered, await sign(raw))).toBe(401);
  // re-serialised JSON (same data, different bytes) does not match either
  expect(await post(Buffer.from(JSON.stringify(JSON.parse(raw.toString()))), await sign(raw))).toBe(401);
  // no header, and a non-ES256 algorithm
  expect(await post(raw)).toBe(401);
  const hs = await new SignJWT({ request_body_sha256: createHash('sha256').update(raw).digest('hex') })
    .setProtectedHeader({ alg: 'HS256', kid: plaidKey.kid })
    .setIssuedAt()
    .sign(new TextEncoder().encode('x'.repeat(32)));
  expect(await post(raw, hs)).toBe(401);

  await receiver.idle();
  expect(received.length).toBe(count);
  const rejections = logger.lines.filter((l) => l.includes('webhook rejected'));
  expect(rejections.length).toBeGreaterThanOrEqual(7);
  expect(rejections.some((l) => l.includes('tampered'))).toBe(true);
  expect(rejections.some((l) => l.includes('stale'))).toBe(true);
});

describe('replays, key floods and foreign Host headers', () => {
  test('the same signed webhook delivered twice is handled once', async () => {
    const raw = body('PRODUCT_READY');
    const iat = Math.floor(Date.now() / 1000);
    const jwt = await sign(raw, { iat });
    const count = received.length;
    expect(await post(raw, jwt)).toBe(200);
    expect(await post(raw, jwt)).toBe(401);
    // A fresh signature over the same bytes with the same iat is the same delivery too.
    expect(await post(raw, await sign(raw, { iat }))).toBe(401);
    await receiver.idle();
    expect(received.length).toBe(count + 1);
    expect(logger.lines.some((l) => l.includes('replayed'))).toBe(true);
  });

  test('50 forged requests with bogus kids cause a bounded number of key look-ups, each kid asked at most once', async () => {
    let fetches = 0;
    const flooded = await startWebhookReceiver({
      logger,
      keyFetchLimit: { maxFetches: 5, windowMs: 60_000, unknownKidTtlMs: 60_000 },
      fetchKey: async (k) => {
        fetches += 1;
        if (k !== plaidKey.kid) throw new Error('INVALID_WEBHOOK_VERIFICATION_KEY_ID');
        return plaidKey.publicJwk;
      },
      onWebhook: async () => undefined,
    });
    try {
      const raw = body();
      const repeatedKid = randomUUID();
      for (let i = 0; i < 50; i++) {
        const kid = i % 2 === 0 ? repeatedKid : randomUUID();
        const res = await fetch(flooded.url, {
          method: 'POST',
          headers: { 'Plaid-Verification': await sign(raw, { key: attackerKey, kid }) },
          body: new Uint8Array(raw),
        });
        await res.text();
        expect(res.status).toBe(401);
      }
      expect(fetches).toBeLessThanOrEqual(5);
    } finally {
      await flooded.close();
    }
  });

  test('a Host header that is not this receiver is refused before anything else', async () => {
    const { request } = await import('node:http');
    const url = new URL(receiver.url);
    const raw = body();
    const jwt = await sign(raw);
    const count = received.length;
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { host: 'attacker.example:80', 'plaid-verification': jwt, 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(raw);
    });
    expect(status).toBe(421);
    await receiver.idle();
    expect(received.length).toBe(count);
    // The same request with our own Host goes through.
    expect(await post(raw, jwt)).toBe(200);
  });
});
