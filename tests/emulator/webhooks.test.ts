import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK } from 'jose';
import { Products, type PlaidApi } from 'plaid';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { SpecValidator } from '../contract/openapi-validator';
import { deliveredPayloads, startWebhookReceiver, type WebhookReceiver } from '../contract/helpers';

/**
 * Webhooks verified the way Plaid tells integrators to, by jose with only the published key:
 * ES256 header with kid, iat no older than 5 minutes, SHA-256 of the raw body.
 */
async function verifyPlaidWebhook(
  body: string,
  header: string,
  fetchKey: (kid: string) => Promise<JWK>,
  now = new Date(),
): Promise<void> {
  const { alg, kid } = decodeProtectedHeader(header);
  if (alg !== 'ES256' || !kid) throw new Error('unexpected header');
  const key = await importJWK(await fetchKey(kid), 'ES256');
  const { payload } = await jwtVerify(header, key, { maxTokenAge: '5 min', currentDate: now });
  const expected = Buffer.from(String(payload.request_body_sha256), 'hex');
  const actual = createHash('sha256').update(body, 'utf8').digest();
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw new Error('body hash mismatch');
}

let emulator: RunningEmulator;
let plaid: PlaidApi;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  emulator = await startEmulator({ readyAfterMs: 0, webhookRetryDelaysMs: [5, 5, 5] });
  plaid = new SpecValidator().plaidClient(emulator.baseUrl, emulator.clientId, emulator.secret);
});
afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

async function reportWithWebhook(): Promise<string> {
  const created = await plaid.sandboxPublicTokenCreate({
    institution_id: 'ins_109508',
    initial_products: [Products.Assets],
  });
  const { access_token } = (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
  const report = await plaid.assetReportCreate({
    access_tokens: [access_token],
    days_requested: 5,
    options: { webhook: receiver.url },
  });
  return report.data.asset_report_id;
}

async function deliveryFor(reportId: string) {
  let found: WebhookReceiver['received'][number] | undefined;
  await vi.waitFor(async () => {
    await emulator.webhooksIdle();
    found = receiver.received.find((r) => r.status === 200 && r.body.includes(reportId));
    expect(found).toBeDefined();
  });
  return found!;
}

const publishedKey = async (kid: string) =>
  (await plaid.webhookVerificationKeyGet({ key_id: kid })).data.key as unknown as JWK;

it('signs PRODUCT_READY so an independent verifier accepts it with the published key', async () => {
  const reportId = await reportWithWebhook();
  const delivery = await deliveryFor(reportId);
  expect(delivery.body).toBe(JSON.stringify(JSON.parse(delivery.body), null, 2));
  expect(JSON.parse(delivery.body)).toEqual({
    webhook_type: 'ASSETS',
    webhook_code: 'PRODUCT_READY',
    asset_report_id: reportId,
    report_type: 'FULL',
    environment: 'sandbox',
  });
  const header = String(delivery.headers['plaid-verification']);
  expect(decodeProtectedHeader(header)).toMatchObject({ alg: 'ES256', typ: 'JWT' });
  await expect(verifyPlaidWebhook(delivery.body, header, publishedKey)).resolves.toBeUndefined();
});

it('is rejected with a tampered body, a wrong key, or a stale iat', async () => {
  const reportId = await reportWithWebhook();
  const delivery = await deliveryFor(reportId);
  const header = String(delivery.headers['plaid-verification']);
  await expect(
    verifyPlaidWebhook(delivery.body.replace('PRODUCT_READY', 'ERROR'), header, publishedKey),
  ).rejects.toThrow(/hash/);
  const { publicKey } = await generateKeyPair('ES256', { extractable: true });
  const wrongKey = await exportJWK(publicKey);
  await expect(verifyPlaidWebhook(delivery.body, header, async () => wrongKey)).rejects.toThrow(/signature/);
  const sixMinutesLater = new Date(Date.now() + 6 * 60_000);
  await expect(verifyPlaidWebhook(delivery.body, header, publishedKey, sixMinutesLater)).rejects.toThrow(
    /"iat" claim timestamp check failed|timestamp/,
  );
});

it('retries a webhook the receiver refused', async () => {
  receiver.failFirst = 2;
  const reportId = await reportWithWebhook();
  await deliveryFor(reportId);
  const attempts = receiver.received.filter((r) => r.body.includes(reportId));
  expect(attempts.map((a) => a.status)).toEqual([500, 500, 200]);
  expect(deliveredPayloads(receiver).filter((p) => p.asset_report_id === reportId)).toHaveLength(1);
});

it('keeps access tokens, reports, credentials and the signing key across restarts with the same storage key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-restart-'));
  const storageKey = randomBytes(32);
  const kidOf = (delivery: WebhookReceiver['received'][number]) =>
    decodeProtectedHeader(String(delivery.headers['plaid-verification'])).kid;
  try {
    const first = await startEmulator({ dataDir: dir, readyAfterMs: 0, storageKey });
    const firstClient = new SpecValidator().plaidClient(first.baseUrl, first.clientId, first.secret);
    const created = await firstClient.sandboxPublicTokenCreate({
      institution_id: 'ins_109508',
      initial_products: [Products.Assets],
    });
    const { access_token, item_id } = (
      await firstClient.itemPublicTokenExchange({ public_token: created.data.public_token })
    ).data;
    const report = (
      await firstClient.assetReportCreate({
        access_tokens: [access_token],
        days_requested: 10,
        options: { webhook: receiver.url },
      })
    ).data;
    let firstKid: string | undefined;
    await vi.waitFor(async () => {
      await first.webhooksIdle();
      const d = receiver.received.find((r) => r.body.includes(report.asset_report_id));
      expect(d).toBeDefined();
      firstKid = kidOf(d!);
    });
    await first.close();

    const second = await startEmulator({ dataDir: dir, readyAfterMs: 0, storageKey });
    try {
      expect(second.clientId).toBe(first.clientId);
      expect(second.secret).toBe(first.secret);
      const client = new SpecValidator().plaidClient(second.baseUrl, second.clientId, second.secret);
      expect((await client.itemGet({ access_token })).data.item.item_id).toBe(item_id);
      const again = await client.assetReportGet({ asset_report_token: report.asset_report_token });
      expect(again.data.report.asset_report_id).toBe(report.asset_report_id);
      expect((await client.webhookVerificationKeyGet({ key_id: firstKid! })).data.key.kid).toBe(firstKid);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('without the storage key, a restart keeps tokens and reports but makes a new secret and signing key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-restart-'));
  try {
    const first = await startEmulator({ dataDir: dir, readyAfterMs: 0 });
    const firstClient = new SpecValidator().plaidClient(first.baseUrl, first.clientId, first.secret);
    const created = await firstClient.sandboxPublicTokenCreate({
      institution_id: 'ins_109508',
      initial_products: [Products.Assets],
    });
    const { access_token, item_id } = (
      await firstClient.itemPublicTokenExchange({ public_token: created.data.public_token })
    ).data;
    const report = (await firstClient.assetReportCreate({ access_tokens: [access_token], days_requested: 10 })).data;
    await first.close();

    const second = await startEmulator({ dataDir: dir, readyAfterMs: 0 });
    try {
      expect(second.clientId).toBe(first.clientId);
      expect(second.secret).not.toBe(first.secret);
      const client = new SpecValidator().plaidClient(second.baseUrl, second.clientId, second.secret);
      expect((await client.itemGet({ access_token })).data.item.item_id).toBe(item_id);
      const again = await client.assetReportGet({ asset_report_token: report.asset_report_token });
      expect(again.data.report.asset_report_id).toBe(report.asset_report_id);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
