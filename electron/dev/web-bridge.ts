import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, mkdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { join, resolve } from 'node:path';
import { decodeWire, encodeWire, encodeWireParts, WIRE_CONTENT_TYPE } from '../../shared/ipc/codec';
import type { ContractHandlers, EventName, EventPayload, EventSink } from '../../shared/ipc/contract';
import { createStaticFileServer, resolveStaticPath } from '../main/app-protocol';
import { buildContentSecurityPolicy } from '../main/security';
import { newestBackupIn } from '../services/backup-handlers';
import type { DesktopAdapters } from '../services/desktop';
import { createIpcDispatcher } from '../services/ipc-dispatcher';
import { createLogger, type Logger } from '../log/logger';

/**
 * `npm run web`: the renderer in a local browser, its window API bridged over loopback to the
 * real main-process services. Only the transport differs from Electron: the same contract,
 * dispatcher and services run here. Development and tests only: nothing in electron/main or
 * the packaged app imports this file.
 */

export interface AppServicesLike {
  handlers: ContractHandlers;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Origin of the in-process Plaid emulator, when it runs (its Link script is allowed by the CSP). */
  emulatorOrigin?(): string | null;
}

export type CreateServices = (deps: {
  userDataDir: string;
  desktop: DesktopAdapters;
  events: EventSink;
  logger: Logger;
}) => AppServicesLike | Promise<AppServicesLike>;

export interface WebBridgeOptions {
  userDataDir: string;
  /** Built renderer (vite build --mode web). */
  staticDir?: string;
  port?: number;
  /** Where "save" dialogs put files: the bridge answers them like an officer pressing Save. */
  downloadsDir?: string;
  token?: string;
  logger?: Logger;
  createServices?: CreateServices;
  /** The OS's check of the officer (Touch ID) as a test stands it in; none by default, as on Linux. */
  officerPresence?: DesktopAdapters['officerPresence'];
}

export interface WebBridge {
  url: string;
  origin: string;
  token: string;
  services: AppServicesLike;
  /** What the services wrote to the "clipboard" and "notifications" (tests read these). */
  clipboard(): string[];
  notifications(): { title: string; body: string }[];
  /** The paths the services asked the file manager to show, in order (tests read these). */
  shownInFolder(): string[];
  downloadsDir: string;
  close(): Promise<void>;
}

const MAX_BODY = 2 * 1024 * 1024;

