import { request } from 'node:http';
import { Products } from 'plaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { emulatorPlaid } from '../helpers/emulator-plaid';

/**
 * How a ready report leaves the emulator: its encoded bytes are kept and sent as they are, so the wire form
 * itself is checked here — one Content-Length that matches the body, no chunking, the same report on every
 * request and only the request_id (in the body and its header) new each time.
 */
let emulator: RunningEmulator;
let token: string;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function post(path: string, body: object): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${emulator.baseUrl}${path}`,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          // As the SDK's axios asks: the emulator still answers uncompressed (loopback gains nothing from it).
          'Accept-Encoding': 'gzip, compress, deflate, br',
          'PLAID-CLIENT-ID': emulator.clientId,
          'PLAID-SECRET': emulator.secret,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 0 });
  const plaid = emulatorPlaid(emulator);
  const created = await plaid.sandboxPublicTokenCreate({
    institution_id: 'ins_109508',
    initial_products: [Products.Assets],
    options: { override_username: 'user_steady_saver', override_password: 'pass_good' },
  });
  const { access_token } = (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
  token = (await plaid.assetReportCreate({ access_tokens: [access_token], days_requested: 60 })).data
    .asset_report_token;
  await emulator.webhooksIdle();
});

afterAll(async () => {
  await emulator.close();
});

describe('/asset_report/get on the wire', () => {
  it.each([
    ['without insights', {}],
    ['with insights', { include_insights: true }],
  ])('%s: one Content-Length matching the body, the same report each time, a new request_id', async (_name, extra) => {
    const first = await post('/asset_report/get', { asset_report_token: token, ...extra });
    const second = await post('/asset_report/get', { asset_report_token: token, ...extra });
    for (const response of [first, second]) {
      expect(response.status).toBe(200);
      expect(response.headers['transfer-encoding']).toBeUndefined();
      expect(response.headers['content-encoding']).toBeUndefined();
      expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(Number(response.headers['content-length'])).toBe(response.body.length);
    }
    const a = JSON.parse(first.body.toString('utf8')) as Record<string, unknown>;
    const b = JSON.parse(second.body.toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(a)).toEqual(['report', 'warnings', 'request_id']);
    expect(a.request_id).toBe(first.headers['plaid-request-id']);
    expect(b.request_id).toBe(second.headers['plaid-request-id']);
    expect(a.request_id).not.toBe(b.request_id);
    expect(b.report).toEqual(a.report);
    const transactions = (a.report as { items: { accounts: { transactions: Record<string, unknown>[] }[] }[] }).items
      .flatMap((item) => item.accounts)
      .flatMap((account) => account.transactions);
    expect(transactions.length).toBeGreaterThan(0);
    // Insights add the merchant fields; the plain view leaves them out.
    expect(transactions.every((t) => 'merchant_name' in t === 'include_insights' in extra)).toBe(true);
  });

  it('an error after a large report still has its own exact length and request_id', async () => {
    await post('/asset_report/get', { asset_report_token: token, include_insights: true });
    const refused = await post('/asset_report/get', {
      asset_report_token: 'assets-sandbox-00000000-0000-0000-0000-000000000000',
    });
    expect(refused.status).toBe(400);
    expect(Number(refused.headers['content-length'])).toBe(refused.body.length);
    const error = JSON.parse(refused.body.toString('utf8')) as Record<string, unknown>;
    expect(error).toMatchObject({
      error_code: 'INVALID_ASSET_REPORT_TOKEN',
      request_id: refused.headers['plaid-request-id'],
    });
  });
});
