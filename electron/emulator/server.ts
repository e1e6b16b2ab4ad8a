import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../log/logger';
import { ACCESS_TOKEN_ENDPOINTS } from './access-token-invalidate';
import type { SandboxApi } from './api';
import type { ClientRegistry, EmulatorClient, Entitlements } from './clients';
import type { EmulatorClock } from './clock';
import { PlaidApiError, PlaidErrors } from './errors';
import { PRODUCTION_LIMITS, RateLimiter, type FaultState, type ForcedStatus } from './faults';
import { newRequestId } from './ids';
import type { LinkUiApi } from './link-api';
import { linkUiScript } from './link-ui-bundle';
import { PLAID_ENDPOINTS } from './openapi/endpoints';
import { validateRequest } from './validation';

/** HTTP plumbing: Plaid's transport rules (POST JSON, credentials, request_id, error bodies), Link's static files, control. */
type Body = Record<string, unknown>;

export interface ServerDeps {
  api: SandboxApi;
  linkUi: LinkUiApi;
  faults: FaultState;
  clients: ClientRegistry;
  clock: EmulatorClock;
  logger: Logger;
  /** Folder holding link-initialize.js and ui/ (the Link UI). */
  linkDir: string;
  hostedLinkExists: (hostedLinkId: string) => boolean;
}

const MAX_BODY_BYTES = 5 * 1024 * 1024;
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};
const CORS = { 'Access-Control-Allow-Origin': '*' };
const API_VERSION = '2020-09-14';
/** What an auditor's credentials may call; elsewhere the tokens it sends belong to another client. */
const AUDITOR_ENDPOINTS = new Set([
  '/asset_report/audit_copy/get',
  '/asset_report/audit_copy/pdf/get',
  '/webhook_verification_key/get',
  '/institutions/get_by_id',
  '/institutions/search',
]);

export function defaultLinkDir(): string {
  try {
    return join(dirname(fileURLToPath(import.meta.url)), 'link');
  } catch {
    return join(__dirname, 'link');
  }
}

class HttpError extends Error {}

/** One static file under `root` (never outside it), or `missing()`. */
export async function serveStatic(
  res: ServerResponse,
  root: string,
  relative: string,
  headers: Record<string, string>,
  missing: () => void,
): Promise<void> {
  const base = resolve(root);
  const target = resolve(base, relative);
  if (target !== base && !target.startsWith(base + sep)) return missing();
  // Only the bundle is served: the TypeScript sources and their config stay private.
  if (/\.ts$|tsconfig\.json$/.test(target)) return missing();
  try {
    const content = target === join(base, 'app.js') ? await linkUiScript(base) : await readFile(target);
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...headers,
    });
    res.end(content);
  } catch {
    missing();
  }
}

/**
 * The OAuth bank's site: another loopback port, so its consent page is on another origin than Link, as a real
 * bank's is. It serves the consent page (Link's UI in its bank mode) and takes the customer's answer.
 */