function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Every invoke answer, in the binary wire, written part by part (no copy of a large report into one buffer). */
function sendParts(res: ServerResponse, parts: Uint8Array[]): void {
  res.writeHead(200, {
    'content-type': WIRE_CONTENT_TYPE,
    'content-length': parts.reduce((n, p) => n + p.length, 0),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  for (const part of parts) res.write(part);
  res.end();
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

async function defaultCreateServices(deps: Parameters<CreateServices>[0]): Promise<AppServicesLike> {
  const { createAppServices } = await import('../services/app-services');
  return createAppServices(deps);
}

export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const logger = options.logger ?? createLogger({ level: 'warn' });
  const token = options.token ?? randomBytes(24).toString('base64url');
  const staticDir = resolve(options.staticDir ?? 'out/renderer-web');
  const downloadsDir = resolve(options.downloadsDir ?? join(options.userDataDir, 'downloads'));
  mkdirSync(downloadsDir, { recursive: true });

  const clipboard: string[] = [];
  const notifications: { title: string; body: string }[] = [];
  const shownInFolder: string[] = [];
  const streams = new Set<ServerResponse>();
  const desktop: DesktopAdapters = {
    chooseSavePath: async ({ defaultName }) => join(downloadsDir, defaultName),
    chooseFolder: async () => downloadsDir,
    chooseFile: async () => newestBackupIn(downloadsDir),
    writeClipboard: async (text) => {
      clipboard.push(text);
    },
    notify: (title, body) => void notifications.push({ title, body }),
    // No file manager to open in a browser session: the request is recorded for tests.
    showInFolder: (path) => void shownInFolder.push(path),
    ...(options.officerPresence ? { officerPresence: options.officerPresence } : {}),
  };
  const events: EventSink = {
    emit<E extends EventName>(event: E, payload: EventPayload<E>) {
      const frame = `event: ${event}\ndata: ${encodeWire(payload)}\n\n`;
      for (const stream of streams) stream.write(frame);
    },
  };

  const services = await (options.createServices ?? defaultCreateServices)({
    userDataDir: options.userDataDir,
    desktop,
    events,
    logger,
  });
  await services.start();
  const dispatcher = createIpcDispatcher(services.handlers, logger);

  let origin = '';
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      logger.error('web bridge request failed', { error });
      if (!res.headersSent) send(res, 500, '{"error":"internal"}');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS-rebinding guard: only our own loopback host name, and same-origin browser requests.
    if (req.headers.host !== new URL(origin).host) return send(res, 421, '{"error":"wrong host"}');
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname.startsWith('/__bridge/')) {
      const given =
        url.pathname === '/__bridge/events'
          ? (url.searchParams.get('token') ?? '')
          : String(req.headers['x-bridge-token'] ?? '');
      if (!sameToken(given, token)) return send(res, 401, '{"error":"missing or wrong bridge token"}');
      if (req.headers.origin !== undefined && req.headers.origin !== origin)
        return send(res, 403, '{"error":"foreign origin"}');
      if (url.pathname === '/__bridge/events' && req.method === 'GET') {
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        streams.add(res);
        req.on('close', () => streams.delete(res));
        return;
      }
      const match = /^\/__bridge\/invoke\/([a-zA-Z]+:[a-zA-Z]+)$/.exec(decodeURIComponent(url.pathname));
      if (!match || req.method !== 'POST') return send(res, 404, '{"error":"not found"}');
      if (!String(req.headers['content-type'] ?? '').startsWith('application/json'))
        return send(res, 415, '{"error":"json only"}');
      let payload: unknown;
      try {
        payload = decodeWire(await readBody(req));
      } catch {
        return sendParts(
          res,
          encodeWireParts({
            ok: false,
            error: { code: 'VALIDATION_FAILED', message: 'The request was not valid JSON.', retryable: false },
          }),
        );
      }
      const envelope = await dispatcher.dispatch(match[1]!, payload);
      // Binary wire (see encodeWireParts): a report's JSON text unescaped, a report view or PDF as its own bytes.
      return sendParts(res, encodeWireParts(envelope));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, '{"error":"method"}');
    return serveStatic(req, res);
  }

  const bridgePolicy = () => {
    const emulatorOrigin = services.emulatorOrigin?.() ?? null;
    return buildContentSecurityPolicy({
      plaidEnvironment: emulatorOrigin === null ? undefined : 'emulator',
      plaidLinkScriptOrigin: emulatorOrigin ?? undefined,
    });
  };

  /** The same static-file server as app://; only reading differs (plain files here, no asar). */
  async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Resolve the path as sent: URL parsing would already have normalised `..` away.
    const rawPath = req.url ?? '/';
    const response = await createStaticFileServer({
      csp: bridgePolicy,
      resolve: () => resolveStaticPath(staticDir, rawPath),
      open: async (filePath) => Readable.toWeb(createReadStream(filePath)) as ReadableStream<Uint8Array>,
    })(new Request(`${origin}/`, { method: req.method ?? 'GET' }));
    res.writeHead(response.status, { ...Object.fromEntries(response.headers), 'cache-control': 'no-store' });
    if (!response.body) {
      res.end();
      return;
    }
    Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>).pipe(res);
  }

  await new Promise<void>((ready) => server.listen(options.port ?? 0, '127.0.0.1', ready));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/#token=${token}`,
    origin,
    token,
    services,
    downloadsDir,
    clipboard: () => [...clipboard],
    notifications: () => [...notifications],
    shownInFolder: () => [...shownInFolder],
    async close() {
      for (const stream of streams) stream.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      await services.stop();
    },
  };
}
