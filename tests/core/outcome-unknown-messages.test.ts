import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEmulator, type RunningEmulator } from '../../electron/emulator';
import { createMemoryLogger } from '../../electron/log/logger';
import { createPlaidGateway } from '../../electron/services/plaid-gateway';
import { FAKE_ACCESS_TOKEN } from '../helpers/fake-tokens';

/**
 * A call that makes something and ends without a usable answer is not sent again, and the officer is told what
 * really happened: Plaid answered with a server error, or no answer came (a timeout, a connection cut). A request
 * that never left this computer (Plaid's address not found) is no "outcome unknown" at all: it is retried.
 */

let emulator: RunningEmulator;
const servers: Server[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ readyAfterMs: 60_000, logger: createMemoryLogger() });
});
afterAll(async () => {
  await emulator?.close();
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
});
afterEach(() => emulator.faults.reset());

/** A stand-in for Plaid's address that does `answer` with every request, counting them. */
async function plaidStandIn(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen = { count: 0 };
  const server = createServer((req, res) => {
    seen.count += 1;
    req.resume();
    answer(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const gatewayAt = (basePath: string, sleeps: number[] = [], timeoutMs = 5_000) =>
  createPlaidGateway({
    environment: 'emulator',
    basePath,
    clientId: emulator.clientId,
    secret: emulator.secret,
    logger: createMemoryLogger(),
    maxAttempts: 3,
    baseDelayMs: 10,
    timeoutMs,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
  });

const createReport = (basePath: string, sleeps?: number[], timeoutMs?: number) =>
  gatewayAt(basePath, sleeps, timeoutMs)
    .call('/asset_report/create', (p) =>
      p.assetReportCreate({ access_tokens: [FAKE_ACCESS_TOKEN], days_requested: 61 }),
    )
    .then(
      () => {
        throw new Error('the create was expected to fail');
      },
      (error: unknown) => error as { code: string; message: string; requestId?: string },
    );

test('a 500 from Plaid: it answered, with a server error; not sent again, not billed twice, create again', async () => {
  emulator.faults.failNext('/asset_report/create', 500, 3);
  const sleeps: number[] = [];
  const error = await createReport(emulator.baseUrl, sleeps);
  expect(sleeps).toEqual([]); // one attempt
  expect(error.code).toBe('OUTCOME_UNKNOWN');
  expect(error.requestId).toEqual(expect.any(String)); // Plaid's answer carried its request id
  expect(error.message).toBe(
    'Plaid answered with a server error (INTERNAL_SERVER_ERROR), so AssetDesk cannot tell whether Plaid started this report. AssetDesk did not send the request again, so you are not billed twice for it. To get a report you can open, create it again.',
  );
  expect(error.message).not.toMatch(/did not hear back|did not answer/);
});

test('a 502 without a Plaid body: a server error without Plaid’s details, said as such', async () => {
  const plaid = await plaidStandIn((_req, res) =>
    res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>502</h1>'),
  );
  const error = await createReport(plaid.url);
  expect(plaid.seen.count).toBe(1);
  expect(error.code).toBe('OUTCOME_UNKNOWN');
  expect(error.message).toMatch(
    /^The answer was a server error \(HTTP 502\) without Plaid's details, so AssetDesk cannot tell whether Plaid started this report\. AssetDesk did not send the request again, so you are not billed twice for it\./,
  );
});

test('no answer in time: said as no answer', async () => {
  const plaid = await plaidStandIn(() => undefined); // takes the request, never answers
  const error = await createReport(plaid.url, [], 300);
  expect(plaid.seen.count).toBe(1);
  expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
  expect(error.message).toMatch(
    /^Plaid did not answer in time, so AssetDesk cannot tell whether Plaid started this report\./,
  );
});

test('the connection cut after the request was sent: said as a broken connection', async () => {
  const plaid = await plaidStandIn((req) => req.socket.destroy());
  const error = await createReport(plaid.url);
  expect(plaid.seen.count).toBe(1);
  expect(error).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
  expect(error.message).toMatch(/^The connection to Plaid broke before Plaid answered, so AssetDesk cannot tell/);
});

test('each call that makes something says what to do next after a server error', async () => {
  const gateway = gatewayAt(emulator.baseUrl);
  const failing = async (endpoint: string, send: () => Promise<unknown>) => {
    emulator.faults.failNext(endpoint, 500, 1);
    return (await send().then(
      () => ({ code: 'none', message: '' }),
      (e: unknown) => e,
    )) as { code: string; message: string };
  };
  const refresh = await failing('/asset_report/refresh', () =>
    gateway.call('/asset_report/refresh', (p) => p.assetReportRefresh({ asset_report_token: 'assets-emulator-x' })),
  );
  expect(refresh).toMatchObject({ code: 'OUTCOME_UNKNOWN' });
  expect(refresh.message).toMatch(
    /^Plaid answered with a server error \(INTERNAL_SERVER_ERROR\), so .* started this refresh\..*not billed twice.*refresh again\.$/,
  );
  const audit = await failing('/asset_report/audit_copy/create', () =>
    gateway.call('/asset_report/audit_copy/create', (p) =>
      p.assetReportAuditCopyCreate({ asset_report_token: 'assets-emulator-x', auditor_id: 'fannie_mae' }),
    ),
  );
  expect(audit.message).toMatch(
    /^Plaid answered with a server error .* audit copy\. AssetDesk did not send the request again\. .*share the report again\.$/,
  );
  const exchange = await failing('/item/public_token/exchange', () =>
    gateway.call('/item/public_token/exchange', (p) =>
      p.itemPublicTokenExchange({ public_token: 'public-emulator-x' }),
    ),
  );
  expect(exchange.message).toMatch(
    /^Plaid answered with a server error \(INTERNAL_SERVER_ERROR\) while saving the applicant's bank, .*Check the applicant's banks/,
  );
});

test("Plaid's address not found: nothing was sent, so the create is retried and ends as a network error", async () => {
  const sleeps: number[] = [];
  const error = await createReport('http://assetdesk-no-such-host.invalid', sleeps);
  expect(error.code).toBe('NETWORK_ERROR');
  expect(error.message).toMatch(/could not reach Plaid/);
  expect(sleeps).toHaveLength(2); // three attempts
});
