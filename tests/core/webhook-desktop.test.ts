import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { createMemoryLogger } from '../../electron/log/logger';
import {
  CLOCK_SKEW_SECONDS,
  startWebhookReceiver,
  type PlaidWebhook,
  type PlaidWebhookKey,
  type WebhookReceiver,
} from '../../electron/services/webhook-receiver';
import { createWebhookDesk } from '../../electron/services/webhook-desk';

/**
 * What a desktop receiver must tolerate and refuse: a desktop clock behind Plaid's (iat a little in
 * the future), webhooks from another Plaid environment, and a port that must not move between runs
 * while a public URL forwards to it.
 */

let key: { privateKey: CryptoKey; publicJwk: PlaidWebhookKey; kid: string };
let receiver: WebhookReceiver;
const received: PlaidWebhook[] = [];
const logger = createMemoryLogger();

beforeAll(async () => {
  const pair = await generateKeyPair('ES256', { extractable: true });
  const kid = randomUUID();
  key = { privateKey: pair.privateKey, kid, publicJwk: { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256' } };
  receiver = await startWebhookReceiver({
    logger,
    fetchKey: async () => key.publicJwk,
    onWebhook: async (w) => void received.push(w),
    acceptedEnvironments: () => ['production'],
  });
});
afterAll(() => receiver?.close());

const nowSeconds = () => Math.floor(Date.now() / 1000);

function body(environment = 'production'): Buffer {
  return Buffer.from(
    JSON.stringify(
      { webhook_type: 'ASSETS', webhook_code: 'PRODUCT_READY', asset_report_id: randomUUID(), environment },
      null,
      2,
    ),
  );
}

async function post(raw: Buffer, iat = nowSeconds()): Promise<number> {
  const jwt = await new SignJWT({ request_body_sha256: createHash('sha256').update(raw).digest('hex') })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuedAt(iat)
    .sign(key.privateKey);
  const res = await fetch(receiver.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'Plaid-Verification': jwt },
    body: new Uint8Array(raw),
  });
  await res.text();
  return res.status;
}

test('an iat slightly ahead of our clock (desktop clock lagging) is accepted; far ahead is not', async () => {
  const count = received.length;
  expect(await post(body(), nowSeconds() + 90)).toBe(200);
  expect(await post(body(), nowSeconds() + CLOCK_SKEW_SECONDS + 60)).toBe(401);
  // The five-minute age limit is not stretched by the tolerance.
  expect(await post(body(), nowSeconds() - 5 * 60 - 30)).toBe(401);
  await receiver.idle();
  expect(received.length).toBe(count + 1);
});

test('a correctly signed webhook from another Plaid environment is refused and never handled', async () => {
  const count = received.length;
  expect(await post(body('sandbox'))).toBe(400);
  expect(await post(body('production'))).toBe(200);
  await receiver.idle();
  expect(received.length).toBe(count + 1);
  expect(received.at(-1)?.environment).toBe('production');
  expect(logger.lines.some((l) => l.includes('another environment'))).toBe(true);
});

describe('the receiver port across restarts', () => {
  function deskWith(settings: { publicUrl: string | null; port: number | null }) {
    return createWebhookDesk({
      logger: createMemoryLogger(),
      clock: () => new Date(),
      enabled: () => true,
      publicUrl: () => settings.publicUrl,
      session: () => null,
      requireSession: () => Promise.reject(new Error('no session in this test')),
      savedPort: () => settings.port,
      savePort: async (port) => void (settings.port = port),
    });
  }
  const portOf = (url: string | null) => Number(new URL(url!).port);

  test('with a public URL configured, the port is saved and reused by the next run', async () => {
    const settings = { publicUrl: 'https://desk.example.com/plaid/webhook', port: null as number | null };
    const first = deskWith(settings);
    await first.start();
    const port = portOf(first.localUrl());
    expect(settings.port).toBe(port);
    await first.stop();
    const second = deskWith(settings);
    await second.start();
    expect(portOf(second.localUrl())).toBe(port);
    await second.stop();
  });

  test('without a public URL nothing is saved; a taken saved port falls back to a free one and is re-saved', async () => {
    const loopbackOnly = { publicUrl: null, port: null as number | null };
    const desk = deskWith(loopbackOnly);
    await desk.start();
    expect(loopbackOnly.port).toBeNull();
    await desk.stop();

    const squatter = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
    const taken = (squatter.address() as { port: number }).port;
    try {
      const settings = { publicUrl: 'https://desk.example.com/plaid/webhook', port: taken as number | null };
      const moved = deskWith(settings);
      await moved.start();
      expect(portOf(moved.localUrl())).not.toBe(taken);
      expect(settings.port).toBe(portOf(moved.localUrl()));
      await moved.stop();
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });
});
