import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createMemoryLogger } from '../../electron/log/logger';
import { createPlaidGateway, NOT_SAFE_TO_REPEAT } from '../../electron/services/plaid-gateway';

/** A loopback port with nothing listening: every connection is refused before a byte is sent. */
async function refusingPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const gatewayAt = (basePath: string, sleeps: number[]) =>
  createPlaidGateway({
    environment: 'emulator',
    basePath,
    clientId: '0'.repeat(24),
    secret: '0'.repeat(30),
    logger: createMemoryLogger(),
    maxAttempts: 3,
    baseDelayMs: 10,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  });

test('the calls that make something at Plaid are exactly create, refresh, filter, audit-copy create, the exchange and token rotation', () => {
  expect([...NOT_SAFE_TO_REPEAT].sort()).toEqual([
    '/asset_report/audit_copy/create',
    '/asset_report/create',
    '/asset_report/filter',
    '/asset_report/refresh',
    '/item/access_token/invalidate',
    '/item/public_token/exchange',
  ]);
});

test('a refused connection (nothing was sent) is retried even for a create, and ends as a network error', async () => {
  const sleeps: number[] = [];
  const gateway = gatewayAt(`http://127.0.0.1:${await refusingPort()}`, sleeps);
  const error = await gateway
    .call('/asset_report/create', (p) =>
      p.assetReportCreate({ access_tokens: ['access-sandbox-x'], days_requested: 30 }),
    )
    .catch((e: unknown) => e);
  expect(error).toMatchObject({ code: 'NETWORK_ERROR', retryable: true });
  expect(sleeps).toHaveLength(2); // three attempts
});
