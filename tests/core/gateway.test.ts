import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Products } from 'plaid';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createAppServices } from '../../electron/services/app-services';
import { createMemoryLogger } from '../../electron/log/logger';
import { createPlaidGateway, decodePlaidErrorBody, toAppError } from '../../electron/services/plaid-gateway';
import type { KeytarLike } from '../../electron/services/vault';

let emulator: RunningEmulator;
const sleeps: number[] = [];
const logger = createMemoryLogger();
beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 60_000, logger: createMemoryLogger() });
});
afterAll(() => emulator?.close());

const gateway = (secret = emulator.secret, basePath = emulator.baseUrl) =>
  createPlaidGateway({
    environment: 'emulator',
    basePath,
    clientId: emulator.clientId,
    secret,
    logger,
    maxAttempts: 4,
    baseDelayMs: 100,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  });

test('429 and 500 are retried with exponential backoff and full jitter, then succeed', async () => {
  sleeps.length = 0;
  emulator.faults.failNext('/institutions/get_by_id', 429, 1);
  emulator.faults.failNext('/institutions/get_by_id', 500, 1);
  const got = await gateway().call('/institutions/get_by_id', (p) =>
    p.institutionsGetById({ institution_id: 'ins_109508', country_codes: ['US' as never] }),
  );
  expect(got.institution.name).toBe('First Platypus Bank');
  expect(sleeps).toEqual([50, 100]); // random 0.5 × 100, × 200
});

test("the officer's own mistakes are not retried; the error carries code, message, retryable and request_id", async () => {
  sleeps.length = 0;
  const error = await gateway('0'.repeat(30))
    .call('/institutions/get_by_id', (p) =>
      p.institutionsGetById({ institution_id: 'ins_109508', country_codes: ['US' as never] }),
    )
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'INVALID_API_KEYS', retryable: false, requestId: expect.any(String) });
  expect((error as Error).message).toMatch(/client ID or secret/);
  expect(sleeps).toEqual([]);
  expect(logger.lines.join('\n')).not.toContain(emulator.secret);
});

test("a PDF call that fails has its Buffer body decoded into Plaid's error", async () => {
  const g = gateway();
  const pub = await g.call('/sandbox/public_token/create', (p) =>
    p.sandboxPublicTokenCreate({ institution_id: 'ins_109508', initial_products: [Products.Assets] }),
  );
  const exchanged = await g.call('/item/public_token/exchange', (p) =>
    p.itemPublicTokenExchange({ public_token: pub.public_token }),
  );
  const created = await g.call('/asset_report/create', (p) =>
    p.assetReportCreate({ access_tokens: [exchanged.access_token], days_requested: 30 }),
  );
  const error = await g
    .pdf('/asset_report/pdf/get', (p, o) => p.assetReportPdfGet({ asset_report_token: created.asset_report_token }, o))
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'PRODUCT_NOT_READY', retryable: true, requestId: expect.any(String) });
  // Asking after a report still being made is a poll: logged for debugging, never as a failed call.
  const notReady = logger.lines.filter((l) => l.includes('"errorCode":"PRODUCT_NOT_READY"'));
  expect(notReady.length).toBeGreaterThan(0);
  expect(notReady.every((l) => l.includes('"level":"debug"') && !l.includes('plaid call failed'))).toBe(true);
  expect(decodePlaidErrorBody(Buffer.from('{"error_code":"X","request_id":"r"}'))).toMatchObject({ error_code: 'X' });
  expect(decodePlaidErrorBody(new TextEncoder().encode('{"error_code":"Y"}').buffer)).toMatchObject({
    error_code: 'Y',
  });
});

test('a connection refused has no response: NETWORK_ERROR, retryable, bounded attempts', async () => {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  sleeps.length = 0;
  const error = await gateway(emulator.secret, `http://127.0.0.1:${port}`)
    .call('/institutions/get_by_id', (p) =>
      p.institutionsGetById({ institution_id: 'ins_109508', country_codes: ['US' as never] }),
    )
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
  expect(sleeps).toHaveLength(3); // 4 attempts
  expect(toAppError({ code: 'ECONNABORTED', message: 'timeout of 10ms exceeded' })).toMatchObject({
    code: 'NETWORK_ERROR',
    message: expect.stringMatching(/in time/),
  });
});

test('with no usable keychain the app still starts; secret-needing channels answer KEYCHAIN_UNAVAILABLE with the fix', async () => {
  const fail = async (): Promise<never> => {
    throw new Error('The name org.freedesktop.secrets was not provided by any .service files');
  };
  const keytar: KeytarLike = { getPassword: fail, setPassword: fail, deletePassword: fail };
  const services = createAppServices({
    userDataDir: '/nonexistent-assetdesk-test',
    desktop: {
      chooseSavePath: async () => null,
      chooseFolder: async () => null,
      chooseFile: async () => null,
      writeClipboard: () => undefined,
      notify: () => undefined,
    },
    events: { emit: () => undefined },
    logger: createMemoryLogger(),
    keychain: keytar,
    startEmulator: async () => ({ ...emulator, close: async () => undefined }),
  });
  await services.start();
  const info = await services.handlers['app:info']({});
  expect(info.keychain).toMatchObject({ state: 'unavailable', howToFix: expect.stringMatching(/gnome-keyring/) });
  await expect(services.handlers['loans:list']({})).rejects.toMatchObject({
    code: 'KEYCHAIN_UNAVAILABLE',
    message: expect.stringMatching(/gnome-keyring/),
  });
  await expect(
    services.handlers['credentials:save']({ environment: 'sandbox', clientId: 'a'.repeat(24), secret: 'b'.repeat(30) }),
  ).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
  await services.stop();
});
