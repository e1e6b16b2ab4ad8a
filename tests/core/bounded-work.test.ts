import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMemoryLogger } from '../../electron/log/logger';
import { createPlaidGateway } from '../../electron/services/plaid-gateway';
import {
  createReportPoller,
  GETS_PER_MINUTE_PER_REPORT,
  type FetchOutcome,
} from '../../electron/services/reports/poller';
import { finishesWithin } from './deadline';

/**
 * Work that loops (retries, polls) is bounded, and these tests prove it by counting, never by
 * waiting for a test timeout: each wait is raced against a short deadline and asserted on.
 */

describe('the gateway gives up after its attempts', () => {
  let server: Server;
  let requests = 0;
  let baseUrl = '';
  beforeAll(async () => {
    // Plaid answering 500 to everything, for ever.
    server = createServer((_req, res) => {
      requests++;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error_type: 'API_ERROR', error_code: 'INTERNAL_SERVER_ERROR', request_id: 'r' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test('a Plaid that always fails is called exactly maxAttempts times, then the officer gets an error', async () => {
    requests = 0;
    const sleeps: number[] = [];
    const gateway = createPlaidGateway({
      environment: 'emulator',
      basePath: baseUrl,
      clientId: 'c',
      secret: 's',
      logger: createMemoryLogger(),
      maxAttempts: 4,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const removal = gateway.removeReport('assets-emulator-00000000-0000-0000-0000-000000000000');
    expect(
      await finishesWithin(
        removal.catch(() => undefined),
        5_000,
      ),
      'gave up within 5 s',
    ).toBe(true);
    await expect(removal).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR', retryable: true });
    expect(requests).toBe(4);
    expect(sleeps).toHaveLength(3);
  });
});

describe('the report poller', () => {
  const log = createMemoryLogger();

  test('polls with backoff until the fetch says ready, then stops polling that report', async () => {
    const calls: number[] = [];
    const answers: FetchOutcome[] = ['not-ready', 'not-ready', 'ready'];
    const poller = createReportPoller({
      intervals: { initialMs: 5, factor: 2, maxMs: 20 },
      clock: () => new Date(),
      log,
      fetch: async () => {
        calls.push(Date.now());
        return answers[calls.length - 1] ?? 'not-ready';
      },
    });
    poller.start('r1');
    poller.start('r1'); // a second start of the same report is the same loop
    expect(await finishesWithin(Promise.all(poller.inFlight()), 2_000), 'polling ended within 2 s').toBe(true);
    expect(calls).toHaveLength(3);
    expect(poller.inFlight()).toHaveLength(0);
    poller.stop();
  });

  test('a fetch that throws counts as not ready; stop() ends a loop in a long backoff at once', async () => {
    let calls = 0;
    const poller = createReportPoller({
      intervals: { initialMs: 5, factor: 1, maxMs: 5 },
      clock: () => new Date(),
      log,
      fetch: async () => {
        calls++;
        if (calls === 1) throw new Error('network blip');
        return 'not-ready';
      },
    });
    poller.start('r1');
    for (let i = 0; i < 100 && calls < 3; i++) await new Promise((r) => setTimeout(r, 5));
    expect(calls).toBeGreaterThanOrEqual(3);
    poller.stop();
    expect(await finishesWithin(Promise.all(poller.inFlight()), 1_000), 'stopped within 1 s').toBe(true);
    const after = calls;
    await new Promise((r) => setTimeout(r, 30));
    expect(calls).toBe(after);
    poller.start('r2'); // a stopped poller starts nothing
    expect(poller.inFlight()).toHaveLength(0);
  });

  test(`the call window lets ${GETS_PER_MINUTE_PER_REPORT} gets through in a minute, holds the next, and releases it on stop`, async () => {
    const now = new Date('2026-11-02T12:00:00Z');
    const poller = createReportPoller({ clock: () => now, log, fetch: async () => 'not-ready' });
    for (let i = 0; i < GETS_PER_MINUTE_PER_REPORT; i++) expect(await poller.takeTurn('r1')).toBe(true);
    expect(await poller.takeTurn('other')).toBe(true); // the window is per report
    const held = poller.takeTurn('r1');
    expect(await finishesWithin(held, 50), 'the 16th get in the same minute waits').toBe(false);
    poller.stop();
    expect(await held).toBe(false);
    expect(poller.window.maxInAnyWindow('r1')).toBe(GETS_PER_MINUTE_PER_REPORT);
  });
});
