import { Products, SandboxItemFireWebhookRequestWebhookCodeEnum as Code, WebhookType, type PlaidApi } from 'plaid';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { SpecValidator } from './openapi-validator';
import { startWebhookReceiver, type WebhookReceiver } from './helpers';

/**
 * What /item/get says about an Item beyond its fields, through the official SDK: the status block follows what
 * happened to the Item (the spec's `status.last_webhook`: the last webhook fired for it).
 */
let emulator: RunningEmulator;
let plaid: PlaidApi;
let receiver: WebhookReceiver;
let now = new Date('2026-03-30T18:27:37Z');

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  emulator = await startEmulator({ readyAfterMs: 0, clock: () => now, webhookRetryDelaysMs: [5, 5] });
  plaid = new SpecValidator().plaidClient(emulator.baseUrl, emulator.clientId, emulator.secret);
});

afterAll(async () => {
  await emulator.close();
  await receiver.close();
});

async function newItem(webhook?: string) {
  const created = await plaid.sandboxPublicTokenCreate({
    institution_id: 'ins_109508',
    initial_products: [Products.Assets],
    options: webhook ? { webhook } : {},
  });
  return (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
}

describe('/item/get status.last_webhook', () => {
  it('is null until a webhook is fired for the Item, then names the last code sent and when', async () => {
    const item = await newItem(receiver.url);
    expect((await plaid.itemGet({ access_token: item.access_token })).data.status?.last_webhook).toBeNull();

    await plaid.sandboxItemFireWebhook({
      access_token: item.access_token,
      webhook_type: WebhookType.Assets,
      webhook_code: Code.ProductReady,
    });
    expect((await plaid.itemGet({ access_token: item.access_token })).data.status?.last_webhook).toEqual({
      sent_at: '2026-03-30T18:27:37Z',
      code_sent: 'PRODUCT_READY',
    });

    now = new Date('2026-03-30T18:30:00Z');
    await plaid.sandboxItemResetLogin({ access_token: item.access_token });
    expect((await plaid.itemGet({ access_token: item.access_token })).data.status?.last_webhook).toEqual({
      sent_at: '2026-03-30T18:30:00Z',
      code_sent: 'ERROR',
    });
  });

  it('stays null for an Item without a webhook, whose reset fires nothing', async () => {
    const item = await newItem();
    await plaid.sandboxItemResetLogin({ access_token: item.access_token });
    expect((await plaid.itemGet({ access_token: item.access_token })).data.status?.last_webhook).toBeNull();
  });
});
