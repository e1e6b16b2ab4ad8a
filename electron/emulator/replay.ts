import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generatedCredentials, type ClientCredentials } from './clients';
import { PlaidErrors, PlaidApiError } from './errors';
import { newRequestId } from './ids';
import type { OpenApiDocument } from './openapi/convert';

/**
 * Replay of Plaid's own examples: a small server that answers every Assets, Link-token and Item endpoint with
 * the first `examples` value Plaid's OpenAPI spec embeds for its 200 response, so code proven against the
 * emulator's generated data is also proven on data Plaid wrote. No state: the same call gets the same answer.
 * The spec is read by the caller (tests, the CLI's --replay-spec): it is not shipped with the app.
 */
// Besides Assets, Link tokens and Items: the two reads the app makes when Link completes (accounts and the bank's name).
export const REPLAYED_PREFIXES = [
  '/asset_report/',
  '/link/token/',
  '/item/',
  '/accounts/get',
  '/institutions/get_by_id',
] as const;

/** A tiny valid PDF for the PDF endpoints, whose spec entries carry no example bytes. */
const PLACEHOLDER_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

interface ExampleOperation {
  responses?: Record<
    string,
    { content?: Record<string, { examples?: Record<string, { value?: unknown }>; example?: unknown }> }
  >;
}

/** The first JSON example of each replayed path's 200 response (paths whose 200 is a PDF map to 'pdf'). */
export function extractExamples(doc: OpenApiDocument): Map<string, Record<string, unknown> | 'pdf'> {
  const out = new Map<string, Record<string, unknown> | 'pdf'>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!REPLAYED_PREFIXES.some((prefix) => path.startsWith(prefix))) continue;
    const content = (item.post as ExampleOperation | undefined)?.responses?.['200']?.content ?? {};
    if (content['application/pdf']) {
      out.set(path, 'pdf');
      continue;
    }
    const json = content['application/json'];
    const example = Object.values(json?.examples ?? {})[0]?.value ?? json?.example;
    if (example && typeof example === 'object') out.set(path, example as Record<string, unknown>);
  }
  // The spec gives the audit copy no example of its own; its answer is documented as exactly /asset_report/get's.
  const report = out.get('/asset_report/get');
  if (!out.has('/asset_report/audit_copy/get') && report) out.set('/asset_report/audit_copy/get', report);
  return out;
}

export interface ReplayServer extends ClientCredentials {
  baseUrl: string;
  /** The answers by path, as the spec wrote them. */
  examples: Map<string, Record<string, unknown> | 'pdf'>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Falls through to Plaid's INVALID_BODY.
  }
  throw PlaidErrors.invalidBody();
}

export async function startReplayServer(options: {
  spec: OpenApiDocument;
  port?: number;
  clientId?: string;
  secret?: string;
}): Promise<ReplayServer> {
  const examples = extractExamples(options.spec);
  const generated = generatedCredentials();
  const clientId = options.clientId ?? generated.clientId;
  const secret = options.secret ?? generated.secret;

  const server: Server = createServer((req, res) => {
    const requestId = newRequestId();
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const run = async () => {
      const example = examples.get(path);
      if (req.method !== 'POST' || example === undefined) throw PlaidErrors.notFound();
      const body = await readBody(req);
      const header = (name: string) => [req.headers[name]].flat()[0];
      const id = header('plaid-client-id') ?? body.client_id;
      const key = header('plaid-secret') ?? body.secret;
      if (id !== clientId || key !== secret) throw PlaidErrors.invalidApiKeys();
      if (example === 'pdf') {
        res.writeHead(200, { 'Content-Type': 'application/pdf', 'Plaid-Request-ID': requestId });
        res.end(PLACEHOLDER_PDF);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(example));
    };
    run().catch((error: unknown) => {
      const plaidError = error instanceof PlaidApiError ? error : PlaidErrors.internal();
      res.writeHead(plaidError.status, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(plaidError.toBody(requestId)));
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    clientId,
    secret,
    examples,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
