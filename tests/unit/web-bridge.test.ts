import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      'reports:pdf': async () => ({ pdf }),
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
});
