import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import {
  BRIDGE_SOCKET_PATH,
  decodeBridgeAnswer,
  encodeBridgeAnswer,
  encodeBridgeCall,
} from '../../shared/ipc/bridge-socket';
import { decodeWireBytes, encodeWire, WIRE_CONTENT_TYPE } from '../../shared/ipc/codec';
import type { ContractHandlers } from '../../shared/ipc/contract';
import { startWebBridge, type WebBridge } from '../../electron/dev/web-bridge';
import { createAppProtocolHandler } from '../../electron/main/app-protocol';
import { createMemoryLogger } from '../../electron/log/logger';

/** Raw HTTP so tests can forge Host/Origin headers the way a hostile page or DNS rebinding would. */
function call(
  bridge: WebBridge,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
) {
  const url = new URL(path, bridge.origin);
  return new Promise<{ status: number; body: string; bytes: Buffer; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(
        url,
        { method: init.method ?? 'GET', headers: { host: url.host, ...init.headers } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const bytes = Buffer.concat(chunks);
            resolve({ status: res.statusCode ?? 0, body: bytes.toString(), bytes, headers: res.headers });
          });
        },
      );
      req.on('error', reject);
      req.end(init.body);
    },
  );
}

/** An invoke answer: always the binary wire. */
function envelopeOf(res: { bytes: Buffer; headers: Record<string, unknown> }): unknown {
  expect(res.headers['content-type']).toBe(WIRE_CONTENT_TYPE);
  const copy = new Uint8Array(res.bytes); // its own buffer, as fetch's arrayBuffer() gives the page
  return decodeWireBytes(copy.buffer);
}