export function createBankServer(deps: { linkDir: string; linkUi: LinkUiApi; logger: Logger }): Server {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    const run = async (): Promise<void> => {
      if (req.method === 'GET' && path.startsWith('/link/ui/'))
        return serveStatic(res, join(deps.linkDir, 'ui'), decodeURIComponent(path.slice('/link/ui/'.length)), {}, () =>
          reply(404, { error: 'not found' }),
        );
      if (req.method === 'POST' && path === '/oauth/decision') {
        const chunks: Buffer[] = [];
        for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Body;
        return reply(200, deps.linkUi.oauthDecision(body));
      }
      reply(404, { error: 'not found' });
    };
    run().catch((error: unknown) => {
      if (res.headersSent) return;
      if (error instanceof PlaidApiError) return reply(400, error.toBody());
      deps.logger.warn('bank page request failed', { path, error });
      reply(400, { error: 'bad request' });
    });
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

export function createEmulatorServer(deps: ServerDeps): Server {
  const limiter = new RateLimiter();
  const endpoints = new Set<string>([...PLAID_ENDPOINTS, ...ACCESS_TOKEN_ENDPOINTS]);

  const sendJson = (
    res: ServerResponse,
    status: number,
    body: string | Buffer[],
    requestId: string,
    extraHeaders: Record<string, string> = {},
  ) => {
    const parts = typeof body === 'string' ? [Buffer.from(body, 'utf8')] : body;
    const headers = {
      'Content-Type': 'application/json; charset=utf-8',
      'Plaid-Request-ID': requestId,
      'Content-Length': parts.reduce((n, p) => n + p.length, 0),
      ...extraHeaders,
    };
    if (cutting.has(res)) return cutAnswer(res, status, headers, Buffer.concat(parts));
    res.writeHead(status, headers);
    // Corked: the head and every part (a report's cached bytes among them, never copied) leave in one writev.
    res.cork();
    for (const part of parts) res.write(part);
    res.end();
  };
  const sendError = (
    res: ServerResponse,
    error: PlaidApiError,
    requestId: string,
    extraHeaders: Record<string, string> = {},
  ) => sendJson(res, error.status, JSON.stringify(error.toBody(requestId)), requestId, extraHeaders);
  const sendBody = (res: ServerResponse, body: Body, requestId: string, extraHeaders: Record<string, string> = {}) =>
    sendJson(res, 200, JSON.stringify({ ...body, request_id: requestId }), requestId, extraHeaders);

  /** Answers whose connection drops halfway (fault injection: cutNext). */
  const cutting = new WeakSet<ServerResponse>();
  /** The status line, the headers and half the body, then the connection drops: a link lost mid-answer. */
  function cutAnswer(res: ServerResponse, status: number, headers: Record<string, string | number>, bytes: Buffer) {
    res.writeHead(status, headers);
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => res.socket?.destroy());
  }

  async function readJson(req: IncomingMessage): Promise<Body> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) throw PlaidErrors.invalidBody();
      chunks.push(chunk);
    }
    try {
      const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new HttpError();
      return parsed as Body;
    } catch {
      throw PlaidErrors.invalidBody();
    }
  }

  function header(req: IncomingMessage, name: string): string | undefined {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  }

  /** Plaid's header rules: a JSON body, and only the API version this server speaks. */
  function checkHeaders(req: IncomingMessage): void {
    const type = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json') throw PlaidErrors.invalidHeaders();
    const version = header(req, 'plaid-version');
    if (version !== undefined && version !== API_VERSION) throw PlaidErrors.incompatibleApiVersion(version);
  }

  function authenticate(req: IncomingMessage, body: Body): EmulatorClient {
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const clientId = header('plaid-client-id') ?? (typeof body.client_id === 'string' ? body.client_id : undefined);
    const secret = header('plaid-secret') ?? (typeof body.secret === 'string' ? body.secret : undefined);
    const missing = [clientId === undefined ? 'client_id' : null, secret === undefined ? 'secret' : null].filter(
      (f): f is string => f !== null,
    );
    if (missing.length > 0) throw PlaidErrors.missingFields(missing);
    const client = deps.clients.authenticate(String(clientId), String(secret));
    if (!client) throw PlaidErrors.invalidApiKeys();
    return client;
  }

  /** An auditor holds no Items, reports or Link tokens: whatever token it sends is not found. */
  function auditorElsewhere(body: Body): PlaidApiError {
    if (body.access_token !== undefined || body.access_tokens !== undefined) return PlaidErrors.invalidAccessToken();
    if (body.asset_report_token !== undefined) return PlaidErrors.invalidAssetReportToken();
    if (body.audit_copy_token !== undefined) return PlaidErrors.invalidAuditCopyToken();
    if (body.link_token !== undefined) return PlaidErrors.invalidLinkToken();
    return PlaidErrors.invalidProduct(['assets']);
  }

  const serveFile = (
    res: ServerResponse,
    root: string,
    relative: string,
    requestId: string,
    headers: Record<string, string> = {},
  ) => serveStatic(res, root, relative, headers, () => sendError(res, PlaidErrors.notFound(), requestId, headers));

  async function delay(ms: number): Promise<void> {
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  /** Every window that applies (per report or Item, and per client) must have room; then each counts the call. */
  function rateLimit(path: string, body: Body, client: EmulatorClient): void {
    if (!deps.faults.productionRateLimits) return;
    const rules = PRODUCTION_LIMITS[path] ?? [];
    const now = deps.clock.now().getTime();
    const keys = rules.flatMap((rule) => {
      const scoped =
        rule.scope === 'report'
          ? [String(body.asset_report_token)]
          : rule.scope === 'item'
            ? Array.isArray(body.access_tokens)
              ? [...new Set((body.access_tokens as unknown[]).map(String))]
              : [String(body.access_token)]
            : [client.clientId];
      return scoped.map((scope) => ({ rule, key: `${path}|${rule.scope}|${scope}` }));
    });
    const full = keys.find(({ rule, key }) => !limiter.hasRoom(key, rule.perMinute, now));
    if (full) throw PlaidErrors.rateLimit(full.rule.code);
    for (const { key } of keys) limiter.record(key, now);
  }

  async function plaidEndpoint(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    requestId: string,
  ): Promise<void> {
    await delay(deps.faults.latencyFor(path));
    checkHeaders(req);
    const body = await readJson(req);
    const client = authenticate(req, body);
    const forced = deps.faults.takeForcedError(path);
    if (forced) throw forced;
    if (deps.faults.takeCut(path)) cutting.add(res);
    validateRequest(path, body);
    if (client.auditorId !== null && !AUDITOR_ENDPOINTS.has(path)) throw auditorElsewhere(body);
    rateLimit(path, body, client);
    const api = deps.api;
    switch (path) {
      case '/asset_report/get':
        return sendJson(res, 200, api.assetReports.assetReportGetBody(body, requestId, client), requestId);
      case '/asset_report/audit_copy/get':
        return sendJson(res, 200, api.assetReports.auditCopyGetBody(body, requestId, client), requestId);
      case '/asset_report/pdf/get':
      case '/asset_report/audit_copy/pdf/get':
        return sendPdf(res, path, body, requestId, client);
    }
    const handlers: Record<string, (b: Body) => Body> = {
      '/link/token/create': (b) => api.linkTokens.linkTokenCreate(b, client),
      '/link/token/get': (b) => api.linkTokens.linkTokenGet(b),
      '/sandbox/public_token/create': (b) => api.items.sandboxPublicTokenCreate(b),
      '/item/public_token/exchange': (b) => api.items.itemPublicTokenExchange(b),
      '/item/get': (b) => api.items.itemGet(b),
      '/accounts/get': (b) => api.items.accountsGet(b),
      '/item/remove': (b) => api.items.itemRemove(b),
      '/item/access_token/invalidate': (b) => api.items.itemAccessTokenInvalidate(b),
      '/institutions/get_by_id': (b) => api.institutionsGetById(b),
      '/institutions/search': (b) => api.institutionsSearch(b),
      '/asset_report/create': (b) => api.assetReports.assetReportCreate(b, client),
      '/asset_report/refresh': (b) => api.assetReports.assetReportRefresh(b),
      '/asset_report/filter': (b) => api.assetReports.assetReportFilter(b),
      '/asset_report/remove': (b) => api.assetReports.assetReportRemove(b),
      '/asset_report/audit_copy/create': (b) => api.assetReports.auditCopyCreate(b),
      '/asset_report/audit_copy/remove': (b) => api.assetReports.auditCopyRemove(b),
      '/webhook_verification_key/get': (b) => api.webhookVerificationKeyGet(b),
      '/sandbox/item/reset_login': (b) => api.items.sandboxItemResetLogin(b),
      '/sandbox/item/fire_webhook': (b) => api.items.sandboxItemFireWebhook(b),
    };
    const handler = handlers[path];
    if (!handler) throw PlaidErrors.notFound();
    const answer = handler(body);
    await delay(deps.faults.answerDelayFor(path)); // done already: only the answer is late
    sendBody(res, answer, requestId);
  }

  async function sendPdf(
    res: ServerResponse,
    path: string,
    body: Body,
    requestId: string,
    client: EmulatorClient,
  ): Promise<void> {
    const api = deps.api;
    const daysToInclude = (body.options as Body | undefined)?.days_to_include;
    const days = typeof daysToInclude === 'number' ? daysToInclude : null;
    let input: () => { report: unknown; warnings: unknown[]; title: 'Asset Report' | 'Audit Copy'; auditorId?: string };
    let key: string;
    if (path === '/asset_report/pdf/get') {
      const record = api.assetReports.readyReport(api.assetReports.requireReport(String(body.asset_report_token)));
      input = () => ({ report: api.assetReports.pdfInput(record, days), warnings: [], title: 'Asset Report' });
      key = `report|${record.asset_report_id}|${days}`;
    } else {
      const { report, auditorId } = api.assetReports.requireAuditCopy(String(body.audit_copy_token), client);
      const record = api.assetReports.readyReport(report);
      input = () => ({ report: api.assetReports.pdfInput(record, days), warnings: [], title: 'Audit Copy', auditorId });
      key = `audit|${record.asset_report_id}|${days}|${auditorId}`;
    }
    const pdf = await api.assetReports.cachedPdf(key, async () => {
      const { renderAssetReportPdf } = await import('./pdf/index');
      return renderAssetReportPdf(input() as Parameters<typeof renderAssetReportPdf>[0]);
    });
    const headers = { 'Content-Type': 'application/pdf', 'Content-Length': pdf.length, 'Plaid-Request-ID': requestId };
    if (cutting.has(res)) return cutAnswer(res, 200, headers, pdf);
    res.writeHead(200, headers);
    res.end(pdf);
  }

  async function control(req: IncomingMessage, res: ServerResponse, action: string, requestId: string): Promise<void> {
    const body = await readJson(req);
    if (authenticate(req, body).auditorId !== null) throw PlaidErrors.invalidApiKeys();
    const faults = deps.faults;
    const num = (v: unknown, field: string): number => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw PlaidErrors.invalidField(`${field} must be a non-negative number`);
      return v;
    };
    switch (action) {
      case 'fail_next': {
        const status = body.status;
        if (status !== 500 && status !== 503 && status !== 429)
          throw PlaidErrors.invalidField('status must be 500, 503 or 429');
        if (typeof body.endpoint !== 'string') throw PlaidErrors.missingFields(['endpoint']);
        faults.failNext(body.endpoint, status as ForcedStatus, body.count === undefined ? 1 : num(body.count, 'count'));
        break;
      }
      case 'cut_next':
        if (typeof body.endpoint !== 'string') throw PlaidErrors.missingFields(['endpoint']);
        faults.cutNext(body.endpoint, body.count === undefined ? 1 : num(body.count, 'count'));
        break;
      case 'answer_delay':
        if (typeof body.endpoint !== 'string') throw PlaidErrors.missingFields(['endpoint']);
        faults.delayAnswer(body.endpoint, num(body.ms, 'ms'));
        break;
      case 'latency':
        if (typeof body.endpoint !== 'string') throw PlaidErrors.missingFields(['endpoint']);
        faults.addLatency(body.endpoint, num(body.ms, 'ms'));
        break;
      case 'fail_report':
        faults.failReportGeneration(typeof body.asset_report_id === 'string' ? body.asset_report_id : undefined);
        break;
      case 'ready_after':
        if (typeof body.asset_report_id === 'string')
          deps.api.assetReports.setReportReadyAfter(body.asset_report_id, num(body.ms, 'ms'));
        else faults.setReadyAfterMs(num(body.ms, 'ms'));
        break;
      case 'fail_item':
        if (typeof body.item_id !== 'string') throw PlaidErrors.missingFields(['item_id']);
        faults.failItemDuringGeneration(
          body.item_id,
          typeof body.error_code === 'string' ? body.error_code : undefined,
        );
        break;
      case 'fast_gap':
        faults.setFastReportGapMs(num(body.ms, 'ms'));
        break;
      case 'entitlements': {
        const change: Partial<Entitlements> = {};
        for (const key of ['assets', 'insights', 'fast_assets'] as const)
          if (typeof body[key] === 'boolean') change[key] = body[key];
        try {
          deps.clients.setEntitlements(typeof body.client_id === 'string' ? body.client_id : null, change);
        } catch {
          throw PlaidErrors.invalidField('client_id is not a client of this emulator');
        }
        break;
      }
      case 'clock':
        deps.clock.advance(num(body.advance_ms, 'advance_ms'));
        deps.api.items.expireInactiveItems();
        deps.api.assetReports.rescheduleAll();
        break;
      case 'rate_limits':
        faults.setProductionRateLimits(body.enabled === true);
        break;
      case 'reset':
        faults.reset();
        deps.clients.resetEntitlements();
        break;
      default:
        throw PlaidErrors.notFound();
    }
    sendBody(res, { ok: true }, requestId);
  }

  const server = createServer((req, res) => {
    const requestId = newRequestId();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const isLinkApi = path.startsWith('/link/ui/_api/');
    const corsHeaders: Record<string, string> = isLinkApi || path === '/link/v2/stable/link-initialize.js' ? CORS : {};

    const run = async (): Promise<void> => {
      if (method === 'OPTIONS' && (isLinkApi || path === '/link/v2/stable/link-initialize.js')) {
        res.writeHead(204, {
          ...CORS,
          'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
          'Access-Control-Allow-Headers': 'Content-Type',
          'Access-Control-Max-Age': '600',
        });
        res.end();
        return;
      }
      if (method === 'GET' && path === '/link/v2/stable/link-initialize.js')
        return serveFile(res, deps.linkDir, 'link-initialize.js', requestId, CORS);
      if (method === 'GET' && path.startsWith('/link/ui/') && !isLinkApi) {
        return serveFile(
          res,
          join(deps.linkDir, 'ui'),
          decodeURIComponent(path.slice('/link/ui/'.length)) || 'index.html',
          requestId,
        );
      }
      if (
        method === 'GET' &&
        path.startsWith('/hosted-link/') &&
        deps.hostedLinkExists(path.slice('/hosted-link/'.length))
      ) {
        return serveFile(res, join(deps.linkDir, 'ui'), 'index.html', requestId);
      }
      if (method === 'POST' && isLinkApi) {
        const body = await readJson(req);
        return sendBody(res, deps.linkUi.handle(path.slice('/link/ui/_api/'.length), body), requestId, CORS);
      }
      if (method === 'POST' && path.startsWith('/emulator/_control/'))
        return control(req, res, path.slice('/emulator/_control/'.length), requestId);
      if (method === 'POST' && endpoints.has(path)) return plaidEndpoint(req, res, path, requestId);
      throw PlaidErrors.notFound();
    };

    run()
      .catch((error: unknown) => {
        if (error instanceof PlaidApiError) {
          if (!res.headersSent) sendError(res, error, requestId, corsHeaders);
          return;
        }
        deps.logger.error('emulator request failed', { path, error });
        if (!res.headersSent) sendError(res, PlaidErrors.internal(), requestId, corsHeaders);
        else res.destroy();
      })
      .finally(() =>
        deps.logger.debug('emulator request', { method, path, status: res.statusCode, request_id: requestId }),
      );
  });
  // Clients (axios, fetch) reuse idle sockets: a short server-side timeout races them into ECONNRESET.
  server.keepAliveTimeout = 65_000;
  return server;
}
