import { createServer as createHttpServer, request } from 'node:http';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { collectGarbage, median } from './measure';

/**
 * The emulator suite's ways of moving one response over loopback, from the bare floor (raw socket) to HTTP, and
 * the rounds that time them in turns (tests/bench/emulator.bench-suite.ts).
 */

/** One timed transfer: the whole of it, and when its first byte reached the client (where a client can tell). */
export interface Transfer {
  ms: number;
  firstByteMs?: number;
}

/**
 * The floor for /asset_report/get: the same response bytes written to a loopback socket and read to the
 * end by a client already connected — the transfer nobody can avoid, without HTTP, JSON or the SDK.
 */
export async function loopbackFloor(bytes: Buffer) {
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
export async function bareHttpServer(bytes: Buffer) {
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
export async function socketHttpClient(url: string) {
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
export function plainPost(
  url: string,
  headers: Record<string, string>,
  body: object,
): Promise<Transfer & { bytes: number }> {
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

export const since = async (started: number, work: Promise<unknown>): Promise<Transfer> => {
  await work;
  return { ms: performance.now() - started };
};

/**
 * Every way of reading the same report, taken in turns for 5 rounds (after one warm-up round) so that all see
 * the same load from other jobs on the machine; each ratio is the median of the rounds' ratios to that round's floor.
 * Each run starts after a full GC and a pause for its helper threads: otherwise one pays for the garbage of the
 * one before (all share this process), and on two cores the collector's threads compete with the transfer.
 */
export async function splitAgainstFloor(contenders: Record<string, () => Promise<Transfer>>, bytes: Buffer) {
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