describe('web bridge transport', () => {
  let bridge: WebBridge;
  let staticRoot = '';
  let dir = '';
  const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0, 255, 128]);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'assetdesk-bridge-'));
    const staticDir = join(dir, 'static');
    staticRoot = staticDir;
    mkdirSync(staticDir);
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>AssetDesk</title>');
    writeFileSync(join(dir, 'secret.txt'), 'outside the static root');
    const handlers = {
      'reports:pdf': async ({ reportId }: { reportId: string }) => {
        // A slower first call, so that answers can come back out of order.
        if (reportId === 'slow') await new Promise((resolve) => setTimeout(resolve, 50));
        return { pdf };
      },
      'settings:get': async () => {
        throw new Error('not reached in these tests');
      },
    } as unknown as ContractHandlers;
    bridge = await startWebBridge({
      userDataDir: dir,
      staticDir,
      logger: createMemoryLogger(),
      createServices: () => ({ handlers, start: async () => undefined, stop: async () => undefined }),
    });
  });
  afterAll(async () => {
    await bridge.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const invoke = (channel: string, payload: unknown, headers: Record<string, string> = {}) =>
    call(bridge, `/__bridge/invoke/${channel}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-bridge-token': bridge.token, ...headers },
      body: encodeWire(payload),
    });

  it('prints a loopback URL carrying the per-run token', () => {
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]{20,}$/);
  });

  it('answers contract calls with envelopes and carries bytes intact', async () => {
    const res = await invoke('reports:pdf', { reportId: 'r1' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(WIRE_CONTENT_TYPE);
    expect(envelopeOf(res)).toEqual({ ok: true, value: { pdf } });
  });

  it('validates payloads before any service runs', async () => {
    const res = await invoke('reports:pdf', { reportId: 42 });
    expect(envelopeOf(res)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', field: 'reportId' } });
  });

  it('refuses calls without the token, with a wrong token, from a foreign origin or via another Host', async () => {
    expect((await invoke('reports:pdf', { reportId: 'r1' }, { 'x-bridge-token': '' })).status).toBe(401);
    expect((await invoke('reports:pdf', { reportId: 'r1' }, { 'x-bridge-token': bridge.token + 'x' })).status).toBe(
      401,
    );
    expect((await invoke('reports:pdf', { reportId: 'r1' }, { origin: 'http://evil.example' })).status).toBe(403);
    expect((await invoke('reports:pdf', { reportId: 'r1' }, { host: 'evil.example' })).status).toBe(421);
    expect((await call(bridge, '/__bridge/events')).status).toBe(401);
  });

  it('serves the renderer with the app CSP and never files outside its folder', async () => {
    const page = await call(bridge, '/');
    expect(page.status).toBe(200);
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'");
    expect(String(page.headers['content-security-policy'])).not.toContain('unsafe-eval');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%5csecret.txt']) {
      const res = await call(bridge, path);
      expect(res.status, path).not.toBe(200);
      expect(res.body).not.toContain('outside the static root');
    }
  });

  it('answers static files exactly as app:// does (one static-file server for both)', async () => {
    const page = await call(bridge, '/index.html');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.body).toContain('<title>AssetDesk</title>');
    const served = await createAppProtocolHandler(
      { fetch: async () => new Response('<!doctype html><title>AssetDesk</title>') } as never,
      staticRoot,
      String(page.headers['content-security-policy']),
    )(new Request('app://assetdesk/index.html'));
    expect(served.headers.get('content-type')).toBe(page.headers['content-type']);
    expect(served.headers.get('content-security-policy')).toBe(page.headers['content-security-policy']);
    expect((await call(bridge, '/missing.js')).status).toBe(404);
    expect((await call(bridge, '/index.html', { method: 'POST' })).status).toBe(405);
  });

  describe('the page socket', () => {
    const socketUrl = (token: string) =>
      `${bridge.origin.replace('http:', 'ws:')}${BRIDGE_SOCKET_PATH}?token=${encodeURIComponent(token)}`;

    /** Opens the socket as the page does (its origin, the run's token), or says how the bridge refused it. */
    function connect(
      options: { token?: string; origin?: string; host?: string; path?: string } = {},
    ): Promise<{ socket: WebSocket } | { refused: number }> {
      const url = new URL(socketUrl(options.token ?? bridge.token));
      if (options.path) url.pathname = options.path;
      const socket = new WebSocket(url, {
        origin: options.origin ?? bridge.origin,
        headers: options.host ? { host: options.host } : {},
      });
      return new Promise((resolve, reject) => {
        socket.on('open', () => resolve({ socket }));
        socket.on('unexpected-response', (_req, res) => resolve({ refused: res.statusCode ?? 0 }));
        socket.on('error', reject);
      });
    }

    async function opened(): Promise<WebSocket> {
      const result = await connect();
      if (!('socket' in result)) throw new Error(`refused with ${result.refused}`);
      return result.socket;
    }

    /** The next `count` answers, read as the page reads them (each in its own buffer). */
    function answers(socket: WebSocket, count: number) {
      return new Promise<ReturnType<typeof decodeBridgeAnswer>[]>((resolve) => {
        const got: ReturnType<typeof decodeBridgeAnswer>[] = [];
        socket.on('message', (data: Buffer) => {
          got.push(decodeBridgeAnswer(new Uint8Array(data).buffer));
          if (got.length === count) resolve(got);
        });
      });
    }

    it('answers each call by its id, in the order the services finish, with bytes intact', async () => {
      const socket = await opened();
      const both = answers(socket, 2);
      socket.send(encodeBridgeCall({ id: 7, channel: 'reports:pdf', request: { reportId: 'slow' } }));
      socket.send(encodeBridgeCall({ id: 8, channel: 'reports:pdf', request: { reportId: 'r1' } }));
      const [first, second] = await both;
      expect(first).toEqual({ id: 8, envelope: { ok: true, value: { pdf } } });
      expect(second).toEqual({ id: 7, envelope: { ok: true, value: { pdf } } });
      socket.close();
    });

    it('validates payloads before any service runs, and names a call that is not one', async () => {
      const socket = await opened();
      const two = answers(socket, 2);
      socket.send(encodeBridgeCall({ id: 1, channel: 'reports:pdf', request: { reportId: 42 } }));
      socket.send(encodeWire({ id: 2, channel: 'not a channel' }));
      const [invalid, notACall] = (await two).sort((a, b) => a.id - b.id);
      expect(invalid).toMatchObject({ id: 1, envelope: { ok: false, error: { code: 'VALIDATION_FAILED' } } });
      expect(notACall).toMatchObject({
        id: 2,
        envelope: { ok: false, error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('channel') } },
      });
      socket.close();
    });

    it('closes a socket that sends what no page client sends (no id, or bytes)', async () => {
      for (const message of ['{"b":[],"v":{"channel":"reports:pdf"}}', 'not json', Buffer.from([1, 2, 3])]) {
        const socket = await opened();
        const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
        socket.send(message);
        expect(await closed).toBe(1008);
      }
    });

    it('refuses sockets without the token, with a wrong token, from a foreign origin, via another Host or path', async () => {
      expect(await connect({ token: '' })).toEqual({ refused: 401 });
      expect(await connect({ token: bridge.token + 'x' })).toEqual({ refused: 401 });
      expect(await connect({ origin: 'http://evil.example' })).toEqual({ refused: 403 });
      expect(await connect({ host: 'evil.example' })).toEqual({ refused: 421 });
      expect(await connect({ path: '/__bridge/elsewhere' })).toEqual({ refused: 404 });
    });
  });
});

describe('bridge socket framing', () => {
  it('keeps a report column 8-byte aligned after the answer head, so the page reads it in place', () => {
    const column = new Float64Array([1.5, -2.25, 1e300]);
    const parts = encodeBridgeAnswer(3, {
      ok: true,
      value: { note: 'é'.repeat(3), view: new Uint8Array(column.buffer) },
    });
    const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
    const { id, envelope } = decodeBridgeAnswer(joined.buffer);
    expect(id).toBe(3);
    const view = (envelope as { ok: true; value: { view: Uint8Array } }).value.view;
    expect(view.byteOffset % 8).toBe(0);
    expect(Array.from(new Float64Array(view.buffer, view.byteOffset, 3))).toEqual([1.5, -2.25, 1e300]);
  });

  it('refuses an answer cut before its head ends, and a wire read from an unaligned start', () => {
    expect(() => decodeBridgeAnswer(new ArrayBuffer(5))).toThrow(/cut short/);
    expect(() => decodeWireBytes(new ArrayBuffer(16), 3)).toThrow(/out of line/);
  });
});
