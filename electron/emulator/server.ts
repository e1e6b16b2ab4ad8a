import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { dirname, extname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../log/logger';
import type { SandboxApi } from './api';
import { PlaidApiError, PlaidErrors } from './errors';
import { PRODUCTION_LIMITS, RateLimiter, type FaultState, type ForcedStatus } from './faults';
import { newRequestId } from './ids';
import type { LinkUiApi } from './link-api';
import { PLAID_ENDPOINTS } from './openapi/endpoints';
import { validateRequest } from './validation';

/** HTTP plumbing: Plaid's transport rules (POST JSON, credentials, request_id, error bodies), Link's static files, control. */
type Body = Record<string, unknown>;

export interface ServerDeps {
  api: SandboxApi;
  linkUi: LinkUiApi;
  faults: FaultState;
  clientId: string;
  secret: string;
  clock: () => Date;
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

export function defaultLinkDir(): string {
  try {
    return join(dirname(fileURLToPath(import.meta.url)), 'link');
  } catch {
    return join(__dirname, 'link');
  }
}

class HttpError extends Error {}

export function createEmulatorServer(deps: ServerDeps): Server {
  const limiter = new RateLimiter();
  const endpoints = new Set<string>(PLAID_ENDPOINTS);

  const sendJson = (
    res: ServerResponse,
    status: number,
    body: string | Buffer[],
    requestId: string,
    extraHeaders: Record<string, string> = {},
  ) => {
    const parts = typeof body === 'string' ? [Buffer.from(body, 'utf8')] : body;
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Plaid-Request-ID': requestId,
      'Content-Length': parts.reduce((n, p) => n + p.length, 0),
      ...extraHeaders,
    });
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

  function authenticate(req: IncomingMessage, body: Body): void {
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
    if (clientId !== deps.clientId || secret !== deps.secret) throw PlaidErrors.invalidApiKeys();
  }

  async function serveFile(
    res: ServerResponse,
    root: string,
    relative: string,
    requestId: string,
    headers: Record<string, string> = {},
  ): Promise<void> {
    const base = resolve(root);
    const target = resolve(base, relative);
    if (target !== base && !target.startsWith(base + sep)) return sendError(res, PlaidErrors.notFound(), requestId);
    try {
      const content = await readFile(target);
      res.writeHead(200, {
        'Content-Type': CONTENT_TYPES[extname(target)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        ...headers,
      });
      res.end(content);
    } catch {
      sendError(res, PlaidErrors.notFound(), requestId, headers);
    }
  }

  async function delay(ms: number): Promise<void> {
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  function rateLimit(path: string, body: Body): void {
    if (!deps.faults.productionRateLimits) return;
    const rule = PRODUCTION_LIMITS[path];
    if (!rule) return;
    const scopeKey =
      rule.scope === 'report'
        ? String(body.asset_report_token)
        : rule.scope === 'item'
          ? String(body.access_token)
          : 'client';
    if (!limiter.allow(`${path}|${scopeKey}`, rule.perMinute, deps.clock().getTime())) throw PlaidErrors.rateLimit();
  }

  async function plaidEndpoint(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    requestId: string,
  ): Promise<void> {
    await delay(deps.faults.latencyFor(path));
    const body = await readJson(req);
    authenticate(req, body);
    const forced = deps.faults.takeForcedError(path);
    if (forced) throw forced;
    validateRequest(path, body);
    rateLimit(path, body);
    const api = deps.api;
    switch (path) {
      case '/asset_report/get':
        return sendJson(res, 200, api.assetReportGetBody(body, requestId), requestId);
      case '/asset_report/audit_copy/get':
        return sendJson(res, 200, api.auditCopyGetBody(body, requestId), requestId);
      case '/asset_report/pdf/get':
      case '/asset_report/audit_copy/pdf/get':
        return sendPdf(res, path, body, requestId);
    }
    const handlers: Record<string, (b: Body) => Body> = {
      '/link/token/create': (b) => api.linkTokenCreate(b),
      '/link/token/get': (b) => api.linkTokenGet(b),
      '/sandbox/public_token/create': (b) => api.sandboxPublicTokenCreate(b),
      '/item/public_token/exchange': (b) => api.itemPublicTokenExchange(b),
      '/item/get': (b) => api.itemGet(b),
      '/item/remove': (b) => api.itemRemove(b),
      '/institutions/get_by_id': (b) => api.institutionsGetById(b),
      '/institutions/search': (b) => api.institutionsSearch(b),
      '/asset_report/create': (b) => api.assetReportCreate(b),
      '/asset_report/refresh': (b) => api.assetReportRefresh(b),
      '/asset_report/filter': (b) => api.assetReportFilter(b),
      '/asset_report/remove': (b) => api.assetReportRemove(b),
      '/asset_report/audit_copy/create': (b) => api.auditCopyCreate(b),
      '/asset_report/audit_copy/remove': (b) => api.auditCopyRemove(b),
      '/webhook_verification_key/get': (b) => api.webhookVerificationKeyGet(b),
      '/sandbox/item/reset_login': (b) => api.sandboxItemResetLogin(b),
      '/sandbox/item/fire_webhook': (b) => api.sandboxItemFireWebhook(b),
    };
    const handler = handlers[path];
    if (!handler) throw PlaidErrors.notFound();
    sendBody(res, handler(body), requestId);
  }

  async function sendPdf(res: ServerResponse, path: string, body: Body, requestId: string): Promise<void> {
    const api = deps.api;
    const daysToInclude = (body.options as Body | undefined)?.days_to_include;
    const days = typeof daysToInclude === 'number' ? daysToInclude : null;
    let input: { report: unknown; warnings: unknown[]; title: 'Asset Report' | 'Audit Copy'; auditorId?: string };
    if (path === '/asset_report/pdf/get') {
      const record = api.readyReport(api.requireReport(String(body.asset_report_token)));
      input = { report: api.pdfInput(record, days), warnings: [], title: 'Asset Report' };
    } else {
      const { report, auditorId } = api.requireAuditCopy(String(body.audit_copy_token));
      input = { report: api.pdfInput(api.readyReport(report), days), warnings: [], title: 'Audit Copy', auditorId };
    }
    const { renderAssetReportPdf } = await import('./pdf/index');
    const pdf = await renderAssetReportPdf(input as Parameters<typeof renderAssetReportPdf>[0]);
    res.writeHead(200, {
      'Content-Type': 'application/pdf',
      'Content-Length': pdf.length,
      'Plaid-Request-ID': requestId,
    });
    res.end(pdf);
  }

  async function control(req: IncomingMessage, res: ServerResponse, action: string, requestId: string): Promise<void> {
    const body = await readJson(req);
    authenticate(req, body);
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
      case 'latency':
        if (typeof body.endpoint !== 'string') throw PlaidErrors.missingFields(['endpoint']);
        faults.addLatency(body.endpoint, num(body.ms, 'ms'));
        break;
      case 'fail_report':
        faults.failReportGeneration(typeof body.asset_report_id === 'string' ? body.asset_report_id : undefined);
        break;
      case 'ready_after':
        faults.setReadyAfterMs(num(body.ms, 'ms'));
        break;
      case 'rate_limits':
        faults.setProductionRateLimits(body.enabled === true);
        break;
      case 'reset':
        faults.reset();
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
