import { createServer as createHttpServer, request } from 'node:http';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { Products, type PlaidApi } from 'plaid';
import { startEmulator } from '../../electron/emulator';
import type { BenchFigure, BenchSuite } from './types';
import { emulatorPlaid } from '../helpers/emulator-plaid';
import { collectGarbage, median } from './measure';

/** One timed transfer: the whole of it, and when its first byte reached the client (where a client can tell). */
interface Transfer {
  ms: number;
  firstByteMs?: number;
}

/**
 * The floor for /asset_report/get: the same response bytes written to a loopback socket and read to the
 * end by a client already connected — the transfer nobody can avoid, without HTTP, JSON or the SDK.
 */
async function loopbackFloor(bytes: Buffer) {
  const server = createServer((socket) => socket.on('data', () => socket.write(bytes)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = createConnection((server.address() as AddressInfo).port, '127.0.0.1');
  await new Promise((resolve) => client.once('connect', resolve));
  return {
    async once(): Promise<Transfer> {
      const started = performance.now();
      let firstByteMs = 0;
      await new Promise<void>((resolve) => {
        let received = 0;
        const onData = (chunk: Buffer) => {
          if (received === 0) firstByteMs = performance.now() - started;
          received += chunk.length;
          if (received >= bytes.length) {
            client.off('data', onData);
            resolve();
          }
        };
        client.on('data', onData);
        client.write('g');
      });
      return { ms: performance.now() - started, firstByteMs };
    },
    async close() {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * HTTP alone: a bare node:http server answering every POST with the same bytes (one `end`, Content-Length), no
 * emulator logic. Read by the floor-like socket client, its distance to the floor is what a node:http server costs.
 */
async function bareHttpServer(bytes: Buffer) {
  const server = createHttpServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': bytes.length });
      res.end(bytes);
    });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/asset_report/get`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * A client that does what the floor's client does, over HTTP: one kept-alive loopback connection, the request
 * written in one go, the response head read up to its blank line, then body bytes counted to Content-Length —
 * nothing decoded, parsed or copied. Reading with it measures the server, not a client library.
 */
async function socketHttpClient(url: string) {
  const { hostname, port, pathname } = new URL(url);
  const socket = createConnection(Number(port), hostname);
  await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  return {
    post(headers: Record<string, string>, body: object): Promise<Transfer & { bytes: number }> {
      const payload = JSON.stringify(body);
      const requestHead = [
        `POST ${pathname} HTTP/1.1`,
        `Host: ${hostname}:${port}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(payload)}`,
        ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
        '',
        '',
      ].join('\r\n');
      const started = performance.now();
      return new Promise((resolve, reject) => {
        let head = Buffer.alloc(0);
        let expected = -1;
        let received = 0;
        let firstByteMs = 0;
        const done = (error: Error | null) => {
          socket.off('data', onData).off('error', done);
          if (error) reject(error);
          else resolve({ ms: performance.now() - started, firstByteMs, bytes: expected });
        };
        const onData = (chunk: Buffer) => {
          if (expected < 0) {
            if (head.length === 0) firstByteMs = performance.now() - started;
            head = Buffer.concat([head, chunk]);
            const end = head.indexOf('\r\n\r\n');
            if (end < 0) return;
            const text = head.subarray(0, end).toString('latin1');
            const length = /\r\ncontent-length: *(\d+)/i.exec(text)?.[1];
            if (!text.startsWith('HTTP/1.1 200 ') || length === undefined)
              return done(new Error(`unexpected response: ${text.split('\r\n')[0]}`));
            expected = Number(length);
            received = head.length - end - 4;
          } else received += chunk.length;
          if (received > expected) done(new Error(`${received} body bytes, more than Content-Length ${expected}`));
          else if (received === expected) done(null);
        };
        socket.on('data', onData).on('error', done);
        socket.write(requestHead + payload);
      });
    },
    close: () => socket.destroy(),
  };
}

/** One plain HTTP POST read to the last byte as bytes, as the floor's client reads: no decoding, no parsing. */
function plainPost(url: string, headers: Record<string, string>, body: object): Promise<Transfer & { bytes: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const firstByteMs = performance.now() - started;
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`/asset_report/get answered ${res.statusCode}`));
        else resolve({ ms: performance.now() - started, firstByteMs, bytes });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const since = async (started: number, work: Promise<unknown>): Promise<Transfer> => {
  await work;
  return { ms: performance.now() - started };
};

/**
 * Every way of reading the same report, taken in turns for 5 rounds (after one warm-up round) so that all see
 * the same load from other jobs on the machine; each ratio is the median of the rounds' ratios to that round's floor.
 * Each run starts after a full GC and a pause for its helper threads: otherwise one pays for the garbage of the
 * one before (all share this process), and on two cores the collector's threads compete with the transfer.
 */
async function splitAgainstFloor(contenders: Record<string, () => Promise<Transfer>>, bytes: Buffer) {
  const floor = await loopbackFloor(bytes);
  const runs: Record<string, (Transfer & { cpuMs: number })[]> = { floor: [] };
  for (const name of Object.keys(contenders)) runs[name] = [];
  try {
    for (let round = -1; round < 5; round += 1) {
      const roundRuns: Record<string, Transfer & { cpuMs: number }> = {};
      for (const [name, run] of Object.entries({ floor: () => floor.once(), ...contenders })) {
        collectGarbage();
        // The collector's helper threads finish sweeping before the clock starts: on two cores they would compete.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const cpu = process.cpuUsage();
        const transfer = await run();
        const used = process.cpuUsage(cpu);
        roundRuns[name] = { ...transfer, cpuMs: (used.user + used.system) / 1000 };
      }
      if (round < 0) continue; // warm-up: first connections, first compiles
      for (const [name, transfer] of Object.entries(roundRuns)) runs[name]!.push(transfer);
    }
  } finally {
    await floor.close();
  }
  const floorMs = runs.floor!.map((t) => t.ms);
  return {
    /** Median time of one contender (or of the floor). */
    ms: (name: string) => median(runs[name]!.map((t) => t.ms)),
    firstByteMs: (name: string) => median(runs[name]!.map((t) => t.firstByteMs ?? NaN)),
    /** Median over the rounds of contender ÷ floor. */
    ratio: (name: string) => median(runs[name]!.map((t, round) => t.ms / floorMs[round]!)),
    /**
     * The same with this process's CPU time (client and server both run here, and loopback TCP is charged to
     * the process in system time): steadier than wall time when other jobs take turns on the machine's two cores.
     */
    cpuRatio: (name: string) => median(runs[name]!.map((t, round) => t.cpuMs / runs.floor![round]!.cpuMs)),
    /** Median over the rounds of one contender ÷ another (e.g. the emulator ÷ bare HTTP). */
    between: (name: string, other: string) => median(runs[name]!.map((t, round) => t.ms / runs[other]![round]!.ms)),
    /** Median over the rounds of one contender's time minus another's. */
    beyond: (name: string, other: string) => median(runs[name]!.map((t, round) => t.ms - runs[other]![round]!.ms)),
  };
}

/**
 * The emulator's /asset_report/get for one report view, and where its time goes. Server side: the floor (raw
 * loopback socket), HTTP alone on the same bytes (a bare node:http server), the emulator — both read by the
 * floor-like socket client, so the headline ratio compares like with like. Client side, on the same response:
 * node:http's client, the plaid SDK (axios) collecting the text, and the SDK's default parsed JSON as the app reads it.
 */
async function measureView(options: {
  label: string;
  plaid: PlaidApi;
  url: string;
  auth: Record<string, string>;
  request: { asset_report_token: string; include_insights?: boolean };
  bytes: Buffer;
  /** Every line of the split, rather than the headline ones. */
  split: boolean;
}): Promise<BenchFigure[]> {
  const { label, plaid, url, auth, bytes, request: body } = options;
  const bare = await bareHttpServer(bytes);
  const bareClient = await socketHttpClient(bare.url);
  const emulatorClient = await socketHttpClient(url);
  let text = '';
  // The request_id differs per response, never its length: any other difference means another body.
  const sameSize = async (read: Promise<Transfer & { bytes: number }>) => {
    const { bytes: sent, ...transfer } = await read;
    if (sent !== bytes.length) throw new Error(`the emulator sent ${sent} bytes, not ${bytes.length}`);
    return transfer;
  };
  try {
    const split = await splitAgainstFloor(
      {
        bare: () => bareClient.post({}, body),
        emulator: () => sameSize(emulatorClient.post(auth, body)),
        nodeHttp: () => sameSize(plainPost(url, auth, body)),
        sdkText: () =>
          since(
            performance.now(),
            plaid.assetReportGet(body, { responseType: 'text' }).then((r) => (text = String(r.data))),
          ),
        ...(options.split
          ? {
              // What the app does: the SDK's default response type, parsed into objects.
              sdkJson: () => since(performance.now(), plaid.assetReportGet(body)),
              parse: () =>
                since(
                  performance.now(),
                  Promise.resolve().then(() => JSON.parse(text) as unknown),
                ),
            }
          : {}),
      },
      bytes,
    );
    const name = (what: string) => `/asset_report/get heavy${label}${what}`;
    const rounds = 'median of 5 interleaved rounds';
    const figures: BenchFigure[] = [
      {
        name: name(' floor: the same bytes over a loopback socket (median of 5)'),
        value: split.ms('floor'),
        unit: 'ms',
      },
      {
        name: name(", read to the last byte by a socket client like the floor's (median of 5)"),
        value: split.ms('emulator'),
        unit: 'ms',
      },
      {
        name: name(`, read by a socket client like the floor's ÷ floor (loopback socket), ${rounds}`),
        value: split.ratio('emulator'),
        unit: 'x',
        target: 2,
      },
      {
        name: name(`, read by a socket client like the floor's ÷ floor, CPU time of this process, ${rounds}`),
        value: split.cpuRatio('emulator'),
        unit: 'x',
      },
      { name: name(' through plain node:http, no SDK (median of 5)'), value: split.ms('nodeHttp'), unit: 'ms' },
      {
        name: name(`, plain node:http ÷ floor (loopback socket), ${rounds}`),
        value: split.ratio('nodeHttp'),
        unit: 'x',
      },
      {
        name: name(` through the plaid SDK (axios, responseType text) ÷ floor (loopback socket), ${rounds}`),
        value: split.ratio('sdkText'),
        unit: 'x',
      },
    ];
    if (!options.split) return figures;
    return [
      ...figures,
      // Server side: HTTP itself on the same bytes, then what the emulator adds to it.
      {
        name: name(`, HTTP alone (bare node:http server, same bytes, socket client) ÷ floor, ${rounds}`),
        value: split.ratio('bare'),
        unit: 'x',
      },
      {
        name: name(`, emulator ÷ HTTP alone (its own handling and streaming), ${rounds}`),
        value: split.between('emulator', 'bare'),
        unit: 'x',
      },
      {
        name: name(', emulator to the first byte (lookup, validation, auth, rate limits, headers), median of 5'),
        value: split.firstByteMs('emulator'),
        unit: 'ms',
      },
      { name: name(', HTTP alone to the first byte, median of 5'), value: split.firstByteMs('bare'), unit: 'ms' },
      { name: name(', floor to the first byte, median of 5'), value: split.firstByteMs('floor'), unit: 'ms' },
      // Client side, on the emulator's same response: each client library's work beyond counting bytes.
      {
        name: name(`, node:http client beyond the socket client (its parser and stream), ${rounds}`),
        value: split.beyond('nodeHttp', 'emulator'),
        unit: 'ms',
      },
      {
        name: name(`, plaid SDK text beyond plain node:http (axios collecting and decoding), ${rounds}`),
        value: split.beyond('sdkText', 'nodeHttp'),
        unit: 'ms',
      },
      {
        name: name(' through the plaid SDK, parsed JSON as the app reads it (median of 5)'),
        value: split.ms('sdkJson'),
        unit: 'ms',
      },
      {
        name: name(` through the plaid SDK, parsed JSON as the app reads it ÷ floor, ${rounds}`),
        value: split.ratio('sdkJson'),
        unit: 'x',
      },
      { name: name(': JSON.parse of the response text alone (median of 5)'), value: split.ms('parse'), unit: 'ms' },
    ];
  } finally {
    bareClient.close();
    emulatorClient.close();
    await bare.close();
  }
}

