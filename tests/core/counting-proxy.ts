import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the app sent to Plaid, as seen on the wire. */
export interface SeenCall {
  path: string;
  /** The time the test's clock showed when the request arrived. */
  at: number;
  /** What Plaid answered, once it has been relayed whole. */
  answer?: Buffer;
}

/**
 * A plain HTTP relay in front of the emulator that writes down every call the app makes, so tests
 * count what reached "Plaid" rather than what the app says it did.
 */
export async function startCountingProxy(target: string, now: () => number = Date.now) {
  const calls: SeenCall[] = [];
  const upstream = new URL(target);
  // Not Node's global agent: its sockets time out after 5 s, which would answer a slow Plaid with a 502 here.
  const agent = new Agent({ keepAlive: true });
  // Plaid answered this path, and the app must not hear it: `then` runs (kills the app) once the answer is in.
  let cutAfterAnswer: { path: string; then: () => void; hang: boolean } | null = null;
  const server = createServer((req, res) => {
    const call: SeenCall = { path: req.url ?? '', at: now() };
    calls.push(call);
    const cut = cutAfterAnswer?.path === call.path ? cutAfterAnswer : null;
    if (cut) cutAfterAnswer = null;
    const forward = httpRequest(
      {
        hostname: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: upstream.host },
        agent,
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        if (cut) {
          answer.on('end', () => {
            call.answer = Buffer.concat(chunks);
            cut.then();
            if (!cut.hang) res.destroy();
          });
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', () => (call.answer = Buffer.concat(chunks)));
        // An answer cut upstream is cut here too, as a relay on the way would do (else the client waits forever).
        answer.on('aborted', () => res.destroy());
      },
    );
    forward.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    /** How many calls reached `path` (e.g. '/asset_report/create'). */
    count: (path: string) => calls.filter((c) => c.path === path).length,
    /**
     * The next call to `path` reaches Plaid, and once Plaid has answered, `then` runs instead of the answer relayed:
     * the connection is then cut, or with `hang` left open with no answer (until the proxy closes).
     */
    cutAfterAnswer(path: string, then: () => void, options: { hang?: boolean } = {}) {
      cutAfterAnswer = { path, then, hang: options.hang ?? false };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        agent.destroy();
        server.close(() => resolve());
      }),
  };
}

export type CountingProxy = Awaited<ReturnType<typeof startCountingProxy>>;

/** Calls the emulator's control API (POST /emulator/_control/<action>) with the client's credentials. */
export async function emulatorControl(
  emulator: { baseUrl: string; clientId: string; secret: string },
  action: string,
  body: Record<string, unknown>,
): Promise<void> {
  const response = await fetch(`${emulator.baseUrl}/emulator/_control/${action}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'PLAID-CLIENT-ID': emulator.clientId,
      'PLAID-SECRET': emulator.secret,
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`control ${action}: ${response.status} ${await response.text()}`);
}

/**
 * A test clock for the report poller: waits advance it instead of passing in real time, so minutes
 * of polling run in a moment (each wait still yields to real I/O first).
 */
export function virtualTime(start = Date.now()) {
  let now = start;
  return {
    now: () => now,
    sleep: async (ms: number, signal: AbortSignal) => {
      const until = now + ms;
      await new Promise((resolve) => setTimeout(resolve, 1));
      if (!signal.aborted) now = Math.max(now, until);
    },
  };
}

/** The most calls inside any `windowMs` (sliding), from their times. */
export function mostInAnyWindow(times: number[], windowMs = 60_000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}