/**
 * The emulator under load: /asset_report/get for the heavy persona (8 accounts, 731 days, ~39,000 transactions)
 * once the report is ready, with and without insights, and its PDF through /asset_report/pdf/get.
 */
export const suite: BenchSuite = {
  name: 'emulator',
  async run(): Promise<BenchFigure[]> {
    const emulator = await startEmulator({ readyAfterMs: 0 });
    try {
      const plaid = emulatorPlaid(emulator);
      const created = await plaid.sandboxPublicTokenCreate({
        institution_id: 'ins_109508',
        initial_products: [Products.Assets],
        options: { override_username: 'user_heavy' },
      });
      const { access_token } = (await plaid.itemPublicTokenExchange({ public_token: created.data.public_token })).data;
      const report = (await plaid.assetReportCreate({ access_tokens: [access_token], days_requested: 731 })).data;
      // Wait until ready (the emulator generates the data at ready time, as Plaid does before PRODUCT_READY).
      for (;;) {
        try {
          await plaid.assetReportGet({
            asset_report_token: report.asset_report_token,
            options: { days_to_include: 1 },
          });
          break;
        } catch {
          await new Promise((r) => setTimeout(r, 50));
        }
      }
      // Median of 3: one 35 MB response is at the mercy of a single GC pause.
      const timed = async <T>(fn: () => Promise<T>): Promise<[T, number, number]> => {
        const times: number[] = [];
        let value: T | undefined;
        for (let i = 0; i < 3; i += 1) {
          const start = performance.now();
          value = await fn();
          times.push(performance.now() - start);
        }
        const first = times[0]!;
        return [value as T, times.sort((a, b) => a - b)[1]!, first];
      };
      const plainRequest = { asset_report_token: report.asset_report_token };
      const insightsRequest = { ...plainRequest, include_insights: true };
      const [plain, plainMs] = await timed(() => plaid.assetReportGet(plainRequest, { responseType: 'text' }));
      const [insights, insightsMs] = await timed(() => plaid.assetReportGet(insightsRequest, { responseType: 'text' }));
      const plainBytes = Buffer.from(String(plain.data), 'utf8');
      const insightsBytes = Buffer.from(String(insights.data), 'utf8');
      const transactions = (
        JSON.parse(String(plain.data)) as { report: { items: { accounts: { transactions: unknown[] }[] }[] } }
      ).report.items
        .flatMap((i) => i.accounts)
        .reduce((n, a) => n + a.transactions.length, 0);
      const view = {
        plaid,
        url: `${emulator.baseUrl}/asset_report/get`,
        auth: { 'PLAID-CLIENT-ID': emulator.clientId, 'PLAID-SECRET': emulator.secret },
      };
      const plainFigures = await measureView({
        ...view,
        label: '',
        request: plainRequest,
        bytes: plainBytes,
        split: false,
      });
      const insightsFigures = await measureView({
        ...view,
        label: ' with insights',
        request: insightsRequest,
        bytes: insightsBytes,
        split: true,
      });
      const [pdf, pdfMs, pdfFirstMs] = await timed(() =>
        plaid.assetReportPdfGet({ asset_report_token: report.asset_report_token }, { responseType: 'arraybuffer' }),
      );
      return [
        { name: 'heavy persona transactions (731 days)', value: transactions, unit: 'count' },
        {
          name: '/asset_report/get heavy, after ready (median of 3)',
          value: Math.round(plainMs),
          unit: 'ms',
          target: 500,
        },
        { name: '/asset_report/get heavy response size', value: plainBytes.length, unit: 'bytes' },
        ...plainFigures,
        {
          name: '/asset_report/get heavy with insights, after ready (median of 3)',
          value: Math.round(insightsMs),
          unit: 'ms',
          target: 500,
        },
        { name: '/asset_report/get heavy with insights response size', value: insightsBytes.length, unit: 'bytes' },
        ...insightsFigures,
        // The emulator keeps a ready report's PDF, as Plaid serves a stored file: the first request draws it.
        {
          name: '/asset_report/pdf/get heavy, first request (the PDF drawn)',
          value: Math.round(pdfFirstMs),
          unit: 'ms',
          target: 500,
        },
        {
          name: '/asset_report/pdf/get heavy (median of 3: the first drawn, then served kept)',
          value: Math.round(pdfMs),
          unit: 'ms',
          target: 500,
        },
        {
          name: '/asset_report/pdf/get heavy size',
          value: Buffer.from(pdf.data as unknown as ArrayBuffer).length,
          unit: 'bytes',
        },
      ];
    } finally {
      await emulator.close();
    }
  },
};
